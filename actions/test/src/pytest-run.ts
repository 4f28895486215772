/**
 * Running pytest on the copied tests with the venv's own pytest, and reading its JUnit report.
 * pytest's exit codes: 0 passed, 1 tests failed, 2 interrupted (collection errors), 3 internal
 * error, 4 usage error, 5 no tests collected.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '@ferrowheel/kit/errors';
import { childEnv, type Exec } from '@ferrowheel/kit/exec';
import { pathKind } from '@ferrowheel/kit/files';
import { type Os, pathListSeparator, venvBinDir } from '@ferrowheel/kit/platform';
import { venvScript } from '@ferrowheel/kit/python-installer';
import { type JUnitReport, parseJUnit } from './junit.js';
import type { TestTree } from './test-tree.js';

/** pytest's argv: the copied tests, the report, no cache, then the user's arguments. */
export function pytestArgs(tree: TestTree, junit: string, userArgs: readonly string[]): string[] {
  const tests = tree.testsRelative || '.';
  return [
    // A directory named `-x...` would otherwise be read as an option.
    tests.startsWith('-') ? `./${tests}` : tests,
    `--junitxml=${junit}`,
    // xunit1 records each test's file and line, which the annotations need.
    '-o',
    'junit_family=xunit1',
    // The copy is thrown away; a cache would only write into it.
    '-p',
    'no:cacheprovider',
    // Paths in the report are then relative to the copy's root, which mirrors the project.
    `--rootdir=${tree.root}`,
    ...userArgs,
  ];
}

/**
 * The environment pytest runs in: the venv activated (its scripts first on PATH, VIRTUAL_ENV set,
 * no PYTHONHOME). Windows spells the variable `Path`; a second `PATH` beside it would leave which
 * one the child sees to chance, so the existing spelling is replaced.
 */
export function pytestEnv(
  os: Os,
  venv: string,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const key = (os === 'windows' && Object.keys(base).find((k) => k.toUpperCase() === 'PATH')) || 'PATH';
  return childEnv(
    {
      VIRTUAL_ENV: venv,
      [key]: `${venvBinDir(os, venv)}${pathListSeparator(os)}${base[key] ?? ''}`,
      PYTHONHOME: undefined,
    },
    base,
  );
}

export interface PytestRun {
  os: Os;
  venv: string;
  tree: TestTree;
  junit: string;
  userArgs: readonly string[];
  /** For messages: the wheel's file name and the tests' path as the user gave it. */
  wheel: string;
  testsLabel: string;
  /** The `test-environment` variables. */
  environment?: Record<string, string>;
  /** The environment of where pytest runs (the runner's, or the container's); default the runner's. */
  baseEnv?: Readonly<Record<string, string | undefined>>;
}

/** Runs pytest (output streamed to the log) and returns the exit code and the parsed report. */
export async function runPytest(
  run: PytestRun,
  exec: Exec,
): Promise<{ exitCode: number; report: JUnitReport }> {
  const { exitCode, stdout, stderr } = await exec(
    venvScript(run.os, run.venv, 'pytest'),
    pytestArgs(run.tree, run.junit, run.userArgs),
    {
      cwd: run.tree.root,
      env: pytestEnv(run.os, run.venv, { ...(run.baseEnv ?? process.env), ...run.environment }),
      allowFailure: true,
    },
  );
  if (pathKind(run.junit) !== 'file') {
    const output = `${stdout}${stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new UserError(
      `pytest exited with code ${exitCode} without a report for ${run.wheel}:\n${output}\n` +
        "Check 'pytest-args' and the tests' configuration.",
    );
  }
  const report = parseJUnit(readFileSync(run.junit, 'utf8'));
  if (exitCode === 5 || (report.tests === 0 && report.errors === 0)) {
    throw new UserError(
      `pytest collected no tests from ${run.testsLabel} for ${run.wheel}. ` +
        "Point 'tests' at the directory holding test_*.py files, or check the '-k'/'-m' filters in 'pytest-args'.",
    );
  }
  if (exitCode === 3 || exitCode === 4) {
    throw new UserError(
      `pytest failed to run (exit code ${exitCode}) for ${run.wheel}. See the log above; check 'pytest-args'.`,
    );
  }
  return { exitCode, report };
}
