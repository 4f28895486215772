/**
 * The cargo cache key, like Swatinem/rust-cache's: `ferrowheel-cargo-v1-<os>-<arch>[-<job>][-<extra>]
 * -<toolchain hash>-<deps hash>`. The toolchain hash covers `rustc -vV` and the CARGO_…, RUST…
 * variables that change what is compiled; the deps hash covers the normalised Cargo.toml files
 * (the workspace's own versions left out) and Cargo.lock (the workspace's own packages left out).
 * The restore key drops the deps hash, so a changed lock file still starts from the last build
 * with the same toolchain.
 */
import { parse } from 'smol-toml';
import { sha256 } from '../files.js';
import type { Platform } from '../platform.js';

export const CARGO_CACHE_PREFIX = 'ferrowheel-cargo-v1';

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
