/**
 * PGO as one input (`pgo`). ferrowheel runs maturin's three phases itself rather than `maturin
 * build --pgo`, for four reasons: maturin reads the training only from `[tool.maturin]
 * pgo-command` (MATURIN_PGO is an on/off switch), so a training script given as an input could not
 * reach it; maturin picks the first llvm-profdata it finds whatever its LLVM version
 * (llvm-profdata.ts checks it before compiling); in a container the phases must all run where
 * the build runs; and the instrumented build and the training need one interpreter that surely
 * runs, while the optimised build keeps the step's own list.
 *
 * 1. instrumented build: the same maturin argv for one interpreter (the first of `interpreters`
 *    that the project's PyO3 can build, else the default python), `-Cprofile-generate=<dir>` after the user's and the reproducible
 *    rustflags, into a directory of its own;
 * 2. training: a fresh venv of that interpreter, the instrumented wheel installed with its
 *    dependencies (what maturin's own training venv holds; no lock, no test groups: a training
 *    that needs more installs it itself, `python -m pip` is the venv's), then the command, with
 *    the venv first on PATH and LLVM_PROFILE_FILE set, in the working directory;
 * 3. `llvm-profdata merge` of the raw profiles;
 * 4. the optimised build, the step's own argv, with `-Cprofile-use=<merged>`.
 * The training is `[tool.maturin] pgo-command` (`pgo: true`; the project's own file, run through
 * the shell like maturin runs it, trusted like its build script) or a script of the repository
 * (`pgo: <path>`, started like before-build: kit's scriptCommand, with the venv's python).
 * Legs whose wheels the runner cannot run (another architecture, musl, universal2) skip PGO and
 * say why.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { ProjectError, UserError } from '@ferrowheel/kit/errors';
import { childEnv, type Exec, type ExecResult } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import {
  defaultPythonCommand,
  type Os,
  type Platform,
  pathListSeparator,
  venvBinDir,
  venvPython,
} from '@ferrowheel/kit/platform';
import { tomlString } from '@ferrowheel/kit/project';
import { scriptCommand } from '@ferrowheel/kit/scripts';
import { hostTriple, type Target } from '@ferrowheel/kit/targets';
import type { Inputs } from './inputs.js';
import { findLlvmProfdata, type LlvmProfdata } from './llvm-profdata.js';
import { interpreterArg } from './maturin-args.js';
import type { Project } from './project.js';
import type { BuildStrategy } from './strategy.js';

/** The training: the project's pgo-command (a shell command line of its own file), or a script. */
export type Training = { kind: 'pyproject'; command: string } | { kind: 'script'; script: string };

export type PgoPlan =
  | { kind: 'off' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'on'; training: Training; python: string; profdata: LlvmProfdata; dir: string };

/** The training of `pgo: true` (pgo-command) or `pgo: <script>`. */
export function trainingOf(
  pgo: Inputs['pgo'],
  project: Pick<Project, 'pyproject' | 'pyprojectToml' | 'cargoToml'>,
): Training {
  if (pgo.kind === 'script') return { kind: 'script', script: pgo.script };
  const command = tomlString(project.pyproject, ['tool', 'maturin', 'pgo-command'])?.trim();
  if (command === undefined || command === '') {
    throw new ProjectError(
      project.pyprojectToml ?? path.join(path.dirname(project.cargoToml), 'pyproject.toml'),
      "has no [tool.maturin] pgo-command, the training 'pgo: true' runs",
      `Add pgo-command = "python train.py" (a command that exercises the extension) to [tool.maturin], or set 'pgo' to the path of a training script.`,
    );
  }
  return { kind: 'pyproject', command };
}

/** The command line shown in logs and the summary. */
export function describeTraining(training: Training, workspace: string): string {
  return training.kind === 'pyproject'
    ? `${training.command} ([tool.maturin] pgo-command)`
    : path.relative(workspace, training.script).split(path.sep).join('/');
}

/** How the training starts: the shell for pgo-command (as maturin does), kit's table for a script. */
export function trainingArgv(
  training: Training,
  os: Os,
  python: string,
): { program: string; args: string[] } {
  if (training.kind === 'script') return scriptCommand(training.script, os, { python });
  return os === 'windows'
    ? { program: 'cmd.exe', args: ['/d', '/c', training.command] }
    : { program: 'sh', args: ['-c', training.command] };
}

/**
 * The interpreter of the instrumented build and the training: the first of the interpreters the
 * calls build (a version as `python3.X`; on Windows, where no such command exists, the default
 * python), else the default python.
 */
export function trainingPython(inputs: Pick<Inputs, 'interpreters'>, os: Os): string {
  const first = inputs.interpreters.kind === 'list' ? inputs.interpreters.items[0] : undefined;
  if (first === undefined || (os === 'windows' && /^3\.\d+t?$/.test(first))) return defaultPythonCommand(os);
  return interpreterArg(first);
}

/** Why the runner cannot run the wheels of this leg, or undefined when it can. */
export function crossReason(target: Target, platform: Platform): string | undefined {
  const host = hostTriple(platform);
  if (target.triple === host) return undefined;
  return `the runner (${host}) cannot run ${target.triple} wheels, so the training cannot run; the wheels are built without PGO`;
}

