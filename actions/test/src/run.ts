/**
 * Tests each built wheel the way a user would meet it: installed into a fresh venv by pip or
 * uv (at the project's locked versions when it has a lock), its extension module imported, then
 * the project's pytest suite run in the checkout with `import` held to the installed wheel (or,
 * with `test-sources`, from a temporary copy of the tests).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import type { DockerPlatform } from '@ferrowheel/kit/docker-platform';
import { UserError } from '@ferrowheel/kit/errors';
import { type Exec, exec as realExec } from '@ferrowheel/kit/exec';
import { pathKind } from '@ferrowheel/kit/files';
import { logText } from '@ferrowheel/kit/log-text';
import { setOutput } from '@ferrowheel/kit/outputs';
import type { PinnedInstall } from '@ferrowheel/kit/pinned-tool';
import { readTomlIfExists } from '@ferrowheel/kit/project';
import { locateProject, type ProjectLayout } from '@ferrowheel/kit/project-layout';
import type { Installer } from '@ferrowheel/kit/python-installer';
import { writeSummary } from '@ferrowheel/kit/summary';
import { skipPatternFor } from '@ferrowheel/kit/test-skip';
import { execWithTimeLimit } from '@ferrowheel/kit/time-limit';
import { normaliseName } from '@ferrowheel/kit/wheel';
import { runBeforeTest } from './before-test.js';
import { architectureMismatch, startContainer } from './container.js';
import { fetchStaticUv, toolCacheDir } from './container-uv.js';
import { resolveGroups } from './dependency-groups.js';
import { type Executor, hostExecutor } from './executor.js';
import { importCheckScript, importCheckWheel } from './import-check.js';
import { type Inputs, readInputs } from './inputs.js';
import { chooseInstaller } from './installer.js';
import { describeInterpreter, factsProbe, type InterpreterFacts, queryInterpreter } from './interpreter.js';
import type { JUnitReport } from './junit.js';
import { type LockedSet, lockedRequirements } from './lock.js';
import { fetchPinnedUv, type ToolPlaces, toolPlaces, uvForLock } from './lock-uv.js';
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
import { checkoutSafeEnvironment, type TestTree, testTree } from './test-tree.js';
import { createTestVenv } from './test-venv.js';
import { installWheelFirst, wheelFirstScript } from './wheel-first.js';
import {
  type LeftOut,
  noCompatibleWheelError,
  type SelectedWheel,
  type Selection,
  selectWheels,
} from './wheel-selection.js';
import { resolveWheelFiles } from './wheel-source.js';
import { createWheelhouse, hostPipPython, type Wheelhouse } from './wheelhouse.js';

export interface Deps {
  exec: Exec;
  /** The path of a program on PATH, or undefined. */
  which: (program: string) => Promise<string | undefined>;
  now: () => number;
  /** The pinned static uv a container installs with (container-uv.ts). */
  staticUv: typeof fetchStaticUv;
  /** The pinned uv (kit uv.ts), for a uv.lock when no uv is on PATH. */
  fetchUv: (places: ToolPlaces, exec: Exec) => Promise<PinnedInstall>;
}

export const defaultDeps: Deps = {
  exec: realExec,
  which: async (program) => {
    const io = await import('@actions/io');
    const found = await io.which(program, false);
    return found === '' ? undefined : found;
  },
  now: () => performance.now(),
  staticUv: fetchStaticUv,
  fetchUv: fetchPinnedUv,
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
  /** Where the target commands run: the runner, or the run's container. */
  executor: Executor;
  /** What a container installs from; undefined on the runner (the package index). */
  wheelhouse: Wheelhouse | undefined;
  /** Where the project's pieces are (kit's project locator). */
  layout: ProjectLayout;
}

