/**
 * The Python versions of a build checked against the project's PyO3 before anything compiles:
 * a version PyO3 cannot build is taken out of the maturin calls with its typed failure (and an
 * error naming the version, the PyO3 version and both fixes), so the versions it can build are
 * still built, and the step fails at the end because a wheel asked for is missing. Pure.
 */

import { checkPyo3Support, forwardCompatibleMessage, unsupportedMessage } from '@ferrowheel/kit/pyo3-support';
import { type Pyo3Version, pyo3VersionText } from '@ferrowheel/kit/pyo3-version';
import type { PythonBuild } from '@ferrowheel/kit/python-builds';
import { pythonLabel } from './maturin-calls.js';

export interface VersionPreflight {
  /** The interpreters the maturin calls keep, in the order given. */
  keep: string[];
  /** The interpreters taken out, each with its failure (an error annotation each). */
  dropped: (PythonBuild & { outcome: 'failed' })[];
  /** Versions let through by PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 (a warning each). */
  warnings: string[];
}

/** Checks each listed interpreter that names a version (`3.14t`, `python3.12`); paths pass. */
export function checkInterpreterVersions(
  items: readonly string[],
  pyo3: Pyo3Version,
  options: { forwardCompatibility: boolean; relative?: (file: string) => string },
): VersionPreflight {
  const result: VersionPreflight = { keep: [], dropped: [], warnings: [] };
  for (const item of items) {
    const python = pythonLabel(item);
    const support = checkPyo3Support(pyo3, python, options);
    if (support.kind === 'unsupported') {
      const message = unsupportedMessage({
        python,
        pyo3,
        unmet: support.unmet,
        drop: `leave ${item} out of 'interpreters'`,
        ...(options.relative ? { relative: options.relative } : {}),
      });
      result.dropped.push({
        python,
        outcome: 'failed',
        failure: { kind: 'pyo3-unsupported', pyo3: pyo3VersionText(pyo3), message },
      });
      continue;
    }
    if (support.kind === 'forward-compatible') {
      const relative = options.relative ? { relative: options.relative } : {};
      result.warnings.push(forwardCompatibleMessage({ python, pyo3, unmet: support.unmet, ...relative }));
    }
    result.keep.push(item);
  }
  return result;
}
