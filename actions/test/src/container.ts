/**
 * The container executor: one container of the `container` image, started for the run and
 * removed at its end, in which every target command runs through `docker exec`. It sees the
 * workspace and the runner's temp directory at the runner's own paths, so wheel paths, the venv,
 * the tests' copy, the JUnit report and the annotations mean the same on both sides. It runs as
 * the runner's user (nothing root-owned is left in the workspace, maturin-action#190), with its
 * home in the run's directory.
 *
 * Before it starts, each thing that can be wrong is checked and named with its fix: no docker
 * engine; an image that is neither here nor pullable; an image of another platform than
 * `docker-platform`; a foreign platform whose QEMU is not registered with binfmt_misc (or
 * registered without the F flag, so the emulator is not found inside a container).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as core from '@actions/core';
import {
  type DockerPlatform,
  dockerPlatformOfWheelArch,
  formatDockerPlatform,
  linuxTagArch,
  parseDockerPlatform,
  qemuEntry,
  runsNatively,
  sameDockerPlatform,
} from '@ferrowheel/kit/docker-platform';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import { parseWheelFilename } from '@ferrowheel/kit/wheel';
import { CONTAINER_UV } from './container-uv.js';
import { type Executor, fileOrLink } from './executor.js';

/** The container the `container` and `docker-platform` inputs ask for. */
export interface ContainerSpec {
  image: string;
  /** undefined: the docker engine's own platform. */
  platform: DockerPlatform | undefined;
}

/** What the run gives the container. */
export interface ContainerStart {
  spec: ContainerSpec;
  /** Directories mounted at their own paths (the workspace, the runner's temp directory). */
  mounts: readonly string[];
  /** The run's directory: the container's home and working directory, and where shipped files go. */
  workDir: string;
  /** The runner's user and group, which the container runs as (undefined: the image's user). */
  user: { uid: number; gid: number } | undefined;
  /**
   * A static uv for the engine's architecture, mounted at CONTAINER_UV (container-uv.ts), or
   * undefined for none (pip installs then).
   */
  uv?: (engine: DockerPlatform) => Promise<string | undefined>;
}

/** What the checks read from the machine: binfmt_misc entries, and whether docker is local. */
export interface MachineFacts {
  /** The text of `/proc/sys/fs/binfmt_misc/<entry>`, or undefined when there is none. */
  binfmt: (entry: string) => string | undefined;
  /** DOCKER_HOST: binfmt_misc is checked only for an engine on this machine. */
  dockerHost: string | undefined;
}

export const machineFacts: MachineFacts = {
  binfmt: (entry) => {
    try {
      return readFileSync(path.join('/proc/sys/fs/binfmt_misc', entry), 'utf8');
    } catch {
      return undefined;
    }
  },
  dockerHost: process.env.DOCKER_HOST,
};

/** Variables of the runner the tests see in the container too (test suites read them). */
const RUNNER_VARIABLES = ['CI', 'GITHUB_ACTIONS'];

const INPUT_FIX =
  "Set 'container' to an image with the interpreter under test, and 'docker-platform' to its platform.";

/** docker's answer, or its last line of error output. */
async function docker(exec: Exec, args: string[]): Promise<{ ok: boolean; out: string }> {
  const result = await exec('docker', args, { silent: true, allowFailure: true }).catch(
    (thrown: unknown) => ({
      exitCode: -1,
      stdout: '',
      stderr: thrown instanceof Error ? thrown.message : String(thrown),
    }),
  );
  if (result.exitCode === 0) return { ok: true, out: result.stdout.trim() };
  const last = `${result.stderr}${result.stdout}`
    .trim()
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .at(-1);
  return { ok: false, out: last ?? `docker ${args[0]} exited with code ${result.exitCode}` };
}

