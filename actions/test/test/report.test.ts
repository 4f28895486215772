import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseJUnit } from '../src/junit.js';
import {
  combineJUnit,
  failureAnnotations,
  resultsOutput,
  summaryMarkdown,
  type WheelResult,
} from '../src/report.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const xml = readFileSync(path.join(here, 'fixtures', 'pytest-xunit1.xml'), 'utf8');
const dir = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-report-'));
const junit = path.join(dir, 'junit-1.xml');
writeFileSync(junit, xml);

const result: WheelResult = {
  wheel: 'setup-0.1.0-cp312-cp312-manylinux_2_17_x86_64.whl',
  path: '/dist/setup-0.1.0-cp312-cp312-manylinux_2_17_x86_64.whl',
  interpreter: 'CPython 3.12.7 (linux x86_64, glibc 2.35)',
  report: parseJUnit(xml),
  duration: 0.04,
  installDuration: 1.23456,
  junit,
};

describe('failureAnnotations', () => {
  it('points each failure and error at the original file, relative to the workspace', () => {
    const annotations = failureAnnotations(result, {
      runRoot: '/tmp/runner/ferrowheel-test-x/1-setup/run',
      base: '/home/runner/work/repo/repo/crates/setup',
      testsRelative: 'sample/tests',
      workspace: '/home/runner/work/repo/repo',
    });
    expect(annotations).toEqual([
      {
        title: `Failed: sample/tests/test_x.py::test_bad (${result.wheel})`,
        message: 'assert False',
        file: 'crates/setup/sample/tests/test_x.py',
        line: 11,
      },
      {
        title: `Failed: sample/tests/test_x.py::test_helper (${result.wheel})`,
        message: 'AssertionError: helper says no\nassert 1 == 2',
        file: 'crates/setup/sample/tests/test_x.py',
        line: 4,
      },
      {
        title: `Error in sample/tests/test_x.py::test_err (${result.wheel})`,
        message: 'failed on setup with "RuntimeError: fixture broke"',
        file: 'crates/setup/sample/tests/test_x.py',
        line: 22,
      },
    ]);
  });
});

describe('resultsOutput', () => {
  it('gives the counts per wheel', () => {
    expect(JSON.parse(resultsOutput([result]))).toEqual([
      {
        wheel: result.wheel,
        passed: 1,
        failed: 2,
        skipped: 1,
        errors: 1,
        duration: 0.04,
        installDuration: 1.235,
        junit,
      },
    ]);
  });
});

describe('summaryMarkdown', () => {
  it('has a row per wheel and the slowest tests', () => {
    const markdown = summaryMarkdown([result], { slowest: 2 });
    expect(markdown).toContain(
      '| Wheel | Interpreter | Passed | Failed | Errors | Skipped | Install | Tests |',
    );
    expect(markdown).toContain(
      `| \`${result.wheel}\` | ${result.interpreter} | 1 | 2 | 1 | 1 | 1.2 s | 40 ms |`,
    );
    expect(markdown).toContain('**Slowest tests**');
    expect(markdown.match(/`sample\/tests\/test_x\.py::/g)).toHaveLength(2);
    expect(markdown).not.toContain('test_skip');
    expect(markdown).not.toContain('Not tested here');
  });

  it('says how the test environment was installed, and what test-skip left out', () => {
    const markdown = summaryMarkdown([result], {
      environment: 'with uv, at the locked versions of uv.lock (8 packages)',
      notTested: [
        {
          filename: 'setup-0.1.0-cp312-cp312-musllinux_1_2_x86_64.whl',
          reason: "skipped by test-skip ('*-musllinux_*')",
        },
      ],
    });
    expect(markdown).toContain(
      '\nTest environment installed with uv, at the locked versions of uv.lock (8 packages).\n',
    );
    expect(markdown).toContain(
      "- `setup-0.1.0-cp312-cp312-musllinux_1_2_x86_64.whl`: skipped by test-skip ('*-musllinux_*')",
    );
    expect(summaryMarkdown([result])).not.toContain('Test environment installed');
  });

  it('lists the wheels found but not tested, with the reason', () => {
    const markdown = summaryMarkdown([result], {
      notTested: [
        {
          filename: 'setup-0.1.0-cp311-cp311-win_amd64.whl',
          reason: 'platform tag win_amd64 does not match this platform',
        },
      ],
    });
    expect(markdown).toContain(
      '**Not tested here**\n\n- `setup-0.1.0-cp311-cp311-win_amd64.whl`: platform tag win_amd64 does not match this platform\n',
    );
  });
});

describe('combineJUnit', () => {
  it('puts each wheel as a named testsuite under one root', () => {
    const other = { ...result, wheel: 'setup-0.1.0-cp39-abi3-win_amd64.whl' };
    const destination = path.join(dir, 'junit.xml');
    combineJUnit([result, other], destination);
    const combined = readFileSync(destination, 'utf8');
    expect(combined.match(/<testsuite /g)).toHaveLength(2);
    expect(combined).toContain(`<testsuite name="${result.wheel}"`);
    expect(combined).toContain(`<testsuite name="${other.wheel}"`);
    expect(parseJUnit(combined)).toMatchObject({ tests: 10, failures: 4, errors: 2, skipped: 2 });
  });
});
