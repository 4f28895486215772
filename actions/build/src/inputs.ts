/** The only place the build action reads its inputs: one typed object, validated here. */

import path from 'node:path';
import { type AuditInputs, readAuditInputs } from '@ferrowheel/kit/audit/inputs';
import { type RunnerContext, runnerContext } from '@ferrowheel/kit/context';
import { parseDockerImage } from '@ferrowheel/kit/docker-image';
import { InputError } from '@ferrowheel/kit/errors';
import { pathKind } from '@ferrowheel/kit/files';
import {
  envInputSource,
  getArgv,
  getBoolean,
  getList,
  getProgram,
  getString,
  getWorkspacePath,
  type InputSource,
} from '@ferrowheel/kit/inputs';
import { checkPythonMinor, type Os, type Platform } from '@ferrowheel/kit/platform';
import { checkScriptInput } from '@ferrowheel/kit/scripts';
import { hostTriple, resolveTarget, type Target } from '@ferrowheel/kit/targets';
import { type Compatibility, parseCompatibility } from './compatibility.js';
import { checkEpoch } from './reproducible.js';

export type ContainerMode = { kind: 'auto' } | { kind: 'off' } | { kind: 'image'; image: string };

/** `reproducible` and `source-date-epoch`. */
export type Reproducible = { enabled: false } | { enabled: true; sourceDateEpoch: number | undefined };

/**
 * `pgo`: off, `true` (the training command is `[tool.maturin] pgo-command` of pyproject.toml), or
 * a script of the repository (absolute path) that is the training.
 */
export type PgoInput = { kind: 'off' } | { kind: 'pyproject' } | { kind: 'script'; script: string };

/** `audit` and `audit-python` (kit's AuditInputs): the audit of the built wheels (src/audit.ts). */
export interface Inputs extends AuditInputs {
  /** Absolute directory maturin runs in (holds pyproject.toml / Cargo.toml). */
  workingDirectory: string;
  /** Absolute Cargo.toml given by `manifest-path`, or undefined (maturin finds it). */
  manifestPath: string | undefined;
  target: Target;
  /** True when the user named a target (then maturin gets `--target`). */
  targetExplicit: boolean;
  /** `--release` unless a `profile` is given. */
  release: boolean;
  profile: string | undefined;
  interpreters: { kind: 'default' } | { kind: 'find' } | { kind: 'list'; items: string[] };
  features: string[];
  allFeatures: boolean;
  compatibility: Compatibility;
  zig: boolean;
  container: ContainerMode;
  sdist: boolean;
  /** Absolute output directory. */
  outDir: string;
  args: string[];
  cache: boolean;
  sccache: boolean;
  /** Absolute path of a script run before maturin, or undefined. */
  beforeBuild: string | undefined;
  maturin: string;
  reproducible: Reproducible;
  pgo: PgoInput;
  /** `pgo-measure`: also build a plain wheel and time the training with both. */
  pgoMeasure: boolean;
  /** The runner this runs on (workspace, platform, environment); the paths above are inside it. */
  runner: RunnerContext;
}

/** `3.9`, `3.13t`, `pypy3.10`, or a command/path such as `python3.12` or `/opt/py/bin/python`. */
export function checkInterpreter(item: string): string | undefined {
  // Each item is its own word after maturin's --interpreter: '-…' would be read as an option.
  if (item.startsWith('-')) return 'starts with -, so maturin would read it as an option';
  const version = /^(?:pypy|python)?(\d+\.\d+)t?(?:\.exe)?$/.exec(item)?.[1];
  if (version !== undefined) return checkPythonMinor(version);
  if (/^(python|pypy|graalpy)[0-9.t]*(\.exe)?$/.test(item) || /[/\\]/.test(item)) return undefined;
  return 'is not an interpreter version (3.9, 3.13t, pypy3.10), a command (python3.12) or a path';
}

/**
 * Every interpreter given as a path must exist on the runner when the build runs there (in a
 * container, paths name the image's files and are left to it). maturin resolves them from
 * `working-directory`; a missing one is refused here rather than by maturin.
 */
export function checkHostInterpreters(interpreters: Inputs['interpreters'], workingDirectory: string): void {
  if (interpreters.kind !== 'list') return;
  for (const item of interpreters.items) {
    if (!/[/\\]/.test(item)) continue;
    const file = path.resolve(workingDirectory, item);
    const kind = pathKind(file);
    if (kind === 'file') continue;
    throw new InputError(
      'interpreters',
      item,
      kind === 'directory'
        ? `names a directory (${file}), not a Python interpreter`
        : `names ${file}, which does not exist`,
      'Give the path of a Python interpreter on this runner (relative to working-directory), a version such as 3.12, or a command such as python3.12.',
    );
  }
}

/** A cargo feature (`fast`, `serde/std`, `dep?/feat`); what cargo's --features accepts. */
export function checkFeature(item: string): string | undefined {
  return /^[A-Za-z0-9_][A-Za-z0-9_+.-]*(\??\/[A-Za-z0-9_][A-Za-z0-9_+.-]*)?$/.test(item)
    ? undefined
    : 'is not a cargo feature name';
}