/** The engine's platform (`linux/amd64`), or the error that no engine answers. */
async function enginePlatform(exec: Exec, image: string): Promise<DockerPlatform> {
  const answer = await docker(exec, ['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}']);
  const parsed = answer.ok ? parseDockerPlatform(answer.out) : undefined;
  if (!parsed?.ok) {
    throw new UserError(
      `Input 'container' asks for the image ${image}, but no docker engine answers (${answer.ok ? `it runs on ${answer.out}` : answer.out}). ` +
        "Run this step on a Linux runner with docker (ubuntu-latest has it), or remove 'container' to test on the runner itself.",
    );
  }
  return parsed.value;
}

interface LocalImage {
  id: string;
  platform: DockerPlatform | undefined;
  /** As docker recorded it, for messages. */
  recorded: string;
}

async function inspectImage(exec: Exec, image: string): Promise<LocalImage | undefined> {
  // JSON, not a --format template: docker 20.10 has no Variant key for images without one, and
  // a template naming it fails.
  const answer = await docker(exec, ['image', 'inspect', '--format', '{{json .}}', image]);
  if (!answer.ok) return undefined;
  let facts: { Id?: unknown; Os?: unknown; Architecture?: unknown; Variant?: unknown };
  try {
    facts = JSON.parse(answer.out) as typeof facts;
  } catch {
    return undefined;
  }
  const recorded = [facts.Os, facts.Architecture, facts.Variant]
    .filter((p) => typeof p === 'string' && p)
    .join('/');
  const platform = parseDockerPlatform(recorded);
  return { id: String(facts.Id ?? ''), recorded, platform: platform.ok ? platform.value : undefined };
}

/**
 * The image to run, of the platform asked for: the one here, else pulled for that platform (in
 * the log, never silently). Errors name the image, what is wrong and the fix.
 */
export async function resolveImage(exec: Exec, image: string, platform: DockerPlatform): Promise<LocalImage> {
  const wanted = formatDockerPlatform(platform);
  const matches = (found: LocalImage | undefined) =>
    found?.platform !== undefined && sameDockerPlatform(found.platform, platform);
  let found = await inspectImage(exec, image);
  if (matches(found)) return found!;
  const before = found;
  core.info(
    logText`${image} ${before ? `is ${before.recorded} here, not ${wanted}` : 'is not on this machine'}: pulling it for ${wanted}`,
  );
  const pull = await exec('docker', ['pull', '--platform', wanted, image], { allowFailure: true }).catch(
    (thrown: unknown) => ({ exitCode: -1, stdout: '', stderr: String(thrown) }),
  );
  found = await inspectImage(exec, image);
  if (pull.exitCode === 0 && matches(found)) return found!;
  const detail = `${pull.stderr}`.trim().split(/\r?\n/).at(-1) ?? '';
  if (before === undefined && !found) {
    throw new UserError(
      `Input 'container': the image ${image} is not on this machine, and pulling it for ${wanted} failed (${detail}). ` +
        'Check the name and tag; build or load it before this step (docker build, docker load), or log in to its registry first (docker/login-action).',
    );
  }
  const recorded = (found ?? before)!.recorded;
  throw new UserError(
    `Input 'container': the image ${image} is ${recorded}, but 'docker-platform' is ${wanted}${pull.exitCode === 0 ? '' : ` (pulling its ${wanted} variant failed: ${detail})`}. ` +
      `Use an image built for ${wanted} (a per-platform tag, or docker pull --platform ${wanted} before this step), or set 'docker-platform' to ${recorded}.`,
  );
}

/**
 * Why a platform the engine cannot run natively cannot run under QEMU either: no binfmt_misc
 * entry, a disabled one, or one without the F flag. undefined when it can (or when the engine
 * is on another machine, whose binfmt_misc this one cannot see).
 */
