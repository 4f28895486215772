/**
 * pytest's JUnit XML report (`--junitxml`, `junit_family=xunit1` so each test case carries its
 * file and line): totals, each test case's outcome and time, and where a failure happened.
 */

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

/** A small XML reader: elements, attributes, text, CDATA; skips declarations and comments. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let at = 0;
  for (let match = tag.exec(xml); match !== null; match = tag.exec(xml)) {
    const current = stack.at(-1)!;
    current.text += decode(xml.slice(at, match.index));
    at = tag.lastIndex;
    const [, cdata, closing, name, attrText, selfClosing] = match;
    if (cdata !== undefined) {
      current.text += cdata;
      continue;
    }
    if (name === undefined) continue;
    if (closing) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const attr of (attrText ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs[attr[1]!] = decode(attr[2] ?? attr[3] ?? '');
    }
    const element: XmlElement = { name, attrs, children: [], text: '' };
    current.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  return root;
}

function* descendants(element: XmlElement, name: string): Generator<XmlElement> {
  for (const child of element.children) {
    if (child.name === name) yield child;
    yield* descendants(child, name);
  }
}

export type Outcome = 'passed' | 'failed' | 'error' | 'skipped';

export interface TestCase {
  classname: string;
  name: string;
  /** The test file relative to where pytest ran (xunit1), forward slashes. */
  file?: string;
  /** The 1-based line of the test function (pytest writes it 0-based). */
  line?: number;
  /** Seconds. */
  time: number;
  outcome: Outcome;
  message?: string;
  /** The traceback / captured text of a failure or error. */
  details?: string;
}

export interface JUnitReport {
  tests: number;
  passed: number;
  failures: number;
  errors: number;
  skipped: number;
  /** Seconds. */
  time: number;
  cases: TestCase[];
}

function count(value: string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** Totals and test cases of a JUnit XML report (all `testsuite` elements summed). */
export function parseJUnit(xml: string): JUnitReport {
  const document = parseXml(xml);
  const report: JUnitReport = { tests: 0, passed: 0, failures: 0, errors: 0, skipped: 0, time: 0, cases: [] };
  for (const suite of descendants(document, 'testsuite')) {
    report.tests += count(suite.attrs.tests);
    report.failures += count(suite.attrs.failures);
    report.errors += count(suite.attrs.errors);
    report.skipped += count(suite.attrs.skipped ?? suite.attrs.skips);
    report.time += count(suite.attrs.time);
    for (const testcase of descendants(suite, 'testcase')) {
      const problem = testcase.children.find((c) => ['failure', 'error', 'skipped'].includes(c.name));
      const outcome: Outcome =
        problem?.name === 'failure'
          ? 'failed'
          : problem?.name === 'error'
            ? 'error'
            : problem?.name === 'skipped'
              ? 'skipped'
              : 'passed';
      const line = testcase.attrs.line;
      report.cases.push({
        classname: testcase.attrs.classname ?? '',
        name: testcase.attrs.name ?? '',
        ...(testcase.attrs.file ? { file: testcase.attrs.file.replace(/\\/g, '/') } : {}),
        ...(line !== undefined && /^\d+$/.test(line) ? { line: Number(line) + 1 } : {}),
        time: count(testcase.attrs.time),
        outcome,
        ...(problem?.attrs.message !== undefined ? { message: problem.attrs.message } : {}),
        ...(problem && problem.text.trim() !== '' ? { details: problem.text } : {}),
      });
    }
  }
  report.passed = Math.max(0, report.tests - report.failures - report.errors - report.skipped);
  return report;
}

/** Makes a path from a traceback relative to where pytest ran, with forward slashes. */
function normalisePath(file: string, runRoot: string): string {
  const slashed = file.replace(/\\/g, '/');
  const root = runRoot.replace(/\\/g, '/').replace(/\/$/, '');
  return slashed.startsWith(`${root}/`) ? slashed.slice(root.length + 1) : slashed;
}

/**
 * Where a failed or errored test failed: the last traceback frame in the test's own file (the
 * assertion), else in any file under the tests directory, else the test function's line.
 * `testsRelative` is the tests directory relative to `runRoot`, where pytest ran.
 */
export function failureLocation(
  testCase: TestCase,
  options: { runRoot: string; testsRelative: string },
): { file: string; line: number } | undefined {
  const frames: { file: string; line: number }[] = [];
  for (const text of [testCase.details ?? '']) {
    // `path/test_x.py:4: AssertionError` (long/short) and `File "path", line 4, in f` (native).
    for (const m of text.matchAll(/^(?:_+ )?(\S[^\n]*?\.py):(\d+): /gm))
      frames.push({ file: m[1]!, line: Number(m[2]) });
    for (const m of text.matchAll(/File "([^"]+\.py)", line (\d+)/g))
      frames.push({ file: m[1]!, line: Number(m[2]) });
  }
  const located = frames.map((f) => ({ file: normalisePath(f.file, options.runRoot), line: f.line }));
  const testsDir = `${options.testsRelative.replace(/\\/g, '/').replace(/\/$/, '')}/`;
  const own = testCase.file ? located.filter((f) => f.file === testCase.file) : [];
  const inTests = located.filter((f) => f.file.startsWith(testsDir) || testsDir === '/');
  const best = own.at(-1) ?? inTests.at(-1);
  if (best) return best;
  if (testCase.file && testCase.line !== undefined) return { file: testCase.file, line: testCase.line };
  return undefined;
}
