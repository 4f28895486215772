/**
 * What the build needs to know about the user's project, read once: Cargo.toml, pyproject.toml
 * and the Rust source holding the `#[pymodule]`. Reading is kept apart from the checks
 * (preflight.ts) so the checks are pure functions over this description.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkContained, describeEscape, isWithin } from '@ferrowheel/kit/containment';
import { ProjectError } from '@ferrowheel/kit/errors';
import { pathKind } from '@ferrowheel/kit/files';
import {
  isAbi3Project,
  pyo3Features as kitPyo3Features,
  type TomlTable,
  tomlGet,
  tomlString,
} from '@ferrowheel/kit/project';
import { locateProject, type ProjectLayout } from '@ferrowheel/kit/project-layout';
import { mentionsPyModule } from './pymodule.js';

export interface Project {
  /** Absolute Cargo.toml. */
  cargoToml: string;
  cargo: TomlTable;
  /** Absolute pyproject.toml, when there is one. */
  pyprojectToml: string | undefined;
  pyproject: TomlTable | undefined;
  /** The `[lib]` source file and its text, when it exists. */
  libSource: { file: string; text: string } | undefined;
  /**
   * Whether any Rust file of the library (its source file, or one under its directory) has a
   * `#[pymodule]` (or a hand-written `PyInit_`): without one the library exports no module.
   */
  definesPyModule: boolean;
  /** Where the project's pieces are (kit's project locator). */
  layout: ProjectLayout;
}

/**
 * Reads the project of `workingDirectory`: the Cargo.toml that `manifestPath` (the input) or
 * pyproject.toml's `[tool.maturin] manifest-path` names, else the one beside pyproject.toml, as
 * maturin does (kit's project locator decides); pyproject.toml next to Cargo.toml, then upwards
 * to the working directory. Nothing outside `workspace` is read.
 */
export function readProject(
  workingDirectory: string,
  options: { workspace: string; manifestPath?: string | undefined },
): Project {
  checkNoPyprojectDirectory(workingDirectory, options.manifestPath);
  const layout = locateProject({
    dir: workingDirectory,
    workspace: options.workspace,
    manifestPath: options.manifestPath,
  });
  const { manifest } = layout;
  const cargoToml = manifest.file;
  if (manifest.table === undefined) throw missingManifest(layout);
  const cargo = manifest.table;
  const libSource = readLibSource(cargoToml, cargo, {
    workspace: options.workspace,
    pyproject: layout.pyproject?.table,
  });
  return {
    cargoToml,
    cargo,
    pyprojectToml: layout.pyproject?.file,
    pyproject: layout.pyproject?.table,
    libSource,
    definesPyModule: libSource !== undefined && definesPyModule(libSource),
    layout,
  };
}

/** findUp looks for files: a directory named pyproject.toml would silently stand for "none". */
function checkNoPyprojectDirectory(workingDirectory: string, manifestPath: string | undefined): void {
  const crateDir = manifestPath ? path.dirname(manifestPath) : workingDirectory;
  for (const dir of new Set([crateDir, workingDirectory])) {
    const misplaced = path.join(dir, 'pyproject.toml');
    if (pathKind(misplaced) === 'directory') {
      throw new ProjectError(
        misplaced,
        'is a directory, not a file',
        'Remove or rename that directory; maturin reads the pyproject.toml file next to Cargo.toml.',
      );
    }
  }
}

function missingManifest(layout: ProjectLayout): ProjectError {
  const { manifest, pyproject } = layout;
  if (manifest.from === '[tool.maturin] manifest-path' && pyproject) {
    const declared = tomlString(pyproject.table, ['tool', 'maturin', 'manifest-path']);
    return new ProjectError(
      pyproject.file,
      `[tool.maturin] manifest-path = ${JSON.stringify(declared)} names ${manifest.file}, which ${pathKind(manifest.file) === 'directory' ? 'is a directory' : 'does not exist'}`,
      "Point manifest-path at the crate's Cargo.toml, relative to pyproject.toml.",
    );
  }
  return new ProjectError(
    manifest.file,
    'does not exist',
    "Set 'working-directory' to the directory holding Cargo.toml and pyproject.toml, or 'manifest-path' to the Cargo.toml.",
  );
}

