/**
 * What the pipeline needs to know about the project at PATH before running anything: that it is
 * a maturin project, its distribution name (to install it from the index), the module to import
 * (to prove the installed package works), and what to copy into the runner's workspace: the
 * project, or the root of the uv or cargo workspace it is a member of (kit's project locator),
 * so its uv.lock, dependency groups and Cargo.lock come along.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ProjectError } from '../../packages/kit/src/errors.js';
import { pathKind } from '../../packages/kit/src/files.js';
import { distributionName, tomlString } from '../../packages/kit/src/project.js';
import { locateProject } from '../../packages/kit/src/project-layout.js';

export interface ProjectInfo {
  /** The project (where pyproject.toml is): the actions' working-directory. */
  dir: string;
  /** What is copied into the runner's workspace: `dir`, or the workspace root it belongs to. */
  root: string;
  /** `[project].name`, as pip installs it. */
  name: string;
  /** The module `import` proves the install by: tool.maturin.module-name, else [lib].name, else the name. */
  module: string;
}

export class ProjectProblem extends Error {}

export function inspectProject(dir: string): ProjectInfo {
  if (pathKind(dir) !== 'directory') {
    throw new ProjectProblem(
      `${dir} is not a directory. Give the path of a PyO3/maturin project (the directory holding pyproject.toml).`,
    );
  }
  const layout = locate(dir);
  const pyproject = layout.pyproject?.table;
  if (!pyproject) {
    throw new ProjectProblem(
      `${dir} has no pyproject.toml. Give the directory of a maturin project (\`maturin new\` creates one).`,
    );
  }
  const backend = tomlString(pyproject, ['build-system', 'build-backend']);
  if (backend !== 'maturin') {
    throw new ProjectProblem(
      `${path.join(dir, 'pyproject.toml')} does not build with maturin ([build-system].build-backend is ${backend === undefined ? 'missing' : JSON.stringify(backend)}). Set build-backend = "maturin".`,
    );
  }
  const manifest = layout.manifest.file;
  const cargo = layout.manifest.table;
  if (!cargo) throw new ProjectProblem(`${manifest} does not exist: a PyO3 project needs a Cargo.toml.`);
  const name = distributionName(pyproject, cargo);
  if (!name) throw new ProjectProblem(`${path.join(dir, 'pyproject.toml')} has no [project].name.`);
  const module =
    tomlString(pyproject, ['tool', 'maturin', 'module-name']) ??
    tomlString(cargo, ['lib', 'name']) ??
    name.replace(/[-.]/g, '_');
  const root = commonAncestor([dir, layout.uv.root, layout.cargo.root, path.dirname(manifest)]);
  return { dir, root, name, module };
}

/**
 * The project's layout, searched up to its git checkout's root (the filesystem's outside one): a
 * checkout is what a runner gets, and nothing above it.
 */
function locate(dir: string): ReturnType<typeof locateProject> {
  let checkout = path.parse(dir).root;
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) {
      checkout = current;
      break;
    }
    if (path.dirname(current) === current) break;
  }
  try {
    return locateProject({ dir, workspace: checkout });
  } catch (thrown) {
    if (thrown instanceof ProjectError) throw new ProjectProblem(thrown.message);
    throw thrown;
  }
}

/** The deepest directory holding all of `dirs` (absolute). */
function commonAncestor(dirs: readonly string[]): string {
  return dirs.reduce((common, dir) => {
    let ancestor = common;
    while (path.relative(ancestor, dir).startsWith('..') || path.isAbsolute(path.relative(ancestor, dir))) {
      ancestor = path.dirname(ancestor);
    }
    return ancestor;
  });
}
