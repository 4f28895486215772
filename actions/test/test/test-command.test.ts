import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import { exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import {
  expandPlaceholders,
  resolveProgram,
  runsPytest,
  runTestCommand,
  unknownPlaceholder,
} from '../src/test-command.js';
import { parseTestEnvironment } from '../src/test-environment.js';

describe('test-command', () => {
  it('knows {project} and {package}, and only those', () => {
    expect(unknownPlaceholder(['pytest', '{project}/tests', '--x={package}'])).toBeUndefined();
    expect(unknownPlaceholder(['python', '-c', 'print({1: 2})'])).toBeUndefined();
    expect(unknownPlaceholder(['pytest', '{projects}/tests'])).toBe('{projects}');
    expect(
      expandPlaceholders(['pytest', '{project}/t', '{package}', '{package}{project}'], {
        project: '/w',
        package: '/w/py',
      }),
    ).toEqual(['pytest', '/w/t', '/w/py', '/w/py/w']);
    // A value is never split or re-read: spaces and braces stay inside one argument.
    expect(expandPlaceholders(['{project}'], { project: '/a b/{package}', package: 'x' })).toEqual([
      '/a b/{package}',
    ]);
  });

  it('tells a pytest run from another command', () => {
    expect(runsPytest(['pytest', '-x'])).toBe(true);
    expect(runsPytest(['/venv/bin/pytest'])).toBe(true);
    expect(runsPytest(['python', '-m', 'pytest'])).toBe(true);
    expect(runsPytest(['python3.12', '-m', 'pytest'])).toBe(true);
    expect(runsPytest(['python', '-m', 'unittest'])).toBe(false);
    expect(runsPytest(['tox'])).toBe(false);
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-test-command-'));
  const venv = path.join(dir, 'venv');
  mkdirSync(path.join(venv, 'bin'), { recursive: true });
  writeFileSync(path.join(venv, 'bin', 'mytool'), '#!/bin/sh\n');
  const which = async (name: string) => (name === 'onpath' ? '/usr/bin/onpath' : undefined);

  it('finds the program in the venv, then on PATH, and says so when it is nowhere', async () => {
    expect(await resolveProgram('mytool', { os: 'linux', venv, cwd: dir, which })).toBe(
      path.join(venv, 'bin', 'mytool'),
    );
    expect(await resolveProgram('onpath', { os: 'linux', venv, cwd: dir, which })).toBe('/usr/bin/onpath');
    expect(await resolveProgram('venv/bin/mytool', { os: 'linux', venv, cwd: dir, which })).toBe(
      path.join(venv, 'bin', 'mytool'),
    );
    await expect(resolveProgram('nosuchtool', { os: 'linux', venv, cwd: dir, which })).rejects.toThrow(
      new UserError(
        "Input 'test-command' runs 'nosuchtool', which is neither in the test venv nor on PATH. Install it into the venv (add it to 'requirements' or 'groups'), or give the command's path.",
      ),
    );
    await expect(resolveProgram('./missing.sh', { os: 'linux', venv, cwd: dir, which })).rejects.toThrow(
      `Input 'test-command' runs ${path.join(dir, 'missing.sh')}, which does not exist.`,
    );
  });

  it('on Windows: looks for name.exe in Scripts, then PATH; a batch file is refused', async () => {
    const seen: string[] = [];
    const whichWindows = async (name: string) => {
      seen.push(name);
      return name === 'tox' ? 'C:\\tools\\tox.exe' : undefined;
    };
    expect(
      await resolveProgram('tox', {
        os: 'windows',
        venv: 'C:\\nowhere\\venv',
        cwd: 'C:\\w',
        which: whichWindows,
      }),
    ).toBe('C:\\tools\\tox.exe');
    await expect(
      resolveProgram('nox', { os: 'windows', venv: 'C:\\nowhere\\venv', cwd: 'C:\\w', which: whichWindows }),
    ).rejects.toThrow("Input 'test-command' runs 'nox', which is neither in the test venv nor on PATH.");
    expect(seen).toEqual(['tox', 'nox']);
    const batch = async () => 'C:\\tools\\run-tests.cmd';
    await expect(
      resolveProgram('run-tests', { os: 'windows', venv: 'C:\\v', cwd: 'C:\\w', which: batch }),
    ).rejects.toThrow(
      "Input 'test-command' runs C:\\tools\\run-tests.cmd, a batch file, which Windows can only run through cmd.exe",
    );
  });

  it('a command other than pytest is one test case, failed by its exit code, in a JUnit file', async () => {
    const script = path.join(dir, 'check.sh');
    writeFileSync(script, '#!/bin/sh\necho "checking $GREETING"\nexit 3\n');
    chmodSync(script, 0o755);
    const junit = path.join(dir, 'junit.xml');
    const { exitCode, report } = await runTestCommand(
      {
        os: 'linux',
        venv,
        words: [script, '<arg & "quoted">'],
        cwd: dir,
        junit,
        wheel: 'w.whl',
        environment: { GREETING: 'hi there' },
        which,
      },
      exec,
    );
    expect(exitCode).toBe(3);
    expect(report).toMatchObject({ tests: 1, failures: 1, passed: 0 });
    expect(report.cases[0]!.message).toBe('exit code 3');
    expect(report.cases[0]!.details).toContain('checking hi there');
    expect(readFileSync(junit, 'utf8')).toContain('&lt;arg &amp; &quot;quoted&quot;&gt;');
  });
});

describe('test-environment', () => {
  it('takes values verbatim (no expansion), one level of quotes dropped', () => {
    expect(parseTestEnvironment('A=$HOME\nB="x y"\nC=\'z\'\nD=a=b\n  E = spaced  ')).toEqual({
      variables: { A: '$HOME', B: 'x y', C: 'z', D: 'a=b', E: 'spaced' },
    });
    expect(parseTestEnvironment('virtual_env=x')).toMatchObject({
      problem: expect.stringContaining('sets virtual_env'),
    });
  });
});