function readInterpreters(source: InputSource): Inputs['interpreters'] {
  const raw = getString(source, 'interpreters', { multiLine: true });
  if (raw === '') return { kind: 'default' };
  if (raw.toLowerCase() === 'find') return { kind: 'find' };
  const items = getList(source, 'interpreters', {
    validate: checkInterpreter,
    allowed: "List versions such as '3.9 3.13' (3.13t for free-threaded, pypy3.10), or write 'find'.",
  });
  return { kind: 'list', items };
}

function readContainer(source: InputSource): ContainerMode {
  const raw = getString(source, 'container', { default: 'auto' });
  const word = raw.toLowerCase();
  if (word === 'auto') return { kind: 'auto' };
  if (word === 'off' || word === 'false') return { kind: 'off' };
  const reference = parseDockerImage(raw);
  if (!reference.ok) {
    throw new InputError(
      'container',
      raw,
      `is not auto, off or an image name (it ${reference.problem})`,
      "Use 'auto', 'off', or an image such as quay.io/pypa/manylinux_2_28_x86_64.",
    );
  }
  return { kind: 'image', image: raw };
}

/** `out-dir` is relative to `working-directory` (as maturin's `--out` would be), inside the workspace. */
function readOutDir(source: InputSource, workspace: string, workingDirectory: string): string {
  return getWorkspacePath(source, 'out-dir', {
    workspace,
    base: workingDirectory,
    default: 'dist',
    outsideFix: 'Use a directory inside the checkout, such as dist.',
  });
}

/** Where maturin runs: `working-directory`, and `manifest-path` when given. */
function readLocation(
  source: InputSource,
  workspace: string,
): Pick<Inputs, 'workingDirectory' | 'manifestPath'> {
  const workingDirectory = getWorkspacePath(source, 'working-directory', {
    workspace,
    mustExist: 'directory',
    exists: pathKind,
  });
  const manifestPath =
    getString(source, 'manifest-path') === ''
      ? undefined
      : getWorkspacePath(source, 'manifest-path', { workspace, mustExist: 'file', exists: pathKind });
  return { workingDirectory, manifestPath };
}

function readCompatibility(source: InputSource): Compatibility {
  const parsed = parseCompatibility(getString(source, 'manylinux', { default: 'auto' }));
  if (parsed.ok) return parsed.value;
  throw new InputError(
    'manylinux',
    getString(source, 'manylinux'),
    parsed.problem,
    'Use auto, off, 2014, 2_17, 2_28, 2_34, manylinux_2_28, musllinux_1_1 or musllinux_1_2.',
  );
}

/** What the wheels are for: `manylinux` and `target`, which must agree on the libc. */
function readTargetGroup(
  source: InputSource,
  platform: Platform,
): Pick<Inputs, 'compatibility' | 'target' | 'targetExplicit'> {
  const compatibility = readCompatibility(source);
  const musl = compatibility.kind === 'musllinux';
  const targetRaw = getString(source, 'target');
  const resolved = resolveTarget(targetRaw === '' ? platform.arch : targetRaw, { os: platform.os, musl });
  if (!resolved.ok) {
    throw new InputError(
      'target',
      targetRaw,
      resolved.problem,
      'Use a Rust target triple (aarch64-unknown-linux-gnu) or an alias (x64, aarch64, armv7, universal2).',
    );
  }
  const target = resolved.value;
  if (musl && target.os === 'linux' && target.libc !== 'musl') {
    throw new InputError(
      'target',
      targetRaw,
      `is a glibc target but manylinux is '${compatibility.tag}'`,
      'Use a musl triple (x86_64-unknown-linux-musl) or an alias (x64), or a manylinux level.',
    );
  }
  const targetExplicit = targetRaw !== '' || target.triple !== hostTriple(platform);
  return { compatibility, target, targetExplicit };
}

function readProfile(source: InputSource): string | undefined {
  const profile = getString(source, 'profile');
  if (profile === '') return undefined;
  // Cargo's rule (a letter first) also keeps a value like '--release' from reading as an option.
  if (/^[A-Za-z][A-Za-z0-9_-]*$/.test(profile)) return profile;
  throw new InputError(
    'profile',
    profile,
    'is not a cargo profile name',
    'Use a name such as release or dev.',
  );
}

function readArgs(source: InputSource): string[] {
  const args = getArgv(source, 'args');
  const out = args.find((arg) => arg === '--out' || arg.startsWith('--out=') || /^-o/.test(arg));
  if (out === undefined) return args;
  // The action passes --out itself and looks for the wheels there: a second one would win in
  // maturin and leave the action with no wheels to report.
  throw new InputError(
    'args',
    getString(source, 'args'),
    `sets ${out.startsWith('--') ? '--out' : '-o'}, which conflicts with 'out-dir'`,
    "Remove it from 'args' and set 'out-dir' to the directory instead.",
  );
}

