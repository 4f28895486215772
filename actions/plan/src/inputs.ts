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
import { type HereLimit, parseHereLine } from './here.js';
import { type ImageOverrides, parseImageLine } from './images.js';
import { LEGS, type Leg, PLATFORM_WORDS, selectLegs, withoutArmRunner } from './platforms.js';
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
  /** `build-images` and `test-images`: the images legs use instead of the default ones. */
  images: ImageOverrides;
  /** `not-built-here` and `not-tested-here`: what the caller's runners cannot do. */
  notHere: { build: HereLimit[]; test: HereLimit[] };
  artifactPrefix: string;
  /** Where the plan file goes (uploaded for the summary job: see handoff.ts). */
  recordsDir: string;
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
  /** The plan mode's `plan` output (JSON); '' to read the plan file from `recordsDir`. */
  plan: string;
  artifactsDir: string;
  recordsDir: string;
  /** The runner this runs on; its environment says where the run's page is. */
  runner: RunnerContext;
}

export type Inputs = PlanInputs | RecordInputs | SummaryInputs;

const NAME = /^[A-Za-z0-9._-]+$/;

/** Lines of a multi-line input, without comments and blank lines. */
function inputLines(source: InputSource, input: string): string[] {
  return getString(source, input, { multiLine: true })
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

const isPlatform = (id: string) => LEGS.some((leg) => leg.id === id);

/** `build-images` (per platform) and `test-images` (per platform, or platform and CPython). */
function getImages(source: InputSource): ImageOverrides {
  const read = (input: 'build-images' | 'test-images') => {
    const withPython = input === 'test-images';
    const images = new Map<string, string>();
    for (const line of inputLines(source, input)) {
      const parsed = parseImageLine(line, { withPython, isPlatform, isPython: isPythonVersion });
      if (!parsed.ok) {
        throw new InputError(
          input,
          line,
          parsed.problem,
          withPython
            ? 'Give one <platform>=<image> per line ({python} becomes the CPython, e.g. linux-aarch64=registry.example/arm64v8/python:{python}-slim), or <platform> <python>=<image>.'
            : 'Give one <platform>=<image> per line, e.g. linux-aarch64=registry.example/manylinux2014-cross:aarch64.',
        );
      }
      images.set(parsed.value.key, parsed.value.image);
    }
    return images;
  };
  return { build: read('build-images'), test: read('test-images') };
}

/** `not-built-here` and `not-tested-here`: `<patterns>: <reason>` lines. */
function getNotHere(source: InputSource): { build: HereLimit[]; test: HereLimit[] } {
  const read = (input: 'not-built-here' | 'not-tested-here') =>
    inputLines(source, input).map((line) => {
      const parsed = parseHereLine(line);
      if (parsed.ok) return parsed.value;
      throw new InputError(
        input,
        line,
        parsed.problem,
        "Give one '<patterns>: <reason>' per line, patterns as test-skip's (e.g. '*-musllinux_*: no musl CPython on these runners').",
      );
    });
  return { build: read('not-built-here'), test: read('not-tested-here') };
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
  return getBoolean(source, 'arm-runners', true) ? legs.value : legs.value.map(withoutArmRunner);
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
    images: getImages(source),
    notHere: getNotHere(source),
    artifactPrefix: getArtifactPrefix(source),
    recordsDir: getWorkspacePath(source, 'records-dir', {
      default: '.ferrowheel-records',
      workspace: context.workspace,
    }),
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
    // An input is one environment variable: a large plan comes as a file (handoff.ts).
    plan: getString(source, 'plan'),
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