/** What `pgo` asks of this leg, decided from the inputs and the project alone (the Plan phase). */
export type PgoIntent =
  | { kind: 'off' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'train'; training: Training };

/** Off, skipped on a leg whose wheels the runner cannot run (with a notice), or the training. */
export function pgoIntent(inputs: Inputs, project: Project): PgoIntent {
  if (inputs.pgo.kind === 'off') return { kind: 'off' };
  const cross = crossReason(inputs.target, inputs.runner.platform);
  if (cross !== undefined) {
    core.notice(`pgo: skipped: ${cross}.`, { title: 'PGO skipped' });
    return { kind: 'skipped', reason: cross };
  }
  const training = trainingOf(inputs.pgo, project);
  core.info(logText`pgo: training ${describeTraining(training, inputs.runner.workspace)}`);
  return { kind: 'train', training };
}

/** The plan before anything compiles: the llvm-profdata is found (or the step fails here). */
/** Where PGO keeps its profiles and venvs: the runner temp (a container mounts it). */
export function pgoRoot(inputs: Inputs): string {
  return path.join(inputs.runner.runnerTemp, 'ferrowheel-pgo');
}

/** `rustc -vV` where the build runs: an image may bring a Rust of its own (another LLVM). */
async function rustcWhereBuilt(run: Exec, host: string | undefined): Promise<string | undefined> {
  const result = await run('rustc', ['-vV'], { silent: true, allowFailure: true }).catch(() => undefined);
  return result?.exitCode === 0 && /^LLVM version:/m.test(result.stdout) ? result.stdout : host;
}

export async function planPgo(options: {
  intent: PgoIntent;
  inputs: Inputs;
  /**
   * The interpreters the calls build: `interpreters` without those the project's PyO3 cannot
   * build, so the instrumented build and the training never use one the optimised build leaves out.
   */
  interpreters: Inputs['interpreters'];
  strategy: BuildStrategy;
  /** Runs a command where the build runs (strategy.runner). */
  run: Exec;
  rustcVerbose: string | undefined;
}): Promise<PgoPlan> {
  const { inputs, intent } = options;
  if (intent.kind !== 'train') return intent;
  const container = options.strategy.kind === 'container';
  const profdata = await findLlvmProfdata({
    exec: options.run,
    // An image without Rust gets the host's release installed by the build script: the host's LLVM.
    rustcVerbose: container ? await rustcWhereBuilt(options.run, options.rustcVerbose) : options.rustcVerbose,
    os: inputs.runner.platform.os,
    cwd: inputs.workingDirectory,
    installWithRustup: !container,
  });
  const python = trainingPython(options, inputs.runner.platform.os);
  core.info(logText`pgo: instrumented build and training with ${python}`);
  core.info(logText`pgo: llvm-profdata ${profdata.program} (LLVM ${profdata.version}, from ${profdata.via})`);
  const dir = path.join(pgoRoot(inputs), inputs.target.triple);
  return { kind: 'on', training: intent.training, python, profdata, dir };
}

/** The last lines of a failed command's output, for an error message. */
function tail(result: ExecResult): string {
  return `${result.stdout}\n${result.stderr}`.trim().split(/\r?\n/).slice(-3).join(' / ').slice(0, 400);
}

/** The one wheel a build left in `dir`. */
export function onlyWheel(dir: string): string | undefined {
  const wheels = readdirSync(dir).filter((f) => f.endsWith('.whl'));
  return wheels.length === 1 ? path.join(dir, wheels[0]!) : undefined;
}

/** A fresh venv of `python` at `venv` with `wheel` (and its dependencies) installed. */
export async function venvWith(
  exec: Exec,
  options: { python: string; venv: string; wheel: string; os: Os; env: Record<string, string> },
): Promise<string> {
  rmSync(options.venv, { recursive: true, force: true });
  const quiet = { env: options.env, allowFailure: true };
  const made = await exec(options.python, ['-m', 'venv', options.venv], quiet);
  if (made.exitCode !== 0) {
    throw new UserError(
      `pgo: '${options.python} -m venv' failed (${tail(made)}), so the training has no environment. Use a Python with its venv module (Debian/Ubuntu: python3-venv).`,
    );
  }
  const python = venvPython(options.os, options.venv);
  const pip = ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', options.wheel];
  const installed = await exec(python, pip, quiet);
  if (installed.exitCode !== 0) {
    throw new UserError(
      `pgo: installing ${path.basename(options.wheel)} into the training venv failed (${tail(installed)}). Its dependencies must install with pip from the index the runner reaches.`,
    );
  }
  return python;
}

/** The environment of a command run in `venv`: its bin first on PATH, VIRTUAL_ENV, and `extra`. */
export function venvEnv(
  base: Record<string, string>,
  venv: string,
  os: Os,
  extra: Record<string, string> = {},
) {
  const pathKey =
    Object.keys(base).find((k) => (os === 'windows' ? k.toUpperCase() : k) === 'PATH') ?? 'PATH';
  const searchPath = [venvBinDir(os, venv), base[pathKey]].filter((p) => p).join(pathListSeparator(os));
  return childEnv({ PATH: searchPath, VIRTUAL_ENV: venv, ...extra }, base, {
    caseInsensitive: os === 'windows',
  });
}

/** A clean directory. */
export function freshDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
