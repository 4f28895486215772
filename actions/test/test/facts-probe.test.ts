/**
 * facts.py, the probe the test action runs with the interpreter under test: linted like the
 * TypeScript (ruff, pinned in scripts/requirements-tools.txt), and run for real.
 */
import { execFileSync } from 'node:child_process';
import { tool } from '@ferrowheel/harness/workdirs';
import { exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import { factsProbe, queryInterpreter } from '../src/interpreter.js';

/** The interpreter under test can be old: rules and syntax for Python 3.8 up. */
const RUFF = ['--no-cache', '--isolated', '--target-version', 'py38', '--line-length', '100'];

describe('facts.py', () => {
  it('passes ruff check and ruff format', () => {
    const check = ['check', ...RUFF, '--select', 'E,F,W,I,B,UP', factsProbe()];
    expect(() => execFileSync(tool('ruff'), check, { stdio: 'pipe' })).not.toThrow();
    expect(() =>
      execFileSync(tool('ruff'), ['format', '--check', ...RUFF, factsProbe()], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it("runs on a real interpreter, and its report reads as that interpreter's facts", async () => {
    const python = tool('python');
    const facts = await queryInterpreter({ program: python, args: [], display: python }, exec);
    const version = execFileSync(python, ['-c', 'import platform; print(platform.python_version())'], {
      encoding: 'utf8',
    }).trim();
    expect(facts.version).toBe(version);
    expect(facts.implementation).toBe('cpython');
    // The tools venv has pip, so the tags are pip's own list, best first.
    expect(facts.tagSource).toBe('pip');
    expect(facts.tags).toContain('py3-none-any');
    expect(facts.tags[0]).toMatch(/^cp3\d+-cp3\d+-/);
    expect(facts.platform).toMatch(/^linux (x86_64|aarch64), glibc \d+\.\d+$/);
  });
});
