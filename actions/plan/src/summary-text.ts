/**
 * The one renderer of row states, reasons and failures (row-states.ts) as the words of the
 * summary table, the log and the error: every text a user reads about a row comes from here.
 */
import { formatBytes } from '@ferrowheel/kit/files';
import { markdownTable } from '@ferrowheel/kit/summary';
import type {
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
      return reason.detail;
    case 'abi3-free-threaded':
      return 'free-threaded CPython cannot load abi3 extensions';
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
    case 'sdist':
      return 'an sdist is built into wheels, which are tested';
  }
}

export function notBuiltText(reason: NotBuiltReason): string {
  return `not built: ${reasonText(reason)}`;
}

export function notTestedText(reason: NotTestedReason): string {
  return `not tested: ${reasonText(reason)}`;
}

export function buildText(state: BuildState): string {
  switch (state.kind) {
    case 'built':
      return 'built';
    case 'not-built':
      return notBuiltText(state.reason);
    case 'not-run':
      return 'not run';
    case 'failed':
      if (state.failure.kind === 'no-wheel') return 'failed: no wheel for this Python';
      return state.failure.kind === 'no-sdist' ? 'failed: no sdist' : 'failed';
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
      buildText(r.build),
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
