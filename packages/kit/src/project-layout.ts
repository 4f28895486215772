/**
 * Where a project's pieces are: the one function (`locateProject`) that decides, for every action
 * and the local pipeline, which Cargo.toml maturin builds, where the cargo workspace and its
 * Cargo.lock are, where the uv workspace, its uv.lock (or a PEP 751 pylock.toml) and the project's
 * dependency groups are. Four layouts, all read from files (no cargo or uv needed):
 *
 * - a plain project: pyproject.toml, Cargo.toml and the locks side by side;
 * - `[tool.maturin] manifest-path = "rust/Cargo.toml"`: the crate in a subdirectory;
 * - a cargo workspace member: Cargo.lock (and the target dir) at the workspace root, the nearest
 *   directory above the crate whose Cargo.toml has `[workspace]` and does not `exclude` it, or
 *   the one `[package] workspace` names (cargo's own rule);
 * - a uv workspace member (`crates/<name>`): uv.lock at the workspace root, the nearest directory
 *   above the project whose pyproject.toml has `[tool.uv.workspace]`, when its `members` globs
 *   match the project and its `exclude` globs do not (uv's rule; a project they leave out is
 *   standalone). A dependency group the member does not define is taken from the root's
 *   pyproject.toml (`groupSources`): the member's first, then the root's.
 *
 * Nothing outside the checkout (`workspace`) is read: upward searches stop there, and a
 * manifest-path that leads out of it, as written or through a symbolic link, is refused.
 */
import path from 'node:path';
import { checkContained, describeEscape, isWithin } from './containment.js';
import { ProjectError } from './errors.js';
import { findUp, pathKind } from './files.js';
import { readTomlIfExists, type TomlTable, tomlGet, tomlString, tomlStrings } from './project.js';

export interface LayoutRequest {
  /** The project directory (`working-directory`), absolute: where its pyproject.toml is. */
  dir: string;
  /** The checkout: nothing outside it is read. */
  workspace: string;
  /** A Cargo.toml given explicitly (build's `manifest-path` input), absolute; wins over pyproject's. */
  manifestPath?: string | undefined;
}

/** A TOML file that exists, with its parsed table. */
export interface TomlFile {
  file: string;
  table: TomlTable;
}

/** The lock a test environment can follow. */
export interface PythonLock {
  kind: 'uv' | 'pylock';
  /** Absolute path. */
  path: string;
  /** As the user sees it, relative to the workspace: `uv.lock`, `crates/demo/pylock.toml`. */
  label: string;
}

export interface ProjectLayout {
  /** The project directory. */
  dir: string;
  /** The project's pyproject.toml (maturin's: next to the manifest, else up to `dir`). */
  pyproject: TomlFile | undefined;
  /** The Cargo.toml maturin builds, who chose it, and its table (undefined when it is missing). */
  manifest: { file: string; from: ManifestOrigin; table: TomlTable | undefined };
  /** The cargo workspace: its root (the crate's directory when standalone) and Cargo.lock there. */
  cargo: { root: string; member: boolean; lock: string | undefined };
  /** The uv workspace: its root (`dir` when standalone) and the root's pyproject.toml. */
  uv: { root: string; member: boolean; pyproject: TomlFile | undefined };
  /** uv.lock at the uv workspace root, else pylock.toml in the project, else at the root. */
  lock: PythonLock | undefined;
  /** Where a dependency group named in `groups` is looked up, in order. */
  groupSources: TomlFile[];
}

export type ManifestOrigin = 'manifest-path input' | '[tool.maturin] manifest-path' | 'default';

/** Decides where the manifest, the cargo lock, the Python lock and the groups of a project are. */
export function locateProject(request: LayoutRequest): ProjectLayout {
  const dir = path.resolve(request.dir);
  const workspace = path.resolve(request.workspace);
  const { manifest, pyproject } = manifestAndPyproject(dir, workspace, request.manifestPath);
  const cargo = cargoWorkspace(path.dirname(manifest.file), manifest.table, workspace);
  const uv = uvWorkspace(dir, workspace);
  const lock = pythonLock(dir, uv.root, workspace);
  const groupSources = [pyproject, uv.member ? uv.pyproject : undefined].filter(
    (source): source is TomlFile => source !== undefined,
  );
  return { dir, pyproject, manifest, cargo, uv, lock, groupSources };
}

