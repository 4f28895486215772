/**
 * What the build needs to know about the user's project, read once: Cargo.toml, pyproject.toml
 * and the Rust source holding the `#[pymodule]`. Reading is kept apart from the checks
 * (preflight.ts) so the checks are pure functions over this description.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ProjectError } from '@ferrowheel/kit/errors';
import { findUp, pathKind } from '@ferrowheel/kit/files';
import {
  isAbi3Project,
  pyo3Features as kitPyo3Features,
  readToml,
  readTomlIfExists,
  type TomlTable,
  tomlGet,
  tomlString,
} from '@ferrowheel/kit/project';

export interface Project {
  /** Absolute Cargo.toml. */
  cargoToml: string;
  cargo: TomlTable;
  /** Absolute pyproject.toml, when there is one. */
  pyprojectToml: string | undefined;
  pyproject: TomlTable | undefined;
  /** The `[lib]` source file and its text, when it exists. */
  libSource: { file: string; text: string } | undefined;
}

/**
 * Reads the project of `workingDirectory` (or of `manifestPath`). pyproject.toml is looked for
 * next to Cargo.toml, then upwards to the working directory, as maturin does.
 */
export function readProject(workingDirectory: string, manifestPath?: string): Project {
  const cargoToml = manifestPath ?? path.join(workingDirectory, 'Cargo.toml');
  if (pathKind(cargoToml) !== 'file') {
    throw new ProjectError(
      cargoToml,
      'does not exist',
      "Set 'working-directory' to the directory holding Cargo.toml and pyproject.toml, or 'manifest-path' to the Cargo.toml.",
    );
  }
  const cargo = readToml(cargoToml);
  const crateDir = path.dirname(cargoToml);
  // Outside the working directory only when the relative path starts with a whole `..` segment.
  const up = path.relative(workingDirectory, crateDir);
  const outside = up === '..' || up.startsWith(`..${path.sep}`) || path.isAbsolute(up);
  const stop = outside ? crateDir : workingDirectory;
  for (const dir of new Set([crateDir, stop])) {
    // findUp looks for files: a directory of that name would silently stand for "no pyproject".
    const misplaced = path.join(dir, 'pyproject.toml');
    if (pathKind(misplaced) === 'directory') {
      throw new ProjectError(
        misplaced,
        'is a directory, not a file',
        'Remove or rename that directory; maturin reads the pyproject.toml file next to Cargo.toml.',
      );
    }
  }
  const pyprojectToml = findUp(crateDir, ['pyproject.toml'], stop);
  const pyproject = pyprojectToml ? readTomlIfExists(pyprojectToml) : undefined;
  const declared = tomlString(cargo, ['lib', 'path']);
  const libFile = path.resolve(crateDir, declared ?? 'src/lib.rs');
  const fromCrate = path.relative(crateDir, libFile);
  if (
    declared !== undefined &&
    (fromCrate === '..' || fromCrate.startsWith(`..${path.sep}`) || path.isAbsolute(fromCrate))
  ) {
    throw new ProjectError(
      cargoToml,
      `[lib] path = ${JSON.stringify(declared)} points outside the crate (${crateDir})`,
      "Move the library source into the crate directory and point [lib] path at it: maturin's sdist packs only the crate, so the wheel built from it would not compile.",
    );
  }
  const libSource =
    pathKind(libFile) === 'file' ? { file: libFile, text: readFileSync(libFile, 'utf8') } : undefined;
  const binOnly = tomlString(pyproject, ['tool', 'maturin', 'bindings']) === 'bin';
  if (
    libSource === undefined &&
    !binOnly &&
    (declared !== undefined || pathKind(path.join(crateDir, 'src', 'main.rs')) !== 'file')
  ) {
    throw new ProjectError(
      cargoToml,
      `the crate has no library source: ${libFile} ${pathKind(libFile) === 'directory' ? 'is a directory' : 'does not exist'}`,
      `Create ${path.relative(crateDir, libFile) || libFile} with the #[pymodule], or set [lib] path in Cargo.toml to the file that holds it.`,
    );
  }
  return { cargoToml, cargo, pyprojectToml, pyproject, libSource };
}

/** True when the crate uses pyo3 (directly, or as maturin's declared bindings). */
export function usesPyo3(project: Project): boolean {
  const bindings = tomlString(project.pyproject, ['tool', 'maturin', 'bindings']);
  if (bindings !== undefined) return bindings === 'pyo3';
  return tomlGet(project.cargo, ['dependencies', 'pyo3']) !== undefined;
}

/** pyo3 features from Cargo.toml's dependency entry and `[tool.maturin].features`. */
export function pyo3Features(project: Project): string[] {
  return kitPyo3Features(project.cargo, project.pyproject);
}

/** True for a stable-ABI (abi3) build: one wheel serves every Python from the minimum up. */
export function isAbi3(project: Project): boolean {
  return isAbi3Project(project.cargo, project.pyproject);
}

/**
 * The Python module name the extension must export (`PyInit_<name>`): the last segment of
 * `[tool.maturin].module-name`, else `[lib] name`, else the package name with `-` → `_`.
 */
export function expectedModuleName(project: Project): string | undefined {
  const moduleName = tomlString(project.pyproject, ['tool', 'maturin', 'module-name']);
  if (moduleName !== undefined) return moduleName.split('.').at(-1);
  const libName = tomlString(project.cargo, ['lib', 'name']);
  if (libName !== undefined) return libName;
  return tomlString(project.cargo, ['package', 'name'])?.replace(/-/g, '_');
}

/**
 * The top-level import names the project puts in its wheel besides what the wheel shows: the first
 * part of `[tool.maturin] module-name` (else `[lib] name`), and `[tool.maturin] python-packages`.
 */
export function declaredPackages(project: Project): string[] {
  const moduleName = tomlString(project.pyproject, ['tool', 'maturin', 'module-name']);
  const first = moduleName?.split('.')[0] ?? tomlString(project.cargo, ['lib', 'name']);
  const extra = tomlGet(project.pyproject, ['tool', 'maturin', 'python-packages']);
  const packages = Array.isArray(extra) ? extra.filter((p): p is string => typeof p === 'string') : [];
  return [...(first ? [first] : []), ...packages];
}
