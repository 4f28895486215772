#!/usr/bin/env node
// Benchmarks setup-maturin's bundle as the runner runs it (node dist/index.js):
//   - a tool-cache hit (the common case once a runner has maturin) against bare `node -e 0` and
//     against running `maturin --version` directly: the action's own overhead;
//   - a fresh install (download from PyPI, verify, extract) against that cache hit;
//   - for scale, a hello-world action that only imports @actions/core and sets an output, bundled
//     the same way: the floor for any action on @actions/core 3 (it pulls in an HTTP client).
// Prints medians and ratios. Usage: node scripts/bench/setup-maturin.mjs [hit-runs] [fresh-runs]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = path.join(root, 'actions', 'setup-maturin', 'dist', 'index.js');
const hitRuns = Number(process.argv[2] ?? 21);
const freshRuns = Number(process.argv[3] ?? 3);
// Outside the repository: a run that fails half-way must not leave files biome or jest would read.
const work = mkdtempSync(path.join(tmpdir(), 'ferrowheel-bench-'));
const base = mkdtempSync(path.join(work, 'setup-maturin-'));
const workspace = path.join(base, 'ws');
mkdirSync(workspace);
writeFileSync(
  path.join(workspace, 'pyproject.toml'),
  '[build-system]\nrequires = ["maturin>=1.6,<2.0"]\nbuild-backend = "maturin"\n',
);

// The hello-world reference, bundled with ncc like the real bundles (built once per run).
const helloDir = mkdtempSync(path.join(work, 'hello-'));
const helloSrc = path.join(root, 'actions', 'setup-maturin', `.bench-hello-${process.pid}.mjs`);
writeFileSync(helloSrc, "import * as core from '@actions/core';\ncore.setOutput('x', 'y');\n");
try {
  spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js'),
      'build',
      helloSrc,
      '--out',
      helloDir,
      '--minify',
      '--quiet',
      '--target',
      'es2022',
    ],
    { stdio: 'inherit' },
  );
} finally {
  rmSync(helloSrc, { force: true });
}
// An .mjs entry makes ncc emit index.mjs (ESM without a package.json beside it).
const hello = path.join(helloDir, 'index.mjs');

function actionEnv(toolCache) {
  const files = mkdtempSync(path.join(base, 'run-'));
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(INPUT_|GITHUB_|RUNNER_)/.test(key)) delete env[key];
  for (const f of ['output', 'path', 'env', 'state', 'summary']) writeFileSync(path.join(files, f), '');
  return {
    env: {
      ...env,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: path.join(files, 'output'),
      GITHUB_PATH: path.join(files, 'path'),
      GITHUB_ENV: path.join(files, 'env'),
      GITHUB_STATE: path.join(files, 'state'),
      GITHUB_STEP_SUMMARY: path.join(files, 'summary'),
      RUNNER_TEMP: files,
      RUNNER_TOOL_CACHE: toolCache,
    },
    files,
  };
}

function time(program, args, env = process.env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(program, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`${program} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return { ms, stdout: result.stdout };
}

function runAction(toolCache) {
  const { env, files } = actionEnv(toolCache);
  const { ms } = time(process.execPath, [bundle], env);
  const outputs = readFileSync(path.join(files, 'output'), 'utf8');
  const method = /method<<(\S+)\n(.*)\n/.exec(outputs)?.[2];
  const program = /path<<(\S+)\n(.*)\n/.exec(outputs)?.[2];
  return { ms, method, program };
}

// Fresh installs, each into an empty tool cache.
const fresh = [];
let toolCache;
let program;
for (let i = 0; i < freshRuns; i++) {
  toolCache = mkdtempSync(path.join(base, 'tc-'));
  const run = runAction(toolCache);
  if (run.method !== 'wheel') throw new Error(`expected a wheel install, got ${run.method}`);
  fresh.push(run.ms);
  program = run.program;
}

// Cache hits, interleaved with the baselines so load changes hit all three alike.
const hits = [];
const bare = [];
const direct = [];
const helloRuns = [];
for (let i = 0; i < hitRuns; i++) {
  helloRuns.push(time(process.execPath, [hello], actionEnv(toolCache).env).ms);
  const run = runAction(toolCache);
  if (run.method !== 'tool-cache') throw new Error(`expected a cache hit, got ${run.method}`);
  hits.push(run.ms);
  bare.push(time(process.execPath, ['-e', '0']).ms);
  direct.push(time(program, ['--version']).ms);
}
rmSync(base, { recursive: true, force: true });
rmSync(work, { recursive: true, force: true });

const m = {
  hit: median(hits),
  bare: median(bare),
  direct: median(direct),
  fresh: median(fresh),
  hello: median(helloRuns),
};
const f = (x) => `${x.toFixed(1)} ms`;
console.log(
  `setup-maturin benchmark (node ${process.version}; medians of ${hitRuns} cache hits, ${freshRuns} fresh installs)`,
);
console.log(`  node -e 0                     ${f(m.bare)}`);
console.log(`  maturin --version (direct)    ${f(m.direct)}`);
console.log(`  hello-world @actions/core     ${f(m.hello)}   (${(m.hello / m.bare).toFixed(2)}x node -e 0)`);
console.log(
  `  setup-maturin, tool-cache hit ${f(m.hit)}   (${(m.hit / m.bare).toFixed(2)}x node -e 0, overhead ${f(m.hit - m.bare)}; ${(m.hit / m.hello).toFixed(2)}x hello-world; ${(m.hit / m.direct).toFixed(1)}x maturin --version)`,
);
console.log(
  `  setup-maturin, fresh install  ${f(m.fresh)}   (${(m.fresh / m.hit).toFixed(1)}x the cache hit)`,
);
