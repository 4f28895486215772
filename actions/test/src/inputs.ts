/** The only place the test action reads its inputs: one parse into a typed object. */
import { globBase } from '@ferrowheel/kit/containment';
import { type RunnerContext, runnerContext } from '@ferrowheel/kit/context';
import { parseDockerImage } from '@ferrowheel/kit/docker-image';
import { DOCKER_PLATFORMS, parseDockerPlatform } from '@ferrowheel/kit/docker-platform';
import { InputError } from '@ferrowheel/kit/errors';
import { pathKind } from '@ferrowheel/kit/files';
import {
  containedInputPath,
  envInputSource,
  getArgv,
  getBoolean,
  getEnum,
  getList,
  getProgram,
  getString,
  getWorkspacePath,
  type InputSource,
  mapInputSource,
  splitList,
} from '@ferrowheel/kit/inputs';
import type { Os } from '@ferrowheel/kit/platform';
import { ok } from '@ferrowheel/kit/result';
import { checkScriptInput } from '@ferrowheel/kit/scripts';
import { checkSkipPattern } from '@ferrowheel/kit/test-skip';
import type { ContainerSpec } from './container.js';
import { containerPythonCommand, type PythonCommand, pythonCommand } from './interpreter.js';
import { LOCK_MODES, type LockMode } from './lock.js';
import { requirementPath, splitRequirements } from './requirements.js';
import { unknownPlaceholder } from './test-command.js';
import { parseTestEnvironment } from './test-environment.js';
import { parseWheelsInput, type WheelsSpec } from './wheel-source.js';

export const INSTALLERS = ['auto', 'uv', 'pip'] as const;
export type InstallerChoice = (typeof INSTALLERS)[number];

export interface Inputs extends TestOptions {
  wheels: WheelsSpec;
  python: PythonCommand;
  /** Absolute path of the tests directory, or undefined for the default (`sample/tests`, `tests`). */
  tests: string | undefined;
  requirements: string[];
  extras: string[];
  groups: string[];
  pytestArgs: string[];
  installer: InstallerChoice;
  workingDirectory: string;
  importCheck: boolean;
  /** The runner this runs on (workspace, runner temp, platform, environment). */
  runner: RunnerContext;
  /** The image and platform to test in; undefined: on the runner itself. */
  container: ContainerSpec | undefined;
}

/** PEP 685 / PEP 735 names: letters, digits, and `-_.` inside. */
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

function nameList(source: InputSource, input: string, what: string): string[] {
  return getList(source, input, {
    validate: (item) => (NAME.test(item) ? undefined : `holds '${item}', which is not a valid ${what}`),
    allowed: `Give ${what}s separated by commas, spaces or newlines (letters, digits, '-', '_', '.').`,
  });
}

function programCommand(program: string): PythonCommand {
  return { program, args: [], display: program };
}

/** `tests`: a directory relative to working-directory, or undefined for the default. */
function readTests(
  source: InputSource,
  where: { workspace: string; workingDirectory: string },
): string | undefined {
  const raw = getString(source, 'tests');
  if (raw === '') return undefined;
  const tests = getWorkspacePath(source, 'tests', {
    workspace: where.workspace,
    base: where.workingDirectory,
    outsideFix: 'Give the tests directory relative to working-directory, inside the checkout.',
  });
  const kind = pathKind(tests);
  if (kind === 'directory') return tests;
  throw new InputError(
    'tests',
    raw,
    kind === 'file' ? `is a file (${tests}), not a directory` : `does not exist (looked for ${tests})`,
    'Give the directory holding your pytest tests, relative to working-directory.',
  );
}

/** `requirements`: PEP 508 lines, paths and URLs (checked to be inside the workspace later). */
function readRequirements(source: InputSource): string[] {
  const requirements = splitRequirements(getString(source, 'requirements', { multiLine: true }));
  if (!('bad' in requirements)) return requirements.items;
  // An installer option here would reach pip/uv's argv (an --index-url sends the install elsewhere).
  throw requirements.bad.startsWith('-')
    ? new InputError(
        'requirements',
        requirements.bad,
        'is an installer option; only -r <file> is taken here',
        'Give requirements, paths or URLs; set index options in the environment instead (PIP_INDEX_URL, UV_INDEX_URL, PIP_EXTRA_INDEX_URL...).',
      )
    : new InputError(
        'requirements',
        requirements.bad,
        'is not a PEP 508 requirement, a path or a URL',
        "Give one requirement per line, e.g. 'pytest-xdist>=3' or 'hypothesis[cli]'.",
      );
}

