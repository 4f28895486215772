#!/usr/bin/env node
// Runs every benchmark in scripts/bench/ (or those named) one after another. Benchmarks measure
// and print medians and ratios; they assert nothing about time.
// Usage: npm run bench [-- name ...]
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'stats.mjs')
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, '')));
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  execFileSync(process.execPath, [path.join(dir, bench)], { stdio: 'inherit' });
}
