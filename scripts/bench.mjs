#!/usr/bin/env node
// `npm run bench [-- name ...] [--runs N] [--load "what else ran"]`: runs the benchmarks in
// scripts/bench/ (all, or those named), prints their medians and ratios with the machine they ran
// on, and writes them to scripts/bench/results.json, from which the README's table is generated.
// Benchmarks measure; they assert nothing about time.
//
// A benchmark is a module in scripts/bench/ exporting
//   export const bench = { id, title, async run({ runs }) { return [row(…), …]; } };
// (rows from lib/stats.mjs `row`, or `unmeasured` for a measure that cannot be taken here, with
// why). The ones below run first, in this order; any other module in scripts/bench/ that exports
// `bench` plugs in after them by itself.
// Runs under tsx (package.json), so benchmarks use the harness's TypeScript (runAction, servers).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readResults, renderTable, resultsFile, writeResults } from './bench/lib/results.mjs';
import { machine } from './bench/lib/stats.mjs';

const ORDER = ['startup', 'setup-maturin', 'build', 'container-build', 'pgo', 'test-install', 'pipeline'];

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const runs = option('--runs');
const underLoad = option('--load');
const only = args;

const found = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => f.replace(/\.mjs$/, ''))
  .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
const unknown = only.filter((name) => !found.includes(name));
if (unknown.length > 0) {
  console.error(`No benchmark ${unknown.join(', ')} in scripts/bench/ (there are: ${found.join(', ')}).`);
  process.exit(2);
}

const info = machine();
console.log(
  `Machine: ${info.cpus} × ${info.cpu}, ${info.memory}, ${info.os}, node ${info.node}, load ${info.loadAverage.join(' ')}`,
);
// Rows of benchmarks not run this time are kept from the last results file; the file (and the
// README table) is rewritten after each benchmark, so a failure late in a long run loses nothing.
const previous = existsSync(resultsFile) ? readResults() : { rows: [] };
const rows = [];
const ran = [];
let results = previous;
const save = () => {
  results = {
    date: new Date().toISOString().slice(0, 10),
    machine: info,
    ...(underLoad ? { underLoad } : {}),
    rows: [...previous.rows.filter((r) => !ran.includes(r.bench)), ...rows].sort(
      (x, y) => (ORDER.indexOf(x.bench) + 1 || 99) - (ORDER.indexOf(y.bench) + 1 || 99),
    ),
  };
  writeResults(results);
};
for (const name of found.filter((n) => only.length === 0 || only.includes(n))) {
  const module = await import(pathToFileURL(path.join(dir, `${name}.mjs`)).href);
  if (!module.bench) continue;
  console.log(`\n== ${name}: ${module.bench.title}`);
  const started = performance.now();
  const result = await module.bench.run(runs ? { runs: Number(runs) } : {});
  for (const r of result) {
    if (r.unmeasured !== undefined) {
      console.log(`  ${r.what.padEnd(60)} not measured: ${r.unmeasured}`);
      continue;
    }
    const ratio =
      r.ratio === undefined
        ? ''
        : `  ${r.ratio.toFixed(2)}× ${r.against}${r.goal === undefined ? '' : ` (goal ≤ ${r.goal})`}`;
    const value =
      r.unit === 'ms' && r.median >= 1000 ? `${(r.median / 1000).toFixed(1)} s` : `${r.median} ${r.unit}`;
    console.log(`  ${r.what.padEnd(60)} ${value.padStart(10)}${ratio}`);
  }
  console.log(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  rows.push(...result);
  ran.push(module.bench.id);
  save();
}
console.log(
  `\n${renderTable(results)}\n\nWrote ${path.relative(process.cwd(), resultsFile)} and the table in README.md.`,
);