/**
 * The library source `[lib] path` names (default src/lib.rs): it must stay inside the crate as
 * written (maturin's sdist packs only the crate) and inside the workspace by real path (a link
 * out of the checkout is refused before the compiler reads it), and be UTF-8, as rustc requires.
 */
function readLibSource(
  cargoToml: string,
  cargo: TomlTable,
  context: { workspace: string; pyproject: TomlTable | undefined },
): Project['libSource'] {
  const crateDir = path.dirname(cargoToml);
  const declared = tomlString(cargo, ['lib', 'path']);
  const libFile = path.resolve(crateDir, declared ?? 'src/lib.rs');
  const shown =
    declared === undefined
      ? 'src/lib.rs (the default [lib] path)'
      : `[lib] path = ${JSON.stringify(declared)}`;
  if (declared !== undefined && !isWithin(crateDir, libFile)) {
    throw new ProjectError(
      cargoToml,
      `${shown} points outside the crate (${crateDir})`,
      "Move the library source into the crate directory and point [lib] path at it: maturin's sdist packs only the crate, so the wheel built from it would not compile.",
    );
  }
  const contained = checkContained(context.workspace, libFile);
  if (!contained.inside) {
    throw new ProjectError(
      cargoToml,
      `${shown} ${describeEscape(contained, context.workspace)}`,
      'Keep the library source in the repository: replace the link with the file itself.',
    );
  }
  if (pathKind(libFile) === 'file') return { file: libFile, text: readUtf8Source(libFile) };
  const binOnly = tomlString(context.pyproject, ['tool', 'maturin', 'bindings']) === 'bin';
  if (!binOnly && (declared !== undefined || pathKind(path.join(crateDir, 'src', 'main.rs')) !== 'file')) {
    throw new ProjectError(
      cargoToml,
      `the crate has no library source: ${libFile} ${pathKind(libFile) === 'directory' ? 'is a directory' : 'does not exist'}`,
      `Create ${path.relative(crateDir, libFile) || libFile} with the #[pymodule], or set [lib] path in Cargo.toml to the file that holds it.`,
    );
  }
  return undefined;
}

/** The byte offset of the first byte that does not start or continue a UTF-8 sequence. */
function firstNonUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    const more =
      lead < 0x80
        ? 0
        : lead >= 0xc2 && lead <= 0xdf
          ? 1
          : lead >= 0xe0 && lead <= 0xef
            ? 2
            : lead >= 0xf0 && lead <= 0xf4
              ? 3
              : -1;
    if (more < 0) return i;
    for (let k = 1; k <= more; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += more + 1;
  }
  return 0;
}

/** A Rust source file's text; a file that is not UTF-8 is named with where and how to fix it. */
export function readUtf8Source(file: string): string {
  const bytes = readFileSync(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstNonUtf8(bytes);
    const before = bytes.subarray(0, at);
    const line = before.filter((b) => b === 0x0a).length + 1;
    const column = at - (before.lastIndexOf(0x0a) + 1) + 1;
    throw new ProjectError(
      file,
      `is not UTF-8 (byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')} at line ${line}, column ${column}), and rustc reads only UTF-8 source files`,
      `Save it as UTF-8 (from Latin-1: iconv -f latin1 -t utf-8 ${path.basename(file)} > ${path.basename(file)}.utf8, then replace it), or remove that byte.`,
    );
  }
}

/** The Rust files a library's module can come from: its source file and those under its directory. */
function definesPyModule(lib: { file: string; text: string }): boolean {
  if (mentionsPyModule(lib.text)) return true;
  const pending = [path.dirname(lib.file)];
  let budget = 2000;
  while (pending.length > 0 && budget > 0) {
    const dir = pending.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (budget-- <= 0) return true; // Too many to read: do not claim there is none.
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'target' && !entry.name.startsWith('.')) pending.push(file);
      else if (entry.isFile() && entry.name.endsWith('.rs') && file !== lib.file) {
        const text = readFileSync(file, 'utf8');
        if (mentionsPyModule(text)) return true;
      }
    }
  }
  return false;
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
