/**
 * `npm run matrix -- --parity`: every run of the test action's parity table
 * (actions/test/test/integration/container-parity.test.ts), on the runner and in a container of
 * the amd64 stand-in, with the same expectations; `npm test` makes only the two runs most of its
 * cases use. The table's own jest file, with FERROWHEEL_PARITY=all.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../packages/harness/src/workdirs.js';

export function runParity(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--experimental-vm-modules',
        path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
        'actions/test/test/integration/container-parity.test.ts',
      ],
      { cwd: repoRoot, env: { ...process.env, FERROWHEEL_PARITY: 'all' }, stdio: 'inherit' },
    );
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
