/**
 * PEP 751 lock files (`pylock.toml`), read here rather than handed to an installer: pip cannot
 * install from one yet, and uv's support depends on its version. Each locked package whose marker
 * holds for the test interpreter (and the extras and groups asked for) becomes a pinned
 * requirement with the lock's hashes, fetched from the configured index and checked against them.
 */
import { messageOf, ProjectError, showValue } from '@ferrowheel/kit/errors';
import { isValidVersion } from '@ferrowheel/kit/pep440';
import { type TomlTable, tomlGet } from '@ferrowheel/kit/project';
import { isValidProjectName, normaliseName } from '@ferrowheel/kit/wheel';
import { evaluateMarker, type MarkerEnvironment } from './markers.js';

export interface PylockSelection {
  /** `name==version ; --hash=sha256:...` lines. */
  lines: string[];
  /** Normalised name → locked version, of the packages selected. */
  pins: Map<string, string>;
  /** Packages left out, and why (the project itself, local directories, VCS checkouts). */
  skipped: string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The `extras`/`dependency-groups` a pylock.toml declares, checked against those asked for. A lock
 * without those keys (uv's export writes none) was made for one fixed choice of extras and groups
 * and is installed as it is; the install's hash check still fails when it lacks a package.
 */
export function pylockGroups(
  lock: TomlTable,
  file: string,
  requested: { extras: readonly string[]; groups: readonly string[] },
): { extras: string[]; groups: string[] } {
  const declaredExtras = strings(lock.extras).map(normaliseName);
  const declaredGroups = strings(lock['dependency-groups']).map(normaliseName);
  for (const extra of lock.extras === undefined ? [] : requested.extras) {
    if (!declaredExtras.includes(normaliseName(extra))) {
      throw new ProjectError(
        file,
        `the lock does not cover the extra '${extra}' (it locks extras: ${declaredExtras.join(', ') || 'none'})`,
        'Regenerate the lock with that extra (e.g. pip lock / uv export --format pylock.toml --extra ...), or set lock: off.',
      );
    }
  }
  for (const group of lock['dependency-groups'] === undefined ? [] : requested.groups) {
    if (!declaredGroups.includes(normaliseName(group))) {
      throw new ProjectError(
        file,
        `the lock does not cover the dependency group '${group}' (it locks groups: ${declaredGroups.join(', ') || 'none'})`,
        'Regenerate the lock with that group (uv export --format pylock.toml --group ...), or set lock: off.',
      );
    }
  }
  const groups = requested.groups.length > 0 ? [...requested.groups] : strings(lock['default-groups']);
  return { extras: requested.extras.map(normaliseName), groups: groups.map(normaliseName) };
}

/** The hash algorithms an installer checks (pip's `--hash` accepts these). */
const HASH_ALGORITHMS = ['sha256', 'sha384', 'sha512'];

/**
 * The lock's hashes of one file entry (`hashes = { sha256 = "..." }`) as `--hash=` options. Every
 * value goes into a requirements file the installer reads, so a digest that is not lower-case hex
 * is refused rather than written (a newline in it would start an option line of its own).
 * Algorithms the installer does not check are left out.
 */
function hashesOf(entry: unknown, file: string, name: string): string[] {
  const hashes = tomlGet(entry as TomlTable, ['hashes']);
  if (!hashes || typeof hashes !== 'object') return [];
  const options: string[] = [];
  for (const [algorithm, digest] of Object.entries(hashes as Record<string, unknown>)) {
    if (!HASH_ALGORITHMS.includes(algorithm)) continue;
    if (typeof digest !== 'string' || !/^[0-9a-f]+$/.test(digest)) {
      throw new ProjectError(
        file,
        `package '${name}' has a ${algorithm} hash that is not a hex digest: ${showValue(String(digest))}`,
        'Regenerate the lock (pip lock / uv export --format pylock.toml); do not edit hashes by hand.',
      );
    }
    options.push(`--hash=${algorithm}:${digest}`);
  }
  return options;
}

/** A package entry's name, which must be a valid project name. */
function packageName(entry: TomlTable, file: string): string {
  const name = typeof entry.name === 'string' ? entry.name : undefined;
  if (!name) throw new ProjectError(file, 'holds a package without a name', 'Regenerate it (PEP 751).');
  if (!isValidProjectName(name)) {
    throw new ProjectError(
      file,
      `holds a package whose name is not a valid project name: ${showValue(name)}`,
      'A name has only letters, digits and -_. (PEP 508); regenerate the lock.',
    );
  }
  return name;
}

/** Whether the entry's marker (none: always) holds in the environment. */
function markerApplies(
  entry: TomlTable,
  context: { file: string; name: string; env: MarkerEnvironment },
): boolean {
  const marker = typeof entry.marker === 'string' ? entry.marker : undefined;
  try {
    return marker === undefined || evaluateMarker(marker, context.env);
  } catch (thrown) {
    throw new ProjectError(
      context.file,
      `package '${context.name}' has a marker that cannot be read (${messageOf(thrown)})`,
      'Regenerate the lock.',
    );
  }
}

/** A locked release's requirement line: `name==version` and every hash of its files. */
function pinnedLine(entry: TomlTable, file: string, name: string): { version: string; line: string } {
  const version = typeof entry.version === 'string' ? entry.version : undefined;
  const hashes = [
    ...(Array.isArray(entry.wheels) ? entry.wheels.flatMap((w) => hashesOf(w, file, name)) : []),
    ...(entry.sdist !== undefined ? hashesOf(entry.sdist, file, name) : []),
    ...(entry.archive !== undefined ? hashesOf(entry.archive, file, name) : []),
  ];
  if (version !== undefined && !isValidVersion(version)) {
    throw new ProjectError(
      file,
      `package '${name}' has a version that is not a PEP 440 version: ${showValue(version)}`,
      'Regenerate the lock (pip lock / uv export --format pylock.toml); do not edit versions by hand.',
    );
  }
  if (!version || hashes.length === 0) {
    throw new ProjectError(
      file,
      `package '${name}' has no ${version ? 'hashes' : 'version'}`,
      'A lock the test installs checks every file against its hash; regenerate it with hashes.',
    );
  }
  return { version, line: [`${name}==${version}`, ...new Set(hashes)].join(' ') };
}

/** Why an applicable entry is not installed from the lock, or undefined when it is. */
function skipReason(entry: TomlTable, name: string, projects: ReadonlySet<string>): string | undefined {
  if (projects.has(normaliseName(name)))
    return `${name}: the project itself (the wheel under test is installed instead)`;
  if (entry.directory !== undefined || entry.vcs !== undefined) {
    return `${name}: a ${entry.directory !== undefined ? 'local directory' : 'VCS checkout'}, not a locked release`;
  }
  return undefined;
}

/**
 * The locked packages for the environment (whose `extras` and `dependencyGroups` are the ones
 * being installed), without the projects under test: the wheel under test is the project.
 */
export function selectPylockPackages(
  lock: TomlTable,
  file: string,
  env: MarkerEnvironment,
  projects: ReadonlySet<string>,
): PylockSelection {
  const packages = lock.packages;
  if (!Array.isArray(packages)) {
    throw new ProjectError(file, 'has no [[packages]] array', 'Regenerate it (PEP 751).');
  }
  const selection: PylockSelection = { lines: [], pins: new Map(), skipped: [] };
  for (const entry of packages as TomlTable[]) {
    const name = packageName(entry, file);
    if (!markerApplies(entry, { file, name, env })) continue;
    const skipped = skipReason(entry, name, projects);
    if (skipped !== undefined) {
      selection.skipped.push(skipped);
      continue;
    }
    const { version, line } = pinnedLine(entry, file, name);
    selection.pins.set(normaliseName(name), version);
    selection.lines.push(line);
  }
  return selection;
}