function readPython(
  source: InputSource,
  context: RunnerContext,
  container: ContainerSpec | undefined,
): PythonCommand {
  const raw = getString(source, 'python');
  const os = context.platform.os;
  // A version (3.12) picks an interpreter by name; anything else names ONE program (kit's
  // getProgram): `/bin/sh -c "..."` is an input error, never a command line. In a container it is
  // the image's program, which the runner cannot see.
  const python = container
    ? containerPythonCommand(raw)
    : raw === '' || /^3\.\d+t?$/.test(raw)
      ? pythonCommand(raw, { os, workspace: context.workspace })
      : ok(
          programCommand(
            getProgram(source, 'python', {
              base: context.workspace,
              os,
              env: context.env,
              what: 'a Python interpreter',
            }),
          ),
        );
  if (python.ok) return python.value;
  throw new InputError(
    'python',
    raw,
    python.problem,
    container
      ? "Give a command of the image (python3.12), an absolute path in it, or a version (3.12); 'container' runs it in the image."
      : 'Give a command (python3.12), a path, or a version (3.12).',
  );
}

function readWheels(source: InputSource): WheelsSpec {
  const raw = getString(source, 'wheels', { default: 'dist', multiLine: true });
  const wheels = parseWheelsInput(raw);
  if (wheels.ok) return wheels.value;
  throw new InputError(
    'wheels',
    raw,
    wheels.problem,
    "Give a directory (dist), a glob (dist/*.whl), or the build action's `wheels` output.",
  );
}

/** The wheel paths and requirement files given must lie inside the workspace. */
function checkContained(
  spec: { wheels: WheelsSpec; requirements: readonly string[] },
  where: { workspace: string; workingDirectory: string },
): void {
  const { workspace, workingDirectory: base } = where;
  for (const entry of spec.wheels.kind === 'files' ? spec.wheels.files : spec.wheels.patterns) {
    // A glob is checked up to its first wildcard segment; each file it matches is checked again
    // when the wheels are listed (wheel-source.ts).
    containedInputPath('wheels', globBase(entry), {
      given: entry,
      workspace,
      base,
      outsideFix:
        "Give wheels inside the checkout, relative to working-directory (dist, dist/*.whl), or the build action's `wheels` output.",
    });
  }
  for (const item of spec.requirements) {
    const file = requirementPath(item);
    if (file === undefined) continue;
    containedInputPath('requirements', file, {
      workspace,
      base,
      outsideFix:
        'Give requirement files and local paths inside the checkout, relative to working-directory.',
    });
  }
}

export function readInputs(
  source: InputSource = envInputSource(),
  context: RunnerContext = runnerContext(),
): Inputs {
  const { workspace } = context;
  const platformOs = context.platform.os;
  const workingDirectory = getWorkspacePath(source, 'working-directory', {
    workspace,
    mustExist: 'directory',
    exists: pathKind,
  });
  const where = { workspace, workingDirectory };
  const tests = readTests(source, where);
  const requirements = readRequirements(source);
  const pytestArgs = getArgv(source, 'pytest-args');
  const container = readContainer(source, platformOs);
  const python = readPython(source, context, container);
  const wheels = readWheels(source);
  checkContained({ wheels, requirements }, where);

  return {
    wheels,
    python,
    tests,
    requirements,
    extras: nameList(source, 'extras', 'extra name'),
    groups: nameList(source, 'groups', 'dependency group name'),
    pytestArgs,
    installer: getEnum(source, 'installer', INSTALLERS, 'auto'),
    workingDirectory,
    importCheck: getBoolean(source, 'import-check', true),
    runner: context,
    container,
    ...readTestOptions(source, { workspace, workingDirectory, pytestArgs, os: platformOs }),
  };
}

/** `container` and `docker-platform`: the image to test in and its platform, or undefined. */
function readContainer(source: InputSource, os: Os): ContainerSpec | undefined {
  const image = getString(source, 'container');
  const platformRaw = getString(source, 'docker-platform');
  if (image === '') {
    if (platformRaw !== '') {
      throw new InputError(
        'docker-platform',
        platformRaw,
        "is set without 'container', so there is no container to run on it",
        "Set 'container' to an image of that platform (e.g. python:3.12-slim), or remove 'docker-platform'.",
      );
    }
    return undefined;
  }
  const reference = parseDockerImage(image);
  if (!reference.ok) {
    throw new InputError(
      'container',
      image,
      `is not a docker image reference (it ${reference.problem})`,
      'Give an image such as python:3.12-slim, quay.io/pypa/manylinux_2_28_aarch64 or ghcr.io/owner/image:tag@sha256:...',
    );
  }
  if (os !== 'linux') {
    throw new InputError(
      'container',
      image,
      `is set on a ${os} runner; containers test Linux wheels on Linux runners`,
      "Run this step on a Linux runner (ubuntu-latest), or remove 'container' to test on this runner itself.",
    );
  }
  if (platformRaw === '') return { image, platform: undefined };
  const platform = parseDockerPlatform(platformRaw);
  if (!platform.ok) {
    throw new InputError(
      'docker-platform',
      platformRaw,
      platform.problem,
      `Give a docker platform: ${DOCKER_PLATFORMS.join(', ')} (empty: the docker engine's own).`,
    );
  }
  return { image, platform: platform.value };
}

/**
 * A path input inside the workspace that must exist. getWorkspacePath checks containment by real
 * path too, so a symlink in the checkout cannot point a script or a copy outside it.
 */
