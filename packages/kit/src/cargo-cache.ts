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
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { parse } from 'smol-toml';
import { messageOf } from './errors.js';
import type { Exec } from './exec.js';
import { pathKind, sha256 } from './files.js';
import { type Os, type Platform, pathFor } from './platform.js';
import { fail, ok, type Result } from './result.js';

export const CARGO_CACHE_PREFIX = 'ferrowheel-cargo-v1';

/** Everything a restore and a save need; plain JSON (kept in GITHUB_STATE between main and post). */
export interface CargoCacheConfig {
  /** The primary key (exact match = nothing to save). */
  key: string;
  /** Prefixes tried when the key misses: the key without its deps hash. */
  restoreKeys: string[];
  /** Absolute paths archived, in a fixed order (the cache version is a hash of them). */
  paths: string[];
  cargoHome: string;
  targetDir: string;
  /** Package and target names of the workspace, pruned from the target dir before saving. */
  workspaceCrates: string[];
}

export interface CargoCacheRestore {
  /** exact: the key matched; partial: a restore key did; miss; unavailable: no cache service. */
  hit: 'exact' | 'partial' | 'miss' | 'unavailable' | 'failed';
  matchedKey?: string;
}

export interface CargoCacheSave {
  outcome: 'saved' | 'skipped' | 'failed';
  /** Why, for the log. */
  detail: string;
}

/** The slice of @actions/cache used here; injectable so tests can run without a service. */
export interface CacheClient {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

/** The real @actions/cache, loaded on first use (it is heavy; start-up must stay fast). */
export async function actionsCacheClient(): Promise<CacheClient> {
  const cache = await import('@actions/cache');
  return {
    isFeatureAvailable: () => cache.isFeatureAvailable(),
    restoreCache: (paths, key, restoreKeys) => cache.restoreCache(paths, key, restoreKeys),
    saveCache: (paths, key) => cache.saveCache(paths, key),
  };
}

/**
 * True when the runner offers a cache service (v1 ACTIONS_CACHE_URL or v2 ACTIONS_RESULTS_URL):
 * a cheap check that spares computing a key nobody can use.
 */
export function cacheServiceConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL);
}

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

// Variables that change what cargo compiles. Paths (CARGO_HOME, CARGO_TARGET_DIR) are already
// in the cache version; terminal, network and credential settings, rustup's own settings and
// run-time variables (RUST_BACKTRACE, RUST_LOG) do not change artifacts.
const KEYED_ENV = /^(CARGO_.+|RUST[A-Z]+(_[A-Z_]+)?|CC|CXX|CFLAGS|CXXFLAGS|LDFLAGS)$/;
const UNKEYED_ENV =
  /^(CARGO_HOME|CARGO_TARGET_DIR|CARGO_TERM_.*|CARGO_HTTP_.*|CARGO_NET_.*|CARGO_REGISTRIES_.*|CARGO_REGISTRY_.*|CARGO_PKG_.*|CARGO_MANIFEST_.*|RUSTUP_.*|RUST_.*|.*_TOKEN)$/;

/** The variables (sorted `NAME=value` lines) that go into the toolchain hash. */
export function keyedEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && KEYED_ENV.test(name) && !UNKEYED_ENV.test(name))
    .map(([name, value]) => `${name}=${value}`)
    .sort();
}

/** JSON with object keys sorted, so equal TOML documents give equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function parseTomlOrUndefined(text: string): Record<string, unknown> | undefined {
  try {
    return parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function dropPathDependencyVersions(table: unknown): void {
  if (table === null || typeof table !== 'object') return;
  for (const dep of Object.values(table as Record<string, unknown>)) {
    if (dep !== null && typeof dep === 'object' && 'path' in dep)
      delete (dep as Record<string, unknown>).version;
  }
}

/**
 * A Cargo.toml as canonical text: comments, white space and key order do not count, nor the
 * workspace's own versions (`package.version`, `workspace.package.version`, versions of path
 * dependencies), which change on every release without changing any dependency. A file that is
 * not valid TOML counts as its raw text.
 */
