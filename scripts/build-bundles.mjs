#!/usr/bin/env node
// Builds every action's bundle with @vercel/ncc: actions/<name>/src/main.ts → actions/<name>/dist/.
// With --check, builds into a temporary directory and fails when any committed dist/ differs, so
// a source change without a rebuilt, committed bundle cannot land. Types are checked once by
// `tsc` (npm run typecheck), so ncc only transpiles (--transpile-only): faster, and one stray type
// error elsewhere in the repository cannot break every bundle.
// Usage: node scripts/build-bundles.mjs [--check] [action ...]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((a) => !a.startsWith('--'));
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const actions = readdirSync(path.join(root, 'actions')).filter(
  (name) =>
    existsSync(path.join(root, 'actions', name, 'src', 'main.ts')) &&
    (only.length === 0 || only.includes(name)),
);

const unknown = only.filter((name) => !actions.includes(name));
if (unknown.length > 0) {
  // Otherwise a typo builds (or checks) nothing and still exits 0.
  console.error(
    `No action named ${unknown.join(', ')} (no actions/<name>/src/main.ts). Use one of: ${readdirSync(path.join(root, 'actions')).join(', ')}.`,
  );
  process.exit(1);
}

/** Files git tracks under `dir` (relative, sorted), or undefined outside a git checkout. */
function trackedFiles(dir) {
  try {
    const out = execFileSync('git', ['ls-files', '--', '.'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out
      .split('\n')
      .filter((f) => f !== '')
      .sort();
  } catch {
    return undefined;
  }
}

function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${entry}/`) : [`${prefix}${entry}`];
  });
}

/** Builds one action's bundle into `out` with ncc; resolves when ncc exits 0. */
function nccBuild(dir, out) {
  const args = [
    ncc,
    'build',
    path.join(dir, 'src', 'main.ts'),
    '--out',
    out,
    '--minify',
    '--no-source-map-register',
    '--quiet',
    '--target',
    'es2022',
    '--transpile-only',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ncc failed for ${path.relative(root, dir)} (exit ${code})`)),
    );
  });
}

/** Builds (or, with --check, rebuilds and compares) one action; returns whether its dist/ is stale. */
async function bundle(name) {
  const dir = path.join(root, 'actions', name);
  const out = check ? mkdtempSync(path.join(tmpdir(), `ferrowheel-dist-${name}-`)) : path.join(dir, 'dist');
  if (!check) rmSync(out, { recursive: true, force: true });
  await nccBuild(dir, out);
  if (!check) {
    console.log(`built actions/${name}/dist (${listFiles(out).length} files)`);
    return false;
  }
  const committed = path.join(dir, 'dist');
  const fresh = listFiles(out).sort();
  const existing = listFiles(committed).sort();
  // Compare with what git tracks too: a chunk file that exists here but is ignored or not
  // added would be missing from every checkout of the action.
  const tracked = trackedFiles(committed);
  const differs =
    fresh.join('\n') !== existing.join('\n') ||
    (tracked !== undefined && fresh.join('\n') !== tracked.join('\n')) ||
    fresh.some((f) => !readFileSync(path.join(out, f)).equals(readFileSync(path.join(committed, f))));
  rmSync(out, { recursive: true, force: true });
  return differs;
}

// One ncc per core at a time: each bundle is its own process, and the outputs do not depend on
// the order (GitHub's runners have 4 cores; a 2-core machine halves the wall time).
const pending = [...actions];
const stale = [];
const workers = Array.from({ length: Math.min(availableParallelism(), actions.length) }, async () => {
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    if (await bundle(name)) stale.push(name);
  }
});
try {
  await Promise.all(workers);
} catch (thrown) {
  console.error(thrown instanceof Error ? thrown.message : String(thrown));
  process.exit(1);
}
stale.sort();
if (stale.length > 0) {
  console.error(
    `dist/ is out of date for: ${stale.join(', ')}.\nRun 'npm run build' and commit the actions/*/dist changes.`,
  );
  process.exit(1);
}
if (check) console.log(`dist/ is up to date for ${actions.length} action(s).`);
