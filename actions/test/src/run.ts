/**
 * Tests each built wheel the way a user would meet it: installed into a fresh venv by pip or
 * uv, its extension module imported, then the project's pytest suite run from a temporary copy
 * of the tests, outside the source tree.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { UserError } from '@ferrowheel/kit/errors';
import { type Exec, exec as realExec } from '@ferrowheel/kit/exec';
import { pathKind } from '@ferrowheel/kit/files';
import { logText } from '@ferrowheel/kit/log-text';
import { setOutput } from '@ferrowheel/kit/outputs';
import { readTomlIfExists } from '@ferrowheel/kit/project';
import { writeSummary } from '@ferrowheel/kit/summary';
import { execWithTimeLimit } from '@ferrowheel/kit/time-limit';
import { normaliseName } from '@ferrowheel/kit/wheel';
import { runBeforeTest } from './before-test.js';
import { resolveGroups } from './dependency-groups.js';
import { importCheckWheel } from './import-check.js';
import { type Inputs, readInputs } from './inputs.js';
import { chooseInstaller, type Installer } from './installer.js';
import { describeInterpreter, type InterpreterFacts, queryInterpreter } from './interpreter.js';
import type { JUnitReport } from './junit.js';
import { findLock, type LockedSet, lockedRequirements } from './lock.js';
import { runPytest } from './pytest-run.js';
import {
  combineJUnit,
  emitAnnotations,
  failureAnnotations,
  resultsOutput,
  summaryMarkdown,
  type WheelResult,
} from './report.js';
import { expandPlaceholders, runTestCommand } from './test-command.js';
import { skipPatternFor } from './test-skip.js';
import { copyTestSources, copyTestTree, type TestTree } from './test-tree.js';
import { createTestVenv } from './test-venv.js';
import {
  type LeftOut,
  noCompatibleWheelError,
  type SelectedWheel,
  type Selection,
  selectWheels,
} from './wheel-selection.js';
import { resolveWheelFiles } from './wheel-source.js';

export interface Deps {
  exec: Exec;
  /** The path of a program on PATH, or undefined. */
  which: (program: string) => Promise<string | undefined>;
  now: () => number;
}

export const defaultDeps: Deps = {
  exec: realExec,
  which: async (program) => {
    const io = await import('@actions/io');
    const found = await io.which(program, false);
    return found === '' ? undefined : found;
  },
  now: () => performance.now(),
};

