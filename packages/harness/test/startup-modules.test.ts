/**
 * What an action loads before it does anything: each bundle run as the runner runs it, stopping
 * on an input it rejects, with a preload that records the node built-ins it requires. Heavy
 * ones (crypto and zlib with node's stream stack, child_process, assert, http) load only on the
 * paths that use them, so start-up stays close to node's own (see `npm run bench`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { runAction } from '../src/run-action.js';
import { freshDir, repoRoot } from '../src/workdirs.js';

const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'record-builtins.cjs');

/** An input each action rejects while reading its inputs (as scripts/bench/startup.mjs uses). */
const REJECTED: Record<string, Record<string, string>> = {
  'setup-rust': { cache: 'maybe' },
  'setup-maturin': { version: 'bogus!' },
  build: { sdist: 'maybe' },
  test: { installer: 'conda' },
  publish: { 'dry-run': 'maybe' },
};

/** What each may load besides fs, os, path and module, and why. */
const ALSO: Record<string, string[]> = {
  // Actions with a post step save a state at once (runner.ts), and @actions/core's file
  // commands need crypto's randomUUID for the heredoc delimiter.
  'setup-rust': ['crypto', 'url'], // url: the problem matcher's path (matcher.ts)
  build: ['crypto'],
  // publish/src/archive.ts imports zlib statically (publish's own module; could be lazy too).
  publish: ['zlib'],
  // url: fileURLToPath for the probe shipped beside the bundle (interpreter.ts) and for file:
  // requirements; node's URL code is loaded at boot, the public module only wraps it.
  test: ['url'],
};

describe.each(Object.keys(REJECTED))('%s start-up', (action) => {
  it('loads no heavy node built-in before it reads its inputs', async () => {
    const record = path.join(freshDir('builtins'), 'loaded.txt');
    const run = await runAction(action, {
      inputs: REJECTED[action]!,
      env: { NODE_OPTIONS: `--require ${preload}`, RECORD_BUILTINS: record },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^Input '/);
    const loaded = readFileSync(record, 'utf8').split('\n');
    const allowed = ['fs', 'os', 'path', 'module', ...(ALSO[action] ?? [])];
    expect(loaded.filter((m) => !allowed.includes(m))).toEqual([]);
    expect(loaded).not.toContain('child_process');
  });
});

describe.each(['build', 'publish'])('%s start-up', (action) => {
  it("holds none of the audit in its entry chunk: kit's audit and binary readers load only when it audits", () => {
    const dist = path.join(repoRoot, 'actions', action, 'dist');
    const markers = ['ferrowheel-audit-tools', 'is not an ELF, Mach-O or PE binary', 'auditwheel'];
    expect(readFileSync(path.join(dist, 'index.js'), 'utf8')).not.toMatch(new RegExp(markers.join('|')));
    // ... and they are in the bundle, in a chunk of their own (or the markers say nothing).
    const chunks = readdirSync(dist).filter((f) => /^\d+\.index\.js$/.test(f));
    const audit = chunks.filter((f) =>
      markers.every((m) => readFileSync(path.join(dist, f), 'utf8').includes(m)),
    );
    expect(audit).toHaveLength(1);
  });
});