function tomlFile(file: string): TomlFile | undefined {
  const table = readTomlIfExists(file);
  return table === undefined ? undefined : { file, table };
}

/**
 * maturin's rule: an explicit manifest-path (its pyproject.toml next to it, else up to the
 * project directory); else the project's pyproject.toml and its `[tool.maturin] manifest-path`,
 * relative to it; else Cargo.toml beside it.
 */
function manifestAndPyproject(
  dir: string,
  workspace: string,
  explicit: string | undefined,
): { manifest: ProjectLayout['manifest']; pyproject: TomlFile | undefined } {
  if (explicit !== undefined) {
    const crateDir = path.dirname(explicit);
    const stop = isWithin(dir, crateDir) ? dir : crateDir;
    const found = findUp(crateDir, ['pyproject.toml'], stop);
    const manifest = { file: explicit, from: 'manifest-path input' as const, table: tomlOf(explicit) };
    return { manifest, pyproject: found ? tomlFile(found) : undefined };
  }
  const pyprojectFile = path.join(dir, 'pyproject.toml');
  const pyproject = pathKind(pyprojectFile) === 'file' ? tomlFile(pyprojectFile) : undefined;
  const declared = tomlString(pyproject?.table, ['tool', 'maturin', 'manifest-path']);
  if (declared === undefined) {
    const file = path.join(dir, 'Cargo.toml');
    return { manifest: { file, from: 'default', table: tomlOf(file) }, pyproject };
  }
  const contained = checkContained(workspace, path.resolve(dir, declared));
  if (!contained.inside) {
    throw new ProjectError(
      pyprojectFile,
      `[tool.maturin] manifest-path = ${JSON.stringify(declared)} ${describeEscape(contained, workspace)}`,
      'Point manifest-path at the Cargo.toml of a crate inside the repository, relative to pyproject.toml.',
    );
  }
  const file = contained.path;
  return { manifest: { file, from: '[tool.maturin] manifest-path', table: tomlOf(file) }, pyproject };
}

/** The table of a TOML file, or undefined when it is not a file (the caller says what is missing). */
function tomlOf(file: string): TomlTable | undefined {
  return pathKind(file) === 'file' ? readTomlIfExists(file) : undefined;
}

/** The directories above `dir`, nearest first, up to and including `workspace`. */
function ancestors(dir: string, workspace: string): string[] {
  const found: string[] = [];
  if (!isWithin(workspace, dir)) return found;
  for (let current = dir; current !== workspace; ) {
    const parent = path.dirname(current);
    if (parent === current) break;
    found.push(parent);
    current = parent;
  }
  return found;
}

/** `to` relative to `from`, with `/` separators (as workspace globs are written). */
function posixRelative(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}

/** A workspace `members`/`exclude` glob as written (`crates/*`, `./py/`), normalised. */
function normaliseGlob(pattern: string): string {
  return pattern
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
}

/**
 * Whether the relative path matches a workspace glob: `*` and `?` within one segment, `**` any
 * number of segments, `[...]` a character class (the glob crate's syntax, which cargo and uv use).
 */
export function matchesWorkspaceGlob(pattern: string, relative: string): boolean {
  // Each segment with its leading `/`, matched against `/` + the path: `**` is then any number
  // of whole segments, none included.
  const source = normaliseGlob(pattern)
    .split('/')
    .map((segment) =>
      segment === '**'
        ? '(?:/[^/]+)*'
        : `/${segment.replace(/\[[^\]]*\]|[*?[]|[^*?[]+/g, (part) => {
            if (part === '[') return '\\[';
            if (part === '*') return '[^/]*';
            if (part === '?') return '[^/]';
            if (part.startsWith('[')) return part.replace(/^\[!/, '[^');
            return part.replace(/[.+^${}()|\\]/g, '\\$&');
          })}`,
    )
    .join('');
  return new RegExp(`^${source}$`).test(`/${relative}`);
}