function existingWorkspacePath(
  input: string,
  raw: string,
  options: { workspace: string; base: string; fix: string },
): string {
  const resolved = getWorkspacePath(mapInputSource({ [input]: raw }), input, {
    workspace: options.workspace,
    base: options.base,
    outsideFix: options.fix,
  });
  if (pathKind(resolved) === undefined) {
    throw new InputError(input, raw, `does not exist (looked for ${resolved})`, options.fix);
  }
  return resolved;
}

/** A positive number of minutes (decimals allowed, e.g. 0.5), at most GitHub's 6-hour job limit. */
function timeLimit(source: InputSource): number | undefined {
  const raw = getString(source, 'timeout-minutes');
  if (raw === '' || raw === '0') return undefined;
  const minutes = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(minutes > 0) || minutes > 360) {
    throw new InputError(
      'timeout-minutes',
      raw,
      'is not a number of minutes from 0 to 360',
      'Give the minutes the test run may take, e.g. 20 (0 or empty: no limit).',
    );
  }
  return Math.round(minutes * 60_000);
}

/** The locked environment and the test options cibuildwheel users bring (cibuildwheel's names). */
export interface TestOptions {
  /** auto: use uv.lock / pylock.toml when there is one; require: fail without a current one. */
  lock: LockMode;
  /** argv with `{project}`/`{package}` not yet replaced; undefined runs pytest. */
  testCommand: string[] | undefined;
  /** Absolute path of a script inside the workspace, run before the tests. */
  beforeTest: string | undefined;
  testEnvironment: Record<string, string>;
  /** Absolute paths of files and directories inside the workspace, copied beside the tests. */
  testSources: string[];
  /** Wheel patterns not to test. */
  testSkip: string[];
  /** Milliseconds the test run may take; undefined for no limit. */
  timeLimitMs: number | undefined;
}

/** `test-command`: an argv with known placeholders, which replaces pytest (and `pytest-args`). */
function readTestCommand(source: InputSource, pytestArgs: readonly string[]): string[] | undefined {
  const testCommand = getArgv(source, 'test-command');
  if (testCommand.length > 0 && pytestArgs.length > 0) {
    // pytest-args would be silently dropped: they belong to the default pytest run.
    throw new InputError(
      'pytest-args',
      getString(source, 'pytest-args'),
      "is set together with 'test-command', which replaces the pytest run it applies to",
      "Put the arguments in 'test-command' (e.g. python -m pytest tests -x), or remove 'test-command'.",
    );
  }
  const unknown = unknownPlaceholder(testCommand);
  if (unknown) {
    throw new InputError(
      'test-command',
      getString(source, 'test-command'),
      `holds the placeholder ${unknown}, which is not known`,
      'Use {project} (the repository root) or {package} (working-directory).',
    );
  }
  return testCommand.length > 0 ? testCommand : undefined;
}

/** `before-test`: one script file inside the workspace, or undefined. */
function readBeforeTest(
  source: InputSource,
  where: { workspace: string; workingDirectory: string; os: Os },
): string | undefined {
  const raw = getString(source, 'before-test');
  if (raw === '') return undefined;
  const beforeTest = existingWorkspacePath('before-test', raw, {
    workspace: where.workspace,
    base: where.workingDirectory,
    fix: 'Give the path of a script in the repository, relative to working-directory (e.g. ci/before-test.sh).',
  });
  if (pathKind(beforeTest) !== 'file') {
    throw new InputError(
      'before-test',
      raw,
      'is a directory, not a script',
      'Give the path of a script file.',
    );
  }
  checkScriptInput('before-test', raw, beforeTest, where.os);
  return beforeTest;
}

function readTestEnvironment(source: InputSource): Record<string, string> {
  const environment = parseTestEnvironment(getString(source, 'test-environment', { multiLine: true }));
  if ('problem' in environment) {
    throw new InputError('test-environment', environment.line, environment.problem, environment.fix);
  }
  return environment.variables;
}

function readTestSources(
  source: InputSource,
  where: { workspace: string; workingDirectory: string },
): string[] {
  return splitList(getString(source, 'test-sources', { multiLine: true })).map((item) =>
    existingWorkspacePath('test-sources', item, {
      workspace: where.workspace,
      base: where.workingDirectory,
      fix: 'List files and directories of the project, relative to working-directory (e.g. conftest.py pyproject.toml tests/data).',
    }),
  );
}

function readTestOptions(
  source: InputSource,
  where: { workspace: string; workingDirectory: string; pytestArgs: readonly string[]; os: Os },
): TestOptions {
  const testCommand = readTestCommand(source, where.pytestArgs);
  const beforeTest = readBeforeTest(source, where);
  const testEnvironment = readTestEnvironment(source);
  const testSources = readTestSources(source, where);
  const testSkip = getList(source, 'test-skip', {
    validate: checkSkipPattern,
    allowed:
      "Give wheel file-name patterns such as '*-musllinux_*' or 'cp39-*', separated by spaces or newlines.",
  });
  return {
    lock: getEnum(source, 'lock', LOCK_MODES, 'auto'),
    testCommand,
    beforeTest,
    testEnvironment,
    testSources,
    testSkip,
    timeLimitMs: timeLimit(source),
  };
}
