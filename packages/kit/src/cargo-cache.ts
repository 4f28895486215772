/**
 * The cargo cache every action that compiles Rust shares: the registry index and `.crate` files,
 * git dependencies' databases, and the target directory, keyed like Swatinem/rust-cache.
 *
 * - The key is `ferrowheel-cargo-v1-<os>-<arch>[-<job>][-<extra>]-<toolchain hash>-<deps hash>`:
 *   the toolchain hash covers `rustc -vV` and the CARGO_…, RUST… variables that change what is
 *   compiled; the deps hash covers the normalised Cargo.toml files (the workspace's own versions
 *   left out) and Cargo.lock (the workspace's own packages left out). The restore key drops the deps
 *   hash, so a changed lock file still starts from the last build with the same toolchain.
 * - The target directory is the one cargo uses: `cargo metadata` knows CARGO_TARGET_DIR and
 *   `build.target-dir` (rust-cache#173).
 * - Before saving, the target dir is pruned of the workspace's own crates, incremental data and
 *   final artifacts, so the cache holds dependencies. `--target <triple>` dirs are pruned the same
 *   way, never wiped.
 * - Only `registry/{index,cache}` and `git/db` of CARGO_HOME are cached: never `bin/` (tools the job
 *   did not install are never touched, rust-cache#16) and never credentials.
 * - A broken cache service never fails a job: every failure becomes a warning.
 *
 * The config is plain data with explicit paths, so a build in a container can pass the host path
 * of its mounted CARGO_HOME, and an action can keep it in GITHUB_STATE for its post step.
 * @actions/cache is imported only when a restore or save really happens.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { cargoCacheKey } from './cargo-cache/key.js';
import { type CargoWorkspace, readCargoWorkspace } from './cargo-cache/metadata.js';
import { loadCargoCacheState, saveCargoCacheState } from './cargo-cache/state.js';
import {
  type CacheClient,
  type CargoCacheConfig,
  type CargoCacheRestore,
  cacheServiceConfigured,
  restoreCargoCache,
  saveCargoCache,
} from './cargo-cache/store.js';
import type { Exec } from './exec.js';
import { pathKind } from './files.js';
import { logText } from './log-text.js';
import { type Os, type Platform, pathFor } from './platform.js';
import { ok, type Result } from './result.js';

export * from './cargo-cache/key.js';
export * from './cargo-cache/metadata.js';
export * from './cargo-cache/prune.js';
export * from './cargo-cache/state.js';
export * from './cargo-cache/store.js';

/** CARGO_HOME, else `~/.cargo` (`%USERPROFILE%\.cargo` on Windows). */
export function cargoHome(options: { os: Os; env?: NodeJS.ProcessEnv; homeDir?: string }): string {
  const env = options.env ?? process.env;
  const p = pathFor(options.os);
  if (env.CARGO_HOME) return p.resolve(env.CARGO_HOME);
  const home = options.homeDir ?? (options.os === 'windows' ? env.USERPROFILE : env.HOME) ?? os.homedir();
  return p.join(home, '.cargo');
}

/** The cached parts of CARGO_HOME, then the target dir. */
export function cargoCachePaths(options: { os: Os; cargoHome: string; targetDir: string }): string[] {
  const p = pathFor(options.os);
  return [
    p.join(options.cargoHome, 'registry', 'index'),
    p.join(options.cargoHome, 'registry', 'cache'),
    p.join(options.cargoHome, 'git', 'db'),
    options.targetDir,
  ];
}

function readIfFile(file: string): string | undefined {
  return pathKind(file) === 'file' ? readFileSync(file, 'utf8') : undefined;
}

