/**
 * facts.py, the probe the test action runs with the interpreter under test: linted like the
 * TypeScript (ruff, pinned in scripts/requirements-tools.txt), and run for real.
 */
import { execFileSync } from 'node:child_process';
import { ruffCheck } from '@ferrowheel/harness/script-lint';
import { tool } from '@ferrowheel/harness/workdirs';
import { exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import { factsProbe, queryInterpreter } from '../src/interpreter.js';

describe('facts.py', () => {
  it('passes ruff check and ruff format', () => {
    expect(() => ruffCheck(factsProbe())).not.toThrow();
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