/** pytest on the tests (in place, or their copy), or the `test-command` instead, with the time limit. */
function runTests(
  plan: Plan,
  run: {
    wheel: SelectedWheel;
    venv: string;
    tree: TestTree;
    junit: string;
    environment: Record<string, string>;
  },
): Promise<{ report: JUnitReport }> {
  const { inputs } = plan;
  const { wheel, venv, tree, junit, environment } = run;
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
            environment,
            which: (program) => plan.executor.which(program),
            isProgram: (file) => plan.executor.isProgram(file),
            baseEnv: plan.executor.env,
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
            environment,
            baseEnv: plan.executor.env,
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
        wheelhouse: plan.wheelhouse,
      },
      plan.executor.run(deps.exec),
    ),
  );
  const duration = (deps.now() - started) / 1000;
  core.info(logText`Installed in ${duration.toFixed(2)} s`);
  // The tests run in the checkout: the wheel's import names are held to site-packages.
  const held = await installWheelFirst(
    { os: inputs.runner.platform.os, venv, wheel, script: plan.executor.shipped(wheelFirstScript()) },
    plan.executor.run(deps.exec),
  );
  if (held.length > 0) core.info(logText`import ${held.join(', ')}: from the installed wheel only`);
  return duration;
}

/** The `before-test` script, in the wheel's venv. */
async function beforeTest(
  plan: Plan,
  run: { script: string; wheel: SelectedWheel; venv: string; environment: Record<string, string> },
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
        workspace,
        baseEnv: plan.executor.env,
      },
      plan.executor.run(deps.exec),
    ),
  );
}

/** Where the tests run: in place, or with test-sources a copy under `wheelDir` (test-tree.ts). */
function treeFor(plan: Plan, wheelDir: string): TestTree {
  const { inputs } = plan;
  return testTree({
    workingDirectory: inputs.workingDirectory,
    workspace: inputs.runner.workspace,
    tests: plan.tests,
    sources: inputs.testSources,
    copyRoot: path.join(wheelDir, 'run'),
  });
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
      importCheckWheel(
        {
          os: inputs.runner.platform.os,
          venv,
          cwd: plan.workDir,
          wheel,
          script: plan.executor.shipped(importCheckScript()),
        },
        plan.executor.run(deps.exec),
      ),
    );
  }
  const environment = { ...checkoutSafeEnvironment(wheelDir), ...inputs.testEnvironment };
  if (inputs.beforeTest)
    await beforeTest(plan, { script: inputs.beforeTest, wheel, venv, environment }, deps);
  const tree = treeFor(plan, wheelDir);
  const junit = path.join(plan.workDir, `junit-${index + 1}-${wheel.project}.xml`);
  const { report } = await runTests(plan, { wheel, venv, tree, junit, environment });
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
  context: {
    facts: InterpreterFacts;
    selection: Selection;
    uv: string | undefined;
    workDir: string;
    executor: Executor;
    layout: ProjectLayout;
  },
  deps: Deps,
): Promise<{ locked: LockedSet | undefined; description: string; warning: string | undefined }> {
  const { facts, selection, uv, workDir, executor, layout } = context;
  const places = toolPlaces(inputs.runner);
  const outcome = await core.group('Lock', () =>
    lockedRequirements(
      {
        mode: inputs.lock,
        lock: layout.lock,
        uv: () => uvForLock(uv, () => deps.fetchUv(places, deps.exec)),
        workingDirectory: inputs.workingDirectory,
        groupSources: layout.groupSources,
        workspaceMember: layout.uv.member,
        projects: new Set(selection.selected.map((w) => w.project)),
        extras: inputs.extras,
        groups: inputs.groups,
        interpreter: { ...facts, os: inputs.runner.platform.os, description: describeInterpreter(facts) },
        // uv runs on the runner: it can check the lock with the interpreter under test only when
        // that is here too (a container's is not); else uv finds one on PATH, never downloading one.
        hostPython: executor.kind === 'host' ? facts.executable : undefined,
        workDir,
      },
      deps.exec,
    ),
  );
  const { warning } = outcome;
  if (warning) core.warning(warning);
  if ('unlocked' in outcome) {
    core.info(`Not locked: ${outcome.unlocked}`);
    return { locked: undefined, description: `not locked (${outcome.unlocked})`, warning };
  }
  core.info(`Installing at the locked versions of ${outcome.locked.description}`);
  return {
    locked: outcome.locked,
    description: `at the locked versions of ${outcome.locked.description}`,
    warning,
  };
}

/**
 * What is installed next to the wheel: pytest (unless the lock pins it), the `requirements`, and
 * the groups' requirements the lock does not install (the course layout's sample/ groups).
 */
