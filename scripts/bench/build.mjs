#!/usr/bin/env node
// Cold vs warm build of examples/setup through the build action's bundle (actions/build/dist),
// with the real maturin/cargo and the cargo cache on a local v1 cache service (the harness's
// cache-server.ts, transpiled on the fly with the repository's TypeScript).
// - cold: empty CARGO_HOME and target dir (crates downloaded and compiled), then the post step
//   saves the cache;
// - warm: the same paths emptied again (a fresh runner), the cache restored, the build run.
// Prints the median wall time of each (main step only) and warm/cold. Asserts nothing.
// Usage: node scripts/bench/build.mjs   (BENCH_RUNS=n for more than 3 pairs)
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs, median, runBundle } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const toolsBin = path.join(root, '.venv-tools', 'bin');

const { startCacheServer } = await importTs(path.join(root, 'packages', 'harness', 'src', 'cache-server.ts'));
const cold = [];
const warm = [];
for (let i = 0; i < runs; i++) {
  const server = await startCacheServer();
  const base = mkdtempSync(path.join(tmpdir(), 'bench-build-'));
  const workspace = path.join(base, 'ws');
  cpSync(path.join(root, 'examples', 'setup'), path.join(workspace, 'setup'), {
    recursive: true,
    filter: (src) => !src.split(path.sep).includes('target'),
  });
  const cargoHome = path.join(base, 'cargo-home');
  const targetDir = path.join(base, 'target');
  const env = { ...process.env, PATH: `${toolsBin}${path.delimiter}${process.env.PATH}` };
  for (const key of Object.keys(env))
    if (/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(key)) delete env[key];
  Object.assign(env, { CARGO_HOME: cargoHome, CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: 'never' });
  for (const [k, v] of Object.entries(server.env)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }

  const coldRun = await runBundle({ workspace, env });
  if (coldRun.outputs['cache-hit'] !== 'false') throw new Error('the cold build hit a cache');
  await runBundle({ workspace, env, state: coldRun.state });
  rmSync(targetDir, { recursive: true, force: true });
  rmSync(cargoHome, { recursive: true, force: true });
  rmSync(path.join(workspace, 'setup', 'dist'), { recursive: true, force: true });
  const warmRun = await runBundle({ workspace, env });
  if (warmRun.outputs['cache-hit'] !== 'true')
    throw new Error(`the warm build missed the cache:\n${warmRun.log}`);
  cold.push(coldRun.ms);
  warm.push(warmRun.ms);
  console.log(
    `run ${i + 1}: cold ${(coldRun.ms / 1000).toFixed(1)} s, warm ${(warmRun.ms / 1000).toFixed(1)} s`,
  );
  await server.close();
  rmSync(base, { recursive: true, force: true });
}
const coldMs = median(cold);
const warmMs = median(warm);
console.log(`examples/setup cold build (median of ${runs})    ${(coldMs / 1000).toFixed(1).padStart(6)} s`);
console.log(`examples/setup warm build (median of ${runs})    ${(warmMs / 1000).toFixed(1).padStart(6)} s`);
console.log(
  `warm / cold                                ${(warmMs / coldMs).toFixed(2).padStart(8)} (goal <= 0.15)`,
);
