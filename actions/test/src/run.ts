/**
 * Tests each built wheel the way a user would meet it: installed into a fresh venv by pip or
 * uv, its extension module imported, then the project's pytest suite run from a temporary copy
 * of the tests, outside the source tree.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { CommandError, UserError } from '@ferrowheel/kit/errors';
import { childEnv, type Exec, exec as realExec } from '@ferrowheel/kit/exec';
import { pathKind } from '@ferrowheel/kit/files';
import { pathListSeparator, venvBinDir, venvPython } from '@ferrowheel/kit/platform';
import { readTomlIfExists } from '@ferrowheel/kit/project';
import { writeSummary } from '@ferrowheel/kit/summary';
import { resolveGroups } from './dependency-groups.js';
import {
  checkImports,
  claimsExtension,
  IMPORT_SNIPPET,
  type ImportResult,
  missingModuleError,
} from './import-check.js';
import { type Inputs, readInputs } from './inputs.js';
import {
  type Command,
  chooseInstaller,
  type Installer,
  installCommand,
  venvCommand,
  venvScript,
} from './installer.js';
import { describeInterpreter, type InterpreterFacts, queryInterpreter } from './interpreter.js';
import { parseJUnit } from './junit.js';
import {
  combineJUnit,
  emitAnnotations,
  failureAnnotations,
  resultsOutput,
  summaryMarkdown,
  type WheelResult,
} from './report.js';
import { copyTestTree } from './test-tree.js';
import { extensionModules, listZipEntries, topLevelNames } from './wheel-contents.js';
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

/** The last lines of a failed command's output, for an error message. */
function tail(thrown: unknown, lines = 15): string {
  const text = thrown instanceof CommandError ? thrown.output : String(thrown);
  return text.trim().split(/\r?\n/).slice(-lines).join('\n');
}

