/**
 * Which CPython versions to build and test: by default every one that `requires-python` admits,
 * that is not end-of-life and that the runners offer; abi3 projects build once (the oldest) and
 * test the oldest and the newest; free-threaded builds (`3.14t`) for projects that are not abi3.
 */

import { admitsMinor } from '@ferrowheel/kit/pep440';
import { fail, ok, type Result } from '@ferrowheel/kit/result';
import type { NotBuiltReason } from './row-states.js';

/**
 * CPython versions setup-python and the manylinux images offer that have not reached end of
 * life, oldest first. Update when one reaches end of life (3.9 did in October 2025) or a new one
 * is released.
 */
export const SUPPORTED_PYTHONS = ['3.10', '3.11', '3.12', '3.13', '3.14', '3.15'] as const;

/** Free-threaded builds with wheels on PyPI's toolchain (manylinux dropped cp313t). */
export const FREE_THREADED_PYTHONS = ['3.14t', '3.15t'] as const;

/** A version as the workflow writes it: `3.13`, or `3.14t` for a free-threaded build. */
export function isPythonVersion(value: string): boolean {
  return /^3\.\d{1,2}t?$/.test(value);
}

/** `3.14t` → `3.14`. */
export function minorOf(version: string): string {
  return version.replace(/t$/, '');
}

/** Orders `3.9 < 3.10 < 3.14 < 3.14t < 3.15`. */
export function comparePython(a: string, b: string): number {
  const [aMinor, bMinor] = [Number(minorOf(a).split('.')[1]), Number(minorOf(b).split('.')[1])];
  if (aMinor !== bMinor) return aMinor - bMinor;
  return Number(a.endsWith('t')) - Number(b.endsWith('t'));
}

export interface PythonChoice {
  /** `python-versions` as given ('' = from requires-python). */
  explicit: string[];
  /** `[project].requires-python` ('' when absent). */
  requiresPython: string;
  abi3: boolean;
  freeThreaded: boolean;
}

export interface ChosenPythons {
  /** Every version asked for, oldest first. */
  versions: string[];
  /** Where they came from, for the log and the summary. */
  source: string;
}

/**
 * The versions asked for. An explicit list is taken as is (free-threaded ones only when written,
 * e.g. `3.14t`); by default every supported one requires-python admits, plus the free-threaded
 * builds for a project that is not abi3. Returns a problem string when nothing is left.
 */
export function choosePythons(choice: PythonChoice): Result<ChosenPythons> {
  if (choice.explicit.length > 0) {
    return ok({ versions: [...choice.explicit].sort(comparePython), source: "input 'python-versions'" });
  }
  const versions: string[] = SUPPORTED_PYTHONS.filter(
    (v) => choice.requiresPython === '' || admitsMinor(choice.requiresPython, v),
  );
  if (versions.length === 0) {
    return fail(
      `requires-python ${choice.requiresPython} admits none of the CPython versions the runners offer (${SUPPORTED_PYTHONS.join(', ')})`,
    );
  }
  if (choice.freeThreaded && !choice.abi3) {
    versions.push(...FREE_THREADED_PYTHONS.filter((v) => versions.includes(minorOf(v))));
  }
  const source =
    choice.requiresPython === ''
      ? 'every supported CPython (pyproject.toml has no requires-python)'
      : `requires-python ${choice.requiresPython}`;
  return ok({ versions: versions.sort(comparePython), source });
}

export interface LegPythons {
  /** Interpreters the build gets (one for abi3). */
  build: string[];
  /** Interpreters the wheels are tested on (oldest and newest for abi3). */
  test: string[];
  /** Versions asked for that this platform cannot have (or cannot load its wheel), and why. */
  excluded: { python: string; reason: NotBuiltReason | { kind: 'abi3-free-threaded' } }[];
}

/** The versions one platform builds and tests, given its oldest CPython. */
export function legPythons(
  versions: readonly string[],
  options: { abi3: boolean; minPython: string; minPythonReason: string },
): LegPythons {
  const tooOld = (v: string) => options.minPython !== '' && comparePython(minorOf(v), options.minPython) < 0;
  const excluded: LegPythons['excluded'] = versions
    .filter(tooOld)
    .map((python) => ({ python, reason: { kind: 'no-cpython', detail: options.minPythonReason } }));
  const usable = versions.filter((v) => !tooOld(v));
  if (!options.abi3) return { build: usable, test: usable, excluded };
  // One abi3 wheel serves every version from its minimum up; free-threaded CPython cannot load
  // abi3 extensions at all.
  const gil = usable.filter((v) => !v.endsWith('t'));
  for (const python of usable.filter((v) => v.endsWith('t'))) {
    excluded.push({ python, reason: { kind: 'abi3-free-threaded' } });
  }
  if (gil.length === 0) return { build: [], test: [], excluded };
  const oldest = gil[0]!;
  const newest = gil.at(-1)!;
  return { build: [oldest], test: oldest === newest ? [oldest] : [oldest, newest], excluded };
}
