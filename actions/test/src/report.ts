/**
 * What the run tells the user: failing tests as error annotations on the original test files
 * (not the temporary copy), the job summary (counts per wheel, the slowest tests), the `results`
 * output, and one JUnit file for all wheels.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { formatDuration, markdownTable } from '@ferrowheel/kit/summary';
import { failureLocation, type JUnitReport, type TestCase } from './junit.js';

export interface WheelResult {
  /** The wheel's file name. */
  wheel: string;
  path: string;
  interpreter: string;
  report: JUnitReport;
  /** Seconds pytest ran, as the JUnit report says. */
  duration: number;
  /** Seconds spent creating the venv and installing. */
  installDuration: number;
  junit: string;
}

/** The `results` output: one entry per tested wheel. */
export function resultsOutput(results: readonly WheelResult[]): string {
  return JSON.stringify(
    results.map((r) => ({
      wheel: r.wheel,
      passed: r.report.passed,
      failed: r.report.failures,
      skipped: r.report.skipped,
      errors: r.report.errors,
      duration: Math.round(r.duration * 1000) / 1000,
      installDuration: Math.round(r.installDuration * 1000) / 1000,
      junit: r.junit,
    })),
  );
}

export interface Annotation {
  message: string;
  title: string;
  /** Relative to the workspace, forward slashes. */
  file?: string;
  line?: number;
}

/** pytest's node id for a test case: `sample/tests/test_sample.py::test_works`. */
function nodeId(testCase: TestCase): string {
  if (testCase.file) return `${testCase.file}::${testCase.name}`;
  return testCase.classname ? `${testCase.classname}::${testCase.name}` : testCase.name;
}

/**
 * Annotations for the failed and errored tests of one wheel. `runRoot` is where pytest ran (a
 * copy of `base`), so a path in the report maps back to `base` and then to the workspace.
 */
export function failureAnnotations(
  result: WheelResult,
  options: { runRoot: string; base: string; testsRelative: string; workspace: string },
): Annotation[] {
  const annotations: Annotation[] = [];
  for (const testCase of result.report.cases) {
    if (testCase.outcome !== 'failed' && testCase.outcome !== 'error') continue;
    const where = failureLocation(testCase, {
      runRoot: options.runRoot,
      testsRelative: options.testsRelative,
    });
    const firstDetail = (testCase.details ?? '').trim().split('\n').at(-1) ?? '';
    const message =
      (testCase.message ?? firstDetail) || `${testCase.outcome === 'error' ? 'error' : 'failed'}`;
    const annotation: Annotation = {
      title: `${testCase.outcome === 'error' ? 'Error in' : 'Failed:'} ${nodeId(testCase)} (${result.wheel})`,
      message,
    };
    if (where) {
      const original = path.join(options.base, ...where.file.split('/'));
      annotation.file = path.relative(options.workspace, original).split(path.sep).join('/');
      annotation.line = where.line;
    }
    annotations.push(annotation);
  }
  return annotations;
}

/** GitHub shows a few annotations per step; more than this only hides the first ones. */
const MAX_ANNOTATIONS = 50;

export function emitAnnotations(annotations: readonly Annotation[]): void {
  for (const a of annotations.slice(0, MAX_ANNOTATIONS)) {
    core.error(a.message, {
      title: a.title,
      ...(a.file ? { file: a.file } : {}),
      ...(a.line !== undefined ? { startLine: a.line } : {}),
    });
  }
  if (annotations.length > MAX_ANNOTATIONS) {
    core.error(`${annotations.length - MAX_ANNOTATIONS} more failing tests are not annotated; see the log.`);
  }
}

/** The job summary: a row per wheel, then the slowest tests. */
export function summaryMarkdown(
  results: readonly WheelResult[],
  options: {
    slowest?: number;
    notTested?: readonly { filename: string; reason: string }[];
    /** How the test environment was installed: `with uv, at the locked versions of uv.lock (8 packages)`. */
    environment?: string;
    /** Where the tests ran when not on the runner: `in python:3.12-slim (linux/arm64, under QEMU)`. */
    where?: string;
    /** Warnings the step gave (a lock it could not honour), repeated under the table. */
    warnings?: readonly string[];
  } = {},
): string {
  const rows = results.map((r) => [
    `\`${r.wheel}\``,
    r.interpreter,
    r.report.passed,
    r.report.failures,
    r.report.errors,
    r.report.skipped,
    formatDuration(r.installDuration * 1000),
    formatDuration(r.duration * 1000),
  ]);
  let markdown = markdownTable(
    ['Wheel', 'Interpreter', 'Passed', 'Failed', 'Errors', 'Skipped', 'Install', 'Tests'],
    rows,
  );
  if (options.where) markdown += `\nTested ${options.where}.\n`;
  if (options.environment) markdown += `\nTest environment installed ${options.environment}.\n`;
  for (const warning of options.warnings ?? [])
    markdown += `\n> [!WARNING]\n> ${warning.replace(/\n/g, ' ')}\n`;
  const slow = results
    .flatMap((r) => r.report.cases.map((c) => ({ c, wheel: r.wheel })))
    .filter(({ c }) => c.outcome !== 'skipped')
    .sort((a, b) => b.c.time - a.c.time)
    .slice(0, options.slowest ?? 5);
  if (slow.length > 0) {
    markdown += `\n**Slowest tests**\n\n${markdownTable(
      ['Test', 'Outcome', 'Time', 'Wheel'],
      slow.map(({ c, wheel }) => [
        `\`${nodeId(c)}\``,
        c.outcome,
        formatDuration(c.time * 1000),
        `\`${wheel}\``,
      ]),
    )}`;
  }
  if (options.notTested && options.notTested.length > 0) {
    markdown += `\n**Not tested here**\n\n${options.notTested.map((w) => `- \`${w.filename}\`: ${w.reason}`).join('\n')}\n`;
  }
  return markdown;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * One JUnit file for all wheels: each pytest report's `testsuite` elements, renamed after the
 * wheel, under one `testsuites` root.
 */
export function combineJUnit(results: readonly WheelResult[], destination: string): void {
  const suites = results.map((r) => {
    const xml = readFileSync(r.junit, 'utf8');
    const inner = /<testsuite[\s>][\s\S]*<\/testsuite>|<testsuite\b[^>]*\/>/.exec(xml)?.[0] ?? '';
    return inner.replace(/^<testsuite(\s+)name="[^"]*"/, `<testsuite$1name="${escapeAttribute(r.wheel)}"`);
  });
  writeFileSync(
    destination,
    `<?xml version="1.0" encoding="utf-8"?>\n<testsuites>${suites.join('')}</testsuites>\n`,
  );
}