export interface CargoCacheConfigOptions {
  /** A directory inside the cargo workspace (read with `cargo metadata` unless `workspace` is given). */
  workingDirectory: string;
  /** The workspace the caller already read (or why it could not): spares a second `cargo metadata`. */
  workspace?: Result<CargoWorkspace>;
  platform: Platform;
  /** CARGO_HOME as seen by the build (a container's mount's host path, for a container build). */
  cargoHome: string;
  /** The target dir; default: the one `cargo metadata` reports. */
  targetDir?: string;
  rustcVersion: string;
  env?: NodeJS.ProcessEnv;
  job?: string;
  extraKey?: string;
  exec: Exec;
}

/** Computes the cache config once (in a main step); a problem says why there is nothing to cache. */
export async function cargoCacheConfig(options: CargoCacheConfigOptions): Promise<Result<CargoCacheConfig>> {
  const env = options.env ?? process.env;
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const found =
    options.workspace ??
    (await readCargoWorkspace(options.workingDirectory, { exec: options.exec, env: childEnv }));
  if (!found.ok) return found;
  const workspace = found.value;
  const relative = (file: string) => path.relative(workspace.root, file);
  const manifests = workspace.manifests.flatMap((file) => {
    const text = readIfFile(file);
    return text === undefined ? [] : [{ path: relative(file), text }];
  });
  const extraFiles = ['.cargo/config.toml', '.cargo/config'].flatMap((name) => {
    const text = readIfFile(path.join(workspace.root, name));
    return text === undefined ? [] : [{ path: name, text }];
  });
  const lock = readIfFile(path.join(workspace.root, 'Cargo.lock'));
  const { key, restoreKeys } = cargoCacheKey({
    platform: options.platform,
    rustcVersion: options.rustcVersion,
    env,
    manifests,
    extraFiles,
    ...(lock !== undefined ? { lock } : {}),
    ...(options.job ? { job: options.job } : {}),
    ...(options.extraKey ? { extraKey: options.extraKey } : {}),
  });
  const targetDir = options.targetDir ?? workspace.targetDir;
  return ok({
    key,
    restoreKeys,
    paths: cargoCachePaths({ os: options.platform.os, cargoHome: options.cargoHome, targetDir }),
    cargoHome: options.cargoHome,
    targetDir,
    workspaceCrates: workspace.crates,
  });
}

/**
 * The restore half every action that compiles shares: says why it does not cache (no service, no
 * toolchain, no workspace), else computes the config, restores, and keeps both for the post step
 * under `stateName`. Undefined when not caching. Never throws for the cache's sake.
 */
export async function restoreCargoCacheStep(
  options: Omit<CargoCacheConfigOptions, 'rustcVersion'> & {
    rustcVersion: string | undefined;
    stateName?: string;
    client?: CacheClient;
  },
): Promise<{ key: string; restored: CargoCacheRestore } | undefined> {
  if (!options.client && !cacheServiceConfigured(options.env ?? process.env)) {
    core.info('Not caching: this job has no cache service (ACTIONS_CACHE_URL is not set).');
    return undefined;
  }
  const rustcVersion = options.rustcVersion;
  if (rustcVersion === undefined) {
    core.info('Not caching: rustc -vV did not run, so there is no toolchain to key the cache on.');
    return undefined;
  }
  return core.group('Restore the cargo cache', async () => {
    const computed = await cargoCacheConfig({ ...options, rustcVersion });
    if (!computed.ok) {
      core.info(logText`Not caching: ${computed.problem}`);
      return undefined;
    }
    const config = computed.value;
    const restored = await restoreCargoCache(config, options.client ? { client: options.client } : {});
    saveCargoCacheState(config, restored, options.stateName);
    return { key: config.key, restored };
  });
}

/** The save half (a post step): saves what the main step keyed under `stateName`, if anything. */
export async function saveCargoCacheStep(
  options: { stateName?: string; client?: CacheClient } = {},
): Promise<void> {
  const state = loadCargoCacheState(options.stateName);
  if (!state) return;
  await core.group('Save the cargo cache', () =>
    saveCargoCache(state.config, {
      restored: state.restored,
      ...(options.client ? { client: options.client } : {}),
    }),
  );
}
