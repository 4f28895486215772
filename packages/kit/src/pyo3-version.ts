/**
 * Which PyO3 a project builds with, read from its files only (the plan job has no Rust toolchain):
 * the version Cargo.lock pins, else the range Cargo.toml's requirement admits (libraries often
 * commit no lock; cargo then takes the newest version the requirement admits). pyo3-ffi counts
 * too: pyo3 and pyo3-ffi are released together with the same version, and a crate may bind
 * pyo3-ffi alone.
 */
import path from 'node:path';
import {
  formatSemVer,
  parseRequirement,
  parseSemVer,
  type SemVer,
  type VersionRange,
} from './cargo-semver.js';
import { pathKind } from './files.js';
import { readToml, readTomlIfExists, type TomlTable, tomlGet, tomlString } from './project.js';
import type { ProjectLayout } from './project-layout.js';

export type Pyo3Version =
  /** Cargo.lock pins this version. */
  | { kind: 'locked'; version: SemVer; file: string }
  /** No lock (or it lacks PyO3): what Cargo.toml's requirement admits. */
  | { kind: 'required'; requirement: string; range: VersionRange; file: string }
  /** The project names no PyO3 we can read (no pyo3 dependency, or an unreadable requirement). */
  | { kind: 'unknown'; reason: string };

const PYO3_CRATES = ['pyo3', 'pyo3-ffi'];

export interface Pyo3Sources {
  /** The crate's Cargo.toml, parsed, and its path. */
  cargo: TomlTable;
  cargoToml: string;
  /** The workspace root's Cargo.toml (for `pyo3 = { workspace = true }`), when there is one. */
  workspaceCargo?: TomlTable | undefined;
  workspaceCargoToml?: string | undefined;
  /** Cargo.lock (of the workspace root, or of the crate), parsed, and its path. */
  lock?: TomlTable | undefined;
  lockFile?: string | undefined;
}

/** A dependency entry's `version` (`"0.22"` or `{ version = "0.22" }`) and its real package name. */
function entryOf(name: string, value: unknown): { crate: string; requirement?: string; workspace: boolean } {
  if (typeof value === 'string') return { crate: name, requirement: value, workspace: false };
  const table = (value ?? {}) as TomlTable;
  const version = typeof table.version === 'string' ? table.version : undefined;
  return {
    crate: typeof table.package === 'string' ? table.package : name,
    ...(version !== undefined ? { requirement: version } : {}),
    workspace: table.workspace === true,
  };
}

/** Every dependency table of a manifest: `[dependencies]` and `[target.'cfg(…)'.dependencies]`. */
function dependencyTables(cargo: TomlTable): TomlTable[] {
  const tables: TomlTable[] = [];
  const direct = tomlGet(cargo, ['dependencies']);
  if (direct && typeof direct === 'object') tables.push(direct as TomlTable);
  const targets = tomlGet(cargo, ['target']);
  if (targets && typeof targets === 'object') {
    for (const target of Object.values(targets as TomlTable)) {
      const deps = tomlGet(target as TomlTable, ['dependencies']);
      if (deps && typeof deps === 'object') tables.push(deps as TomlTable);
    }
  }
  return tables;
}

/** The PyO3 requirement of the crate (following `workspace = true`), and which file says it. */
function pyo3Requirement(sources: Pyo3Sources): { requirement: string; file: string } | undefined {
  for (const table of dependencyTables(sources.cargo)) {
    for (const [name, value] of Object.entries(table)) {
      const entry = entryOf(name, value);
      if (!PYO3_CRATES.includes(entry.crate)) continue;
      if (entry.requirement !== undefined) return { requirement: entry.requirement, file: sources.cargoToml };
      if (!entry.workspace || sources.workspaceCargo === undefined) continue;
      const inherited = entryOf(name, tomlGet(sources.workspaceCargo, ['workspace', 'dependencies', name]));
      if (inherited.requirement !== undefined) {
        return { requirement: inherited.requirement, file: sources.workspaceCargoToml ?? sources.cargoToml };
      }
    }
  }
  return undefined;
}

interface LockPackage {
  name: string;
  version: string;
  dependencies: string[];
}

function lockPackages(lock: TomlTable): LockPackage[] {
  const packages = tomlGet(lock, ['package']);
  if (!Array.isArray(packages)) return [];
  return packages.flatMap((p: unknown) => {
    const name = tomlString(p as TomlTable, ['name']);
    const version = tomlString(p as TomlTable, ['version']);
    const deps = tomlGet(p as TomlTable, ['dependencies']);
    if (name === undefined || version === undefined) return [];
    return [{ name, version, dependencies: Array.isArray(deps) ? deps.map(String) : [] }];
  });
}

/**
 * The PyO3 version Cargo.lock pins for the crate: the one its own package entry depends on
 * (`"pyo3 0.22.6"` when the lock holds several), else the only one in the lock.
 */
