/**
 * Which maturin version the project asks for: the `version` input, else the maturin requirement
 * in `[build-system].requires` of pyproject.toml, else any version.
 *
 * When pyproject.toml exists but does not build with maturin (another backend and no maturin
 * requirement), the action still installs maturin (that is what the step was asked to do) at the
 * newest version, and warns naming the file: it is most likely the wrong working-directory.
 */
import path from 'node:path';
import { ProjectError } from '@ferrowheel/kit/errors';
import { pathKind } from '@ferrowheel/kit/files';
import { constraintFromRequirement, isValidConstraint, normaliseConstraint } from '@ferrowheel/kit/pep440';
import { readToml, tomlString, tomlStrings } from '@ferrowheel/kit/project';
import type { Requested } from './version-choice.js';

export interface RequestedMaturin {
  requested: Requested;
  /** Warnings to show (the caller logs them). */
  warnings: string[];
}

const INPUT_FIX = "Change the 'version' input.";

/** The constraint to install, from `versionInput` ('' when not given) or the project. */
export function requestedMaturin(versionInput: string, workingDirectory: string): RequestedMaturin {
  if (versionInput !== '') {
    return {
      requested: { constraint: versionInput, origin: "input 'version'", fix: INPUT_FIX },
      warnings: [],
    };
  }
  const file = path.join(workingDirectory, 'pyproject.toml');
  const anyVersion = (origin: string): Requested => ({
    constraint: '',
    origin,
    fix: "Set the 'version' input to pin one.",
  });
  if (pathKind(file) === undefined) {
    return { requested: anyVersion(`no pyproject.toml in ${workingDirectory}`), warnings: [] };
  }
  if (pathKind(file) === 'directory') {
    throw new ProjectError(
      file,
      'is a directory, not a file',
      "Remove or rename that directory, or set the 'version' input so pyproject.toml is not needed.",
    );
  }
  const pyproject = readToml(file);
  const requirement = tomlStrings(pyproject, ['build-system', 'requires']).find(
    (r) => constraintFromRequirement(r, 'maturin') !== undefined,
  );
  if (requirement === undefined) {
    const backend = tomlString(pyproject, ['build-system', 'build-backend']);
    const builds = backend ? `builds with '${backend}'` : 'names no build backend';
    return {
      requested: anyVersion(`${file}, which does not require maturin`),
      warnings: [
        `${file} ${builds} and does not list maturin in [build-system].requires, so maturin's version cannot be taken from it; installing the newest. Point 'working-directory' at the maturin project, or set 'version'.`,
      ],
    };
  }
  const raw = constraintFromRequirement(requirement, 'maturin') ?? '';
  const origin = `[build-system].requires in ${file} ('${requirement}')`;
  const fix = `Fix the maturin requirement in ${file}, or set the 'version' input.`;
  if (raw === '') return { requested: { constraint: '', origin, fix }, warnings: [] };
  const constraint = normaliseConstraint(raw);
  if (!isValidConstraint(constraint)) {
    throw new ProjectError(
      file,
      `its maturin requirement '${requirement}' has no valid PEP 440 version constraint`,
      "Write it like 'maturin>=1.6,<2', or set the 'version' input.",
    );
  }
  return { requested: { constraint, origin, fix }, warnings: [] };
}
