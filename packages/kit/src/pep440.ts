/**
 * PEP 440 versions and constraints, on @renovatebot/pep440 (a complete, maintained
 * implementation: pre-releases, local versions, `~=`, `===`, wildcards) rather than semver,
 * which orders `1.9.0rc1` and `1.10` wrongly for Python packages.
 */
import * as pep440 from '@renovatebot/pep440';

/** `v1.16.0` and `1.16.0` become `==1.16.0`; a constraint is returned with spaces removed. */
export function normaliseConstraint(raw: string): string {
  const trimmed = raw.trim();
  const bare = trimmed.replace(/^v(?=\d)/, '');
  if (pep440.valid(bare)) return `==${bare}`;
  return trimmed.replace(/\s+/g, '');
}

/** True for a constraint PEP 440 can evaluate (`>=1.6,<2`, `~=1.8`, `==1.*`). */
export function isValidConstraint(constraint: string): boolean {
  return constraint !== '' && pep440.validRange(constraint);
}

/** True for a valid PEP 440 version. */
export function isValidVersion(version: string): boolean {
  return pep440.valid(version) !== null;
}

/** Whether `version` satisfies `constraint`; an empty constraint admits everything. */
export function satisfies(version: string, constraint: string): boolean {
  if (constraint === '' || constraint === 'latest') return pep440.valid(version) !== null;
  return pep440.satisfies(version, constraint);
}

/**
 * The highest version satisfying the constraint (pre-releases only when the constraint names
 * one), or undefined. `''`/`latest` picks the highest final release.
 */
export function maxSatisfying(versions: readonly string[], constraint: string): string | undefined {
  const valid = versions.filter((v) => pep440.valid(v) !== null);
  if (constraint === '' || constraint === 'latest') {
    const finals = valid.filter((v) => !/[a-z]/i.test(pep440.clean(v) ?? v));
    return finals.sort(pep440.compare).at(-1);
  }
  return pep440.maxSatisfying(valid, constraint) ?? undefined;
}

/** Sorts versions ascending by PEP 440 order. */
export function sortVersions(versions: readonly string[]): string[] {
  return [...versions].sort(pep440.compare);
}

/**
 * Extracts the constraint for `name` from a PEP 508 requirement such as `maturin>=1.6,<2.0` or
 * `maturin[zig] >= 1.8 ; python_version >= "3.8"`. Returns undefined when the requirement is
 * for another package, `''` when it has no version part.
 */
export function constraintFromRequirement(requirement: string, name: string): string | undefined {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;@]*)/.exec(requirement);
  if (!match) return undefined;
  const normalise = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');
  if (normalise(match[1]!) !== normalise(name)) return undefined;
  return (match[3] ?? '').replace(/[()\s]/g, '');
}

/** The canonical form of a version (`1.0.0-RC1` → `1.0.0rc1`), or undefined when it is not PEP 440. */
export function normaliseVersion(version: string): string | undefined {
  return pep440.clean(version) ?? undefined;
}

/**
 * Whether a `requires-python` constraint admits Python `X.Y` (any patch release of it): `>=3.9.1`
 * admits 3.9, `<3.12` does not admit 3.12.
 */
export function admitsMinor(requiresPython: string, minor: string): boolean {
  return satisfies(`${minor}.0`, requiresPython) || satisfies(`${minor}.99`, requiresPython);
}