function lockedPyo3(lock: TomlTable, crateName: string | undefined): SemVer | undefined {
  const packages = lockPackages(lock);
  const own = packages.find((p) => p.name === crateName);
  for (const dep of own?.dependencies ?? []) {
    const [name, version] = dep.split(' ');
    if (!PYO3_CRATES.includes(name ?? '')) continue;
    const pinned = version ?? packages.find((p) => p.name === name)?.version;
    const parsed = pinned === undefined ? undefined : parseSemVer(pinned);
    if (parsed) return parsed;
  }
  for (const crate of PYO3_CRATES) {
    const versions = packages.filter((p) => p.name === crate).map((p) => p.version);
    if (versions.length === 1) return parseSemVer(versions[0]!);
  }
  return undefined;
}

/** The project's PyO3: the locked version, else the requirement's range, else why unknown. */
export function findPyo3Version(sources: Pyo3Sources): Pyo3Version {
  const crateName = tomlString(sources.cargo, ['package', 'name']);
  if (sources.lock !== undefined && sources.lockFile !== undefined) {
    const locked = lockedPyo3(sources.lock, crateName);
    if (locked) return { kind: 'locked', version: locked, file: sources.lockFile };
  }
  const required = pyo3Requirement(sources);
  if (required === undefined) {
    return {
      kind: 'unknown',
      reason: `${sources.cargoToml} has no pyo3 or pyo3-ffi dependency with a version`,
    };
  }
  const range = parseRequirement(required.requirement);
  if (!range.ok) return { kind: 'unknown', reason: `${required.file}: pyo3 ${range.problem}` };
  return { kind: 'required', requirement: required.requirement, range: range.value, file: required.file };
}

/** The version alone: `0.22.6` (locked), `"0.22"` (the requirement), `unknown`. */
export function pyo3VersionText(pyo3: Pyo3Version): string {
  if (pyo3.kind === 'locked') return formatSemVer(pyo3.version);
  if (pyo3.kind === 'required') return `"${pyo3.requirement}"`;
  return 'unknown';
}

/** For messages: `PyO3 0.22.6 (Cargo.lock)`, `PyO3 "0.22" (Cargo.toml; no Cargo.lock pins it)`. */
export function describePyo3(pyo3: Pyo3Version, base: (file: string) => string = (f) => f): string {
  if (pyo3.kind === 'locked') return `PyO3 ${pyo3VersionText(pyo3)} (${base(pyo3.file)})`;
  if (pyo3.kind === 'required')
    return `PyO3 ${pyo3VersionText(pyo3)} (${base(pyo3.file)}; no Cargo.lock pins it)`;
  return 'PyO3 (version unknown)';
}

/**
 * The project's PyO3 from where kit's project locator says its pieces are: the Cargo.toml maturin
 * builds, the cargo workspace's root (for `pyo3 = { workspace = true }`) and the Cargo.lock cargo
 * uses for it (a workspace member's is at the root).
 */
export function pyo3VersionOf(layout: ProjectLayout): Pyo3Version {
  const { manifest, cargo } = layout;
  if (manifest.table === undefined) return { kind: 'unknown', reason: `${manifest.file} does not exist` };
  // A member inherits from the root's [workspace.dependencies]; a root package from its own.
  const rootToml = cargo.member ? path.join(cargo.root, 'Cargo.toml') : manifest.file;
  return findPyo3Version({
    cargo: manifest.table,
    cargoToml: manifest.file,
    workspaceCargo: cargo.member ? readTomlIfExists(rootToml) : manifest.table,
    workspaceCargoToml: rootToml,
    lock: cargo.lock === undefined ? undefined : readToml(cargo.lock),
    lockFile: cargo.lock,
  });
}

const FORWARD_COMPATIBILITY = [
  'PYO3_USE_ABI3_FORWARD_COMPATIBILITY',
  'PYO3_USE_STABLE_ABI_FORWARD_COMPATIBILITY',
];

/**
 * Whether PyO3's forward-compatibility opt-in is on for a build run in `dir`: in the environment,
 * or in the `[env]` of a `.cargo/config.toml` cargo reads there (the nearest first; as in cargo, a
 * value there does not replace one the environment sets unless it says `force = true`). A
 * reusable-workflow caller can only set it the second way.
 */
export function readForwardCompatibility(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
  options: { stop?: string } = {},
): boolean {
  return FORWARD_COMPATIBILITY.some((name) => {
    const configured = cargoConfigEnv(dir, name, options.stop);
    const value = configured?.force || env[name] === undefined ? (configured?.value ?? env[name]) : env[name];
    return value === '1';
  });
}

/** `[env] NAME` of the nearest `.cargo/config.toml` (or legacy `.cargo/config`) from `dir` up. */
function cargoConfigEnv(
  dir: string,
  name: string,
  stop: string | undefined,
): { value: string; force: boolean } | undefined {
  const end = stop === undefined ? undefined : path.resolve(stop);
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    for (const file of ['config.toml', 'config']) {
      const config = path.join(current, '.cargo', file);
      if (pathKind(config) !== 'file') continue;
      const entry = tomlGet(readToml(config), ['env', name]);
      if (typeof entry === 'string') return { value: entry, force: false };
      const table = (entry ?? {}) as TomlTable;
      if (typeof table.value === 'string') return { value: table.value, force: table.force === true };
    }
    if (current === end || path.dirname(current) === current) return undefined;
  }
}