/** The `before-build` hook: one script file inside the workspace, or undefined. */
function readBeforeBuild(source: InputSource, context: RunnerContext): string | undefined {
  const raw = getString(source, 'before-build');
  if (raw === '') return undefined;
  const script = getWorkspacePath(source, 'before-build', {
    workspace: context.workspace,
    mustExist: 'file',
    exists: pathKind,
  });
  // A script runs by its extension's interpreter, or as the program itself: one file, which must
  // be executable (it is never split into a command line); a batch file only on Windows.
  checkScriptInput('before-build', raw, script, context.platform.os);
  return script;
}

function readFeatures(source: InputSource): Pick<Inputs, 'features' | 'allFeatures'> {
  return {
    features: getList(source, 'features', {
      validate: checkFeature,
      allowed: 'List cargo feature names such as python-ext or serde/std (extra options go in args).',
    }),
    allFeatures: getBoolean(source, 'all-features', false),
  };
}

function readMaturin(source: InputSource, context: RunnerContext): string {
  return getProgram(source, 'maturin', {
    base: context.workspace,
    os: context.platform.os,
    env: context.env,
    default: 'maturin',
    what: 'maturin',
  });
}

function readReproducible(source: InputSource): Reproducible {
  const enabled = getBoolean(source, 'reproducible', true);
  const epoch = getString(source, 'source-date-epoch');
  if (epoch !== '') {
    const problem = checkEpoch(epoch);
    if (problem !== undefined) {
      throw new InputError(
        'source-date-epoch',
        epoch,
        problem,
        'Give the seconds since 1970-01-01 UTC, such as the output of git log -1 --format=%ct, or leave it empty to use the commit being built.',
      );
    }
    if (!enabled) {
      throw new InputError(
        'source-date-epoch',
        epoch,
        "is set while 'reproducible' is false",
        "Remove 'source-date-epoch', or set 'reproducible: true'.",
      );
    }
  }
  return enabled ? { enabled, sourceDateEpoch: epoch === '' ? undefined : Number(epoch) } : { enabled };
}

const PGO_FIX =
  "Use 'true' (the training is [tool.maturin] pgo-command of pyproject.toml), 'false', or the path of one training script of the repository, relative to the workspace, without arguments.";

function readPgo(source: InputSource, workspace: string, os: Os): PgoInput {
  const raw = getString(source, 'pgo');
  const word = raw.toLowerCase();
  if (raw === '' || word === 'false' || word === 'off') return { kind: 'off' };
  if (word === 'true' || word === 'on') return { kind: 'pyproject' };
  // One path, never a command line: `python train.py` names no file, and is said to be a command.
  if (/\s/.test(raw) && pathKind(path.resolve(workspace, raw)) === undefined) {
    throw new InputError('pgo', raw, 'is a command line, not true, false or one script path', PGO_FIX);
  }
  if (raw.startsWith('-'))
    throw new InputError('pgo', raw, 'starts with -, so it is not a script path', PGO_FIX);
  const script = getWorkspacePath(source, 'pgo', { workspace, mustExist: 'file', exists: pathKind });
  checkScriptInput('pgo', raw, script, os);
  return { kind: 'script', script };
}

function readPgoInputs(source: InputSource, workspace: string, os: Os): Pick<Inputs, 'pgo' | 'pgoMeasure'> {
  const pgo = readPgo(source, workspace, os);
  const pgoMeasure = getBoolean(source, 'pgo-measure', false);
  if (pgoMeasure && pgo.kind === 'off') {
    throw new InputError(
      'pgo-measure',
      getString(source, 'pgo-measure'),
      "measures the gain of a PGO build, and 'pgo' is off",
      "Set 'pgo' to true or to a training script, or remove 'pgo-measure'.",
    );
  }
  return { pgo, pgoMeasure };
}

export function readInputs(
  source: InputSource = envInputSource(),
  context: RunnerContext = runnerContext(),
): Inputs {
  const { workspace, platform } = context;
  const location = readLocation(source, workspace);
  const targetGroup = readTargetGroup(source, platform);
  const profile = readProfile(source);
  const args = readArgs(source);
  const beforeBuild = readBeforeBuild(source, context);
  return {
    ...location,
    ...targetGroup,
    release: getBoolean(source, 'release', true),
    profile,
    interpreters: readInterpreters(source),
    ...readFeatures(source),
    zig: getBoolean(source, 'zig', false),
    container: readContainer(source),
    sdist: getBoolean(source, 'sdist', false),
    outDir: readOutDir(source, workspace, location.workingDirectory),
    args,
    cache: getBoolean(source, 'cache', true),
    sccache: getBoolean(source, 'sccache', false),
    beforeBuild,
    maturin: readMaturin(source, context),
    reproducible: readReproducible(source),
    ...readPgoInputs(source, workspace, platform.os),
    ...readAuditInputs(source, context, 'error'),
    runner: context,
  };
}