/**
 * cargo's rule for the workspace root of the crate in `crateDir`: `[package] workspace` when set;
 * the crate itself when its Cargo.toml has `[workspace]`; else the nearest Cargo.toml above with
 * `[workspace]` that does not `exclude` the crate (an exclude is a path prefix; a crate whose path
 * a `members` entry names, as a prefix, is never excluded).
 */
function cargoWorkspace(
  crateDir: string,
  manifest: TomlTable | undefined,
  workspace: string,
): ProjectLayout['cargo'] {
  const at = (root: string, member: boolean) => {
    const lock = path.join(root, 'Cargo.lock');
    return { root, member, lock: pathKind(lock) === 'file' ? lock : undefined };
  };
  const named = tomlString(manifest, ['package', 'workspace']);
  if (named !== undefined) {
    const root = path.resolve(crateDir, named);
    if (isWithin(workspace, root)) return at(root, root !== crateDir);
  }
  if (manifest !== undefined && tomlGet(manifest, ['workspace']) !== undefined) return at(crateDir, false);
  for (const dir of ancestors(crateDir, workspace)) {
    const table = readTomlIfExists(path.join(dir, 'Cargo.toml'));
    if (tomlGet(table, ['workspace']) === undefined) continue;
    const relative = posixRelative(dir, crateDir);
    // Both lists as literal path prefixes, as cargo compares them (a `crates/*` member is no
    // prefix of anything, so it never overrides an exclude).
    const under = (key: string) =>
      tomlStrings(table, ['workspace', key]).some((entry) => {
        const prefix = normaliseGlob(entry);
        return relative === prefix || relative.startsWith(`${prefix}/`);
      });
    const excluded = under('exclude');
    const listed = under('members');
    if (excluded && !listed) continue;
    return at(dir, true);
  }
  return at(crateDir, false);
}

/**
 * uv's rule for the workspace of the project in `dir`: the nearest pyproject.toml above with
 * `[tool.uv.workspace]`; the project is a member when a `members` glob matches it and no
 * `exclude` glob does, and standalone otherwise. A project whose own pyproject.toml has
 * `[tool.uv.workspace]` is the root.
 */
function uvWorkspace(dir: string, workspace: string): ProjectLayout['uv'] {
  const standalone = { root: dir, member: false, pyproject: undefined };
  for (const root of ancestors(dir, workspace)) {
    const pyproject = tomlFile(path.join(root, 'pyproject.toml'));
    if (pyproject === undefined || tomlGet(pyproject.table, ['tool', 'uv', 'workspace']) === undefined) {
      continue;
    }
    const relative = posixRelative(root, dir);
    const globs = (key: string) => tomlStrings(pyproject.table, ['tool', 'uv', 'workspace', key]);
    const member =
      globs('members').some((g) => matchesWorkspaceGlob(g, relative)) &&
      !globs('exclude').some((g) => matchesWorkspaceGlob(g, relative));
    return member ? { root, member, pyproject } : standalone;
  }
  return standalone;
}

/** uv.lock at the uv workspace root (what `uv run` uses), else pylock.toml in the project or the root. */
function pythonLock(dir: string, uvRoot: string, workspace: string): PythonLock | undefined {
  const candidates: [PythonLock['kind'], string][] = [
    ['uv', path.join(uvRoot, 'uv.lock')],
    ['pylock', path.join(dir, 'pylock.toml')],
    ['pylock', path.join(uvRoot, 'pylock.toml')],
  ];
  for (const [kind, file] of candidates) {
    if (pathKind(file) === 'file') {
      return { kind, path: file, label: posixRelative(workspace, file) || path.basename(file) };
    }
  }
  return undefined;
}
