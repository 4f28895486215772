/**
 * The files the build action ships beside its bundle and runs by path: the container's build and
 * chown scripts (shellcheck, Debian's, installed by scripts/ensure-docker.sh) and the default-Python
 * probe (ruff, pinned in scripts/requirements-tools.txt; run for real).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ruffCheck, shellcheck } from '@ferrowheel/harness/script-lint';
import { tool } from '@ferrowheel/harness/workdirs';
import { exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import { pythonVersionProbe } from '../src/build-host.js';
import { CONTAINER_BUILD_SCRIPT, CONTAINER_CHOWN_SCRIPT, CONTAINER_RUN_SCRIPT } from '../src/container.js';

describe('shipped scripts', () => {
  it.each([CONTAINER_BUILD_SCRIPT, CONTAINER_CHOWN_SCRIPT, CONTAINER_RUN_SCRIPT])(
    '%s passes shellcheck',
    (script) => {
      shellcheck(script);
    },
  );

  it("container-run.sh runs its argv as given, the venv's bin and cargo's first on PATH", async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'run-sh-'));
    const venv = path.join(home, 'venv');
    mkdirSync(path.join(venv, 'bin'), { recursive: true });
    const env = { PATH: '/usr/bin:/bin', HOME: home, VIRTUAL_ENV: venv };
    const printed = await exec('bash', [CONTAINER_RUN_SCRIPT, 'printenv', 'PATH'], { env, silent: true });
    expect(printed.stdout.trim().split(':').slice(0, 2)).toEqual([
      path.join(venv, 'bin'),
      path.join(home, '.cargo', 'bin'),
    ]);
    // Arguments reach the program as they are: no word splitting, no globbing.
    const echoed = await exec('bash', [CONTAINER_RUN_SCRIPT, 'printf', '%s|', 'a b', '*', '$HOME'], {
      env,
      silent: true,
    });
    expect(echoed.stdout).toBe('a b|*|$HOME|');
  });

  it('python-version.py passes ruff check and ruff format, and prints X.Y', async () => {
    ruffCheck(pythonVersionProbe());
    const python = tool('python');
    const { stdout } = await exec(python, [pythonVersionProbe()], { silent: true });
    const expected = execFileSync(python, ['--version'], { encoding: 'utf8' }).match(/(\d+\.\d+)/)?.[1];
    expect(stdout.trim()).toBe(expected);
  });
});