export function qemuProblem(
  platform: DockerPlatform,
  engine: DockerPlatform,
  facts: MachineFacts,
): string | undefined {
  if (runsNatively(platform, engine.architecture)) return undefined;
  if (facts.dockerHost && !facts.dockerHost.startsWith('unix://')) return undefined;
  const entry = qemuEntry(platform);
  const text = facts.binfmt(entry);
  const wanted = formatDockerPlatform(platform);
  const register =
    `Register QEMU before this step: on GitHub with docker/setup-qemu-action (platforms: ${wanted}); ` +
    `elsewhere, as root, install qemu-user-static and register it with the F flag (update-binfmts --enable ${entry}, or docker run --privileged tonistiigi/binfmt --install ${platform.architecture}).`;
  const lead = `Input 'docker-platform' is ${wanted}, which this ${formatDockerPlatform(engine)} docker engine runs only under QEMU, and`;
  if (text === undefined) {
    return `${lead} QEMU is not registered for it (no /proc/sys/fs/binfmt_misc/${entry}). ${register}`;
  }
  if (!/^enabled$/m.test(text)) return `${lead} its QEMU entry (${entry}) is disabled. ${register}`;
  const flags = /^flags:\s*(\S*)/m.exec(text)?.[1] ?? '';
  if (!flags.includes('F')) {
    return `${lead} its QEMU entry (${entry}) lacks the F flag (flags: ${flags || 'none'}), so a container cannot find the emulator. ${register}`;
  }
  return undefined;
}

/** Parses `env`'s output (NAME=VALUE lines). */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) env[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return env;
}

/** `docker run` argv of the run's container (a pure function). */
export function dockerRunArgs(
  start: ContainerStart,
  options: { name: string; imageId: string; uv?: string | undefined },
): string[] {
  const mounts = [...new Set(start.mounts)].flatMap((dir) => ['--volume', `${dir}:${dir}`]);
  if (options.uv) mounts.push('--volume', `${options.uv}:${CONTAINER_UV}:ro`);
  return [
    'run',
    '--detach',
    '--name',
    options.name,
    '--label',
    'org.ferrowheel.test=1',
    ...(start.user ? ['--user', `${start.user.uid}:${start.user.gid}`] : []),
    ...mounts,
    // The runner's user has no home in the image: pip and pytest get one in the run's directory.
    '--env',
    `HOME=${path.join(start.workDir, 'home')}`,
    '--env',
    'PIP_DISABLE_PIP_VERSION_CHECK=1',
    '--workdir',
    start.workDir,
    '--entrypoint',
    'sleep',
    options.imageId,
    'infinity',
  ];
}

/**
 * `docker exec` argv of one command: the program and argv as they are, the environment through
 * an env file (values never on a command line), the working directory the command asked for.
 */
export function dockerExecArgs(
  container: string,
  command: { program: string; args: readonly string[]; cwd: string; envFile?: string; input?: boolean },
): string[] {
  return [
    'exec',
    ...(command.input ? ['--interactive'] : []),
    '--workdir',
    command.cwd,
    ...(command.envFile ? ['--env-file', command.envFile] : []),
    container,
    command.program,
    ...command.args,
  ];
}

/** The variables of `env` as an env file; a value with a line break cannot be one, and is a bug. */
function envFileText(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => {
      if (/[\r\n]/.test(value) || /[=\s]/.test(name))
        throw new Error(`cannot pass ${name} through an env file`);
      return `${name}=${value}\n`;
    })
    .join('');
}

function containerExecutor(
  start: ContainerStart,
  running: { id: string; name: string; env: Record<string, string>; where: string; uv: boolean },
  exec: Exec,
): Executor {
  const scripts = path.join(start.workDir, 'shipped');
  let files = 0;
  return {
    kind: 'container',
    where: running.where,
    env: running.env,
    run:
      (hostExec) =>
      async (program, args, options = {}) => {
        const { cwd, env, input, ...rest } = options;
        const envFile = env ? path.join(start.workDir, `.env-${++files}`) : undefined;
        if (envFile) writeFileSync(envFile, envFileText(env!), { mode: 0o600 });
        try {
          return await hostExec(
            'docker',
            dockerExecArgs(running.name, {
              program,
              args,
              cwd: cwd ?? start.workDir,
              ...(envFile ? { envFile } : {}),
              input: input !== undefined,
            }),
            { ...rest, ...(input !== undefined ? { input } : {}) },
          );
        } finally {
          if (envFile) rmSync(envFile, { force: true });
        }
      },
    which: async (program) => {
      if (program === 'uv' && running.uv) return CONTAINER_UV;
      const found = await docker(exec, ['exec', running.name, 'which', program]);
      return found.ok && found.out !== '' ? found.out : undefined;
    },
    // The venv's links point into the image, not the runner: the link itself counts.
    isProgram: fileOrLink,
    shipped: (file) => {
      mkdirSync(scripts, { recursive: true });
      const copy = path.join(scripts, path.basename(file));
      writeFileSync(copy, readFileSync(file));
      return copy;
    },
    stop: async () => {
      await docker(exec, ['rm', '--force', running.name]);
    },
  };
}

