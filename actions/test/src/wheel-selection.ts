/**
 * Which wheels to test: of the wheels found, those the interpreter can install, and of those the
 * best-ranked one per project (the one pip would pick), with the reason for every wheel left out.
 */
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import { sortVersions } from '@ferrowheel/kit/pep440';
import {
  type Compatibility,
  checkCompatibility,
  normaliseName,
  parseWheelFilename,
  type WheelName,
  wheelTags,
} from '@ferrowheel/kit/wheel';

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

/** `3.11` from `cp311`, `3.13 free-threaded` from `cp313t`. */
function cpythonVersion(tag: string): string | undefined {
  const match = /^cp(\d)(\d+)(t?)$/.exec(tag);
  return match ? `${match[1]}.${match[2]}${match[3] ? ' free-threaded' : ''}` : undefined;
}

/**
 * Why an interpreter cannot install a wheel, in the user's terms: which CPython a version-specific
 * or abi3 wheel is for, against the interpreter (read from its best tag, `cp312-cp312-...`).
 * Platform mismatches keep the kit's reason.
 */
function explain(wheel: WheelName, supported: readonly string[], compatibility: Compatibility): string {
  const reason = compatibility.reason ?? 'not compatible';
  if (compatibility.mismatch === 'platform') return reason;
  const [ownPython = '', ownAbi = ''] = (supported[0] ?? '').split('-');
  const own = cpythonVersion(ownAbi) ?? cpythonVersion(ownPython);
  if (!own) return reason;
  const builtFor = wheel.abiTags.map(cpythonVersion).filter((v): v is string => v !== undefined);
  if (builtFor.length > 0) {
    return `built for CPython ${builtFor.join(', ')} only (ABI ${wheel.abiTags.join('.')}); this interpreter is CPython ${own} (${ownAbi})`;
  }
  if (wheel.abiTags.includes('abi3')) {
    if (ownAbi.endsWith('t')) return `an abi3 wheel; CPython ${own} cannot load abi3 extensions`;
    const minimum = wheel.pythonTags.map(cpythonVersion).filter((v): v is string => v !== undefined);
    return `an abi3 wheel for CPython ${minimum.join(', ')} or newer; this interpreter is CPython ${own}`;
  }
  return reason;
}

/** Picks the best-ranked compatible wheel per project for an interpreter's supported tags. */
export function selectWheels(files: readonly string[], supported: readonly string[]): Selection {
  const incompatible: LeftOut[] = [];
  const candidates: SelectedWheel[] = [];
  for (const file of files) {
    const filename = path.basename(file);
    const parsed = parseWheelFilename(filename);
    if (!parsed.ok) {
      incompatible.push({ path: file, filename, reason: `the file name ${parsed.problem}` });
      continue;
    }
    const wheel = parsed.value;
    const compatibility = checkCompatibility(wheel, supported);
    if (!compatibility.compatible) {
      incompatible.push({
        path: file,
        filename,
        reason: explain(wheel, supported, compatibility),
      });
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
