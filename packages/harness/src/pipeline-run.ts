/**
 * `npm run pipeline` for real in tests: scripts/pipeline.ts under tsx, as `npm run pipeline` runs
 * it, with its own work dir and the copies' shared cargo target dir (pyo3 compiles once;
 * workdirs.ts says why copies and examples/ are kept apart).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cargoTargetDir, freshDir, repoRoot } from './workdirs.js';

export async function runPipeline(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; lines: string[] }> {
  const child = spawn(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/pipeline.ts', ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      FERROWHEEL_PIPELINE_DIR: freshDir('pipeline'),
      CARGO_TARGET_DIR: cargoTargetDir('copies'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  return { code, out, lines: out.trimEnd().split('\n') };
}
