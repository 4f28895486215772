/**
 * The files the build action ships beside its bundle and runs by path: the container's build and
 * chown scripts (shellcheck, Debian's, installed by scripts/ensure-docker.sh) and the default-Python
 * probe (ruff, pinned in scripts/requirements-tools.txt; run for real).
 */
import { execFileSync } from 'node:child_process';
import { ruffCheck, shellcheck } from '@ferrowheel/harness/script-lint';
import { tool } from '@ferrowheel/harness/workdirs';
import { exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import { pythonVersionProbe } from '../src/build-host.js';
import { CONTAINER_BUILD_SCRIPT, CONTAINER_CHOWN_SCRIPT } from '../src/container.js';

describe('shipped scripts', () => {
  it.each([CONTAINER_BUILD_SCRIPT, CONTAINER_CHOWN_SCRIPT])('%s passes shellcheck', (script) => {
    shellcheck(script);
  });

  it('python-version.py passes ruff check and ruff format, and prints X.Y', async () => {
    ruffCheck(pythonVersionProbe());
    const python = tool('python');
    const { stdout } = await exec(python, [pythonVersionProbe()], { silent: true });
    const expected = execFileSync(python, ['--version'], { encoding: 'utf8' }).match(/(\d+\.\d+)/)?.[1];
    expect(stdout.trim()).toBe(expected);
  });
});
