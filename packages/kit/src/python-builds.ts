/**
 * What happened to each interpreter of a build leg, typed: the build action's `python-builds`
 * output, which build-wheels.yml hands to the plan action's record mode, whose summary turns each
 * into its row. A build leg whose free-threaded call failed still built, uploaded and tested its
 * GIL wheels; these records say which version failed and why, so the summary never has to guess
 * from the leg's one-word outcome or read a reason out of a message.
 */
import { fail, ok, type Result } from './result.js';

export type PythonBuildFailure =
  /** Preflight: the project's PyO3 cannot build this version; nothing was compiled for it. */
  | { kind: 'pyo3-unsupported'; pyo3: string; message: string }
  /** Its maturin call failed: the exit code and the known failures diagnosed in its log. */
  | { kind: 'maturin-failed'; exitCode: number; known: string[]; message: string }
  /** Its maturin call succeeded, but no wheel for it appeared. */
  | { kind: 'no-wheel'; message: string }
  /** Not attempted: the call of the GIL-enabled versions failed first. */
  | { kind: 'not-attempted'; message: string };

export type PythonBuild =
  | { python: string; outcome: 'built'; wheels: string[] }
  | { python: string; outcome: 'failed'; failure: PythonBuildFailure };

const FAILURE_KINDS: readonly PythonBuildFailure['kind'][] = [
  'pyo3-unsupported',
  'maturin-failed',
  'no-wheel',
  'not-attempted',
];

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isFailure(value: unknown): value is PythonBuildFailure {
  if (value === null || typeof value !== 'object') return false;
  const f = value as Record<string, unknown>;
  if (!FAILURE_KINDS.includes(f.kind as PythonBuildFailure['kind']) || typeof f.message !== 'string')
    return false;
  if (f.kind === 'pyo3-unsupported') return typeof f.pyo3 === 'string';
  if (f.kind === 'maturin-failed') return typeof f.exitCode === 'number' && isStringList(f.known);
  return true;
}

function isPythonBuild(value: unknown): value is PythonBuild {
  if (value === null || typeof value !== 'object') return false;
  const b = value as Record<string, unknown>;
  if (typeof b.python !== 'string') return false;
  if (b.outcome === 'built') return isStringList(b.wheels);
  return b.outcome === 'failed' && isFailure(b.failure);
}

/** The `python-builds` JSON, checked entry by entry ('' is no entries: an older build action). */
export function parsePythonBuilds(text: string): Result<PythonBuild[]> {
  if (text.trim() === '') return ok([]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('is not JSON');
  }
  if (!Array.isArray(value)) return fail('is not a JSON list');
  const bad = value.findIndex((entry) => !isPythonBuild(entry));
  if (bad !== -1) return fail(`has an entry (#${bad + 1}) that is not a python build record`);
  return ok(value as PythonBuild[]);
}
