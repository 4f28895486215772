/**
 * The container strategy: maturin runs in a manylinux/musllinux image through docker, with the
 * argv and script of container.ts. Before anything runs, the engine and the image are checked, so
 * a missing engine or an image that cannot be pulled is reported as what it is, not as a failed
 * maturin (it used to be "maturin build failed with exit code 125").
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec, ExecResult } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import {
  dockerEngineProblem,
  ensureImage,
  maturinVersion,
  resolveExecutable,
  rustcRelease,
} from './build-host.js';
import {
  type ContainerBuild,
  dockerBuildArgs,
  dockerChownArgs,
  dockerRunArgs,
  forwardedEnvNames,
  imageRegistry,
  splitCallLogs,
} from './container.js';
import { type ContainerPhase, type ContainerStatus, makeStatusDir, takeStatus } from './container-status.js';
import type { MaturinCall } from './maturin-calls.js';
import {
  type BuildStrategy,
  type CallRun,
  type Compiled,
  type CompileRequest,
  gates,
  type RunRequest,
} from './strategy.js';

/** How to go on when an image cannot be used: said in every such error. */
const PROCEED =
  "Pull or load it on the runner before this step (docker pull / docker load), choose another image with 'container', or build on the host with 'container: off'.";

/** Why an image cannot be used here: its kind, and the words for the log and the error. */
export interface ContainerProblem {
  /** no-engine: no docker engine answers; no-image: the image is not here and cannot be pulled. */
  kind: 'no-engine' | 'no-image';
  message: string;
}

/**
 * Why `image` cannot be used here (no engine, not pullable), or undefined when it can. For
 * `auto`, a problem means building on the host; for an image the user chose, it is the error.
 */
export async function containerProblem(exec: Exec, image: string): Promise<ContainerProblem | undefined> {
  const engine = await dockerEngineProblem(exec);
  if (engine !== undefined) return { kind: 'no-engine', message: `no docker engine answers (${engine})` };
  const pull = await ensureImage(exec, image);
  if (pull !== undefined) {
    return {
      kind: 'no-image',
      message: `the image ${image} is not on this machine and cannot be pulled from ${imageRegistry(image)} (${pull})`,
    };
  }
  return undefined;
}

/** The error for an image the user chose that cannot be used. */
export function unusableImageError(image: string, problem: ContainerProblem): UserError {
  return problem.kind === 'no-engine'
    ? new UserError(
        `Input 'container' asks for the image ${image}, but ${problem.message}. Start a docker engine on the runner, or build on the host with 'container: off'.`,
      )
    : new UserError(`Input 'container': ${problem.message}. ${PROCEED}`);
}

/** The last non-empty lines of a log (the reason a script stopped, for the message), shortened. */
function tail(log: string, lines = 3): string {
  return log
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-lines)
    .join(' / ')
    .slice(0, 400);
}

type ContainerDeps = { exec: Exec; owner: () => { uid: number; gid: number } };

/** Where a container of this build runs: the image, the mounts and the variables passed by name. */
function containerPlace(image: string, request: RunRequest) {
  const { inputs, env } = request;
  return {
    image,
    workspace: inputs.runner.workspace,
    workingDirectory: inputs.workingDirectory,
    cargoHome: request.cargoHome,
    targetDir: request.targetDir,
    target: inputs.target,
    envNames: forwardedEnvNames(env).filter((n) => n !== 'CARGO_TARGET_DIR'),
    extraMounts: request.extraMounts ?? [],
  };
}

