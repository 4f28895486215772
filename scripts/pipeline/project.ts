/**
 * What the pipeline needs to know about the project at PATH before running anything: that it is
 * a maturin project, its distribution name (to install it from the index) and the module to
 * import (to prove the installed package works).
 */
import path from 'node:path';
import { pathKind } from '../../packages/kit/src/files.js';
import {
  distributionName,
  maturinManifestPath,
  readTomlIfExists,
  tomlString,
} from '../../packages/kit/src/project.js';

export interface ProjectInfo {
  dir: string;
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
  const pyproject = readTomlIfExists(path.join(dir, 'pyproject.toml'));
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
  const manifest = path.resolve(dir, maturinManifestPath(pyproject));
  const cargo = readTomlIfExists(manifest);
  if (!cargo) throw new ProjectProblem(`${manifest} does not exist: a PyO3 project needs a Cargo.toml.`);
  const name = distributionName(pyproject, cargo);
  if (!name) throw new ProjectProblem(`${path.join(dir, 'pyproject.toml')} has no [project].name.`);
  const module =
    tomlString(pyproject, ['tool', 'maturin', 'module-name']) ??
    tomlString(cargo, ['lib', 'name']) ??
    name.replace(/[-.]/g, '_');
  return { dir, name, module };
}