function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(2).replace(/0+$/, '')} min`;
}

/** The tests directory: the input, else the course layout's sample/tests, else tests. */
export function testsDirectory(inputs: Pick<Inputs, 'tests' | 'workingDirectory'>): string {
  if (inputs.tests) return inputs.tests;
  for (const candidate of ['sample/tests', 'tests']) {
    const dir = path.join(inputs.workingDirectory, candidate);
    if (pathKind(dir) === 'directory') return dir;
  }
  throw new UserError(
    `No tests found: neither sample/tests nor tests is a directory in ${inputs.workingDirectory}. ` +
      "Set 'tests' to the directory of your pytest tests (relative to working-directory).",
  );
}

interface Plan {
  inputs: Inputs;
  facts: InterpreterFacts;
  installer: Installer;
  tests: string;
  /** Requirements installed next to the wheel (pytest, requirements, groups). */
  testRequirements: string[];
  /** The course layout's sample/ package, installed alongside the wheel. */
  sample: string | undefined;
  workDir: string;
  /** The lock's pinned requirements, when the install follows the project's lock. */
  locked: LockedSet | undefined;
  /** Runs the test command: with the time limit when `timeout-minutes` is set. */
  testExec: Exec;
}

/** pytest on the copy of the tests, or the `test-command` instead, with the time limit. */
function runTests(
  plan: Plan,
  run: { wheel: SelectedWheel; venv: string; tree: TestTree; junit: string },
  deps: Deps,
): Promise<{ report: JUnitReport }> {
  const { inputs } = plan;
  const { wheel, venv, tree, junit } = run;
  return inputs.testCommand
    ? core.group(logText`test-command: ${wheel.filename}`, () =>
        runTestCommand(
          {
            os: inputs.runner.platform.os,
            venv,
            words: expandPlaceholders(inputs.testCommand!, {
              project: inputs.runner.workspace,
              package: inputs.workingDirectory,
            }),
            cwd: tree.root,
            junit,
            wheel: wheel.filename,
            environment: inputs.testEnvironment,
            which: deps.which,
          },
          plan.testExec,
        ),
      )
    : core.group(logText`pytest: ${wheel.filename}`, () =>
        runPytest(
          {
            os: inputs.runner.platform.os,
            venv,
            tree,
            junit,
            userArgs: inputs.pytestArgs,
            wheel: wheel.filename,
            testsLabel: path.relative(inputs.runner.workspace, plan.tests) || '.',
            environment: inputs.testEnvironment,
          },
          plan.testExec,
        ),
      );
}

/** Install: a fresh venv with the wheel and the test requirements; returns the seconds it took. */
async function install(
  plan: Plan,
  run: { wheel: SelectedWheel; venv: string; interpreter: string },
  deps: Deps,
): Promise<number> {
  const { inputs } = plan;
  const { wheel, venv, interpreter } = run;
  const started = deps.now();
  await core.group(logText`Install ${wheel.filename} (${plan.installer.kind})`, () =>
    createTestVenv(
      {
        os: inputs.runner.platform.os,
        installer: plan.installer,
        python: plan.facts.executable,
        interpreter,
        venv,
        cwd: inputs.workingDirectory,
        wheel,
        extras: inputs.extras,
        sample: plan.sample,
        testRequirements: plan.testRequirements,
        project: wheel.project,
        locked: plan.locked,
      },
      deps.exec,
    ),
  );
  const duration = (deps.now() - started) / 1000;
  core.info(logText`Installed in ${duration.toFixed(2)} s`);
  return duration;
}

/** The `before-test` script, in the wheel's venv. */
async function beforeTest(
  plan: Plan,
  run: { script: string; wheel: SelectedWheel; venv: string },
  deps: Deps,
): Promise<void> {
  const { inputs } = plan;
  const { workspace } = inputs.runner;
  await core.group(`before-test: ${path.relative(workspace, run.script)}`, () =>
    runBeforeTest(
      {
        ...run,
        os: inputs.runner.platform.os,
        cwd: inputs.workingDirectory,
        environment: inputs.testEnvironment,
        workspace,
      },
      deps.exec,
    ),
  );
}

/** The copy of the tests (and test-sources) the run works on, under `wheelDir`. */
function testTree(plan: Plan, wheelDir: string): TestTree {
  const { inputs } = plan;
  const { workspace } = inputs.runner;
  // Tests are relative to the project, or to the workspace when they live outside it.
  const inProject = !path.relative(inputs.workingDirectory, plan.tests).startsWith('..');
  const base = inProject ? inputs.workingDirectory : workspace;
  const tree = copyTestTree({ base, tests: plan.tests, root: path.join(wheelDir, 'run') });
  copyTestSources({ base, root: tree.root, sources: inputs.testSources, workspace });
  return tree;
}

async function testWheel(plan: Plan, wheel: SelectedWheel, index: number, deps: Deps): Promise<WheelResult> {
  const { inputs } = plan;
  const wheelDir = path.join(plan.workDir, `${index + 1}-${wheel.project}`);
  mkdirSync(wheelDir, { recursive: true });
  const venv = path.join(wheelDir, 'venv');
  const interpreter = describeInterpreter(plan.facts);
  const installDuration = await install(plan, { wheel, venv, interpreter }, deps);
  if (inputs.importCheck) {
    await core.group(logText`Import check: ${wheel.filename}`, () =>
      importCheckWheel({ os: inputs.runner.platform.os, venv, cwd: plan.workDir, wheel }, deps.exec),
    );
  }
  if (inputs.beforeTest) await beforeTest(plan, { script: inputs.beforeTest, wheel, venv }, deps);
  const tree = testTree(plan, wheelDir);
  const junit = path.join(plan.workDir, `junit-${index + 1}-${wheel.project}.xml`);
  const { report } = await runTests(plan, { wheel, venv, tree, junit }, deps);
  const result: WheelResult = {
    wheel: wheel.filename,
    path: wheel.path,
    interpreter,
    report,
    duration: report.time,
    installDuration,
    junit,
  };
  emitAnnotations(
    failureAnnotations(result, {
      runRoot: tree.root,
      base: tree.base,
      testsRelative: tree.testsRelative,
      workspace: inputs.runner.workspace,
    }),
  );
  return result;
}

/** The wheels `test-skip` names, each reported; the rest are tested. */
function applyTestSkip(
  files: readonly string[],
  patterns: readonly string[],
): { files: string[]; skipped: LeftOut[] } {
  const kept: string[] = [];
  const skipped: LeftOut[] = [];
  for (const file of files) {
    const pattern = patterns.length > 0 ? skipPatternFor(path.basename(file), patterns) : undefined;
    if (pattern === undefined) {
      kept.push(file);
      continue;
    }
    const left = { path: file, filename: path.basename(file), reason: `skipped by test-skip ('${pattern}')` };
    core.info(`not tested: ${left.filename}: ${left.reason}`);
    skipped.push(left);
  }
  return { files: kept, skipped };
}

/** The project's lock, when it has one and `lock` allows it: uv exports uv.lock even when pip installs. */
async function lockPhase(
  inputs: Inputs,
  context: { facts: InterpreterFacts; selection: Selection; uv: string | undefined; workDir: string },
  deps: Deps,
): Promise<{ locked: LockedSet | undefined; description: string }> {
  const { facts, selection, uv, workDir } = context;
  const outcome = await core.group('Lock', () =>
    lockedRequirements(
      {
        mode: inputs.lock,
        lock: findLock(inputs.workingDirectory, inputs.runner.workspace),
        uv,
        workingDirectory: inputs.workingDirectory,
        projects: new Set(selection.selected.map((w) => w.project)),
        extras: inputs.extras,
        groups: inputs.groups,
        interpreter: { ...facts, os: inputs.runner.platform.os, description: describeInterpreter(facts) },
        workDir,
      },
      deps.exec,
    ),
  );
  if (outcome.warning) core.warning(outcome.warning);
  if ('unlocked' in outcome) {
    core.info(`Not locked: ${outcome.unlocked}`);
    return { locked: undefined, description: `not locked (${outcome.unlocked})` };
  }
  core.info(`Installing at the locked versions of ${outcome.locked.description}`);
  return { locked: outcome.locked, description: `at the locked versions of ${outcome.locked.description}` };
}

/**
 * What is installed next to the wheel: pytest (unless the lock pins it), the `requirements`, and
 * the groups' requirements the lock does not install (the course layout's sample/ groups).
 */
function testRequirements(
  inputs: Inputs,
  context: { locked: LockedSet | undefined; sample: string | undefined },
): string[] {
  const { locked, sample } = context;
  const unlockedGroups = locked
    ? inputs.groups.filter((g) => !locked.groups.some((l) => normaliseName(l) === normaliseName(g)))
    : inputs.groups;
  const pyprojects = [
    path.join(inputs.workingDirectory, 'pyproject.toml'),
    ...(sample ? [path.join(sample, 'pyproject.toml')] : []),
  ];
  const groupRequirements =
    unlockedGroups.length > 0
      ? resolveGroups(
          pyprojects.map((file) => ({
            file: path.relative(inputs.runner.workspace, file) || file,
            table: readTomlIfExists(file),
          })),
          unlockedGroups,
        )
      : [];
  const pytest = locked?.pinned.has('pytest') ? [] : ['pytest'];
  return [...pytest, ...inputs.requirements, ...groupRequirements];
}

/** The exec the test run uses: stopped at `timeout-minutes` when set. */
function testExec(timeLimitMs: number | undefined, deps: Deps): Exec {
  if (timeLimitMs === undefined) return deps.exec;
  return execWithTimeLimit(
    timeLimitMs,
    (ms) =>
      `The test run was stopped after ${formatMinutes(ms)} (timeout-minutes: ${formatMinutes(ms)}). ` +
      "Look for a hanging test in the output above (pytest -v shows the last one started), or raise 'timeout-minutes'.",
  );
}

/** Every wheel found is skipped by test-skip: nothing to test, said so, and not a failure. */
async function allSkipped(inputs: Inputs, skipped: LeftOut[]): Promise<WheelResult[]> {
  core.notice(
    logText`Every wheel found is skipped by test-skip (${inputs.testSkip.join(' ')}); nothing was tested.`,
  );
  setOutput('results', '[]');
  setOutput('wheel', '');
  await writeSummary('Wheel tests', summaryMarkdown([], { notTested: skipped }));
  return [];
}

/** Interpreter: what the Python under test is, and the wheel tags it installs. */
function interpreterPhase(inputs: Inputs, deps: Deps): Promise<InterpreterFacts> {
  return core.group('Interpreter', async () => {
    const found = await queryInterpreter(inputs.python, deps.exec);
    core.info(logText`${inputs.python.display}: ${describeInterpreter(found)} at ${found.executable}`);
    core.info(
      logText`${found.tags.length} supported wheel tags (${found.tagSource === 'pip' ? "from pip's packaging" : 'computed'}), best: ${found.tags[0]}`,
    );
    return found;
  });
}

/** Select: the best wheel per project this interpreter installs; the others said why. */
function selectPhase(files: readonly string[], facts: InterpreterFacts): Selection {
  const selection = selectWheels(files, facts.tags);
  for (const w of selection.incompatible) core.info(logText`skipping ${w.filename}: ${w.reason}`);
  for (const w of selection.superseded) core.info(logText`skipping ${w.filename}: ${w.reason}`);
  if (selection.selected.length === 0)
    throw noCompatibleWheelError(selection, describeInterpreter(facts), facts.tags);
  for (const w of selection.selected) core.info(logText`testing ${w.filename} (tag ${w.tag})`);
  return selection;
}

/** Plan: the tests, the installer, a work directory, the lock and what goes next to the wheel. */
async function planPhase(
  inputs: Inputs,
  context: { facts: InterpreterFacts; selection: Selection },
  deps: Deps,
): Promise<{ plan: Plan; environment: string }> {
  const { facts, selection } = context;
  const tests = testsDirectory(inputs);
  const samplePyproject = path.join(inputs.workingDirectory, 'sample', 'pyproject.toml');
  const sample = pathKind(samplePyproject) === 'file' ? path.dirname(samplePyproject) : undefined;
  const uv = await deps.which('uv');
  const installer = chooseInstaller(inputs.installer, inputs.installer === 'pip' ? undefined : uv);
  mkdirSync(inputs.runner.runnerTemp, { recursive: true });
  const workDir = mkdtempSync(path.join(inputs.runner.runnerTemp, 'ferrowheel-test-'));
  const { locked, description } = await lockPhase(inputs, { facts, selection, uv, workDir }, deps);
  const plan: Plan = {
    inputs,
    facts,
    installer,
    tests,
    testRequirements: testRequirements(inputs, { locked, sample }),
    sample,
    workDir,
    locked,
    testExec: testExec(inputs.timeLimitMs, deps),
  };
  return { plan, environment: `with ${installer.kind}, ${description}` };
}

/** Report: outputs, the combined JUnit file and the job summary. */
async function reportPhase(
  plan: Plan,
  outcome: { results: WheelResult[]; notTested: LeftOut[]; environment: string },
): Promise<void> {
  const { results } = outcome;
  const junitPath = path.join(plan.workDir, 'junit.xml');
  combineJUnit(results, junitPath);
  setOutput('results', resultsOutput(results));
  setOutput('junit-path', junitPath);
  setOutput('wheel', results.map((r) => r.path).join('\n'), { multiLine: true });
  await writeSummary(
    'Wheel tests',
    summaryMarkdown(results, { notTested: outcome.notTested, environment: outcome.environment }),
  );
}

/** The run fails when any wheel's tests failed. */
function failOnFailures(results: readonly WheelResult[]): void {
  const failing = results.filter((r) => r.report.failures + r.report.errors > 0);
  if (failing.length === 0) return;
  throw new UserError(
    `Tests failed: ${failing
      .map((r) => `${r.wheel} (${r.report.failures} failed, ${r.report.errors} errors of ${r.report.tests})`)
      .join('; ')}. The failures are annotated on the test files; fix the code or the tests and rebuild.`,
  );
}

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps): Promise<WheelResult[]> {
  const found = await resolveWheelFiles(inputs.wheels, inputs.workingDirectory, inputs.runner.workspace);
  const { files, skipped } = applyTestSkip(found, inputs.testSkip);
  if (files.length === 0 && skipped.length > 0) return allSkipped(inputs, skipped);
  const facts = await interpreterPhase(inputs, deps);
  setOutput('python-version', facts.version);
  const selection = selectPhase(files, facts);
  const { plan, environment } = await planPhase(inputs, { facts, selection }, deps);
  const results: WheelResult[] = [];
  for (const [index, wheel] of selection.selected.entries())
    results.push(await testWheel(plan, wheel, index, deps));
  const notTested = [...skipped, ...selection.superseded, ...selection.incompatible];
  await reportPhase(plan, { results, notTested, environment });
  failOnFailures(results);
  return results;
}