export function normaliseManifest(text: string): string {
  const doc = parseTomlOrUndefined(text);
  if (!doc) return text;
  const pkg = doc.package as Record<string, unknown> | undefined;
  if (pkg && typeof pkg === 'object') delete pkg.version;
  const workspace = doc.workspace as Record<string, unknown> | undefined;
  const workspacePackage = workspace?.package as Record<string, unknown> | undefined;
  if (workspacePackage && typeof workspacePackage === 'object') delete workspacePackage.version;
  for (const section of ['dependencies', 'dev-dependencies', 'build-dependencies']) {
    dropPathDependencyVersions(doc[section]);
  }
  dropPathDependencyVersions(workspace?.dependencies);
  const targets = doc.target as Record<string, Record<string, unknown>> | undefined;
  for (const target of Object.values(targets ?? {})) {
    for (const section of ['dependencies', 'dev-dependencies', 'build-dependencies']) {
      dropPathDependencyVersions(target?.[section]);
    }
  }
  return stableJson(doc);
}

/** Cargo.lock as canonical text without the workspace's own packages (no `source`). */
export function normaliseLock(text: string): string {
  const doc = parseTomlOrUndefined(text);
  if (!doc) return text;
  if (Array.isArray(doc.package)) {
    doc.package = (doc.package as Record<string, unknown>[]).filter((p) => p.source !== undefined);
  }
  return stableJson(doc);
}

export interface CargoCacheKeyInputs {
  platform: Platform;
  /** GITHUB_JOB: jobs that compile different things do not overwrite each other's cache. */
  job?: string;
  /** A user's extra key part (matrix values and the like). */
  extraKey?: string;
  /** `rustc -vV` of the toolchain that builds. */
  rustcVersion: string;
  env: NodeJS.ProcessEnv;
  /** Cargo.toml files: path relative to the workspace root, and text. */
  manifests: { path: string; text: string }[];
  /** Cargo.lock text, when there is one. */
  lock?: string;
  /** Other files that change the build (.cargo/config.toml): relative path and text. */
  extraFiles?: { path: string; text: string }[];
}

/** A key part safe in a cache key: no commas (the service splits on them), no white space. */
function keyPart(text: string): string {
  return text.trim().replace(/[\s,]+/g, '_');
}

/** The primary key and restore key (see the module comment). */
export function cargoCacheKey(inputs: CargoCacheKeyInputs): { key: string; restoreKeys: string[] } {
  const toolchainHash = sha256([inputs.rustcVersion.trim(), ...keyedEnv(inputs.env)].join('\n')).slice(0, 16);
  const deps = [
    ...[...inputs.manifests]
      .sort((a, b) => (a.path < b.path ? -1 : 1))
      .map((m) => `${m.path.replace(/\\/g, '/')}\n${normaliseManifest(m.text)}`),
    `Cargo.lock\n${inputs.lock === undefined ? '' : normaliseLock(inputs.lock)}`,
    ...(inputs.extraFiles ?? []).map((f) => `${f.path}\n${f.text}`),
  ];
  const depsHash = sha256(deps.join('\n\0\n')).slice(0, 16);
  const parts = [CARGO_CACHE_PREFIX, inputs.platform.os, inputs.platform.arch];
  if (inputs.job) parts.push(keyPart(inputs.job));
  if (inputs.extraKey) parts.push(keyPart(inputs.extraKey));
  parts.push(toolchainHash);
  const restoreKey = parts.join('-');
  return { key: `${restoreKey}-${depsHash}`, restoreKeys: [restoreKey] };
}

export interface CargoWorkspace {
  root: string;
  targetDir: string;
  /** Absolute paths of the workspace's Cargo.toml files (root first). */
  manifests: string[];
  crates: string[];
}

interface CargoMetadata {
  workspace_root: string;
  target_directory: string;
  packages: { name: string; manifest_path: string; targets: { name: string }[] }[];
}

/**
 * The workspace that `dir` belongs to, from `cargo metadata --no-deps` (no network, no lock file
 * needed); the reason when there is none or cargo cannot read it.
 */
