/** The only place the plan action reads its inputs. */
import { type RunnerContext, runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { pathKind } from '@ferrowheel/kit/files';
import {
  envInputSource,
  getBoolean,
  getEnum,
  getList,
  getString,
  getWorkspacePath,
  type InputSource,
} from '@ferrowheel/kit/inputs';
import { type PythonBuild, parsePythonBuilds } from '@ferrowheel/kit/python-builds';
import { checkSkipPattern } from '@ferrowheel/kit/test-skip';
import { type Leg, PLATFORM_WORDS, selectLegs } from './platforms.js';
import { isPythonVersion } from './python-versions.js';

export const MODES = ['plan', 'record', 'summary'] as const;
export type Mode = (typeof MODES)[number];

export const OUTCOMES = ['success', 'failure', 'cancelled', 'skipped', 'no-wheels'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface PlanInputs {
  mode: 'plan';
  workingDirectory: string;
  legs: Leg[];
  /** '' entries never: empty list = from requires-python. */
  pythonVersions: string[];
  freeThreaded: boolean;
  sdist: boolean;
  test: boolean;
  /** `test-skip` patterns (rows they match are planned as not tested). */
  testSkip: string[];
  /** `test-requirements` for container and emulated legs: one pip argv word each. */
  containerRequirements: string[];
  /** `test-extras` for container and emulated legs. */
  containerExtras: string[];
  artifactPrefix: string;
  runner: RunnerContext;
}

export interface RecordInputs {
  mode: 'record';
  kind: 'build' | 'test';
  platform: string;
  /** '' for a build leg. */
  python: string;
  outcome: Outcome;
  /** A build leg's per-interpreter outcomes (the build action's `python-builds`); [] when not given. */
  pythonBuilds: PythonBuild[];
  recordsDir: string;
  artifactPrefix: string;
  runner: RunnerContext;
}

export interface SummaryInputs {
  mode: 'summary';
  /** The plan job's `plan` output (JSON). */
  plan: string;
  artifactsDir: string;
  recordsDir: string;
  /** The runner this runs on; its environment says where the run's page is. */
  runner: RunnerContext;
}

export type Inputs = PlanInputs | RecordInputs | SummaryInputs;

const NAME = /^[A-Za-z0-9._-]+$/;

/** A PEP 508 name: letters and digits, with '.', '_' or '-' only between them. */
const PEP508_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const SPECIFIER = /(?:===|==|!=|<=|>=|~=|<|>)[A-Za-z0-9.*+!_-]+/;
/**
 * What container and emulated legs take as a test requirement: `name`, `name[extra,...]` and
 * version specifiers, spaces dropped, so each is one pip argv word that cannot be an option.
 */
const CONTAINER_REQUIREMENT = new RegExp(
  `^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\\[[A-Za-z0-9._-]+(?:,[A-Za-z0-9._-]+)*\\])?(?:${SPECIFIER.source}(?:,${SPECIFIER.source})*)?$`,
);

/**
 * `test-requirements` as container and emulated legs install them (their pip gets each as one
 * argv word through "$@", never through the script's text): one plain PEP 508 requirement per
 * line, no option words, markers, URLs, paths or requirement files.
 */
function getContainerRequirements(source: InputSource): string[] {
  const raw = getString(source, 'test-requirements', { multiLine: true });
  const items: string[] = [];
  for (const fullLine of raw.split(/\r?\n/)) {
    const line = fullLine.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const word = line.replace(/\s+/g, '');
    if (!CONTAINER_REQUIREMENT.test(word)) {
      throw new InputError(
        'test-requirements',
        line,
        word.startsWith('-')
          ? 'is an installer option, which container and emulated test legs never pass to pip'
          : 'is not a plain PEP 508 requirement (name, [extras], version specifiers)',
        "Give one requirement per line, e.g. 'pytest-xdist>=3' or 'hypothesis[cli]'. build-wheels installs them in containers too, so it takes no markers, URLs, paths or -r files; set index options in the environment (PIP_INDEX_URL).",
      );
    }
    items.push(word);
  }
  return items;
}

function getArtifactPrefix(source: InputSource): string {
  const prefix = getString(source, 'artifact-prefix', { default: 'wheels' });
  if (/[*?]/.test(prefix)) {
    throw new InputError(
      'artifact-prefix',
      prefix,
      "contains a wildcard ('*' or '?'), so its `<prefix>-*` pattern would download other calls' artifacts",
      "Use a plain name of letters, digits, '.', '_' and '-' (e.g. wheels).",
    );
  }
  if (!NAME.test(prefix)) {
    throw new InputError(
      'artifact-prefix',
      prefix,
      'is not a valid artifact name prefix',
      "Use letters, digits, '.', '_' and '-' (e.g. wheels).",
    );
  }
  if (prefix.endsWith('-')) {
    throw new InputError(
      'artifact-prefix',
      prefix,
      "ends with '-', so its artifacts would be named <prefix>--<platform>",
      "Drop the trailing '-' (the workflow adds it), e.g. wheels.",
    );
  }
  return prefix;
}

function getLegs(source: InputSource): Leg[] {
  const legs = selectLegs(getList(source, 'platforms'));
  if (!legs.ok) {
    throw new InputError(
      'platforms',
      legs.word ?? '',
      legs.problem,
      `Use any of: ${PLATFORM_WORDS.join(', ')} (or a Rust target triple), separated by spaces.`,
    );
  }
  return legs.value;
}

function readPlanInputs(source: InputSource, context: RunnerContext): PlanInputs {
  return {
    mode: 'plan',
    workingDirectory: getWorkspacePath(source, 'working-directory', {
      default: '.',
      workspace: context.workspace,
      mustExist: 'directory',
      exists: pathKind,
    }),
    legs: getLegs(source),
    pythonVersions: getList(source, 'python-versions', {
      validate: (v) => (isPythonVersion(v) ? undefined : 'is not a CPython version'),
      allowed: 'Write versions like 3.12 (or 3.14t for free-threaded), separated by spaces.',
    }),
    freeThreaded: getBoolean(source, 'free-threaded', true),
    sdist: getBoolean(source, 'sdist', true),
    test: getBoolean(source, 'test', true),
    testSkip: getList(source, 'test-skip', {
      validate: checkSkipPattern,
      allowed:
        "Give wheel file-name patterns such as '*-musllinux_*' or 'cp39-*', separated by spaces or newlines.",
    }),
    containerRequirements: getContainerRequirements(source),
    containerExtras: getList(source, 'test-extras', {
      validate: (item) =>
        PEP508_NAME.test(item) ? undefined : `holds '${item}', which is not a valid extra name`,
      allowed: "Give extra names separated by commas, spaces or newlines (letters, digits, '-', '_', '.').",
    }),
    artifactPrefix: getArtifactPrefix(source),
    runner: context,
  };
}

/** `python-builds`: the build action's output of the same name, checked entry by entry. */
function getPythonBuilds(source: InputSource): PythonBuild[] {
  const raw = getString(source, 'python-builds');
  const parsed = parsePythonBuilds(raw);
  if (!parsed.ok) {
    throw new InputError(
      'python-builds',
      raw,
      parsed.problem,
      "Pass the build step's 'python-builds' output (steps.<build>.outputs.python-builds), or leave it empty.",
    );
  }
  return parsed.value;
}

function readRecordInputs(source: InputSource, context: RunnerContext): RecordInputs {
  const platform = getString(source, 'platform', { required: true });
  if (!NAME.test(platform)) {
    throw new InputError(
      'platform',
      platform,
      'is not a platform id',
      "Pass the matrix leg's platform (e.g. linux-x86_64).",
    );
  }
  const python = getString(source, 'python');
  if (python !== '' && !isPythonVersion(python)) {
    throw new InputError(
      'python',
      python,
      'is not a CPython version',
      "Pass the matrix leg's python (e.g. 3.13).",
    );
  }
  return {
    mode: 'record',
    kind: python === '' ? 'build' : 'test',
    platform,
    python,
    outcome: getEnum(source, 'outcome', OUTCOMES, 'skipped'),
    pythonBuilds: getPythonBuilds(source),
    recordsDir: getWorkspacePath(source, 'records-dir', {
      default: '.ferrowheel-records',
      workspace: context.workspace,
    }),
    artifactPrefix: getArtifactPrefix(source),
    runner: context,
  };
}

function readSummaryInputs(source: InputSource, context: RunnerContext): SummaryInputs {
  const { workspace } = context;
  return {
    mode: 'summary',
    plan: getString(source, 'plan', { required: true }),
    artifactsDir: getWorkspacePath(source, 'artifacts-dir', { default: '.ferrowheel-artifacts', workspace }),
    recordsDir: getWorkspacePath(source, 'records-dir', { default: '.ferrowheel-records', workspace }),
    runner: context,
  };
}

export function readInputs(
  source: InputSource = envInputSource(),
  context: RunnerContext = runnerContext(),
): Inputs {
  const mode = getEnum(source, 'mode', MODES, 'plan');
  if (mode === 'record') return readRecordInputs(source, context);
  if (mode === 'summary') return readSummaryInputs(source, context);
  return readPlanInputs(source, context);
}