/** What the container run needs: the image, the mounts, the env, the script's data. */
async function containerBuild(
  image: string,
  request: CompileRequest,
  exec: Exec,
): Promise<Omit<ContainerBuild, 'statusDir'>> {
  const { inputs, env } = request;
  const maturin = await maturinVersion(exec, inputs.maturin);
  return {
    ...containerPlace(image, request),
    rustToolchain: rustcRelease(request.rustcVerbose) ?? 'stable',
    maturinRequirement: maturin ? `maturin==${maturin}` : 'maturin',
    maturinBinary: resolveExecutable(inputs.maturin, env),
    beforeBuild: inputs.beforeBuild,
    extraEnv: request.hookEnv,
    maturinCalls: request.calls.map((call) => call.argv),
    firstCallGates: gates(request.calls),
  };
}

/**
 * The host directories a container mounts, created by the runner's user: docker would create a
 * missing one as root, and the runner could then not write into it (PGO's directory, the target
 * dir of a first build).
 */
function createMountSources(build: Omit<ContainerBuild, 'statusDir'>): void {
  for (const dir of ['registry', 'git']) mkdirSync(path.join(build.cargoHome, dir), { recursive: true });
  for (const dir of [build.targetDir, ...(build.extraMounts ?? [])]) mkdirSync(dir, { recursive: true });
}

/**
 * Runs each command in a fresh container of the image with the build's mounts (container-run.sh),
 * as the runner's user when it is not root, so what the training writes stays the runner's.
 */
function containerRunner(image: string, request: RunRequest, deps: ContainerDeps): Exec {
  const { inputs, env } = request;
  // No Rust or maturin is installed for these commands: the build's own script does that.
  const build: Omit<ContainerBuild, 'statusDir'> = {
    ...containerPlace(image, request),
    rustToolchain: 'stable',
    maturinRequirement: 'maturin',
    maturinCalls: [],
    firstCallGates: false,
  };
  const owner = deps.owner();
  return (program, args, options = {}) => {
    createMountSources(build);
    // Only the values a command of PGO sets; everything else is the build's, forwarded by name.
    const given = options.env ?? {};
    const values = Object.fromEntries(
      ['VIRTUAL_ENV', 'LLVM_PROFILE_FILE'].filter((n) => given[n] !== undefined).map((n) => [n, given[n]!]),
    );
    const argv = dockerRunArgs(build, {
      program,
      args,
      cwd: options.cwd ?? inputs.workingDirectory,
      env: values,
      user: owner.uid === 0 ? undefined : `${owner.uid}:${owner.gid}`,
    });
    return deps.exec('docker', argv, { ...options, env });
  };
}

/**
 * Gives what the container wrote since `since` back to the runner's user (maturin-action#190: the
 * user must be able to clean and cache what root wrote); a warning, never a failure, when it cannot.
 */
async function giveBack(
  build: ContainerBuild,
  context: { owner: { uid: number; gid: number }; since: number; env: Record<string, string> },
  exec: Exec,
): Promise<void> {
  const { owner, since, env } = context;
  if (owner.uid === 0) return;
  const chown = await exec('docker', dockerChownArgs(build, owner, since), {
    env,
    allowFailure: true,
  }).catch((thrown: unknown) => ({ exitCode: -1, stdout: '', stderr: String(thrown) }));
  if (chown.exitCode !== 0) {
    core.warning(
      `Could not give the files the container wrote back to ${owner.uid}:${owner.gid} (${tail(chown.stderr, 1)}); later steps may not be able to change them.`,
    );
  }
}

/**
 * The calls that ran in the container: each one's exit code as the script wrote it to the status
 * file, and its own part of the log (for the known-failure notes).
 */
function compiled(
  calls: readonly MaturinCall[],
  outcome: { run: ExecResult; lines: readonly string[]; status: ContainerStatus },
): Compiled {
  const { run, lines, status } = outcome;
  const logs = splitCallLogs(lines);
  const ran: CallRun[] = [];
  status.calls.forEach(({ exitCode }, index) => {
    // A call without its exit code did not finish: the script died (explainFailure says why).
    const call = calls[index];
    if (exitCode !== undefined && call)
      ran.push({ call, exitCode, log: (logs.get(index + 1) ?? []).join('\n') });
  });
  return { ran, run, log: `${run.stdout}\n${run.stderr}` };
}

