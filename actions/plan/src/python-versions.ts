/**
 * Which CPython versions to build and test: by default every one that `requires-python` admits,
 * that is not end-of-life and that the runners offer, plus the free-threaded builds (3.14t,
 * 3.15t) — for abi3 projects too, which cannot serve them with their abi3 wheel. Then checked
 * against the project's PyO3: a version it cannot build is an error when the user listed it, and
 * is left out with a warning when it came from the defaults (so a project on an old PyO3 still
 * gets a green run of every wheel it can build, and the summary says why the others are missing).
 */

import { admitsMinor } from '@ferrowheel/kit/pep440';
import {
  checkPyo3Support,
  forwardCompatibleMessage,
  pyo3UpgradeTarget,
  unsupportedMessage,
} from '@ferrowheel/kit/pyo3-support';
import { type Pyo3Version, pyo3VersionText } from '@ferrowheel/kit/pyo3-version';
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
  freeThreaded: boolean;
}

/** A default version the project's PyO3 cannot build, left out of the plan. */
export type LeftOut = { python: string; reason: NotBuiltReason & { kind: 'pyo3-unsupported' } };

export interface ChosenPythons {
  /** Every version to build, oldest first. */
  versions: string[];
  /** Where they came from, for the log and the summary. */
  source: string;
  /** Whether the user listed them (`python-versions`), not the defaults. */
  explicit: boolean;
  /** Default versions the project's PyO3 cannot build (see checkPyo3). */
  leftOut: LeftOut[];
  /** For the log: versions left out, versions built by forward compatibility. */
  warnings: string[];
}

/**
 * The versions asked for. An explicit list is taken as is (free-threaded ones only when written,
 * e.g. `3.14t`); by default every supported one requires-python admits, plus the free-threaded
 * builds unless `free-threaded` is false. Returns a problem string when nothing is left.
 */
export function choosePythons(choice: PythonChoice): Result<ChosenPythons> {
  const chosen = { leftOut: [], warnings: [] };
  if (choice.explicit.length > 0) {
    const versions = [...choice.explicit].sort(comparePython);
    return ok({ ...chosen, versions, source: "input 'python-versions'", explicit: true });
  }
  const versions: string[] = SUPPORTED_PYTHONS.filter(
    (v) => choice.requiresPython === '' || admitsMinor(choice.requiresPython, v),
  );
  if (versions.length === 0) {
    return fail(
      `requires-python ${choice.requiresPython} admits none of the CPython versions the runners offer (${SUPPORTED_PYTHONS.join(', ')})`,
    );
  }
  if (choice.freeThreaded) {
    versions.push(...FREE_THREADED_PYTHONS.filter((v) => versions.includes(minorOf(v))));
  }
  const source =
    choice.requiresPython === ''
      ? 'every supported CPython (pyproject.toml has no requires-python)'
      : `requires-python ${choice.requiresPython}`;
  return ok({ ...chosen, versions: versions.sort(comparePython), source, explicit: false });
}

export interface Pyo3Facts {
  pyo3: Pyo3Version;
  /** PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 in the environment or .cargo/config.toml. */
  forwardCompatibility: boolean;
  /** For messages: a project file as the user sees it. */
  relative?: (file: string) => string;
}

/** How to stop building `python`, in the words of the plan's inputs. */
function dropFix(python: string, explicit: boolean): string {
  if (explicit) return `leave ${python} out of 'python-versions'`;
  return python.endsWith('t')
    ? "set 'free-threaded: false' (this warning then goes too)"
    : "set 'python-versions' to the versions to build (this warning then goes too)";
}

/**
 * The chosen versions checked against the project's PyO3 before any build leg starts. A version
 * the user listed that PyO3 cannot build fails the plan (its message names the version, the PyO3
 * version and both fixes); a default one is left out with a warning and a typed row reason.
 */
export function checkPyo3(chosen: ChosenPythons, facts: Pyo3Facts): Result<ChosenPythons> {
  const checked: ChosenPythons = { ...chosen, versions: [], leftOut: [], warnings: [...chosen.warnings] };
  const relative = facts.relative ? { relative: facts.relative } : {};
  const errors: string[] = [];
  for (const python of chosen.versions) {
    const support = checkPyo3Support(facts.pyo3, python, facts);
    if (support.kind === 'forward-compatible') {
      checked.warnings.push(
        forwardCompatibleMessage({ python, pyo3: facts.pyo3, unmet: support.unmet, ...relative }),
      );
    }
    if (support.kind !== 'unsupported') {
      checked.versions.push(python);
      continue;
    }
    const message = unsupportedMessage({
      python,
      pyo3: facts.pyo3,
      unmet: support.unmet,
      drop: dropFix(python, chosen.explicit),
      ...relative,
    });
    if (chosen.explicit) errors.push(message);
    else {
      checked.warnings.push(`Leaving CPython ${python} out of the default versions. ${message}`);
      const needs = pyo3UpgradeTarget(support.unmet) ?? '';
      checked.leftOut.push({
        python,
        reason: { kind: 'pyo3-unsupported', pyo3: pyo3VersionText(facts.pyo3), needs },
      });
    }
  }
  if (errors.length > 0) return fail(errors.join(' '));
  return ok(checked);
}
