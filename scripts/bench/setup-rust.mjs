#!/usr/bin/env node
// Benchmarks setup-rust with nothing to install and the cache off: the built bundle as the runner
// runs it, against bare `node -e 0` and the raw commands it stands for (`rustc -vV`, `cargo -V`,
// `rustup show`). Prints the median of each and the ratios.
// Usage: node scripts/bench/setup-rust.mjs [runs]   (build first: node scripts/build-bundles.mjs setup-rust)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundle = path.join(root, 'actions', 'setup-rust', 'dist', 'index.js');
const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 21);
const warmup = 2;

function time(program, args, env = process.env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${program} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return ms;
}

function actionEnv(inputs) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-setup-rust-'));
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(INPUT_|STATE_|GITHUB_|ACTIONS_)/.test(key)) delete env[key];
  delete env.RUSTUP_TOOLCHAIN;
  for (const f of ['output', 'env', 'path', 'state', 'summary']) writeFileSync(path.join(dir, f), '');
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
  });
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { env, dir };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs every case once per round, round after round, so that load from other processes on a
 * shared machine falls on all cases alike and the ratios stay meaningful.
 */
function measureAll(cases) {
  for (let i = 0; i < warmup; i++) for (const c of cases) c.fn();
  const samples = cases.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (const [i, c] of cases.entries()) samples[i].push(c.fn());
  }
  return cases.map((c, i) => ({ label: c.label, median: median(samples[i]), min: Math.min(...samples[i]) }));
}

function actionRun(inputs) {
  return () => {
    const { env, dir } = actionEnv(inputs);
    try {
      return time(process.execPath, [bundle], env);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const results = measureAll([
  { label: 'node -e 0', fn: () => time(process.execPath, ['-e', '0']) },
  { label: 'rustc -vV', fn: () => time('rustc', ['-vV']) },
  { label: 'cargo -V', fn: () => time('cargo', ['-V']) },
  { label: 'rustup show', fn: () => time('rustup', ['show']) },
  { label: 'setup-rust (cache off)', fn: actionRun({ cache: 'false' }) },
  {
    label: 'setup-rust (cache off, targets + components checked)',
    fn: actionRun({ cache: 'false', targets: 'x64', components: 'clippy rustfmt' }),
  },
]);

const by = Object.fromEntries(results.map((r) => [r.label, r.median]));
const node = by['node -e 0'];
const raw = by['rustc -vV'] + by['cargo -V'] + by['rustup show'];
const action = by['setup-rust (cache off)'];

console.log(
  `setup-rust benchmark: median of ${runs} interleaved rounds (after ${warmup} warm-up rounds), milliseconds\n`,
);
const width = Math.max(...results.map((r) => r.label.length));
for (const r of results) {
  console.log(
    `${r.label.padEnd(width)}  median ${r.median.toFixed(1).padStart(7)}  min ${r.min.toFixed(1).padStart(7)}`,
  );
}
console.log('');
console.log(`raw commands, one after another (rustc -vV + cargo -V + rustup show): ${raw.toFixed(1)} ms`);
console.log(`setup-rust / node -e 0:                    ${(action / node).toFixed(2)}x`);
console.log(`setup-rust / (node -e 0 + raw commands):   ${(action / (node + raw)).toFixed(2)}x`);
console.log(`setup-rust overhead over node -e 0:        ${(action - node).toFixed(1)} ms`);
console.log(`setup-rust overhead over node + raw:       ${(action - node - raw).toFixed(1)} ms`);
