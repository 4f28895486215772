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
import { resolveGroups } from './dependency-groups.js';
import { importCheckWheel } from './import-check.js';
import { type Inputs, readInputs } from './inputs.js';
import { chooseInstaller, type Installer } from './installer.js';
import { describeInterpreter, type InterpreterFacts, queryInterpreter } from './interpreter.js';
import { runPytest } from './pytest-run.js';
import {
  combineJUnit,
  emitAnnotations,
  failureAnnotations,
  resultsOutput,
  summaryMarkdown,
  type WheelResult,
} from './report.js';
import { copyTestTree } from './test-tree.js';
import { createTestVenv } from './test-venv.js';
import { noCompatibleWheelError, type SelectedWheel, selectWheels } from './wheel-selection.js';
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
}

async function testWheel(plan: Plan, wheel: SelectedWheel, index: number, deps: Deps): Promise<WheelResult> {
  const { inputs } = plan;
  const wheelDir = path.join(plan.workDir, `${index + 1}-${wheel.project}`);
  mkdirSync(wheelDir, { recursive: true });
  const venv = path.join(wheelDir, 'venv');
  const interpreter = describeInterpreter(plan.facts);

  const installStarted = deps.now();
  await core.group(logText`Install ${wheel.filename} (${plan.installer.kind})`, () =>
    createTestVenv(
      {
        os: inputs.os,
        installer: plan.installer,
        python: plan.facts.executable,
        interpreter,
        venv,
        cwd: inputs.workingDirectory,
        wheel,
        extras: inputs.extras,
        sample: plan.sample,
        testRequirements: plan.testRequirements,
      },
      deps.exec,
    ),
  );
  const installDuration = (deps.now() - installStarted) / 1000;
  core.info(logText`Installed in ${installDuration.toFixed(2)} s`);

  if (inputs.importCheck) {
    await core.group(logText`Import check: ${wheel.filename}`, () =>
      importCheckWheel({ os: inputs.os, venv, cwd: plan.workDir, wheel }, deps.exec),
    );
  }

  // Tests are relative to the project, or to the workspace when they live outside it.
  const inProject = !path.relative(inputs.workingDirectory, plan.tests).startsWith('..');
  const base = inProject ? inputs.workingDirectory : inputs.workspace;
  const tree = copyTestTree({ base, tests: plan.tests, root: path.join(wheelDir, 'run') });
  const junit = path.join(plan.workDir, `junit-${index + 1}-${wheel.project}.xml`);
  const { report } = await core.group(logText`pytest: ${wheel.filename}`, () =>
    runPytest(
      {
        os: inputs.os,
        venv,
        tree,
        junit,
        userArgs: inputs.pytestArgs,
        wheel: wheel.filename,
        testsLabel: path.relative(inputs.workspace, plan.tests) || '.',
      },
      deps.exec,
    ),
  );
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
      workspace: inputs.workspace,
    }),
  );
  return result;
}

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps): Promise<WheelResult[]> {
  const files = await resolveWheelFiles(inputs.wheels, inputs.workingDirectory, inputs.workspace);
  const facts = await core.group('Interpreter', async () => {
    const found = await queryInterpreter(inputs.python, deps.exec);
    core.info(logText`${inputs.python.display}: ${describeInterpreter(found)} at ${found.executable}`);
    core.info(
      logText`${found.tags.length} supported wheel tags (${found.tagSource === 'pip' ? "from pip's packaging" : 'computed'}), best: ${found.tags[0]}`,
    );
    return found;
  });
  setOutput('python-version', facts.version);

  const selection = selectWheels(files, facts.tags);
  for (const w of selection.incompatible) core.info(logText`skipping ${w.filename}: ${w.reason}`);
  for (const w of selection.superseded) core.info(logText`skipping ${w.filename}: ${w.reason}`);
  if (selection.selected.length === 0)
    throw noCompatibleWheelError(selection, describeInterpreter(facts), facts.tags);
  for (const w of selection.selected) core.info(logText`testing ${w.filename} (tag ${w.tag})`);

  const tests = testsDirectory(inputs);
  const samplePyproject = path.join(inputs.workingDirectory, 'sample', 'pyproject.toml');
  const sample = pathKind(samplePyproject) === 'file' ? path.dirname(samplePyproject) : undefined;
  const projectPyproject = path.join(inputs.workingDirectory, 'pyproject.toml');
  const groupRequirements =
    inputs.groups.length > 0
      ? resolveGroups(
          [projectPyproject, ...(sample ? [samplePyproject] : [])].map((file) => ({
            file: path.relative(inputs.workspace, file) || file,
            table: readTomlIfExists(file),
          })),
          inputs.groups,
        )
      : [];
  const installer = chooseInstaller(
    inputs.installer,
    inputs.installer === 'pip' ? undefined : await deps.which('uv'),
  );
  mkdirSync(inputs.runnerTemp, { recursive: true });
  const plan: Plan = {
    inputs,
    facts,
    installer,
    tests,
    testRequirements: ['pytest', ...inputs.requirements, ...groupRequirements],
    sample,
    workDir: mkdtempSync(path.join(inputs.runnerTemp, 'ferrowheel-test-')),
  };

  const results: WheelResult[] = [];
  for (const [index, wheel] of selection.selected.entries())
    results.push(await testWheel(plan, wheel, index, deps));

  const junitPath = path.join(plan.workDir, 'junit.xml');
  combineJUnit(results, junitPath);
  setOutput('results', resultsOutput(results));
  setOutput('junit-path', junitPath);
  setOutput('wheel', results.map((r) => r.path).join('\n'), { multiLine: true });
  await writeSummary(
    'Wheel tests',
    summaryMarkdown(results, { notTested: [...selection.superseded, ...selection.incompatible] }),
  );

  const failing = results.filter((r) => r.report.failures + r.report.errors > 0);
  if (failing.length > 0) {
    throw new UserError(
      `Tests failed: ${failing
        .map(
          (r) => `${r.wheel} (${r.report.failures} failed, ${r.report.errors} errors of ${r.report.tests})`,
        )
        .join('; ')}. The failures are annotated on the test files; fix the code or the tests and rebuild.`,
    );
  }
  return results;
}
