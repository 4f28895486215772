/**
 * Picking the version to install from an index's releases: the highest that satisfies the
 * constraint, skipping yanked releases (PEP 592) unless pinned exactly, and releases without
 * files.
 */
import { UserError } from '@ferrowheel/kit/errors';
import type { Release } from '@ferrowheel/kit/package-index';
import { maxSatisfying, sortVersions } from '@ferrowheel/kit/pep440';

/** What was asked for, and where the constraint came from (for messages). */
export interface Requested {
  /** A PEP 440 constraint; '' for any version; 'latest' for the newest, asking the index. */
  constraint: string;
  /** Where it came from: "input 'version'", "pyproject.toml at ...", or "default". */
  origin: string;
  /** How to change it, for error messages. */
  fix: string;
}

/** The constraint in words: `'>=1.6,<2'`, `any version`, `the latest release`. */
export function describeConstraint(constraint: string): string {
  if (constraint === '') return 'any version';
  if (constraint === 'latest') return 'the latest release';
  return `'${constraint}'`;
}

/** The version to install; a UserError listing the newest releases when none satisfies. */
export function chooseVersion(
  packageName: string,
  releases: readonly Release[],
  requested: Requested,
): Release {
  const exact = /^===?([^,*]+)$/.exec(requested.constraint)?.[1];
  const usable = releases.filter((r) => r.files.length > 0 && (!r.yanked || r.version === exact));
  const best = maxSatisfying(
    usable.map((r) => r.version),
    requested.constraint,
  );
  const release = usable.find((r) => r.version === best);
  if (release) return release;
  const newest = sortVersions(usable.map((r) => r.version))
    .reverse()
    .slice(0, 5);
  const listed = newest.length > 0 ? `the newest are ${newest.join(', ')}` : 'the index lists no releases';
  throw new UserError(
    `No ${packageName} release satisfies ${describeConstraint(requested.constraint)} (from ${requested.origin}): ${listed}. ${requested.fix}`,
  );
}