async function runCommand(
  deps: Deps,
  command: Command,
  options: { cwd: string; env?: Record<string, string> },
) {
  return deps.exec(command.program, command.args, options);
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

async function installWheel(plan: Plan, wheel: SelectedWheel, venv: string, deps: Deps): Promise<void> {
  const { inputs, installer } = plan;
  // From the project directory, so uv finds the project's own index settings (uv.toml,
  // [tool.uv] in pyproject.toml) as it would for the user; every path given is absolute.
  const cwd = inputs.workingDirectory;
  try {
    await runCommand(deps, venvCommand(installer, { python: plan.facts.executable, venv }), { cwd });
  } catch (thrown) {
    throw new UserError(
      `Could not create a virtual environment with ${plan.facts.executable}:\n${tail(thrown)}\n` +
        "On Debian/Ubuntu install python3-venv, or set 'installer' to uv.",
    );
  }
  try {
    // The project itself never comes from an index: exactly this file, nothing else.
    await runCommand(
      deps,
      installCommand(installer, {
        os: inputs.os,
        venv,
        requirements: [wheel.path],
        noIndex: true,
        noDeps: true,
      }),
      { cwd },
    );
  } catch (thrown) {
    throw new UserError(
      `The wheel ${wheel.filename} does not install into a fresh venv of ${describeInterpreter(plan.facts)}:\n${tail(thrown)}\n` +
        "Check the wheel's requires-python and tags against this interpreter.",
    );
  }
  const extras = inputs.extras.length > 0 ? `[${inputs.extras.join(',')}]` : '';
  // The wheel again, as a direct reference: its dependencies (and extras) resolve from the index,
  // and sample/'s dependency on the project is satisfied by this file, not by a download.
  const requirements = [
    `${wheel.path}${extras}`,
    ...(plan.sample ? [plan.sample] : []),
    ...plan.testRequirements,
  ];
  try {
    await runCommand(deps, installCommand(installer, { os: inputs.os, venv, requirements }), { cwd });
  } catch (thrown) {
    throw new UserError(
      `Could not install the test requirements of ${wheel.filename} (${requirements.slice(1).join(', ')}${extras ? `, extras ${extras}` : ''}) with ${installer.kind}:\n${tail(thrown)}\n` +
        "Check the names and versions in 'requirements', 'groups' and 'extras', and that the package index is reachable " +
        '(PIP_INDEX_URL / UV_INDEX_URL).',
    );
  }
}

async function importCheck(plan: Plan, wheel: SelectedWheel, venv: string, deps: Deps): Promise<void> {
  const entries = await listZipEntries(wheel.path);
  const modules = extensionModules(entries);
  const python = venvPython(plan.inputs.os, venv);
  const importAll = async (names: string[]): Promise<ImportResult[]> => {
    const { stdout } = await deps.exec(python, ['-c', IMPORT_SNIPPET, ...names], {
      cwd: plan.workDir,
      silent: true,
    });
    return JSON.parse(stdout.trim().split(/\r?\n/).at(-1) ?? '[]') as ImportResult[];
  };
  if (modules.length === 0) {
    if (!claimsExtension(wheel.filename)) {
      core.info(
        `${wheel.filename} has no extension module and claims none (ABI tag 'none'): nothing to import-check.`,
      );
      return;
    }
    const names = topLevelNames(entries);
    const imported =
      names.length > 0 ? (await importAll(names)).filter((r) => r.ok).map((r) => r.module) : [];
    throw missingModuleError(wheel.filename, imported);
  }
  const results = await importAll(modules.map((m) => m.module));
  checkImports(wheel.filename, modules, results, { venv });
  for (const r of results)
    core.info(`import ${r.module}: ok (${r.file}), PyInit_${r.module.split('.').at(-1)} exported`);
}

async function testWheel(plan: Plan, wheel: SelectedWheel, index: number, deps: Deps): Promise<WheelResult> {
  const { inputs } = plan;
  const wheelDir = path.join(plan.workDir, `${index + 1}-${wheel.project}`);
  mkdirSync(wheelDir, { recursive: true });
  const venv = path.join(wheelDir, 'venv');

  const installStarted = deps.now();
  await core.group(`Install ${wheel.filename} (${plan.installer.kind})`, () =>
    installWheel(plan, wheel, venv, deps),
  );
  const installDuration = (deps.now() - installStarted) / 1000;
  core.info(`Installed in ${installDuration.toFixed(2)} s`);

  if (inputs.importCheck) {
    await core.group(`Import check: ${wheel.filename}`, () => importCheck(plan, wheel, venv, deps));
  }

  // Tests are relative to the project, or to the workspace when they live outside it.
  const inProject = !path.relative(inputs.workingDirectory, plan.tests).startsWith('..');
  const base = inProject ? inputs.workingDirectory : inputs.workspace;
  const tree = copyTestTree({ base, tests: plan.tests, root: path.join(wheelDir, 'run') });
  const junit = path.join(plan.workDir, `junit-${index + 1}-${wheel.project}.xml`);
  const pytest = venvScript(inputs.os, venv, 'pytest');
  const args = [
    tree.testsRelative || '.',
    `--junitxml=${junit}`,
    // xunit1 records each test's file and line, which the annotations need.
    '-o',
    'junit_family=xunit1',
    // The copy is thrown away; a cache would only write into it.
    '-p',
    'no:cacheprovider',
    `--rootdir=${tree.root}`,
    ...inputs.pytestArgs,
  ];
  const env = childEnv({
    VIRTUAL_ENV: venv,
    PATH: `${venvBinDir(inputs.os, venv)}${pathListSeparator(inputs.os)}${process.env.PATH ?? ''}`,
    PYTHONHOME: undefined,
  });
  const { exitCode, stdout, stderr } = await core.group(`pytest: ${wheel.filename}`, () =>
    deps.exec(pytest, args, { cwd: tree.root, env, allowFailure: true }),
  );
  if (pathKind(junit) !== 'file') {
    throw new UserError(
      `pytest exited with code ${exitCode} without a report for ${wheel.filename}:\n${`${stdout}${stderr}`.trim().split('\n').slice(-15).join('\n')}\n` +
        "Check 'pytest-args' and the tests' configuration.",
    );
  }
  const report = parseJUnit(readFileSync(junit, 'utf8'));
  if (exitCode === 5 || (report.tests === 0 && report.errors === 0)) {
    throw new UserError(
      `pytest collected no tests from ${path.relative(inputs.workspace, plan.tests) || '.'} for ${wheel.filename}. ` +
        "Point 'tests' at the directory holding test_*.py files, or check the '-k'/'-m' filters in 'pytest-args'.",
    );
  }
  if (exitCode === 3 || exitCode === 4) {
    throw new UserError(
      `pytest failed to run (exit code ${exitCode}) for ${wheel.filename}. See the log above; check 'pytest-args'.`,
    );
  }
  const result: WheelResult = {
    wheel: wheel.filename,
    path: wheel.path,
    interpreter: describeInterpreter(plan.facts),
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
  const files = await resolveWheelFiles(inputs.wheels, inputs.workingDirectory);
  const facts = await core.group('Interpreter', async () => {
    const found = await queryInterpreter(inputs.python, deps.exec);
    core.info(`${inputs.python.display}: ${describeInterpreter(found)} at ${found.executable}`);
    core.info(
      `${found.tags.length} supported wheel tags (${found.tagSource === 'pip' ? "from pip's packaging" : 'computed'}), best: ${found.tags[0]}`,
    );
    return found;
  });
  core.setOutput('python-version', facts.version);

  const selection = selectWheels(files, facts.tags);
  for (const w of selection.incompatible) core.info(`skipping ${w.filename}: ${w.reason}`);
  for (const w of selection.superseded) core.info(`skipping ${w.filename}: ${w.reason}`);
  if (selection.selected.length === 0)
    throw noCompatibleWheelError(selection, describeInterpreter(facts), facts.tags);
  for (const w of selection.selected) core.info(`testing ${w.filename} (tag ${w.tag})`);

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
  core.setOutput('results', resultsOutput(results));
  core.setOutput('junit-path', junitPath);
  core.setOutput('wheel', results.map((r) => r.path).join('\n'));
  await writeSummary('Wheel tests', summaryMarkdown(results));

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
