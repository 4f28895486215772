/**
 * What rustup has and how to get what it lacks. Everything installed is found with rustup's
 * own listings (`toolchain list`, `target list --installed`, `component list --installed`), so a
 * runner that has the toolchain needs no network at all; rustup is asked to download only what is
 * missing, and a failed download is explained (offline and self-hosted runners). Nothing is ever
 * uninstalled (rust-cache#16).
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { messageOf, UserError } from '@ferrowheel/kit/errors';
import type { Exec, ExecResult } from '@ferrowheel/kit/exec';
import { pathKind } from '@ferrowheel/kit/files';
import { exeName, type Os, type Platform, pathFor, pathListSeparator } from '@ferrowheel/kit/platform';
import type { Profile, ToolchainSpec } from './toolchain-spec.js';

/** How rustup is installed where it is missing. */
export interface RustupInstallPlan {
  url: string;
  /** Where the download is written. */
  file: string;
  program: string;
  args: string[];
}

/**
 * The official installer: rustup-init.exe on Windows, the sh script (sh.rustup.rs) elsewhere,
 * installing rustup alone (`--default-toolchain none`); the toolchain is installed afterwards.
 */
export function rustupInstallPlan(
  platform: Platform,
  options: { tempDir: string; host: string },
): RustupInstallPlan {
  const p = pathFor(platform.os);
  const args = ['-y', '--no-modify-path', '--default-toolchain', 'none', '--profile', 'minimal'];
  if (platform.os === 'windows') {
    const file = p.join(options.tempDir, 'rustup-init.exe');
    return {
      url: `https://static.rust-lang.org/rustup/dist/${options.host}/rustup-init.exe`,
      file,
      program: file,
      args,
    };
  }
  const file = p.join(options.tempDir, 'rustup-init.sh');
  return { url: 'https://sh.rustup.rs', file, program: 'sh', args: [file, ...args] };
}

/** RUSTUP_HOME, else `~/.rustup` (`%USERPROFILE%\.rustup` on Windows). */
export function rustupHome(os: Os, env: NodeJS.ProcessEnv): string {
  const p = pathFor(os);
  if (env.RUSTUP_HOME) return env.RUSTUP_HOME;
  const home = (os === 'windows' ? env.USERPROFILE : env.HOME) ?? homedir();
  return p.join(home, '.rustup');
}

/** The directory holding rustup: CARGO_HOME/bin if it is there, else the first on PATH. */
export function findRustup(options: {
  os: Os;
  cargoBin: string;
  pathEnv: string;
  exists?: (file: string) => boolean;
}): string | undefined {
  const exists = options.exists ?? ((f: string) => pathKind(f) === 'file');
  const p = pathFor(options.os);
  const name = exeName(options.os, 'rustup');
  const dirs = [
    options.cargoBin,
    ...options.pathEnv.split(pathListSeparator(options.os)).filter((d) => d !== ''),
  ];
  return dirs.find((dir) => exists(p.join(dir, name)));
}

/** Toolchain names from `rustup toolchain list` (first word of each line). */
export function parseToolchainList(output: string): string[] {
  return output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('no installed toolchains'))
    .map((line) => line.split(/\s+/)[0]!);
}

/** `stable-x86_64-unknown-linux-gnu` → `stable` on that host; other hosts' toolchains keep their name. */
function shortName(name: string, host: string): string {
  return name.endsWith(`-${host}`) ? name.slice(0, -host.length - 1) : name;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * The installed toolchain that satisfies `spec`, by rustup name: the exact name, or for a
 * `major.minor` version the highest installed `major.minor.patch`.
 */
export function matchInstalledToolchain(
  spec: ToolchainSpec,
  installed: readonly string[],
  host: string,
): string | undefined {
  const names = installed.map((n) => shortName(n, host));
  if (names.includes(spec.name)) return spec.name;
  if (spec.kind === 'version' && /^\d+\.\d+$/.test(spec.name)) {
    const patches = names.filter((n) => n.startsWith(`${spec.name}.`) && /^\d+\.\d+\.\d+$/.test(n));
    return patches.sort(compareVersions).at(-1);
  }
  return undefined;
}

/** Installed entries from `rustup target list --installed` / `component list --installed`. */
export function parseInstalledList(output: string): string[] {
  return output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('info:'));
}

/** The requested components not in `installed` (which names them with or without the host). */
export function missingComponents(
  requested: readonly string[],
  installed: readonly string[],
  host: string,
): string[] {
  const have = new Set(
    installed.flatMap((c) => [c, shortName(c, host), shortName(c, host).replace(/-preview$/, '')]),
  );
  return requested.filter((c) => !have.has(c) && !have.has(c.replace(/-preview$/, '')));
}

/**
 * rustup's reason in one line: its `error:` line and the root cause of its "Caused by" chain
 * (e.g. "Connection refused (os error 111)"); backtraces left out.
 */
export function rustupProblem(result: ExecResult): string {
  const lines = `${result.stderr}\n${result.stdout}`.split(/\r?\n/).map((l) => l.trim());
  const backtrace = lines.findIndex((l) => l.startsWith('Stack backtrace'));
  const relevant = backtrace === -1 ? lines : lines.slice(0, backtrace);
  const error = relevant.find((l) => l.startsWith('error:'));
  const causes = relevant.filter((l) => /^\d+: /.test(l)).map((l) => l.replace(/^\d+: /, ''));
  const parts = [error?.replace(/^error:\s*/, ''), causes.at(-1)].filter((x): x is string => !!x);
  if (parts.length > 0) return parts.join(': ');
  return (
    relevant
      .filter((l) => l !== '')
      .slice(-2)
      .join(' | ') || `exit code ${result.exitCode}`
  );
}