export async function readCargoWorkspace(
  dir: string,
  options: { exec: Exec; env?: Record<string, string>; cargo?: string },
): Promise<Result<CargoWorkspace>> {
  const result = await options.exec(
    options.cargo ?? 'cargo',
    ['metadata', '--no-deps', '--format-version', '1', '--color', 'never'],
    { cwd: dir, silent: true, allowFailure: true, ...(options.env ? { env: options.env } : {}) },
  );
  if (result.exitCode !== 0) {
    const reason = result.stderr.trim().split('\n').slice(-1)[0] ?? '';
    return fail(`cargo metadata failed in ${dir}: ${reason}`);
  }
  let metadata: CargoMetadata;
  try {
    metadata = JSON.parse(result.stdout) as CargoMetadata;
  } catch (thrown) {
    return fail(`cargo metadata printed no JSON: ${messageOf(thrown)}`);
  }
  const rootManifest = path.join(metadata.workspace_root, 'Cargo.toml');
  const manifests = [
    rootManifest,
    ...metadata.packages.map((p) => p.manifest_path).filter((m) => m !== rootManifest),
  ];
  const crates = new Set<string>();
  for (const pkg of metadata.packages) {
    crates.add(pkg.name);
    for (const target of pkg.targets) crates.add(target.name);
  }
  return ok({
    root: metadata.workspace_root,
    targetDir: metadata.target_directory,
    manifests,
    crates: [...crates].sort(),
  });
}

function readIfFile(file: string): string | undefined {
  return pathKind(file) === 'file' ? readFileSync(file, 'utf8') : undefined;
}

