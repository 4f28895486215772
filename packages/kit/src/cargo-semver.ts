/**
 * Cargo's versions and version requirements (the semver rules of the Cargo book's "Specifying
 * dependencies"): a requirement such as `0.22`, `^0.22.6`, `~0.23`, `>=0.20, <0.26` or `0.*` as the
 * range of versions it admits. Pure and small: enough to tell which PyO3 releases a Cargo.toml
 * can resolve to when no Cargo.lock says which one it did.
 */
import { fail, ok, type Result } from './result.js';

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`beta.0`), '' for a release. */
  pre: string;
}

/** `0.22.6`, `0.21.0-beta.0` (build metadata dropped); undefined when it is not a version. */
export function parseSemVer(text: string): SemVer | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), pre: match[4] ?? '' };
}

export function formatSemVer(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}`;
}

/** `0.25` → 0.25.0; convenience for tables. */
export function semver(text: string): SemVer {
  const parts = text.split('.').map(Number);
  return { major: parts[0] ?? 0, minor: parts[1] ?? 0, patch: parts[2] ?? 0, pre: '' };
}

/** Semver order: a pre-release sorts before its release (identifiers compared as text). */
export function compareSemVer(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return a.pre < b.pre ? -1 : 1;
}

/** Versions `lower <= v < upper`; an absent bound is open. */
export interface VersionRange {
  lower?: SemVer;
  upper?: SemVer;
}

export function inRange(version: SemVer, range: VersionRange): boolean {
  return (
    (range.lower === undefined || compareSemVer(version, range.lower) >= 0) &&
    (range.upper === undefined || compareSemVer(version, range.upper) < 0)
  );
}

/** Whether any version lies in both ranges. */
export function rangesOverlap(a: VersionRange, b: VersionRange): boolean {
  const lower = maxBound(a.lower, b.lower);
  const upper = minBound(a.upper, b.upper);
  return lower === undefined || upper === undefined || compareSemVer(lower, upper) < 0;
}

function maxBound(a: SemVer | undefined, b: SemVer | undefined): SemVer | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareSemVer(a, b) >= 0 ? a : b;
}

function minBound(a: SemVer | undefined, b: SemVer | undefined): SemVer | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareSemVer(a, b) <= 0 ? a : b;
}

const v = (major: number, minor: number, patch: number): SemVer => ({ major, minor, patch, pre: '' });

/** The range one comparator (`^0.22`, `>=0.20.3`, `0.*`) admits. */
function comparatorRange(text: string): VersionRange | undefined {
  const match = /^(\^|~|=|>=|<=|>|<)?\s*(\d+|\*)(?:\.(\d+|\*))?(?:\.(\d+|\*))?(?:-([0-9A-Za-z.-]+))?$/.exec(
    text,
  );
  if (!match) return undefined;
  const op = match[1] ?? '^';
  const parts = [match[2], match[3], match[4]];
  const wild = parts.findIndex((p) => p === undefined || p === '*');
  const [major, minor, patch] = parts.map((p) => (p === undefined || p === '*' ? 0 : Number(p))) as [
    number,
    number,
    number,
  ];
  if (match[2] === '*') return {};
  const base: SemVer = { major, minor, patch, pre: match[5] ?? '' };
  // The next version that leaves the partial version: 0.22 → 0.23.0, 1 → 2.0.0.
  const bump = wild === 1 ? v(major + 1, 0, 0) : wild === 2 ? v(major, minor + 1, 0) : undefined;
  switch (op) {
    case '=':
      return { lower: base, upper: bump ?? v(major, minor, patch + 1) };
    case '>':
      return { lower: bump ?? v(major, minor, patch + 1) };
    case '>=':
      return { lower: base };
    case '<':
      return { upper: base };
    case '<=':
      return { upper: bump ?? v(major, minor, patch + 1) };
    case '~':
      return { lower: base, upper: wild === 1 ? v(major + 1, 0, 0) : v(major, minor + 1, 0) };
    default:
      return { lower: base, upper: caretUpper(base, wild) };
  }
}

/** `^`: the left-most non-zero part may not change (`^0.22.6` < 0.23.0, `^0.0.3` < 0.0.4). */
function caretUpper(base: SemVer, wild: number): SemVer {
  if (base.major > 0 || wild === 1) return v(base.major + 1, 0, 0);
  if (base.minor > 0 || wild === 2) return v(0, base.minor + 1, 0);
  return v(0, 0, base.patch + 1);
}

/**
 * The range a Cargo version requirement admits: comparators separated by commas, all of which
 * must hold. A bare version is a caret requirement, as in Cargo.
 */
export function parseRequirement(requirement: string): Result<VersionRange> {
  let range: VersionRange = {};
  const comparators = requirement.split(',').map((c) => c.trim());
  for (const comparator of comparators) {
    const one = comparatorRange(comparator);
    if (one === undefined) return fail(`'${comparator}' is not a Cargo version requirement`);
    const lower = maxBound(range.lower, one.lower);
    const upper = minBound(range.upper, one.upper);
    range = { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
  }
  return ok(range);
}

/** A range in words: `≥ 0.22.0, < 0.23.0`. */
export function formatRange(range: VersionRange): string {
  const parts = [
    ...(range.lower ? [`≥ ${formatSemVer(range.lower)}`] : []),
    ...(range.upper ? [`< ${formatSemVer(range.upper)}`] : []),
  ];
  return parts.length === 0 ? 'any version' : parts.join(', ');
}
