/**
 * The gain of a PGO build, measured on the training command itself: the plain wheel and the PGO
 * wheel each installed in a venv of its own, the command run alternately with each (plain, PGO,
 * plain, PGO, …, so a change in the machine's load hits both alike), wall time per run. The
 * ratio is PGO/plain of the medians. The noise threshold is the larger of 3 % and twice the runs'
 * relative spread (median absolute deviation / median, of the noisier side): a ratio inside it
 * is reported as "within noise", not as a gain.
 */
import { formatDuration } from '@ferrowheel/kit/summary';

export const MEASURE_RUNS = 5;
const NOISE_FLOOR = 0.03;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation over the median. */
export function relativeSpread(values: readonly number[]): number {
  const m = median(values);
  return m === 0 ? 0 : median(values.map((v) => Math.abs(v - m))) / m;
}

export interface Gain {
  plainMs: number[];
  pgoMs: number[];
  /** PGO median / plain median: below 1 is faster. */
  ratio: number;
  /** The relative threshold a difference must pass to count. */
  noise: number;
  verdict: 'faster' | 'slower' | 'within noise';
}

export function gainOf(plainMs: number[], pgoMs: number[]): Gain {
  const ratio = median(pgoMs) / median(plainMs);
  const noise = Math.max(NOISE_FLOOR, 2 * Math.max(relativeSpread(plainMs), relativeSpread(pgoMs)));
  const verdict = ratio < 1 - noise ? 'faster' : ratio > 1 + noise ? 'slower' : 'within noise';
  return { plainMs, pgoMs, ratio, noise, verdict };
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** One summary line, e.g. "PGO/plain 0.82× on the training (median of 5 runs each: 410 ms vs 500 ms): 18% faster …". */
export function describeGain(gain: Gain): string {
  const plain = formatDuration(median(gain.plainMs));
  const pgo = formatDuration(median(gain.pgoMs));
  const change =
    gain.verdict === 'within noise' ? 'within noise' : `${percent(Math.abs(1 - gain.ratio))} ${gain.verdict}`;
  return `PGO/plain ${gain.ratio.toFixed(2)}× on the training command (median of ${gain.pgoMs.length} interleaved runs each: ${pgo} PGO vs ${plain} plain): ${change}; noise threshold ±${percent(gain.noise)} (the larger of 3% and twice the runs' relative spread).`;
}
