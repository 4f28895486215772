import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import { pytestArgs, pytestEnv, runPytest } from '../src/pytest-run.js';

const tree = { root: '/tmp/run', testsRelative: 'sample/tests', base: '/w', inPlace: false };

describe('pytestArgs', () => {
  it('runs the copied tests with a JUnit report, no cache, the copy as rootdir, then the user args', () => {
    expect(pytestArgs(tree, '/tmp/junit.xml', ['-x', '-k', 'not slow'])).toEqual([
      'sample/tests',
      '--junitxml=/tmp/junit.xml',
      '-o',
      'junit_family=xunit1',
      '-p',
      'no:cacheprovider',
      '--rootdir=/tmp/run',
      '-x',
      '-k',
      'not slow',
    ]);
    expect(pytestArgs({ ...tree, testsRelative: '' }, 'j.xml', [])[0]).toBe('.');
    expect(pytestArgs({ ...tree, testsRelative: '-k' }, 'j.xml', [])[0]).toBe('./-k');
  });
});

describe('pytestEnv', () => {
  it('activates the venv: its scripts first on PATH, VIRTUAL_ENV set, PYTHONHOME dropped', () => {
    expect(pytestEnv('linux', '/t/venv', { PATH: '/usr/bin', PYTHONHOME: '/x', HOME: '/root' })).toEqual({
      PATH: '/t/venv/bin:/usr/bin',
      VIRTUAL_ENV: '/t/venv',
      HOME: '/root',
    });
  });

  it("keeps Windows' own spelling of Path, with ; and Scripts", () => {
    expect(pytestEnv('windows', 'C:\\t\\venv', { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows' })).toEqual({
      Path: 'C:\\t\\venv\\Scripts;C:\\Windows',
      VIRTUAL_ENV: 'C:\\t\\venv',
      SystemRoot: 'C:\\Windows',
    });
  });
});

describe('runPytest', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-pytest-'));
  const base = {
    os: 'windows' as const,
    venv: 'C:\\t\\venv',
    tree,
    userArgs: [],
    wheel: 'w.whl',
    testsLabel: 'sample/tests',
  };
  /** An exec that writes `report` as the JUnit file and exits with `exitCode`. */
  const fake =
    (exitCode: number, report: string | undefined, calls: string[] = []): Exec =>
    async (program, args, options) => {
      calls.push(program, options?.env?.VIRTUAL_ENV ?? '');
      const junit = args.find((a) => a.startsWith('--junitxml='))!.slice('--junitxml='.length);
      if (report !== undefined) writeFileSync(junit, report);
      return { exitCode, stdout: 'ERROR: usage: pytest [options]\n', stderr: '' };
    };

  it("runs the venv's pytest.exe on Windows and returns the report", async () => {
    const calls: string[] = [];
    const junit = path.join(dir, 'ok.xml');
    const result = await runPytest(
      { ...base, junit },
      fake(1, '<testsuite tests="2" failures="1" errors="0" skipped="0" time="0.1"/>', calls),
    );
    expect(calls).toEqual(['C:\\t\\venv\\Scripts\\pytest.exe', 'C:\\t\\venv']);
    expect(result.exitCode).toBe(1);
    expect(result.report).toMatchObject({ tests: 2, failures: 1, passed: 1 });
  });

  it('says what went wrong when pytest wrote no report, collected nothing, or failed to run', async () => {
    await expect(
      runPytest({ ...base, junit: path.join(dir, 'none.xml') }, fake(4, undefined)),
    ).rejects.toThrow(
      "pytest exited with code 4 without a report for w.whl:\nERROR: usage: pytest [options]\nCheck 'pytest-args' and the tests' configuration.",
    );
    const empty = '<testsuite tests="0" failures="0" errors="0" skipped="0" time="0"/>';
    await expect(runPytest({ ...base, junit: path.join(dir, 'empty.xml') }, fake(5, empty))).rejects.toThrow(
      /^pytest collected no tests from sample\/tests for w\.whl\. Point 'tests' at the directory/,
    );
    const report = '<testsuite tests="1" failures="0" errors="0" skipped="0" time="0"/>';
    await expect(
      runPytest({ ...base, junit: path.join(dir, 'internal.xml') }, fake(3, report)),
    ).rejects.toThrow(UserError);
  });
});
