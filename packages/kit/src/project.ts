/**
 * Reading the user's project files: pyproject.toml, Cargo.toml, rust-toolchain(.toml). TOML via
 * smol-toml (spec-complete, small, no dependencies). Errors name the file and say how to fix it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { messageOf, ProjectError } from './errors.js';
import { describeFsError, pathKind } from './files.js';

export type TomlTable = Record<string, unknown>;

/** Parses a TOML file; a syntax error is a ProjectError naming the file and line. */
export function readToml(file: string): TomlTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (thrown) {
    throw new ProjectError(file, describeFsError(thrown), `Make ${path.basename(file)} a readable file.`);
  }
  try {
    return parse(text) as TomlTable;
  } catch (thrown) {
    const detail = messageOf(thrown).split('\n')[0];
    throw new ProjectError(file, `is not valid TOML (${detail})`, 'Fix the syntax error.');
  }
}

/** Parses TOML text that is not a file (a `--config KEY=VALUE` argument), or undefined when invalid. */
export function parseTomlText(text: string): TomlTable | undefined {
  try {
    return parse(text) as TomlTable;
  } catch {
    return undefined;
  }
}

/** Reads a TOML file when it exists. */
export function readTomlIfExists(file: string): TomlTable | undefined {
  return pathKind(file) === 'file' ? readToml(file) : undefined;
}

/** A nested value by path (`['build-system', 'requires']`), or undefined. */
export function tomlGet(table: TomlTable | undefined, keys: readonly string[]): unknown {
  let value: unknown = table;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as TomlTable)[key];
  }
  return value;
}

/** A list of strings at `keys`, or an empty list. */
export function tomlStrings(table: TomlTable | undefined, keys: readonly string[]): string[] {
  const value = tomlGet(table, keys);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A string at `keys`, or undefined. */
export function tomlString(table: TomlTable | undefined, keys: readonly string[]): string | undefined {
  const value = tomlGet(table, keys);
  return typeof value === 'string' ? value : undefined;
}

/** pyo3 features from Cargo.toml's dependency entry and pyproject.toml's `[tool.maturin].features`. */
export function pyo3Features(cargo: TomlTable | undefined, pyproject: TomlTable | undefined): string[] {
  const dep = tomlGet(cargo, ['dependencies', 'pyo3']);
  const direct =
    dep !== null && typeof dep === 'object' && Array.isArray((dep as TomlTable).features)
      ? ((dep as TomlTable).features as unknown[]).filter((f): f is string => typeof f === 'string')
      : [];
  const viaMaturin = tomlStrings(pyproject, ['tool', 'maturin', 'features'])
    .filter((f) => f.startsWith('pyo3/'))
    .map((f) => f.slice('pyo3/'.length));
  return [...direct, ...viaMaturin];
}

/** True for a stable-ABI (abi3) build: one wheel serves every Python from the minimum up. */
export function isAbi3Project(cargo: TomlTable | undefined, pyproject: TomlTable | undefined): boolean {
  return pyo3Features(cargo, pyproject).some((f) => f === 'abi3' || f.startsWith('abi3-py'));
}

/**
 * True when PyO3's PEP 803 `abi3t` (or `abi3t-py3XY`) feature is on: from 3.15 maturin ≥ 1.14
 * builds one `abi3.abi3t` wheel that both builds of CPython load.
 */
export function isAbi3tProject(cargo: TomlTable | undefined, pyproject: TomlTable | undefined): boolean {
  return pyo3Features(cargo, pyproject).some((f) => f === 'abi3t' || f.startsWith('abi3t-py'));
}

/** The Cargo.toml maturin builds, relative to the project: `[tool.maturin].manifest-path`, else Cargo.toml. */
export function maturinManifestPath(pyproject: TomlTable | undefined): string {
  return tomlString(pyproject, ['tool', 'maturin', 'manifest-path']) ?? 'Cargo.toml';
}

/** The distribution's name as maturin takes it: `[project].name`, else the crate's name. */
export function distributionName(
  pyproject: TomlTable | undefined,
  cargo: TomlTable | undefined,
): string | undefined {
  return tomlString(pyproject, ['project', 'name']) ?? tomlString(cargo, ['package', 'name']);
}
