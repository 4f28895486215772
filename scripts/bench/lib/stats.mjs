// The one statistics and timing module of the benchmarks: medians, interleaved rounds, a process
// timer that spawns exactly as the harness's runAction does (so `node -e 0` and a bundle are timed
// alike), and a description of the machine. Benchmarks measure; they assert nothing about time.
import { spawn } from 'node:child_process';
import os from 'node:os';

/** Median of numbers. */
export function median(values) {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median, min and max of a sample. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/**
 * Wall time of one process in ms, spawned as runAction spawns a bundle (stdio piped and read).
 * Rejects when it exits non-zero, unless `allowFailure`.
 */
export function timeProcess(argv, { env = process.env, cwd, allowFailure = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0 && !allowFailure) reject(new Error(`${argv.join(' ')} exited with ${code}:\n${output}`));
      else resolve(ms);
    });
  });
}

/**
 * Runs every case once per round, round after round (after `warmup` rounds), so that load from
 * other processes falls on all cases alike and the ratios stay meaningful. A case is
 * `{ label, fn }` where `fn` resolves to milliseconds. Returns `{ [label]: summarize(samples) }`.
 */
export async function interleaved(cases, { runs, warmup = 1 }) {
  for (let i = 0; i < warmup; i++) for (const c of cases) await c.fn();
  const samples = Object.fromEntries(cases.map((c) => [c.label, []]));
  for (let round = 0; round < runs; round++) {
    for (const c of cases) samples[c.label].push(await c.fn());
  }
  return Object.fromEntries(cases.map((c) => [c.label, summarize(samples[c.label])]));
}

/**
 * A result row: a measure and, optionally, the baseline it is compared with.
 * `goal` is the ratio to stay at or under, when there is one.
 */
export function row({ bench, what, sample, against, baseline, goal, unit = 'ms' }) {
  const result = { bench, what, unit, median: round(sample.median), runs: sample.runs };
  if (against !== undefined) {
    result.against = against;
    result.baseline = round(baseline.median ?? baseline);
    result.ratio = Number((sample.median / (baseline.median ?? baseline)).toFixed(2));
  }
  if (goal !== undefined) result.goal = goal;
  return result;
}

/**
 * A row for a measure that could not be taken this time (no docker engine, say): `why` takes the
 * place of the numbers, so the table says so instead of showing a stale or made-up time.
 */
export function unmeasured({ bench, what, why, against, goal, unit = 'ms' }) {
  const result = { bench, what, unit, unmeasured: why };
  if (against !== undefined) result.against = against;
  if (goal !== undefined) result.goal = goal;
  return result;
}

function round(ms) {
  return Number(ms.toFixed(1));
}

/** What the numbers were measured on. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu: cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown',
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}
