/**
 * The matrix command's slow jest files, which `npm test` runs in part or not at all:
 * - `--parity`: every run of the test action's parity table
 *   (actions/test/test/integration/container-parity.test.ts, FERROWHEEL_PARITY=all), on the
 *   runner and in a container of the amd64 stand-in; `npm test` makes the two runs most cases use.
 * - `--act`: build-wheels.yml on the emulated and musl legs under act
 *   (packages/harness/test/integration/act-linux-legs.test.ts, FERROWHEEL_ACT_LEGS=1).
 * - `--act-all`: build-wheels.yml with `platforms: linux musllinux` (all ten Linux legs) and
 *   CPython 3.13 under act (packages/harness/test/integration/act-all-linux-legs.test.ts,
 *   FERROWHEEL_ACT_ALL_LEGS=1).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../packages/harness/src/workdirs.js';

const SUITES = {
  parity: {
    file: 'actions/test/test/integration/container-parity.test.ts',
    env: { FERROWHEEL_PARITY: 'all' },
  },
  act: {
    file: 'packages/harness/test/integration/act-linux-legs.test.ts',
    env: { FERROWHEEL_ACT_LEGS: '1' },
  },
  'act-all': {
    file: 'packages/harness/test/integration/act-all-linux-legs.test.ts',
    env: { FERROWHEEL_ACT_ALL_LEGS: '1' },
  },
};

/** Runs the suite's jest file; resolves to jest's exit code. */
export function runSlowSuite(suite: keyof typeof SUITES): Promise<number> {
  const { file, env } = SUITES[suite];
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--experimental-vm-modules', path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'), file],
      { cwd: repoRoot, env: { ...process.env, ...env }, stdio: 'inherit' },
    );
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