const OFFLINE_HINT =
  'A runner that cannot reach static.rust-lang.org (self-hosted or offline) must have it installed beforehand';

export interface Rustup {
  /** The rustup executable. */
  program: string;
  exec: Exec;
  host: string;
  env: Record<string, string>;
}

async function rustup(r: Rustup, args: string[], options: { silent?: boolean } = {}): Promise<ExecResult> {
  return r.exec(r.program, args, { env: r.env, allowFailure: true, silent: options.silent ?? true });
}

/** Installed toolchains, by full rustup name. */
export async function installedToolchains(r: Rustup): Promise<string[]> {
  const result = await rustup(r, ['toolchain', 'list']);
  return result.exitCode === 0 ? parseToolchainList(result.stdout) : [];
}

/**
 * Makes sure the toolchain is installed, downloading only when it is not. Returns its rustup
 * name and whether anything was installed.
 */
export async function ensureToolchain(
  r: Rustup,
  spec: ToolchainSpec,
  options: { profile: Profile; components: string[]; targets: string[] },
): Promise<{ name: string; installed: boolean }> {
  const installed = await installedToolchains(r);
  const found = matchInstalledToolchain(spec, installed, r.host);
  if (found) return { name: found, installed: false };
  const args = ['toolchain', 'install', spec.name, '--profile', options.profile, '--no-self-update'];
  for (const c of options.components) args.push('--component', c);
  for (const t of options.targets) args.push('--target', t);
  const result = await rustup(r, args, { silent: false });
  if (result.exitCode !== 0) {
    const have = installed.map((n) => shortName(n, r.host)).join(', ') || 'none';
    throw new UserError(
      `Rust toolchain '${spec.name}' is not installed and rustup could not install it (${rustupProblem(result)}). ` +
        `Installed toolchains: ${have}. ${OFFLINE_HINT}: run 'rustup toolchain install ${spec.name}' when building the runner image, or set 'toolchain' to an installed one.`,
    );
  }
  return { name: spec.name, installed: true };
}

/**
 * Adds the missing targets or components with `rustup <kind> add`; a failure says what is
 * missing, why rustup failed, and the command to bake into a runner image.
 */
async function addMissing(
  r: Rustup,
  options: { kind: 'target' | 'component'; toolchain: string; missing: string[]; have?: string[] },
): Promise<string[]> {
  const { kind, toolchain, missing } = options;
  if (missing.length === 0) return [];
  const result = await rustup(r, [kind, 'add', '--toolchain', toolchain, ...missing], { silent: false });
  if (result.exitCode === 0) return missing;
  const many = missing.length > 1;
  const installed = options.have ? ` Installed ${kind}s: ${options.have.join(', ') || 'none'}.` : '';
  throw new UserError(
    `Rust ${kind}${many ? 's' : ''} ${missing.join(', ')} ${many ? 'are' : 'is'} not installed for toolchain '${toolchain}' and rustup could not add ${many ? 'them' : 'it'} (${rustupProblem(result)}).${installed} ` +
      `${OFFLINE_HINT}: run 'rustup ${kind} add --toolchain ${toolchain} ${missing.join(' ')}' when building the runner image, or remove ${many ? 'them' : 'it'} from '${kind}s'.`,
  );
}

/**
 * Adds the targets and components the toolchain lacks; returns what was added. Both are listed
 * side by side (read-only); additions run one after another, as rustup does not lock its
 * toolchain directory against itself.
 */
export async function ensureTargetsAndComponents(
  r: Rustup,
  toolchain: string,
  wanted: { targets: readonly string[]; components: readonly string[] },
): Promise<{ targets: string[]; components: string[] }> {
  const list = async (kind: 'target' | 'component', wantedItems: readonly string[]) =>
    wantedItems.length === 0
      ? []
      : parseInstalledList((await rustup(r, [kind, 'list', '--installed', '--toolchain', toolchain])).stdout);
  const [haveTargets, haveComponents] = await Promise.all([
    list('target', wanted.targets),
    list('component', wanted.components),
  ]);
  const targets = await addMissing(r, {
    kind: 'target',
    toolchain,
    missing: wanted.targets.filter((t) => !haveTargets.includes(t)),
    have: haveTargets,
  });
  const components = await addMissing(r, {
    kind: 'component',
    toolchain,
    missing: missingComponents(wanted.components, haveComponents, r.host),
  });
  return { targets, components };
}

/** Downloads and runs the official rustup installer (only called when rustup is missing). */
export async function installRustup(
  plan: RustupInstallPlan,
  options: { exec: Exec; env: Record<string, string> },
): Promise<void> {
  const { fetchWithRetry } = await import('@ferrowheel/kit/http');
  const { mkdirSync, writeFileSync, chmodSync } = await import('node:fs');
  let response: Response;
  try {
    response = await fetchWithRetry(plan.url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (thrown) {
    throw new UserError(
      `rustup is not installed and its installer could not be downloaded from ${plan.url} (${messageOf(thrown)}). ${OFFLINE_HINT}: install rustup and the toolchain on the runner, and put its cargo bin directory on PATH.`,
    );
  }
  mkdirSync(path.dirname(plan.file), { recursive: true });
  writeFileSync(plan.file, Buffer.from(await response.arrayBuffer()));
  chmodSync(plan.file, 0o755);
  await options.exec(plan.program, plan.args, { env: options.env });
}