/** Checks the engine, the image, its platform and QEMU, then starts the run's container. */
export async function startContainer(
  start: ContainerStart,
  exec: Exec,
  facts: MachineFacts = machineFacts,
): Promise<Executor> {
  const { image } = start.spec;
  const engine = await enginePlatform(exec, image);
  const platform = start.spec.platform ?? engine;
  // Before the image: nothing of a platform runs here without its emulator, pulled or not.
  const qemu = qemuProblem(platform, engine, facts);
  if (qemu) throw new UserError(qemu);
  const local = await resolveImage(exec, image, platform);
  const emulated = !runsNatively(platform, engine.architecture);
  const where = `in ${image} (${formatDockerPlatform(platform)}${emulated ? ', under QEMU' : ''})`;
  core.info(logText`Testing ${where}: image ${local.id}`);

  mkdirSync(path.join(start.workDir, 'home'), { recursive: true });
  // node:crypto on first use (a run without a container, or one stopped by a bad input, never loads it).
  const { randomBytes } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const name = `ferrowheel-test-${randomBytes(6).toString('hex')}`;
  const uv = await start.uv?.(engine);
  const run = await docker(exec, dockerRunArgs(start, { name, imageId: local.id, uv }));
  const probe = run.ok ? await docker(exec, ['exec', name, 'env']) : run;
  if (!probe.ok) {
    const logs = run.ok ? await docker(exec, ['logs', '--tail', '5', name]) : undefined;
    await docker(exec, ['rm', '--force', name]);
    throw new UserError(
      `The container of ${image} (${formatDockerPlatform(platform)}) did not start: ${probe.out}${logs?.out ? ` (${logs.out})` : ''}. ` +
        `The image must run 'sleep infinity' and 'env' (any Debian or Alpine image does); an 'exec format error' means the platform's emulator is missing. ${INPUT_FIX}`,
    );
  }
  // The runner's CI markers reach the tests as on the runner; the rest of its environment does not.
  const ci = Object.fromEntries(
    RUNNER_VARIABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])),
  );
  return containerExecutor(
    start,
    { id: local.id, name, env: { ...parseEnv(probe.out), ...ci }, where, uv: uv !== undefined },
    exec,
  );
}

/**
 * The error for a container whose interpreter runs another architecture than every wheel found
 * (an x86_64 image for aarch64 wheels): said as what it is, not as "no wheel is compatible".
 * undefined when some wheel is for the interpreter's architecture (or for any).
 */
export function architectureMismatch(
  wheels: readonly string[],
  interpreterTag: string,
  where: string,
): UserError | undefined {
  const own = linuxTagArch(interpreterTag.split('-')[2] ?? '');
  if (own === undefined) return undefined;
  const archs = new Set<string>();
  for (const file of wheels) {
    const parsed = parseWheelFilename(path.basename(file));
    if (!parsed.ok) continue;
    for (const tag of parsed.value.platformTags) {
      const arch: string | undefined = tag === 'any' ? own : linuxTagArch(tag);
      if (arch === own) return undefined;
      if (arch !== undefined) archs.add(arch);
    }
  }
  if (archs.size === 0) return undefined;
  const platforms = [...archs].map((a) => dockerPlatformOfWheelArch(a) ?? a);
  return new UserError(
    `The wheels are for ${[...archs].join(', ')}, but the interpreter ${where} runs ${own}. ` +
      `Set 'docker-platform' to ${platforms.join(' or ')} and 'container' to an image of that platform.`,
  );
}
