/**
 * What planning needs from the user's project: requires-python, whether it builds abi3 wheels,
 * and its name. Read from pyproject.toml and the Cargo.toml maturin builds, which kit's project
 * locator finds (`[tool.maturin] manifest-path`, a workspace member's crate).
 */
import path from 'node:path';
import { ProjectError } from '@ferrowheel/kit/errors';
import { distributionName, isAbi3Project, tomlString } from '@ferrowheel/kit/project';
import { locateProject } from '@ferrowheel/kit/project-layout';

export interface ProjectFacts {
  name: string;
  /** '' when pyproject.toml has none. */
  requiresPython: string;
  abi3: boolean;
}

export function readProjectFacts(workingDirectory: string, workspace: string): ProjectFacts {
  const layout = locateProject({ dir: workingDirectory, workspace });
  if (layout.pyproject === undefined) {
    throw new ProjectError(
      path.join(workingDirectory, 'pyproject.toml'),
      'does not exist',
      "Set 'working-directory' to the directory holding the project's pyproject.toml.",
    );
  }
  const pyproject = layout.pyproject.table;
  const cargo = layout.manifest.table;
  return {
    name: distributionName(pyproject, cargo) ?? '',
    requiresPython: tomlString(pyproject, ['project', 'requires-python'])?.trim() ?? '',
    abi3: isAbi3Project(cargo, pyproject),
  };
}
