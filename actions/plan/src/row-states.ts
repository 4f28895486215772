/**
 * What happens to each platform × Python row, as data: what the plan decided (PlannedBuild,
 * PlannedTest), what the summary found (BuildState, TestState) and what failed the run (Failure).
 * Reasons are typed, never display text: summary-text.ts renders every one of them, once. A new
 * kind of reason or failure is a new variant here and a new case there; whether a row fails the
 * run is decided by `summarise` producing a Failure, never by reading a state's text.
 */
import type { PythonBuildFailure } from '@ferrowheel/kit/python-builds';
import type { Outcome } from './inputs.js';
import type { TestMode } from './platforms.js';

/** Why the plan builds no wheel for a row. */
export type NotBuiltReason =
  /** The platform has no CPython of that version (its leg table says why, e.g. python.org's). */
  | { kind: 'no-cpython'; detail: string }
  /**
   * A default version the project's PyO3 cannot build, left out (the plan's warning gives the
   * whole message): the PyO3 version (`0.22.6`, or the requirement `"0.22"`) and the release it needs.
   */
  | { kind: 'pyo3-unsupported'; pyo3: string; needs: string }
  /**
   * The caller's runners cannot (`not-built-here`, `not-tested-here`: here.ts); the detail is
   * theirs. On GitHub's hosted runners the same row runs.
   */
  | { kind: 'not-here'; detail: string };

/** Why the plan runs no test for a row. */
export type PlannedNotTestedReason =
  | NotBuiltReason
  /** The `test` input is false. */
  | { kind: 'test-off' }
  /** A `test-skip` pattern matches the row's wheel. */
  | { kind: 'test-skip'; pattern: string }
  /** The official python images have no such CPython for the leg's container platform. */
  | { kind: 'no-image'; dockerPlatform: string };

/**
 * The plan's build decision for a row: built — `by` names the interpreter of the leg's build
 * whose wheel serves the row when it is another one (the oldest for an abi3 project, 3.15t for an
 * abi3t wheel; absent: the row's own, which keeps the plan small) — or not.
 */
export type PlannedBuild = { kind: 'build'; by?: string } | { kind: 'not-built'; reason: NotBuiltReason };

/** The interpreter whose wheel serves a built row. */
export function builtBy(row: { python: string; build: PlannedBuild }): string {
  return row.build.kind === 'build' ? (row.build.by ?? row.python) : row.python;
}

/** The plan's test decision for a row: a test leg in that mode, or why there is none. */
export type PlannedTest =
  | { kind: 'test'; mode: TestMode['kind'] }
  | { kind: 'not-tested'; reason: PlannedNotTestedReason };

/** Why a build went wrong for a row (or the sdist row). */
export type BuildFailure =
  /** The build leg failed (or was cancelled or skipped): no wheel of it counts. */
  | { kind: 'leg-failed' }
  /** The build leg succeeded, but no wheel serves this Python. */
  | { kind: 'no-wheel' }
  /** The build leg succeeded, but no sdist came out of it. */
  | { kind: 'no-sdist' }
  /**
   * The interpreter whose wheel serves this row failed to build (its maturin call, or its
   * preflight), while the leg's other versions were built: the build action's typed reason.
   */
  | { kind: 'python-build'; by: string; failure: PythonBuildFailure };

/** A row's build, as the summary found it. */
export type BuildState =
  | { kind: 'built' }
  | { kind: 'not-built'; reason: NotBuiltReason }
  | { kind: 'failed'; failure: BuildFailure }
  /** The build leg left no record: cancelled, or no runner took it. */
  | { kind: 'not-run' };

/** Why a row is not tested, accepted without failing the run (a failed build is counted there). */
export type NotTestedReason =
  | PlannedNotTestedReason
  | { kind: 'build-failed' }
  | { kind: 'build-not-run' }
  /** The wheel that would serve this row (built by `by`) failed to build; counted there. */
  | { kind: 'python-build-failed'; by: string }
  /** The sdist row: an sdist is built into wheels, which are tested. */
  | { kind: 'sdist' };

/** Why a test leg went wrong. */
export type TestFailure =
  /** pytest (or the test command) failed. */
  | { kind: 'tests-failed' }
  /** The build succeeded, yet the leg found no wheels to test. */
  | { kind: 'no-wheels' };

/** Where a wheel was tested. */
export type TestedOn =
  | { mode: 'native' }
  | { mode: 'emulated' | 'container'; image: string; dockerPlatform: string };

/** A row's test, as the summary found it. */
export type TestState =
  | { kind: 'tested'; on: TestedOn }
  | { kind: 'not-tested'; reason: NotTestedReason }
  | { kind: 'failed'; failure: TestFailure }
  /** The leg left no record (undefined), or says it was cancelled or skipped: it did not run. */
  | { kind: 'not-run'; outcome: 'cancelled' | 'skipped' | undefined };

/** One thing that fails the run: a leg that failed or never ran, a wheel or sdist missing. */
export type Failure =
  /** A build leg that did not succeed; `outcome` undefined: it left no record. */
  | { kind: 'build-leg'; platform: string; outcome: Exclude<Outcome, 'success'> | undefined }
  | { kind: 'no-wheel'; platform: string; python: string }
  /** One interpreter of a build leg failed, with the build action's typed reason. */
  | { kind: 'python-build'; platform: string; python: string; failure: PythonBuildFailure }
  | { kind: 'no-sdist'; platform: string }
  | { kind: 'tests-failed'; platform: string; python: string }
  | { kind: 'no-wheels'; platform: string; python: string }
  /** A test leg that did not run; `outcome` undefined: it left no record. */
  | { kind: 'test-leg'; platform: string; python: string; outcome: 'cancelled' | 'skipped' | undefined };
