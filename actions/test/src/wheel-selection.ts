/**
 * Which wheels to test: of the wheels found, those the interpreter can install, and of those the
 * best-ranked one per project (the one pip would pick), with the reason for every wheel left out.
 */
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import { sortVersions } from '@ferrowheel/kit/pep440';
import { checkCompatibility, normaliseName, parseWheelFilename, wheelTags } from '@ferrowheel/kit/wheel';

export interface SelectedWheel {
  path: string;
  filename: string;
  /** PEP 503 normalised project name. */
  project: string;
  version: string;
  /** The supported tag it matched best (`cp311-cp311-manylinux_2_34_x86_64`). */
  tag: string;
  rank: number;
}

export interface LeftOut {
  path: string;
  filename: string;
  reason: string;
}

export interface Selection {
  selected: SelectedWheel[];
  /** Wheels this interpreter cannot install (invalid names included). */
  incompatible: LeftOut[];
  /** Compatible wheels not tested because a better-ranked wheel of the same project was. */
  superseded: LeftOut[];
}

function better(a: SelectedWheel, b: SelectedWheel): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.version !== b.version) return sortVersions([a.version, b.version])[1] === a.version;
  return a.filename < b.filename;
}

/** Picks the best-ranked compatible wheel per project for an interpreter's supported tags. */
export function selectWheels(files: readonly string[], supported: readonly string[]): Selection {
  const incompatible: LeftOut[] = [];
  const candidates: SelectedWheel[] = [];
  for (const file of files) {
    const filename = path.basename(file);
    const wheel = parseWheelFilename(filename);
    if (typeof wheel === 'string') {
      incompatible.push({ path: file, filename, reason: `the file name ${wheel}` });
      continue;
    }
    const compatibility = checkCompatibility(wheel, supported);
    if (!compatibility.compatible) {
      incompatible.push({ path: file, filename, reason: compatibility.reason ?? 'not compatible' });
      continue;
    }
    const tag = wheelTags(wheel).find((t) => supported[compatibility.rank] === t) ?? '';
    candidates.push({
      path: file,
      filename,
      project: normaliseName(wheel.name),
      version: wheel.version,
      tag,
      rank: compatibility.rank,
    });
  }
  const best = new Map<string, SelectedWheel>();
  for (const candidate of candidates) {
    const current = best.get(candidate.project);
    if (!current || better(candidate, current)) best.set(candidate.project, candidate);
  }
  const selected = [...best.values()].sort((a, b) => a.project.localeCompare(b.project));
  const superseded = candidates
    .filter((c) => !selected.includes(c))
    .map((c) => ({
      path: c.path,
      filename: c.filename,
      reason: `${best.get(c.project)!.filename} ranks higher for this interpreter`,
    }));
  return { selected, incompatible, superseded };
}

/** The error when no wheel fits: every wheel found and why it was rejected. */
export function noCompatibleWheelError(
  selection: Selection,
  interpreter: string,
  topTags: readonly string[],
): UserError {
  const lines = selection.incompatible.map((w) => `  - ${w.filename}: ${w.reason}`);
  return new UserError(
    `None of the ${selection.incompatible.length} wheel(s) found can be installed by ${interpreter}:\n${lines.join('\n')}\n` +
      `This interpreter's most preferred tags are ${topTags.slice(0, 3).join(', ')}. ` +
      "Build a wheel for this interpreter and platform (the build action's target/python inputs, or abi3), or test with a matching 'python'.",
  );
}
