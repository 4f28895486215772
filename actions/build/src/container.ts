/**
 * Building inside a manylinux/musllinux image with docker: the exact `docker run` argv (a pure
 * function); which image serves a target and a platform level is kit's (build-images.ts). The
 * design answers the container pain points of maturin-action:
 * - the cargo registry/git caches and the target dir are mounts of the host's cached paths, so
 *   the cache restored before and saved after the build covers container builds too
 *   (maturin-action#53, rust-cache#15);
 * - environment variables reach the build: every variable a Rust/C build reads is passed by
 *   name with `-e NAME` (docker takes the value from our environment, so secrets never appear
 *   in the argv) (maturin-action#134);
 * - files the root user in the container wrote are given back to the runner's user with a second
 *   `docker run` that runs even when the build failed (maturin-action#190). It changes only what
 *   the container wrote (owned by root, inode changed since the build started), never a whole
 *   tree: a root-owned file that was there before, or the rest of a cargo registry, stays as it was.
 * The script run in the container is a real file (container-build.sh) shipped beside the bundle
 * and mounted read-only: data reaches it only through environment variables and the maturin argv
 * through "$@", never by pasting input text into shell code.
 */
import { shippedFile } from '@ferrowheel/kit/files';
import { scriptCommand } from '@ferrowheel/kit/scripts';
import type { Target } from '@ferrowheel/kit/targets';
import { CONTAINER_STATUS_DIR_AT, CONTAINER_STATUS_FILE_AT } from './container-status.js';

/**
 * Variables a Rust/C/Python build reads; passed into the container by name when set (with
 * SOURCE_DATE_EPOCH, and CARGO_ENCODED_RUSTFLAGS holding the path remapping). Host paths
 * (CARGO_HOME, RUSTUP_HOME; CARGO_TARGET_DIR is set explicitly), RUSTC_WRAPPER (a host sccache
 * the image does not have) and the runner's service tokens (ACTIONS_*) stay out. So does
 * RUSTUP_TOOLCHAIN: setup-rust exports a channel name (`stable`), while the container installs
 * and pins the host's exact version (FERROWHEEL_RUST_TOOLCHAIN); forwarding the name would make
 * rustup in the image look for, or download, another toolchain than the one the cache was built by.
 */
const FORWARDED_ENV =
  /^(CARGO_(?!HOME$|TARGET_DIR$)\w+|RUST(?!UP_HOME$|UP_TOOLCHAIN$|C_WRAPPER$)\w*|PYO3_\w+|MATURIN_\w+|SCCACHE_\w+|OPENSSL_\w+|PKG_CONFIG\w*|CC|CXX|AR|LD|CFLAGS|CXXFLAGS|CPPFLAGS|LDFLAGS|LIBCLANG_PATH|BINDGEN_\w+|ZIG\w*|_PYTHON_SYSCONFIGDATA_NAME|GITHUB_ACTIONS|CI|SOURCE_DATE_EPOCH)$/;

/** Names of the variables of `env` that go into the container (sorted, values not included). */
export function forwardedEnvNames(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && FORWARDED_ENV.test(name))
    .sort();
}