export interface CargoCacheConfigOptions {
  /** A directory inside the cargo workspace. */
  workingDirectory: string;
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
  const found = await readCargoWorkspace(options.workingDirectory, { exec: options.exec, env: childEnv });
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

/** Restores the cache; never throws (a failing service is a warning and a miss). */
export async function restoreCargoCache(
  config: CargoCacheConfig,
  options: { client?: CacheClient } = {},
): Promise<CargoCacheRestore> {
  try {
    const client = options.client ?? (await actionsCacheClient());
    if (!client.isFeatureAvailable()) {
      core.info('No cache service is available to this job (ACTIONS_CACHE_URL is not set); not caching.');
      return { hit: 'unavailable' };
    }
    const matchedKey = await client.restoreCache([...config.paths], config.key, [...config.restoreKeys]);
    if (matchedKey === undefined) {
      core.info(`No cargo cache for ${config.key} or ${config.restoreKeys.join(', ')}.`);
      return { hit: 'miss' };
    }
    const hit = matchedKey === config.key ? 'exact' : 'partial';
    core.info(`Restored the cargo cache ${matchedKey} (${hit} match).`);
    return { hit, matchedKey };
  } catch (thrown) {
    core.warning(`Restoring the cargo cache failed; building without it: ${messageOf(thrown)}`);
    return { hit: 'failed' };
  }
}

/**
 * Prunes the target dir, then saves the cache; skipped after an exact hit or without a service.
 * Never throws.
 */
export async function saveCargoCache(
  config: CargoCacheConfig,
  options: { restored?: CargoCacheRestore; client?: CacheClient } = {},
): Promise<CargoCacheSave> {
  const skip = (detail: string): CargoCacheSave => {
    core.info(`Not saving the cargo cache: ${detail}.`);
    return { outcome: 'skipped', detail };
  };
  if (options.restored?.hit === 'exact') return skip(`${config.key} was restored exactly, nothing new`);
  if (options.restored?.hit === 'unavailable') return skip('no cache service is available');
  try {
    const client = options.client ?? (await actionsCacheClient());
    if (!client.isFeatureAvailable()) return skip('no cache service is available');
    const pruned = pruneTargetDir(config.targetDir, config.workspaceCrates);
    core.info(`Pruned ${pruned.removed} workspace and final artifacts from ${config.targetDir}.`);
    const existing = config.paths.filter((p) => pathKind(p) !== undefined);
    if (existing.length === 0) return skip('none of the cached directories exist (nothing was built)');
    const id = await client.saveCache([...config.paths], config.key);
    if (id === -1) {
      // @actions/cache has already said why (another job saved this key, or the service failed).
      return { outcome: 'failed', detail: `the cache service did not take ${config.key}` };
    }
    core.info(`Saved the cargo cache ${config.key}.`);
    return { outcome: 'saved', detail: config.key };
  } catch (thrown) {
    core.warning(`Saving the cargo cache failed (the job's result is unaffected): ${messageOf(thrown)}`);
    return { outcome: 'failed', detail: messageOf(thrown) };
  }
}

// What a profile dir (target/debug, target/<triple>/release) keeps: dependencies' compiled
// crates, build-script outputs and fingerprints. Everything else there is the workspace's own
// output (binaries, cdylibs, examples) or incremental data, which is large and rarely reusable.
const PROFILE_KEEP = new Set(['build', '.fingerprint', 'deps']);
const TARGET_ROOT_KEEP = new Set(['CACHEDIR.TAG', '.rustc_info.json']);

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isProfileDir(dir: string): boolean {
  return ['.fingerprint', 'deps', 'build'].some((d) => isDir(path.join(dir, d)));
}

/** `libfoo-1a2b3c.rlib` → `libfoo`; `my-crate-1a2b3c` → `my-crate`; `libfoo.so` → `libfoo`. */
function artifactStem(name: string): string {
  const base = name.startsWith('.') ? name : name.split('.')[0]!;
  const dash = base.lastIndexOf('-');
  return dash > 0 && /^[0-9a-f]{8,}$/.test(base.slice(dash + 1)) ? base.slice(0, dash) : base;
}

function remove(p: string, counter: { removed: number }): void {
  rmSync(p, { recursive: true, force: true });
  counter.removed++;
}

function pruneProfile(dir: string, deny: Set<string>, counter: { removed: number }): void {
  for (const entry of readdirSync(dir)) {
    if (!PROFILE_KEEP.has(entry)) remove(path.join(dir, entry), counter);
  }
  for (const sub of PROFILE_KEEP) {
    const subDir = path.join(dir, sub);
    if (!isDir(subDir)) continue;
    for (const entry of readdirSync(subDir)) {
      if (deny.has(artifactStem(entry))) remove(path.join(subDir, entry), counter);
    }
  }
}

/**
 * Prunes a target dir so it holds dependencies only: in every profile dir (also under
 * `<triple>/`), everything but `build`, `.fingerprint` and `deps`, and in those the workspace's
 * own crates. Other top-level dirs (`doc`, `wheels`, `package`) go; a `--target` dir is pruned
 * like the host's, never removed.
 */
export function pruneTargetDir(targetDir: string, workspaceCrates: readonly string[]): { removed: number } {
  const counter = { removed: 0 };
  if (!isDir(targetDir)) return counter;
  const deny = new Set<string>();
  for (const name of workspaceCrates) {
    const underscored = name.replace(/-/g, '_');
    for (const n of [name, underscored, `lib${underscored}`]) deny.add(n);
  }
  for (const entry of readdirSync(targetDir)) {
    const full = path.join(targetDir, entry);
    if (TARGET_ROOT_KEEP.has(entry)) continue;
    if (!isDir(full)) {
      remove(full, counter);
    } else if (isProfileDir(full)) {
      pruneProfile(full, deny, counter);
    } else {
      const profiles = readdirSync(full).filter((p) => isProfileDir(path.join(full, p)));
      if (profiles.length === 0) {
        remove(full, counter);
        continue;
      }
      // A `--target <triple>` dir: prune its profiles, keep it.
      for (const entryInTriple of readdirSync(full)) {
        const inner = path.join(full, entryInTriple);
        if (profiles.includes(entryInTriple)) pruneProfile(inner, deny, counter);
        else if (!TARGET_ROOT_KEEP.has(entryInTriple)) remove(inner, counter);
      }
    }
  }
  return counter;
}

const STATE_NAME = 'ferrowheel-cargo-cache';

/** Keeps the config and what was restored for the post step (GITHUB_STATE). */
export function saveCargoCacheState(
  config: CargoCacheConfig,
  restored: CargoCacheRestore,
  name: string = STATE_NAME,
): void {
  core.saveState(name, JSON.stringify({ config, restored }));
}

/** The config and restore result a main step kept; undefined when it kept none. */
export function loadCargoCacheState(
  name: string = STATE_NAME,
): { config: CargoCacheConfig; restored: CargoCacheRestore } | undefined {
  const raw = core.getState(name);
  if (!raw) return undefined;
  return JSON.parse(raw) as { config: CargoCacheConfig; restored: CargoCacheRestore };
}
