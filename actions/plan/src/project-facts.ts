/**
 * What planning needs from the user's project: requires-python, whether it builds abi3 (and
 * abi3t) wheels, its name, and its PyO3 (Cargo.lock, else the Cargo.toml requirement; the plan
 * job has no Rust toolchain). Read from pyproject.toml and the Cargo.toml maturin builds, which
 * kit's project locator finds (`[tool.maturin] manifest-path`, a workspace member's crate, the
 * workspace root's Cargo.lock).
 */
import path from 'node:path';
import { ProjectError } from '@ferrowheel/kit/errors';
import { distributionName, isAbi3Project, isAbi3tProject, tomlString } from '@ferrowheel/kit/project';
import { locateProject } from '@ferrowheel/kit/project-layout';
import { pyo3HasAbi3t } from '@ferrowheel/kit/pyo3-support';
import { type Pyo3Version, pyo3VersionOf, readForwardCompatibility } from '@ferrowheel/kit/pyo3-version';

export interface ProjectFacts {
  name: string;
  /** '' when pyproject.toml has none. */
  requiresPython: string;
  abi3: boolean;
  /** PyO3's abi3t feature, on a PyO3 that has it (≥ 0.29). */
  abi3t: boolean;
  pyo3: Pyo3Version;
  /** PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 (environment or .cargo/config.toml [env]). */
  forwardCompatibility: boolean;
}

export function readProjectFacts(
  workingDirectory: string,
  where: { workspace: string; env: Readonly<Record<string, string | undefined>> },
): ProjectFacts {
  const layout = locateProject({ dir: workingDirectory, workspace: where.workspace });
  if (layout.pyproject === undefined) {
    throw new ProjectError(
      path.join(workingDirectory, 'pyproject.toml'),
      'does not exist',
      "Set 'working-directory' to the directory holding the project's pyproject.toml.",
    );
  }
  const pyproject = layout.pyproject.table;
  const cargo = layout.manifest.table;
  const pyo3: Pyo3Version = pyo3VersionOf(layout);
  return {
    name: distributionName(pyproject, cargo) ?? '',
    requiresPython: tomlString(pyproject, ['project', 'requires-python'])?.trim() ?? '',
    abi3: isAbi3Project(cargo, pyproject),
    abi3t: isAbi3tProject(cargo, pyproject) && pyo3HasAbi3t(pyo3),
    pyo3,
    forwardCompatibility: readForwardCompatibility(workingDirectory, where.env, { stop: where.workspace }),
  };
}