function testRequirements(
  inputs: Inputs,
  context: { locked: LockedSet | undefined; sample: string | undefined; layout: ProjectLayout },
): string[] {
  const { locked, sample, layout } = context;
  const unlockedGroups = locked
    ? inputs.groups.filter((g) => !locked.groups.some((l) => normaliseName(l) === normaliseName(g)))
    : inputs.groups;
  // The project's groups, then its uv workspace root's (a member's `dev` group often lives
  // there), then the course layout's sample/pyproject.toml.
  const files = [
    ...layout.groupSources.map((source) => source.file),
    ...(sample ? [path.join(sample, 'pyproject.toml')] : []),
  ];
  if (files.length === 0) files.push(path.join(inputs.workingDirectory, 'pyproject.toml'));
  const groupRequirements =
    unlockedGroups.length > 0
      ? resolveGroups(
          files.map((file) => ({
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

/**
 * The static uv a container installs with (container-uv.ts), unless `installer` is pip. When it
 * cannot be had, `auto` goes on with pip, saying why; `uv` stops.
 */
function containerUv(
  inputs: Inputs,
  deps: Deps,
): ((engine: DockerPlatform) => Promise<string | undefined>) | undefined {
  if (inputs.installer === 'pip') return undefined;
  const { runner } = inputs;
  return async (engine) => {
    try {
      const uv = await deps.staticUv({
        engine,
        toolCache: toolCacheDir(runner.env, runner.runnerTemp),
        tempDir: runner.runnerTemp,
      });
      const from =
        uv.outcome === 'tool-cache'
          ? 'the tool cache'
          : "its PyPI wheel, SHA-256 checked against ferrowheel's pin";
      core.info(logText`The container installs with uv ${uv.version} (static, from ${from})`);
      return uv.program;
    } catch (thrown) {
      if (inputs.installer === 'uv' || !(thrown instanceof UserError)) throw thrown;
      core.info(logText`The container installs with pip: uv could not be had (${thrown.message})`);
      return undefined;
    }
  };
}

/** Where: the runner, or the run's container when `container` is set (checked, then started). */
async function startExecutor(inputs: Inputs, workDir: string, deps: Deps): Promise<Executor> {
  if (!inputs.container) return hostExecutor(deps.which);
  const spec = inputs.container;
  const uv = containerUv(inputs, deps);
  return core.group(logText`Container: ${spec.image}`, () =>
    startContainer(
      {
        spec,
        mounts: [inputs.runner.workspace, path.resolve(inputs.runner.runnerTemp)],
        workDir,
        user: process.getuid && process.getgid ? { uid: process.getuid(), gid: process.getgid() } : undefined,
        ...(uv ? { uv } : {}),
      },
      deps.exec,
    ),
  );
}

/** Interpreter: what the Python under test is, and the wheel tags it installs, asked where the tests run. */
function interpreterPhase(inputs: Inputs, executor: Executor, deps: Deps): Promise<InterpreterFacts> {
  return core.group('Interpreter', async () => {
    const found = await queryInterpreter(inputs.python, executor.run(deps.exec), {
      probe: executor.shipped(factsProbe()),
      ...(executor.kind === 'container' ? { where: executor.where } : {}),
    });
    core.info(logText`${inputs.python.display}: ${describeInterpreter(found)} at ${found.executable}`);
    core.info(
      logText`${found.tags.length} supported wheel tags (${found.tagSource === 'pip' ? "from pip's packaging" : 'computed'}), best: ${found.tags[0]}`,
    );
    return found;
  });
}

/** Select: the best wheel per project this interpreter installs; the others said why. */
function selectPhase(files: readonly string[], facts: InterpreterFacts, executor: Executor): Selection {
  const selection = selectWheels(files, facts.tags);
  for (const w of selection.incompatible) core.info(logText`skipping ${w.filename}: ${w.reason}`);
  for (const w of selection.superseded) core.info(logText`skipping ${w.filename}: ${w.reason}`);
  if (selection.selected.length === 0) {
    const mismatch =
      executor.kind === 'container'
        ? architectureMismatch(files, facts.tags[0] ?? '', executor.where)
        : undefined;
    throw mismatch ?? noCompatibleWheelError(selection, describeInterpreter(facts), facts.tags);
  }
  for (const w of selection.selected) core.info(logText`testing ${w.filename} (tag ${w.tag})`);
  return selection;
}

/** A container's wheelhouse, filled on the runner by its Python's pip; undefined on the runner. */
async function wheelhousePhase(
  executor: Executor,
  context: { facts: InterpreterFacts; workDir: string },
  deps: Deps,
): Promise<Wheelhouse | undefined> {
  if (executor.kind === 'host') return undefined;
  const { facts, workDir } = context;
  return createWheelhouse(
    {
      dir: path.join(workDir, 'wheelhouse'),
      python: await hostPipPython(deps.exec, deps.which),
      target: { ...facts, description: describeInterpreter(facts) },
    },
    deps.exec,
  );
}

/** Plan: the tests, the installer, the lock and what goes next to the wheel, where the tests run. */
async function planPhase(
  inputs: Inputs,
  context: { facts: InterpreterFacts; selection: Selection; executor: Executor; workDir: string },
  deps: Deps,
): Promise<{ plan: Plan; environment: string; warning: string | undefined }> {
  const { facts, selection, executor, workDir } = context;
  const tests = testsDirectory(inputs);
  const samplePyproject = path.join(inputs.workingDirectory, 'sample', 'pyproject.toml');
  const sample = pathKind(samplePyproject) === 'file' ? path.dirname(samplePyproject) : undefined;
  const uv = await deps.which('uv');
  // The installer runs where the tests run: uv when that place has it.
  const targetUv = executor.kind === 'host' ? uv : await executor.which('uv');
  const installer = chooseInstaller(inputs.installer, inputs.installer === 'pip' ? undefined : targetUv);
  const layout = locateProject({ dir: inputs.workingDirectory, workspace: inputs.runner.workspace });
  const { locked, description, warning } = await lockPhase(
    inputs,
    { facts, selection, uv, workDir, executor, layout },
    deps,
  );
  const plan: Plan = {
    inputs,
    facts,
    installer,
    tests,
    testRequirements: testRequirements(inputs, { locked, sample, layout }),
    sample,
    workDir,
    locked,
    testExec: executor.run(testExec(inputs.timeLimitMs, deps)),
    executor,
    wheelhouse: await wheelhousePhase(executor, { facts, workDir }, deps),
    layout,
  };
  return { plan, environment: `with ${installer.kind}, ${description}`, warning };
}

/** Report: outputs, the combined JUnit file and the job summary. */
async function reportPhase(
  plan: Plan,
  outcome: {
    results: WheelResult[];
    notTested: LeftOut[];
    environment: string;
    /** A lock the step could not honour: the summary repeats the warning. */
    warning: string | undefined;
  },
): Promise<void> {
  const { results } = outcome;
  const junitPath = path.join(plan.workDir, 'junit.xml');
  combineJUnit(results, junitPath);
  setOutput('results', resultsOutput(results));
  setOutput('junit-path', junitPath);
  setOutput('wheel', results.map((r) => r.path).join('\n'), { multiLine: true });
  await writeSummary(
    'Wheel tests',
    summaryMarkdown(results, {
      notTested: outcome.notTested,
      environment: outcome.environment,
      ...(plan.executor.kind === 'container' ? { where: plan.executor.where } : {}),
      ...(outcome.warning ? { warnings: [outcome.warning] } : {}),
    }),
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
  mkdirSync(inputs.runner.runnerTemp, { recursive: true });
  const workDir = mkdtempSync(path.join(inputs.runner.runnerTemp, 'ferrowheel-test-'));
  const executor = await startExecutor(inputs, workDir, deps);
  try {
    const facts = await interpreterPhase(inputs, executor, deps);
    setOutput('python-version', facts.version);
    const selection = selectPhase(files, facts, executor);
    const { plan, environment, warning } = await planPhase(
      inputs,
      { facts, selection, executor, workDir },
      deps,
    );
    const results: WheelResult[] = [];
    for (const [index, wheel] of selection.selected.entries())
      results.push(await testWheel(plan, wheel, index, deps));
    const notTested = [...skipped, ...selection.superseded, ...selection.incompatible];
    await reportPhase(plan, { results, notTested, environment, warning });
    failOnFailures(results);
    return results;
  } finally {
    await executor.stop();
  }
}
