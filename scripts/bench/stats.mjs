// Helpers every benchmark shares: run a command N times, report the median wall time.
import { spawnSync } from 'node:child_process';

/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs argv `runs` times (after one warm-up) and returns the median wall time in ms. */
export function timeCommand(argv, { runs = 15, env = process.env, cwd } = {}) {
  const once = () => {
    const start = performance.now();
    const result = spawnSync(argv[0], argv.slice(1), { env, cwd, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${argv.join(' ')} exited with ${result.status}`);
    return performance.now() - start;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

/** Prints a table of [label, ms] rows with ratios to the first row. */
export function report(rows) {
  const base = rows[0][1];
  for (const [label, ms] of rows) {
    console.log(
      `${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / base).toFixed(2).padStart(6)}x`,
    );
  }
}