/** An image's own environment, from `docker image inspect --format '{{json .Config.Env}}'`. */
export function imageEnvOf(json: string): Record<string, string> {
  let entries: unknown;
  try {
    entries = JSON.parse(json);
  } catch {
    return {};
  }
  if (!Array.isArray(entries)) return {};
  const env: Record<string, string> = {};
  for (const entry of entries) {
    if (typeof entry !== 'string' || !entry.includes('=')) continue;
    const at = entry.indexOf('=');
    env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

/**
 * The environment cargo sees in the build's container: the image's own (a cross image's
 * CARGO_TARGET_<TRIPLE>_RUSTFLAGS or CARGO_BUILD_RUSTFLAGS, say) under the runner's variables
 * passed in by name. The user's effective rustflags are read from it, so the
 * CARGO_ENCODED_RUSTFLAGS a reproducible build sets keeps the image's flags instead of
 * silently replacing them (cargo reads CARGO_ENCODED_RUSTFLAGS before any other).
 */
export function containerBuildEnv(
  imageEnv: Record<string, string>,
  runnerEnv: Record<string, string | undefined>,
): Record<string, string> {
  const passed = forwardedEnvNames(runnerEnv).map((name) => [name, runnerEnv[name]!] as const);
  return { ...imageEnv, ...Object.fromEntries(passed) };
}

/** The line the script prints as each maturin call starts: it only splits the log by call. */
const CALL_STARTS = /^ferrowheel-container: maturin call (\d+) starts$/;

/** The script's "$@": each call's argv after its length. */
export function maturinCallWords(calls: readonly (readonly string[])[]): string[] {
  return calls.flatMap((argv) => [String(argv.length), ...argv]);
}

/**
 * The container's output lines split by call, for the log and the known-failure notes: each
 * call's lines, by the number the script gave it (a call that never started has none). Whether a
 * call ran and how it exited are the status file's (container-status.ts), never these lines'.
 */
export function splitCallLogs(lines: readonly string[]): Map<number, string[]> {
  const calls = new Map<number, string[]>();
  let current: string[] | undefined;
  for (const line of lines) {
    const marker = CALL_STARTS.exec(line.trim());
    if (marker) {
      current = [];
      calls.set(Number(marker[1]), current);
    } else current?.push(line);
  }
  return calls;
}

/**
 * The script the container runs (container-build.sh, a real file checked by shellcheck), on the
 * host: mounted read-only at CONTAINER_BUILD_SCRIPT_AT and run with the maturin argv as "$@".
 */
export const CONTAINER_BUILD_SCRIPT = shippedFile(new URL('./container-build.sh', import.meta.url));
/** The chown script (container-chown.sh): `<uid:gid> <epoch seconds.millis> <paths…>`. */
export const CONTAINER_CHOWN_SCRIPT = shippedFile(new URL('./container-chown.sh', import.meta.url));
/** The script of one command run in the image (container-run.sh): PGO's training and merge. */
export const CONTAINER_RUN_SCRIPT = shippedFile(new URL('./container-run.sh', import.meta.url));
/** Where the scripts are mounted in the container. */
export const CONTAINER_BUILD_SCRIPT_AT = '/opt/ferrowheel/build.sh';
export const CONTAINER_RUN_SCRIPT_AT = '/opt/ferrowheel/run.sh';
export const CONTAINER_CHOWN_SCRIPT_AT = '/opt/ferrowheel/chown.sh';

/** Where the images keep cargo's home (pypa images once rustup installs, rust-cross images). */
export const CONTAINER_CARGO_HOME = '/root/.cargo';

export interface ContainerBuild {
  image: string;
  workspace: string;
  /** Directory maturin runs in. */
  workingDirectory: string;
  /** Host cargo home whose registry/ and git/ are mounted (the cached paths). */
  cargoHome: string;
  /** CARGO_TARGET_DIR on the host, mounted at the same path. */
  targetDir: string;
  target: Target;
  rustToolchain: string;
  /** pip requirement for maturin when the image lacks it, e.g. `maturin==1.16.0`. */
  maturinRequirement: string;
  /** The host's maturin executable, mounted read-only (used when it runs in the image). */
  maturinBinary?: string | undefined;
  beforeBuild?: string | undefined;
  /** Names of variables to pass through (see {@link forwardedEnvNames}). */
  envNames: string[];
  /** Variables set to these values in the container (the before-build data). */
  extraEnv?: Record<string, string>;
  /** The maturin argv of each call (`build …`), run in order in one container. */
  maturinCalls: string[][];
  /** The first call (the GIL-enabled versions) failing stops the rest. */
  firstCallGates: boolean;
  /** More host directories mounted at the same path (PGO's profiles and venvs), given back too. */
  extraMounts?: string[];
  /** The host directory the script writes its phases and calls into (container-status.ts). */
  statusDir: string;
}

function isInside(dir: string, parent: string): boolean {
  return dir === parent || dir.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

/** The mounts both docker runs share: workspace, target dir, cargo registry and git. */
function mounts(build: Omit<ContainerBuild, 'statusDir'>): string[] {
  const volumes = [`${build.workspace}:${build.workspace}`];
  if (!isInside(build.targetDir, build.workspace)) volumes.push(`${build.targetDir}:${build.targetDir}`);
  volumes.push(
    `${build.cargoHome}/registry:${CONTAINER_CARGO_HOME}/registry`,
    `${build.cargoHome}/git:${CONTAINER_CARGO_HOME}/git`,
  );
  for (const dir of extraMounts(build)) volumes.push(`${dir}:${dir}`);
  return volumes.flatMap((v) => ['--volume', v]);
}

/** The extra mounts that are not already inside the workspace or the target dir. */
function extraMounts(build: Omit<ContainerBuild, 'statusDir'>): string[] {
  return (build.extraMounts ?? []).filter(
    (dir) => !isInside(dir, build.workspace) && !isInside(dir, build.targetDir),
  );
}

/**
 * The before-build hook's argv in the (Linux) container: kit's one extension table, with the
 * image's python3 for a .py script. Its words go to the script one a line (inputs hold no line
 * breaks).
 */
export function beforeBuildArgv(script: string): string[] {
  const command = scriptCommand(script, 'linux', { python: 'python3' });
  return [command.program, ...command.args];
}

/** `docker run` argv of the build. */
export function dockerBuildArgs(build: ContainerBuild): string[] {
  const env: [string, string][] = [
    ['CARGO_TARGET_DIR', build.targetDir],
    ['FERROWHEEL_RUST_TOOLCHAIN', build.rustToolchain],
    ['FERROWHEEL_RUST_TARGETS', build.target.rustTargets.join(' ')],
    ['FERROWHEEL_MATURIN_REQUIREMENT', build.maturinRequirement],
    ['FERROWHEEL_BEFORE_BUILD_ARGV', build.beforeBuild ? beforeBuildArgv(build.beforeBuild).join('\n') : ''],
    ['FERROWHEEL_FIRST_CALL_GATES', build.firstCallGates ? '1' : ''],
    ['FERROWHEEL_STATUS_FILE', CONTAINER_STATUS_FILE_AT],
    ...Object.entries(build.extraEnv ?? {}),
  ];
  return [
    'run',
    '--rm',
    '--workdir',
    build.workingDirectory,
    ...mounts(build),
    ...env.flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    ...build.envNames.flatMap((name) => ['--env', name]),
    ...(build.maturinBinary ? ['--volume', `${build.maturinBinary}:/opt/ferrowheel/bin/maturin:ro`] : []),
    '--volume',
    `${CONTAINER_BUILD_SCRIPT}:${CONTAINER_BUILD_SCRIPT_AT}:ro`,
    '--volume',
    `${build.statusDir}:${CONTAINER_STATUS_DIR_AT}`,
    build.image,
    'bash',
    CONTAINER_BUILD_SCRIPT_AT,
    ...maturinCallWords(build.maturinCalls),
  ];
}

/**
 * `docker run` argv that gives what the build wrote back to `uid:gid`: the root-owned files and
 * directories under the mounts whose inode changed after `since` (epoch seconds, to the millisecond).
 */
export function dockerChownArgs(
  build: ContainerBuild,
  owner: { uid: number; gid: number },
  since: number,
): string[] {
  const paths = [build.workspace];
  if (!isInside(build.targetDir, build.workspace)) paths.push(build.targetDir);
  paths.push(`${CONTAINER_CARGO_HOME}/registry`, `${CONTAINER_CARGO_HOME}/git`, ...extraMounts(build));
  return [
    'run',
    '--rm',
    ...mounts(build),
    '--volume',
    `${CONTAINER_CHOWN_SCRIPT}:${CONTAINER_CHOWN_SCRIPT_AT}:ro`,
    '--entrypoint',
    'bash',
    build.image,
    CONTAINER_CHOWN_SCRIPT_AT,
    `${owner.uid}:${owner.gid}`,
    since.toFixed(3),
    ...paths,
  ];
}

/** One command of PGO's run in the image: its argv, where, and the few variables it needs. */
export interface ContainerCommand {
  program: string;
  args: readonly string[];
  cwd: string;
  /** Values set in the container (VIRTUAL_ENV, LLVM_PROFILE_FILE). */
  env: Record<string, string>;
  /** `uid:gid` to run as (the runner's user, so what it writes stays the runner's), or root. */
  user?: string | undefined;
}

/**
 * `docker run` argv of one command in the build's image, with the build's mounts and forwarded
 * variables (container-run.sh sets PATH as the build script does, the venv first).
 */
export function dockerRunArgs(build: Omit<ContainerBuild, 'statusDir'>, command: ContainerCommand): string[] {
  const env = Object.entries({ CARGO_TARGET_DIR: build.targetDir, ...command.env });
  return [
    'run',
    '--rm',
    '--workdir',
    command.cwd,
    ...(command.user ? ['--user', command.user, '--env', 'HOME=/tmp'] : []),
    ...mounts(build),
    ...env.flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    ...build.envNames.flatMap((name) => ['--env', name]),
    '--volume',
    `${CONTAINER_RUN_SCRIPT}:${CONTAINER_RUN_SCRIPT_AT}:ro`,
    build.image,
    'bash',
    CONTAINER_RUN_SCRIPT_AT,
    command.program,
    ...command.args,
  ];
}

/** The registry an image reference is pulled from (`docker.io` when the name has no host part). */
export function imageRegistry(image: string): string {
  const first = image.split('/')[0]!;
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}