async function compileInContainer(
  image: string,
  request: CompileRequest,
  deps: ContainerDeps,
): Promise<{ compiled: Compiled; phase: ContainerPhase | undefined }> {
  const { exec } = deps;
  const { env } = request;
  const build = {
    ...(await containerBuild(image, request, exec)),
    statusDir: makeStatusDir(request.inputs.runner.runnerTemp),
  };
  createMountSources(build);
  const owner = deps.owner();
  // The container shares the kernel's clock: whatever it writes has a later ctime than this.
  const since = Date.now() / 1000;
  const lines: string[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    request.onLine(line);
  };
  const title = request.calls.map((call) => call.argv.join(' ')).join(' ; ');
  return core.group(logText`maturin ${title} (${image})`, async () => {
    try {
      const run = await exec('docker', dockerBuildArgs(build), { env, allowFailure: true, onLine });
      const status = takeStatus(build.statusDir);
      return { compiled: compiled(request.calls, { run, lines, status }), phase: status.phase };
    } finally {
      await giveBack(build, { owner, since, env }, exec);
    }
  });
}

/**
 * A failed container build whose cause is not maturin's: the message naming it, else undefined.
 * The kind of failure is the phase the script reached (container-status.ts); the log only
 * supplies the words that explain it.
 */
function explainContainerFailure(
  image: string,
  result: ExecResult,
  context: { log: string; phase: ContainerPhase | undefined },
): string | undefined {
  const { log, phase } = context;
  switch (phase) {
    case 'maturin':
      return undefined;
    case 'no-cpython':
      return `The image ${image} has no CPython to build for: neither /opt/python/cp3*/bin (pypa's layout) nor python3 on its PATH. Use a manylinux/musllinux image from pypa or rust-cross, or set 'container: off' to build on the host.`;
    case undefined:
      return scriptNotStarted(image, result, log);
    default:
      return `The build script in ${image} failed before maturin started (exit code ${result.exitCode}): ${tail(log)}. ${whereToLook(phase)}`;
  }
}

/** The script never started: docker's failure, or an image that cannot run it. */
function scriptNotStarted(image: string, result: ExecResult, log: string): string {
  if (result.exitCode === 125) {
    // docker's own failure: the daemon could not create or start the container.
    return `docker could not run the image ${image} (exit code 125): ${tail(log, 1)}. ${PROCEED}`;
  }
  if (result.exitCode === 126 || result.exitCode === 127) {
    return `The image ${image} cannot run the build script (exit code ${result.exitCode}: ${tail(log, 1)}); it needs bash. Use a manylinux/musllinux image, or set 'container: off'.`;
  }
  return `The build script in ${image} did not start (exit code ${result.exitCode}): ${tail(log)}. ${PROCEED}`;
}

export function containerStrategy(image: string, deps: ContainerDeps): BuildStrategy {
  // The phase the last compile reached, for explainFailure (which gets the same run's result).
  let reached: ContainerPhase | undefined;
  return {
    kind: 'container',
    where: `in ${image}`,
    image,
    // The image brings its own CPythons and targets: nothing of the host's to probe.
    probes: async () => ({}),
    compile: async (request) => {
      const { compiled, phase } = await compileInContainer(image, request, deps);
      reached = phase;
      return compiled;
    },
    runner: (request) => containerRunner(image, request, deps),
    explainFailure: (result, log) => explainContainerFailure(image, result, { log, phase: reached }),
  };
}

/** Where to look when the script stopped in a phase before maturin. */
function whereToLook(phase: ContainerPhase): string {
  return phase === 'install-rust' || phase === 'add-targets' || phase === 'install-maturin'
    ? 'Installing Rust or maturin in the image failed; the container has the network the runner gives docker, or use an image that has both.'
    : "Check the 'before-build' script and the image (see the log above).";
}
