/** The only place the test action reads its inputs: one parse into a typed object. */
import path from 'node:path';
import { globBase } from '@ferrowheel/kit/containment';
import { type RunnerContext, runnerContext } from '@ferrowheel/kit/context';
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
import type { ContainerSpec } from './container.js';
import { containerPythonCommand, type PythonCommand, pythonCommand } from './interpreter.js';
import { LOCK_MODES, type LockMode } from './lock.js';
import { requirementPath, splitRequirements } from './requirements.js';
import { unknownPlaceholder } from './test-command.js';
import { parseTestEnvironment } from './test-environment.js';
import { checkSkipPattern } from './test-skip.js';
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
  workspace: string;
  runnerTemp: string;
  os: Os;
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

  const testsRaw = getString(source, 'tests');
  let tests: string | undefined;
  if (testsRaw !== '') {
    tests = getWorkspacePath(source, 'tests', {
      workspace,
      base: workingDirectory,
      outsideFix: 'Give the tests directory relative to working-directory, inside the checkout.',
    });
    const kind = pathKind(tests);
    if (kind !== 'directory') {
      throw new InputError(
        'tests',
        testsRaw,
        kind === 'file' ? `is a file (${tests}), not a directory` : `does not exist (looked for ${tests})`,
        'Give the directory holding your pytest tests, relative to working-directory.',
      );
    }
  }

  const requirementsRaw = getString(source, 'requirements', { multiLine: true });
  const requirements = splitRequirements(requirementsRaw);
  if ('bad' in requirements) {
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

  const pytestArgs = getArgv(source, 'pytest-args');

  const container = readContainer(source, platformOs);
  const pythonRaw = getString(source, 'python');
  // A version (3.12) picks an interpreter by name; anything else names ONE program (kit's
  // getProgram): `/bin/sh -c "..."` is an input error, never a command line. In a container it is
  // the image's program, which the runner cannot see.
  const python = container
    ? containerPythonCommand(pythonRaw)
    : pythonRaw === '' || /^3\.\d+t?$/.test(pythonRaw)
      ? pythonCommand(pythonRaw, { os: platformOs, workspace })
      : ok(
          programCommand(
            getProgram(source, 'python', {
              base: workspace,
              os: platformOs,
              env: context.env,
              what: 'a Python interpreter',
            }),
          ),
        );
  if (!python.ok) {
    throw new InputError(
      'python',
      pythonRaw,
      python.problem,
      container
        ? "Give a command of the image (python3.12), an absolute path in it, or a version (3.12); 'container' runs it in the image."
        : 'Give a command (python3.12), a path, or a version (3.12).',
    );
  }

  const wheelsRaw = getString(source, 'wheels', { default: 'dist', multiLine: true });
  const wheels = parseWheelsInput(wheelsRaw);
  if (!wheels.ok) {
    throw new InputError(
      'wheels',
      wheelsRaw,
      wheels.problem,
      "Give a directory (dist), a glob (dist/*.whl), or the build action's `wheels` output.",
    );
  }

  for (const entry of wheels.value.kind === 'files' ? wheels.value.files : wheels.value.patterns) {
    // A glob is checked up to its first wildcard segment; each file it matches is checked again
    // when the wheels are listed (wheel-source.ts).
    containedInputPath('wheels', globBase(entry), {
      given: entry,
      workspace,
      base: workingDirectory,
      outsideFix:
        "Give wheels inside the checkout, relative to working-directory (dist, dist/*.whl), or the build action's `wheels` output.",
    });
  }
  for (const item of requirements.items) {
    const file = requirementPath(item);
    if (file === undefined) continue;
    containedInputPath('requirements', file, {
      workspace,
      base: workingDirectory,
      outsideFix:
        'Give requirement files and local paths inside the checkout, relative to working-directory.',
    });
  }

  return {
    wheels: wheels.value,
    python: python.value,
    tests,
    requirements: requirements.items,
    extras: nameList(source, 'extras', 'extra name'),
    groups: nameList(source, 'groups', 'dependency group name'),
    pytestArgs,
    installer: getEnum(source, 'installer', INSTALLERS, 'auto'),
    workingDirectory,
    importCheck: getBoolean(source, 'import-check', true),
    workspace: path.resolve(workspace),
    runnerTemp: context.runnerTemp,
    os: platformOs,
    container,
    ...readTestOptions(source, { workspace, workingDirectory, pytestArgs, os: platformOs }),
  };
}

/** A docker image reference: [registry[:port]/]name[/name...][:tag][@digest], or an image id. */
const IMAGE =
  /^(?:sha256:[0-9a-f]{64}|(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?)$/;

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
  if (!IMAGE.test(image)) {
    throw new InputError(
      'container',
      image,
      'is not a docker image reference',
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

function readTestOptions(
  source: InputSource,
  where: { workspace: string; workingDirectory: string; pytestArgs: readonly string[]; os: Os },
): TestOptions {
  const testCommandRaw = getString(source, 'test-command');
  const testCommand = getArgv(source, 'test-command');
  if (testCommand.length > 0 && where.pytestArgs.length > 0) {
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
      testCommandRaw,
      `holds the placeholder ${unknown}, which is not known`,
      'Use {project} (the repository root) or {package} (working-directory).',
    );
  }

  const beforeTestRaw = getString(source, 'before-test');
  const beforeTest =
    beforeTestRaw === ''
      ? undefined
      : existingWorkspacePath('before-test', beforeTestRaw, {
          workspace: where.workspace,
          base: where.workingDirectory,
          fix: 'Give the path of a script in the repository, relative to working-directory (e.g. ci/before-test.sh).',
        });
  if (beforeTest && pathKind(beforeTest) !== 'file') {
    throw new InputError(
      'before-test',
      beforeTestRaw,
      'is a directory, not a script',
      'Give the path of a script file.',
    );
  }
  if (beforeTest) checkScriptInput('before-test', beforeTestRaw, beforeTest, where.os);

  const environmentRaw = getString(source, 'test-environment', { multiLine: true });
  const environment = parseTestEnvironment(environmentRaw);
  if ('problem' in environment) {
    throw new InputError('test-environment', environment.line, environment.problem, environment.fix);
  }

  const testSources = splitList(getString(source, 'test-sources', { multiLine: true })).map((item) =>
    existingWorkspacePath('test-sources', item, {
      workspace: where.workspace,
      base: where.workingDirectory,
      fix: 'List files and directories of the project, relative to working-directory (e.g. conftest.py pyproject.toml tests/data).',
    }),
  );

  const testSkip = getList(source, 'test-skip', {
    validate: checkSkipPattern,
    allowed:
      "Give wheel file-name patterns such as '*-musllinux_*' or 'cp39-*', separated by spaces or newlines.",
  });

  return {
    lock: getEnum(source, 'lock', LOCK_MODES, 'auto'),
    testCommand: testCommand.length > 0 ? testCommand : undefined,
    beforeTest,
    testEnvironment: environment.variables,
    testSources,
    testSkip,
    timeLimitMs: timeLimit(source),
  };
}
