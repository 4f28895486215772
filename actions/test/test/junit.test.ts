import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { failureLocation, parseJUnit, parseXml } from '../src/junit.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// A real pytest 9 report (xunit1) of fixtures/test_x.py.txt run as sample/tests/test_x.py.
const xml = readFileSync(path.join(here, 'fixtures', 'pytest-xunit1.xml'), 'utf8');

describe('parseJUnit', () => {
  const report = parseJUnit(xml);

  it('totals the suite', () => {
    expect(report).toMatchObject({ tests: 5, passed: 1, failures: 2, errors: 1, skipped: 1, time: 0.04 });
  });

  it('reads each case: outcome, file, 1-based line, message, traceback', () => {
    expect(report.cases.map((c) => [c.name, c.outcome, c.file, c.line])).toEqual([
      ['test_ok', 'passed', 'sample/tests/test_x.py', 6],
      ['test_bad', 'failed', 'sample/tests/test_x.py', 9],
      ['test_helper', 'failed', 'sample/tests/test_x.py', 13],
      ['test_skip', 'skipped', 'sample/tests/test_x.py', 16],
      ['test_err', 'error', 'sample/tests/test_x.py', 24],
    ]);
    expect(report.cases[2]!.message).toBe('AssertionError: helper says no\nassert 1 == 2');
    expect(report.cases[1]!.details).toContain('>       assert x');
    expect(report.cases[4]!.message).toBe('failed on setup with "RuntimeError: fixture broke"');
  });

  it('sums several suites and accepts an empty report', () => {
    const two = `<testsuites><testsuite tests="2" failures="1" errors="0" skipped="0" time="1.5"/><testsuite tests="3" failures="0" errors="1" skipped="1" time="0.5"></testsuite></testsuites>`;
    expect(parseJUnit(two)).toMatchObject({
      tests: 5,
      passed: 2,
      failures: 1,
      errors: 1,
      skipped: 1,
      time: 2,
    });
    expect(parseJUnit('<testsuites/>')).toMatchObject({ tests: 0, cases: [] });
  });
});

describe('parseXml', () => {
  it('decodes entities, keeps CDATA, skips comments and declarations', () => {
    const doc = parseXml(
      `<?xml version="1.0"?><!-- c --><a x='1 &amp; 2'>t&lt;&#65;&#x42;<![CDATA[<raw>]]><b/></a>`,
    );
    const a = doc.children[0]!;
    expect(a.attrs.x).toBe('1 & 2');
    expect(a.text).toBe('t<AB<raw>');
    expect(a.children.map((c) => c.name)).toEqual(['b']);
  });
});

describe('failureLocation', () => {
  const report = parseJUnit(xml);
  const at = (name: string, runRoot = '/tmp/run') =>
    failureLocation(report.cases.find((c) => c.name === name)!, { runRoot, testsRelative: 'sample/tests' });

  it("points at the assertion's line in the test file", () => {
    expect(at('test_bad')).toEqual({ file: 'sample/tests/test_x.py', line: 11 });
  });

  it('follows the traceback into a helper in the same file, and to a failing fixture', () => {
    expect(at('test_helper')).toEqual({ file: 'sample/tests/test_x.py', line: 4 });
    expect(at('test_err')).toEqual({ file: 'sample/tests/test_x.py', line: 22 });
  });

  it('maps absolute paths of the run directory and native tracebacks, Windows separators too', () => {
    const testCase = {
      classname: 'tests.test_y',
      name: 'test_y',
      time: 0,
      outcome: 'failed' as const,
      details: 'Traceback:\n  File "C:\\run\\tests\\test_y.py", line 7, in test_y\n    assert f()\n',
    };
    expect(failureLocation(testCase, { runRoot: 'C:\\run', testsRelative: 'tests' })).toEqual({
      file: 'tests/test_y.py',
      line: 7,
    });
  });

  it("falls back to the test function's line when the traceback names no test file", () => {
    const testCase = {
      classname: 'tests.test_z',
      name: 'test_z',
      file: 'tests/test_z.py',
      line: 3,
      time: 0,
      outcome: 'failed' as const,
      details: '/usr/lib/python3/site-packages/lib.py:10: ValueError',
    };
    expect(failureLocation(testCase, { runRoot: '/tmp/run', testsRelative: 'tests' })).toEqual({
      file: 'tests/test_z.py',
      line: 3,
    });
  });
});
