/**
 * The one renderer of row states, reasons and failures (row-states.ts) as the words of the
 * summary table, the log and the error: every text a user reads about a row comes from here.
 */
import { formatBytes } from '@ferrowheel/kit/files';
import type { PythonBuildFailure } from '@ferrowheel/kit/python-builds';
import { markdownTable } from '@ferrowheel/kit/summary';
import type {
  BuildFailure,
  BuildState,
  Failure,
  NotBuiltReason,
  NotTestedReason,
  TestedOn,
  TestFailure,
  TestState,
} from './row-states.js';
import { buildJobName, type Summary, testJobName } from './summary.js';

function reasonText(reason: NotTestedReason): string {
  switch (reason.kind) {
    case 'no-cpython':
    case 'not-here':
      return reason.detail;
    case 'pyo3-unsupported':
      return `the project's PyO3 (${reason.pyo3}) cannot build it${reason.needs ? ` (it needs PyO3 ≥ ${reason.needs})` : ''}`;
    case 'test-off':
      return "input 'test' is false";
    case 'test-skip':
      return `skipped by test-skip ('${reason.pattern}')`;
    case 'no-image':
      return `the official python images have no free-threaded CPython for ${reason.dockerPlatform}`;
    case 'build-failed':
      return 'the build failed';
    case 'build-not-run':
      return 'the build did not run';
    case 'python-build-failed':
      return `the build for ${reason.by} failed`;
    case 'sdist':
      return 'an sdist is built into wheels, which are tested';
  }
}

export function notBuiltText(reason: NotBuiltReason): string {
  return `not built${reason.kind === 'not-here' ? ' here' : ''}: ${reasonText(reason)}`;
}

export function notTestedText(reason: NotTestedReason): string {
  return `not tested${reason.kind === 'not-here' ? ' here' : ''}: ${reasonText(reason)}`;
}

/** A row's build in words; `python` is the row's, so a wheel built for another version says whose. */
export function buildText(state: BuildState, python = ''): string {
  switch (state.kind) {
    case 'built':
      return 'built';
    case 'not-built':
      return notBuiltText(state.reason);
    case 'not-run':
      return 'not run';
    case 'failed':
      return buildFailureText(state.failure, python);
  }
}

function buildFailureText(failure: BuildFailure, python: string): string {
  switch (failure.kind) {
    case 'no-wheel':
      return 'failed: no wheel for this Python';
    case 'no-sdist':
      return 'failed: no sdist';
    case 'leg-failed':
      return 'failed';
    case 'python-build':
      return `failed: ${pythonFailureText(failure.failure)}${failure.by !== python ? ` (the build for ${failure.by})` : ''}`;
  }
}

/** A per-interpreter build failure in a few words (the Failed list gives the whole message). */
function pythonFailureText(failure: PythonBuildFailure): string {
  switch (failure.kind) {
    case 'pyo3-unsupported':
      return `PyO3 ${failure.pyo3} cannot build it (preflight; nothing compiled)`;
    case 'maturin-failed':
      return `maturin failed with exit code ${failure.exitCode}${failure.known.length > 0 ? ` (${failure.known.join(', ')})` : ''}`;
    case 'no-wheel':
      return 'maturin made no wheel for it';
    case 'not-attempted':
      return 'not attempted: the build of the GIL-enabled versions failed first';
  }
}

function testedText(on: TestedOn): string {
  return on.mode === 'native' ? 'tested (native)' : `tested (${on.mode}, ${on.image} ${on.dockerPlatform})`;
}

function testFailureText(failure: TestFailure): string {
  return failure.kind === 'tests-failed' ? 'failed' : 'failed: no wheels to test (the download failed)';
}

export function testText(state: TestState): string {
  switch (state.kind) {
    case 'tested':
      return testedText(state.on);
    case 'not-tested':
      return notTestedText(state.reason);
    case 'failed':
      return testFailureText(state.failure);
    case 'not-run':
      return state.outcome === undefined ? 'not run' : `not tested: ${state.outcome}`;
  }
}

export function failureText(failure: Failure): string {
  switch (failure.kind) {
    case 'build-leg':
      return `${buildJobName(failure.platform)}: ${failure.outcome ?? 'did not run (cancelled, or no runner took it)'}`;
    case 'no-wheel':
      return `${buildJobName(failure.platform)}: no wheel for Python ${failure.python}`;
    case 'python-build':
      return `${buildJobName(failure.platform)}: CPython ${failure.python}: ${failure.failure.message}`;
    case 'no-sdist':
      return `${buildJobName(failure.platform)}: no sdist`;
    case 'tests-failed':
      return `${testJobName(failure.platform, failure.python)}: the tests failed`;
    case 'no-wheels':
      return `${testJobName(failure.platform, failure.python)}: the build succeeded but this leg could not download its wheels`;
    case 'test-leg':
      return `${testJobName(failure.platform, failure.python)}: ${failure.outcome ?? 'did not run'}`;
  }
}

/** The summary as Markdown: the table, then what failed. */
export function summaryMarkdown(summary: Summary, runUrl: string): string {
  const job = (name: string) => (runUrl ? `[${name}](${runUrl})` : name);
  const table = markdownTable(
    ['Platform', 'Target', 'Python', 'Build', 'Test', 'File', 'Size', 'SHA256', 'Job'],
    summary.rows.map((r) => [
      r.platform,
      r.target,
      r.python,
      buildText(r.build, r.python),
      testText(r.test),
      r.file,
      r.size === undefined ? '' : formatBytes(r.size),
      r.sha256 ? `\`${r.sha256}\`` : '',
      job(r.job),
    ]),
  );
  const failed =
    summary.failures.length === 0
      ? 'Every planned leg succeeded.\n'
      : `**Failed:**\n\n${summary.failures.map((f) => `- ${failureText(f)}`).join('\n')}\n`;
  return `${table}\n${failed}`;
}
