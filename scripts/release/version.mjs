// @ts-check
// Release versions: the tag `v1.2.3` (no pre-release part: the workflow runs on final versions
// only), its major tag `v1`, and which published release is the newest.
import { ReleaseError, safe } from './github.mjs';

/** @typedef {{ tag: string, major: number, minor: number, patch: number }} Version */

/**
 * `v1.2.3` → its parts; anything else is an error naming the tag and the form.
 * @param {string} tag
 * @returns {Version}
 */
export function parseVersionTag(tag) {
  const match = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(tag);
  if (!match)
    throw new ReleaseError(
      `The tag '${safe(tag)}' is not a release version: tag releases vMAJOR.MINOR.PATCH, like v1.2.3 (no leading zeros, no suffix).`,
    );
  return { tag, major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/**
 * The tag, or undefined when it is not a release version (another tag in the repository).
 * @param {string} tag
 */
export function tryParseVersionTag(tag) {
  try {
    return parseVersionTag(tag);
  } catch {
    return undefined;
  }
}

/**
 * Negative, zero or positive as `a` is older than, the same as or newer than `b`.
 * @param {Version} a
 * @param {Version} b
 */
export function compareVersions(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** @param {Version} version */
export const majorTag = (version) => `v${version.major}`;

/**
 * Whether `version` is at least as new as every published, final release among `releases`
 * (optionally only those of its own major): a fix for an older line must not move `v1` or the
 * examples back.
 * @param {Version} version
 * @param {{ tag_name: string, draft: boolean, prerelease: boolean }[]} releases
 * @param {{ sameMajor?: boolean }} [options]
 */
export function isNewest(version, releases, options = {}) {
  return releases
    .filter((r) => !r.draft && !r.prerelease)
    .map((r) => tryParseVersionTag(r.tag_name))
    .filter((v) => v !== undefined)
    .filter((v) => !options.sameMajor || v.major === version.major)
    .every((v) => compareVersions(version, v) >= 0);
}
