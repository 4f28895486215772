#!/usr/bin/env node
// Cold vs warm container build of examples/setup through the build action's bundle
// (actions/build/dist) with `container: <the local test image>`, the real docker engine and the
// cargo cache on a local v1 cache service; the answer to maturin-action#53 in numbers.
// - cold: empty CARGO_HOME (crates fetched on the host: containers have no network) and target
//   dir, so everything compiles in the container; the post step saves the cache;
// - warm: the same paths emptied again (a fresh runner), the cache restored, the build run.
// Prints the median wall time of each (main step only) and warm/cold (goal <= 0.2). Asserts
// nothing about time.
// The image is the container tests' (packages/harness/src/docker-images.ts), built through the
// harness's test when missing; FERROWHEEL_TEST_IMAGE names another.
// Usage: node scripts/bench/container-build.mjs   (BENCH_RUNS=n for more than 3 pairs)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs, median, runBundle } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const toolsBin = path.join(root, '.venv-tools', 'bin');

function newestTestImage() {
  return execFileSync(
    'docker',
    ['images', 'ferrowheel-test/manylinux', '--format', '{{.Repository}}:{{.Tag}}'],
    {
      encoding: 'utf8',
    },
  )
    .split('\n')
    .find((l) => l.trim() !== '');
}

function testImage() {
  if (process.env.FERROWHEEL_TEST_IMAGE) return process.env.FERROWHEEL_TEST_IMAGE;
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore' });
  } catch {
    console.error('No docker engine answers. Start one (as root): bash scripts/ensure-docker.sh');
    process.exit(1);
  }
  if (!newestTestImage()) {
    // The harness's own test builds it (debootstrap + docker import, about two minutes).
    console.log('building the test image (packages/harness/test/docker-images.test.ts)');
    execFileSync(
      process.execPath,
      [
        '--experimental-vm-modules',
        'node_modules/jest/bin/jest.js',
        'packages/harness/test/docker-images.test.ts',
      ],
      { cwd: root, stdio: 'inherit' },
    );
  }
  return newestTestImage();
}

const image = testImage();
const { startCacheServer } = await importTs(path.join(root, 'packages', 'harness', 'src', 'cache-server.ts'));
const cold = [];
const warm = [];
for (let i = 0; i < runs; i++) {
  const server = await startCacheServer();
  const base = mkdtempSync(path.join(tmpdir(), 'bench-container-'));
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
  Object.assign(env, {
    CARGO_HOME: cargoHome,
    CARGO_TARGET_DIR: targetDir,
    CARGO_TERM_COLOR: 'never',
    CARGO_NET_OFFLINE: 'true',
  });
  for (const [k, v] of Object.entries(server.env)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const inputs = { 'working-directory': 'setup', container: image };
  const fetch = () =>
    execFileSync('cargo', ['fetch', '--locked'], {
      cwd: path.join(workspace, 'setup'),
      env: { ...env, CARGO_NET_OFFLINE: 'false' },
      stdio: 'ignore',
    });

  fetch();
  const coldRun = await runBundle({ workspace, env, inputs });
  if (coldRun.outputs['cache-hit'] !== 'false') throw new Error('the cold build hit a cache');
  await runBundle({ workspace, env, inputs, state: coldRun.state });
  rmSync(targetDir, { recursive: true, force: true });
  rmSync(cargoHome, { recursive: true, force: true });
  rmSync(path.join(workspace, 'setup', 'dist'), { recursive: true, force: true });
  const warmRun = await runBundle({ workspace, env, inputs });
  if (warmRun.outputs['cache-hit'] !== 'true')
    throw new Error(`the warm build missed the cache:\n${warmRun.log}`);
  const compiled = [...warmRun.log.matchAll(/^\s*Compiling (\S+) v/gm)].map((m) => m[1]);
  cold.push(coldRun.ms);
  warm.push(warmRun.ms);
  console.log(
    `run ${i + 1}: cold ${(coldRun.ms / 1000).toFixed(1)} s, warm ${(warmRun.ms / 1000).toFixed(1)} s (warm compiled: ${compiled.join(', ')})`,
  );
  await server.close();
  rmSync(base, { recursive: true, force: true });
}
const coldMs = median(cold);
const warmMs = median(warm);
console.log(`image: ${image}`);
console.log(
  `examples/setup cold container build (median of ${runs}) ${(coldMs / 1000).toFixed(1).padStart(6)} s`,
);
console.log(
  `examples/setup warm container build (median of ${runs}) ${(warmMs / 1000).toFixed(1).padStart(6)} s`,
);
console.log(
  `warm / cold                                     ${(warmMs / coldMs).toFixed(2).padStart(8)} (goal <= 0.2)`,
);
