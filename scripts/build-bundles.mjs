#!/usr/bin/env node
// Builds every action's bundle with @vercel/ncc: actions/<name>/src/main.ts → actions/<name>/dist/.
// With --check, builds into a temporary directory and fails when any committed dist/ differs, so
// a source change without a rebuilt, committed bundle cannot land. Types are checked once by
// `tsc` (npm run typecheck), so ncc only transpiles (--transpile-only): faster, and one stray type
// error elsewhere in the repository cannot break every bundle.
// Usage: node scripts/build-bundles.mjs [--check] [action ...]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const stale = [];
for (const name of actions) {
  const dir = path.join(root, 'actions', name);
  const out = check ? mkdtempSync(path.join(tmpdir(), `ferrowheel-dist-${name}-`)) : path.join(dir, 'dist');
  if (!check) rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
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
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (check) {
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
    if (differs) stale.push(name);
    rmSync(out, { recursive: true, force: true });
  } else {
    console.log(`built actions/${name}/dist (${listFiles(out).length} files)`);
  }
}
if (stale.length > 0) {
  console.error(
    `dist/ is out of date for: ${stale.join(', ')}.\nRun 'npm run build' and commit the actions/*/dist changes.`,
  );
  process.exit(1);
}
if (check) console.log(`dist/ is up to date for ${actions.length} action(s).`);
