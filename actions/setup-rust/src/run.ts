import * as core from '@actions/core';
import {
  type CacheClient,
  type CargoCacheRestore,
  cargoHome,
  restoreCargoCacheStep,
  saveCargoCacheStep,
} from '@ferrowheel/kit/cargo-cache';
import { CommandError } from '@ferrowheel/kit/errors';
import { childEnv, type Exec, exec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import { addPath, exportVariable, setOutput } from '@ferrowheel/kit/outputs';
import { exeName, type Platform, pathFor, pathListSeparator } from '@ferrowheel/kit/platform';
import { markdownTable, writeSummary } from '@ferrowheel/kit/summary';
import { hostTriple } from '@ferrowheel/kit/targets';
import { type Inputs, readInputs, resolveTargetInput } from './inputs.js';
import { registerMatchers } from './matcher.js';
import {
  ensureTargetsAndComponents,
  ensureToolchain,
  findRustup,
  installRustup,
  type Rustup,
  rustupInstallPlan,
} from './rustup.js';
import {
  findToolchainFile,
  type Profile,
  readToolchainFile,
  type ToolchainFile,
  type ToolchainSpec,
} from './toolchain-spec.js';

export interface Deps {
  exec: Exec;
  /** The cache service client; default: @actions/cache, loaded only when caching. */
  cacheClient?: CacheClient;
  /** Whether a file exists (to find rustup); injectable to drive other OSes' layouts. */
  fileExists?: (file: string) => boolean;
}

export const defaultDeps = (): Deps => ({ exec });

export interface SetupResult {
  toolchain: string;
  rustcVersion: string;
  cargoVersion: string;
  host: string;
  targets: string[];
  binDir: string;
  /** What rustup had to download (empty on a runner that had everything). */
  installed: string[];
  cache?: { key: string; restored: CargoCacheRestore };
}

/** `key: value` lines of `rustc -vV`. */
export function parseRustcVersion(output: string): { release: string; host: string } {
  const field = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(output)?.[1]?.trim() ?? '';
  return { release: field('release'), host: field('host') };
}

/** `cargo 1.95.0 (f2d3ce0bd 2026-03-21)` → `1.95.0`. */
export function parseCargoVersion(output: string): string {
  return /^cargo (\S+)/m.exec(output)?.[1] ?? '';
}

function union(...lists: (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

/** What rustup is asked for: the toolchain and what it must have (the input's and the file's). */
interface ToolchainRequest {
  spec: ToolchainSpec;
  components: string[];
  targets: string[];
  profile: Profile;
}

/** Where this runner keeps cargo and rustup, and the host triple assumed until rustc says. */
interface Layout {
  platform: Platform;
  env: NodeJS.ProcessEnv;
  cargoHome: string;
  cargoBin: string;
  assumedHost: string;
}

/** The toolchain ready to use: its rustup name, its bin directory, what had to be downloaded. */
interface ReadyToolchain {
  name: string;
  binDir: string;
  installed: string[];
  rustcOutput: string;
  cargoOutput: string;
}

function runnerLayout(inputs: Inputs): Layout {
  const { platform, env } = inputs.runner;
  const home = cargoHome({ os: platform.os, env });
  return {
    platform,
    env,
    cargoHome: home,
    cargoBin: pathFor(platform.os).join(home, 'bin'),
    assumedHost: hostTriple(platform),
  };
}

/** The toolchain asked for: the input, else the rust-toolchain file, else stable. */
function chooseToolchain(inputs: Inputs, platform: Platform): ToolchainRequest {
  const fromInput = (spec: ToolchainSpec, file?: ToolchainFile): ToolchainRequest => ({
    spec,
    components: union(inputs.components, file?.components ?? []),
    targets: union(inputs.targets, file?.targets ?? []),
    profile: inputs.profile ?? file?.profile ?? 'minimal',
  });
  if (inputs.toolchain) return fromInput(inputs.toolchain);
  const path = findToolchainFile(inputs.workingDirectory, inputs.runner.workspace);
  if (!path) return fromInput({ name: 'stable', kind: 'channel' });
  const file = readToolchainFile(path);
  core.info(logText`Toolchain ${file.spec.name} from ${path}.`);
  // A toolchain file's targets are triples or aliases like the input's.
  file.targets = file.targets.flatMap((t) => {
    const resolved = resolveTargetInput(t, platform.os);
    return resolved.ok ? resolved.value : [t];
  });
  return fromInput(file.spec, file);
}

/**
 * The variables later steps get: the toolchain pinned, colour on and incremental builds off
 * unless the workflow set them. Written once, for the export and for the commands run here.
 */
function toolchainVariables(env: NodeJS.ProcessEnv, toolchain: string): Record<string, string> {
  return {
    RUSTUP_TOOLCHAIN: toolchain,
    ...(env.CARGO_TERM_COLOR ? {} : { CARGO_TERM_COLOR: 'always' }),
    ...(env.CARGO_INCREMENTAL ? {} : { CARGO_INCREMENTAL: '0' }),
  };
}

/** The environment of cargo and rustc run here: as later steps see it, and no surprise downloads. */
function toolchainEnv(layout: Layout, toolchain: string, binDir: string): Record<string, string> {
  const { platform, env } = layout;
  return childEnv(
    {
      ...toolchainVariables(env, toolchain),
      RUSTUP_AUTO_INSTALL: '0',
      PATH: `${binDir}${pathListSeparator(platform.os)}${env.PATH ?? ''}`,
    },
    env,
  );
}

/** rustup where the runner has it, else installed from rustup's server. */
async function locateRustup(
  layout: Layout,
  deps: Deps,
): Promise<{ rustup: Rustup; binDir: string; installed: boolean }> {
  const { platform, env } = layout;
  const p = pathFor(platform.os);
  let binDir = findRustup({
    os: platform.os,
    cargoBin: layout.cargoBin,
    pathEnv: env.PATH ?? '',
    ...(deps.fileExists ? { exists: deps.fileExists } : {}),
  });
  const installed = binDir === undefined;
  if (binDir === undefined) {
    const plan = rustupInstallPlan(platform, {
      tempDir: env.RUNNER_TEMP ?? p.join(layout.cargoHome, '..'),
      host: layout.assumedHost,
    });
    core.info(logText`rustup is not installed; installing it from ${plan.url}.`);
    await installRustup(plan, { exec: deps.exec, env: childEnv({}, env) });
    binDir = layout.cargoBin;
  }
  const rustup: Rustup = {
    program: p.join(binDir, exeName(platform.os, 'rustup')),
    exec: deps.exec,
    host: layout.assumedHost,
    // rustup must not switch toolchains on its own while we ask it questions.
    env: childEnv({ RUSTUP_TOOLCHAIN: undefined, RUSTUP_AUTO_INSTALL: '0', RUST_BACKTRACE: '0' }, env),
  };
  return { rustup, binDir, installed };
}

/** `rustc -vV` and `cargo -V` of the toolchain, side by side; a toolchain that does not run is named. */
async function readToolVersions(
  layout: Layout,
  toolchain: { name: string; binDir: string },
  deps: Deps,
): Promise<{ rustcOutput: string; cargoOutput: string }> {
  const { os } = layout.platform;
  const env = toolchainEnv(layout, toolchain.name, toolchain.binDir);
  const tool = (program: string, args: string[]) =>
    deps.exec(pathFor(os).join(toolchain.binDir, exeName(os, program)), args, { env, silent: true });
  try {
    const [rustc, cargo] = await Promise.all([tool('rustc', ['-vV']), tool('cargo', ['-V'])]);
    return { rustcOutput: rustc.stdout, cargoOutput: cargo.stdout };
  } catch (thrown) {
    if (!(thrown instanceof CommandError)) throw thrown;
    throw new CommandError(
      `${thrown.command} (toolchain ${toolchain.name} is listed by rustup but does not run; reinstall it with 'rustup toolchain install ${toolchain.name} --force')`,
      thrown.exitCode,
      thrown.output,
    );
  }
}

/**
 * The toolchain, its targets and components, installing only what is missing. Its versions are
 * read while rustup lists (and adds) the targets and components: both wait for each other, and a
 * failure of rustup's is reported before one of the toolchain's.
 */
async function prepareToolchain(
  layout: Layout,
  request: ToolchainRequest,
  deps: Deps,
): Promise<ReadyToolchain> {
  const { rustup, binDir, installed: rustupInstalled } = await locateRustup(layout, deps);
  const { spec, profile, components, targets } = request;
  const toolchain = await ensureToolchain(rustup, spec, { profile, components, targets });
  if (!toolchain.installed)
    core.info(logText`Toolchain ${toolchain.name} is installed; nothing to download.`);
  const [added, versions] = await Promise.allSettled([
    ensureTargetsAndComponents(rustup, toolchain.name, { targets, components }),
    readToolVersions(layout, { name: toolchain.name, binDir }, deps),
  ]);
  if (added.status === 'rejected') throw added.reason;
  if (versions.status === 'rejected') throw versions.reason;
  const installed = [
    ...(rustupInstalled ? ['rustup'] : []),
    ...(toolchain.installed ? [`toolchain ${toolchain.name}`] : []),
    ...added.value.targets.map((t) => `target ${t}`),
    ...added.value.components.map((c) => `component ${c}`),
  ];
  return { name: toolchain.name, binDir, installed, ...versions.value };
}

/** The toolchain's variables and bin directory, for the steps after this one. */
function exportToolchain(layout: Layout, toolchain: ReadyToolchain): void {
  for (const [key, value] of Object.entries(toolchainVariables(layout.env, toolchain.name))) {
    exportVariable(key, value);
  }
  addPath(toolchain.binDir);
}

/** What rustc and cargo say of themselves, logged and set as outputs. */
function reportToolchain(layout: Layout, toolchain: ReadyToolchain, request: ToolchainRequest): SetupResult {
  const rustc = parseRustcVersion(toolchain.rustcOutput);
  const cargoVersion = parseCargoVersion(toolchain.cargoOutput);
  const host = rustc.host || layout.assumedHost;
  const targets = union([host], request.targets);
  core.info(
    logText`rustc ${rustc.release} (host ${host}), cargo ${cargoVersion}; targets: ${targets.join(', ')}`,
  );
  setOutput('toolchain', toolchain.name);
  setOutput('rustc-version', rustc.release);
  setOutput('cargo-version', cargoVersion);
  setOutput('host', host);
  setOutput('targets', targets.join(','));
  return {
    toolchain: toolchain.name,
    rustcVersion: rustc.release,
    cargoVersion,
    host,
    targets,
    binDir: toolchain.binDir,
    installed: toolchain.installed,
  };
}

/** The cargo cache restored (when on); its key and whether it hit exactly, as outputs. */
async function restoreCachePhase(
  inputs: Inputs,
  layout: Layout,
  toolchain: ReadyToolchain,
  deps: Deps,
): Promise<SetupResult['cache']> {
  const cache = inputs.cache
    ? await restoreCargoCacheStep({
        workingDirectory: inputs.workingDirectory,
        platform: layout.platform,
        cargoHome: layout.cargoHome,
        rustcVersion: toolchain.rustcOutput,
        env: toolchainEnv(layout, toolchain.name, toolchain.binDir),
        ...(layout.env.GITHUB_JOB ? { job: layout.env.GITHUB_JOB } : {}),
        ...(inputs.cacheKey ? { extraKey: inputs.cacheKey } : {}),
        exec: deps.exec,
        ...(deps.cacheClient ? { client: deps.cacheClient } : {}),
      })
    : undefined;
  setOutput('cache-key', cache?.key ?? '');
  setOutput('cache-hit', String(cache?.restored.hit === 'exact'));
  return cache;
}

/**
 * Setup, as named phases: the toolchain asked for; rustup, the toolchain, its targets and
 * components (only what is missing is downloaded) and its versions; the variables and PATH for
 * later steps; outputs; the problem matcher; the cargo cache; the job summary.
 */
export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps()): Promise<SetupResult> {
  const layout = runnerLayout(inputs);
  const request = chooseToolchain(inputs, layout.platform);
  const toolchain = await core.group(logText`Rust toolchain ${request.spec.name}`, () =>
    prepareToolchain(layout, request, deps),
  );
  exportToolchain(layout, toolchain);
  const result = reportToolchain(layout, toolchain, request);
  if (inputs.matcher) registerMatchers();
  const cache = await restoreCachePhase(inputs, layout, toolchain, deps);
  if (cache) result.cache = cache;
  await writeSummary('Rust toolchain', summaryTable(result));
  return result;
}

/** One row for the job summary: what was set up, what had to be downloaded, the cache. */
export function summaryTable(result: SetupResult): string {
  const cache = result.cache
    ? `${result.cache.restored.hit}${result.cache.restored.matchedKey ? ` (${result.cache.restored.matchedKey})` : ''}`
    : 'off';
  return markdownTable(
    ['Toolchain', 'rustc', 'cargo', 'Host', 'Targets', 'Downloaded', 'Cargo cache'],
    [
      [
        result.toolchain,
        result.rustcVersion,
        result.cargoVersion,
        result.host,
        result.targets.join(', '),
        result.installed.join(', ') || 'nothing',
        cache,
      ],
    ],
  );
}

/** The post step: save the cargo cache the main step restored (or missed). Never fails the job. */
export async function post(deps: Pick<Deps, 'cacheClient'> = {}): Promise<void> {
  await saveCargoCacheStep(deps.cacheClient ? { client: deps.cacheClient } : {});
}
