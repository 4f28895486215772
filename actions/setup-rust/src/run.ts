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
import { pathKind } from '@ferrowheel/kit/files';
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
  rustupHome,
  rustupInstallPlan,
} from './rustup.js';
import {
  findToolchainFile,
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

/** The toolchain asked for: the input, else the rust-toolchain file, else stable. */
function chooseToolchain(inputs: Inputs, platform: Platform): { spec: ToolchainSpec; file?: ToolchainFile } {
  if (inputs.toolchain) return { spec: inputs.toolchain };
  const path = findToolchainFile(inputs.workingDirectory, inputs.runner.workspace);
  if (!path) return { spec: { name: 'stable', kind: 'channel' } };
  const file = readToolchainFile(path);
  core.info(logText`Toolchain ${file.spec.name} from ${path}.`);
  // A toolchain file's targets are triples or aliases like the input's.
  file.targets = file.targets.flatMap((t) => {
    const resolved = resolveTargetInput(t, platform.os);
    return resolved.ok ? resolved.value : [t];
  });
  return { spec: file.spec, file };
}

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps()): Promise<SetupResult> {
  const { platform, env } = inputs.runner;
  const p = pathFor(platform.os);
  const home = cargoHome({ os: platform.os, env });
  const cargoBin = p.join(home, 'bin');
  const assumedHost = hostTriple(platform);
  const installed: string[] = [];

  const { spec, file } = chooseToolchain(inputs, platform);
  const components = union(inputs.components, file?.components ?? []);
  const targets = union(inputs.targets, file?.targets ?? []);
  const profile = inputs.profile ?? file?.profile ?? 'minimal';

  // The environment later steps get (and cargo metadata here): the toolchain pinned, no
  // surprise downloads by rustup's proxies.
  const envFor = (toolchain: string, binDir: string) =>
    childEnv(
      {
        RUSTUP_TOOLCHAIN: toolchain,
        RUSTUP_AUTO_INSTALL: '0',
        ...(env.CARGO_TERM_COLOR ? {} : { CARGO_TERM_COLOR: 'always' }),
        ...(env.CARGO_INCREMENTAL ? {} : { CARGO_INCREMENTAL: '0' }),
        PATH: `${binDir}${pathListSeparator(platform.os)}${env.PATH ?? ''}`,
      },
      env,
    );
  /** `rustc -vV` and `cargo -V` of a toolchain (from `dir`: proxies or its own bin), side by side. */
  const toolVersions = async (dir: string, toolchain: string) => {
    const tool = (program: string, args: string[]) =>
      deps.exec(p.join(dir, exeName(platform.os, program)), args, {
        env: envFor(toolchain, dir),
        silent: true,
      });
    const [rustc, cargo] = await Promise.all([tool('rustc', ['-vV']), tool('cargo', ['-V'])]);
    return { rustc: rustc.stdout, cargo: cargo.stdout };
  };

  const { name, binDir, versions } = await core.group(logText`Rust toolchain ${spec.name}`, async () => {
    let binDir = findRustup({
      os: platform.os,
      cargoBin,
      pathEnv: env.PATH ?? '',
      ...(deps.fileExists ? { exists: deps.fileExists } : {}),
    });
    if (binDir === undefined) {
      const plan = rustupInstallPlan(platform, {
        tempDir: env.RUNNER_TEMP ?? p.join(home, '..'),
        host: assumedHost,
      });
      core.info(logText`rustup is not installed; installing it from ${plan.url}.`);
      await installRustup(plan, { exec: deps.exec, env: childEnv({}, env) });
      installed.push('rustup');
      binDir = cargoBin;
    }
    const r: Rustup = {
      program: p.join(binDir, exeName(platform.os, 'rustup')),
      exec: deps.exec,
      host: assumedHost,
      // rustup must not switch toolchains on its own while we ask it questions.
      env: childEnv({ RUSTUP_TOOLCHAIN: undefined, RUSTUP_AUTO_INSTALL: '0', RUST_BACKTRACE: '0' }, env),
    };
    // Most runs ask for an installed toolchain: read its versions while rustup checks, and
    // throw the guess away if rustup settles on another name. The guess runs the toolchain's
    // own binaries, never rustup's proxies, which an older rustup would let auto-install a
    // missing toolchain behind our back.
    const ownBin = p.join(rustupHome(platform.os, env), 'toolchains', `${spec.name}-${assumedHost}`, 'bin');
    const exists = deps.fileExists ?? ((f: string) => pathKind(f) === 'file');
    const guess = exists(p.join(ownBin, exeName(platform.os, 'rustc')))
      ? toolVersions(ownBin, spec.name).catch(() => undefined)
      : Promise.resolve(undefined);
    const toolchain = await ensureToolchain(r, spec, { profile, components, targets });
    if (toolchain.installed) installed.push(`toolchain ${toolchain.name}`);
    else core.info(logText`Toolchain ${toolchain.name} is installed; nothing to download.`);
    const added = await ensureTargetsAndComponents(r, toolchain.name, { targets, components });
    for (const t of added.targets) installed.push(`target ${t}`);
    for (const c of added.components) installed.push(`component ${c}`);
    const versions = toolchain.name === spec.name ? await guess : undefined;
    return { name: toolchain.name, binDir, versions };
  });

  const exported: Record<string, string> = { RUSTUP_TOOLCHAIN: name };
  if (!env.CARGO_TERM_COLOR) exported.CARGO_TERM_COLOR = 'always';
  if (!env.CARGO_INCREMENTAL) exported.CARGO_INCREMENTAL = '0';
  for (const [key, value] of Object.entries(exported)) exportVariable(key, value);
  addPath(binDir);
  const buildEnv = envFor(name, binDir);

  let rustcOutput: string;
  let cargoOutput: string;
  try {
    ({ rustc: rustcOutput, cargo: cargoOutput } = versions ?? (await toolVersions(binDir, name)));
  } catch (thrown) {
    if (!(thrown instanceof CommandError)) throw thrown;
    throw new CommandError(
      `${thrown.command} (toolchain ${name} is listed by rustup but does not run; reinstall it with 'rustup toolchain install ${name} --force')`,
      thrown.exitCode,
      thrown.output,
    );
  }
  const rustc = parseRustcVersion(rustcOutput);
  const cargoVersion = parseCargoVersion(cargoOutput);
  const host = rustc.host || assumedHost;
  const readyTargets = union([host], targets);
  core.info(
    logText`rustc ${rustc.release} (host ${host}), cargo ${cargoVersion}; targets: ${readyTargets.join(', ')}`,
  );
  setOutput('toolchain', name);
  setOutput('rustc-version', rustc.release);
  setOutput('cargo-version', cargoVersion);
  setOutput('host', host);
  setOutput('targets', readyTargets.join(','));

  if (inputs.matcher) registerMatchers();

  const result: SetupResult = {
    toolchain: name,
    rustcVersion: rustc.release,
    cargoVersion,
    host,
    targets: readyTargets,
    binDir,
    installed,
  };

  let cacheKey = '';
  let cacheHit = false;
  if (inputs.cache) {
    const cache = await restoreCargoCacheStep({
      workingDirectory: inputs.workingDirectory,
      platform,
      cargoHome: home,
      rustcVersion: rustcOutput,
      env: buildEnv,
      ...(env.GITHUB_JOB ? { job: env.GITHUB_JOB } : {}),
      ...(inputs.cacheKey ? { extraKey: inputs.cacheKey } : {}),
      exec: deps.exec,
      ...(deps.cacheClient ? { client: deps.cacheClient } : {}),
    });
    if (cache) {
      cacheKey = cache.key;
      cacheHit = cache.restored.hit === 'exact';
      result.cache = cache;
    }
  }
  setOutput('cache-key', cacheKey);
  setOutput('cache-hit', String(cacheHit));
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
