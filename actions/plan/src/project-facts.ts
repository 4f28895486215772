/**
 * What planning needs from the user's project: requires-python, whether it builds abi3 wheels,
 * and its name. Read from pyproject.toml and the Cargo.toml maturin builds.
 */
import path from 'node:path';
import { ProjectError } from '@ferrowheel/kit/errors';
import { pathKind } from '@ferrowheel/kit/files';
import {
  distributionName,
  isAbi3Project,
  maturinManifestPath,
  readToml,
  readTomlIfExists,
  tomlString,
} from '@ferrowheel/kit/project';

export interface ProjectFacts {
  name: string;
  /** '' when pyproject.toml has none. */
  requiresPython: string;
  abi3: boolean;
}

export function readProjectFacts(workingDirectory: string): ProjectFacts {
  const pyprojectToml = path.join(workingDirectory, 'pyproject.toml');
  if (pathKind(pyprojectToml) !== 'file') {
    throw new ProjectError(
      pyprojectToml,
      'does not exist',
      "Set 'working-directory' to the directory holding the project's pyproject.toml.",
    );
  }
  const pyproject = readToml(pyprojectToml);
  const cargo = readTomlIfExists(path.resolve(workingDirectory, maturinManifestPath(pyproject)));
  return {
    name: distributionName(pyproject, cargo) ?? '',
    requiresPython: tomlString(pyproject, ['project', 'requires-python'])?.trim() ?? '',
    abi3: isAbi3Project(cargo, pyproject),
  };
}
