/**
 * Which PyO3 releases can build which CPython, as data, and the check a plan or a build runs
 * before compiling: a version the project's PyO3 cannot build fails in seconds with both fixes,
 * instead of after minutes of compiling (or, for free-threaded builds, taking the GIL wheels of
 * the same maturin call down with it).
 *
 * Sources (PyO3's CHANGELOG.md, https://github.com/PyO3/pyo3/blob/main/CHANGELOG.md, and
 * pyo3-ffi/build.rs, whose SUPPORTED_VERSIONS_CPYTHON.max each row matches):
 * - 0.15.0 "Support Python 3.10." (#1889)
 * - 0.17.3 "Support Python 3.11." (#2708; "previous versions of PyO3 0.17 … are expected to be
 *   compatible", so 0.17.0 is the floor)
 * - 0.20.0 "Support Python 3.12." (#3488)
 * - 0.20.3 "Check maximum version of Python at build time and for versions not yet supported
 *   require opt-in to the abi3 stable ABI by the environment variable
 *   PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1." (#3821)
 * - 0.22.0 "Support Python 3.13." (#4184)
 * - 0.23.0 "Support free-threaded Python 3.13t." (#4588)
 * - 0.25.0 "Support Python 3.14.0b1." (#4811)
 * - 0.29.0 "Support Python 3.15.0b1." (#6014); "Drop support for Python 3.13t" (#5865); "Support
 *   the new PEP 803 abi3t ABI with new abi3t and abi3t-py315 features." (#5807). 0.28 builds 3.15
 *   only as "experimental support … do not distribute them" (pyo3-ffi/build.rs, max + 1).
 * - 0.30.0 "Support Python 3.15.0 final." (#6517)
 * A free-threaded build never accepts the forward-compatibility opt-in: "the free-threaded build
 * of CPython does not support the limited API so this check cannot be suppressed"
 * (pyo3-ffi/build.rs since 0.25).
 */
import {
  compareSemVer,
  formatRange,
  inRange,
  rangesOverlap,
  semver,
  type VersionRange,
} from './cargo-semver.js';
import { describePyo3, type Pyo3Version } from './pyo3-version.js';

/** The first PyO3 release supporting each CPython minor (GIL-enabled build). */
export const PYO3_FOR_CPYTHON: Readonly<Record<number, string>> = {
  10: '0.15',
  11: '0.17',
  12: '0.20',
  13: '0.22',
  14: '0.25',
  15: '0.29',
};

/** Free-threaded builds: supported from 0.23 (3.13t); 3.13t was dropped in 0.29. */
export const PYO3_FREE_THREADED = '0.23';
export const PYO3_DROPPED_313T = '0.29';
/** PEP 803 abi3t wheels (`abi3t`/`abi3t-py315` features); maturin ≥ 1.14 tags them `abi3.abi3t`. */
export const PYO3_ABI3T = '0.29';

/** One thing building a CPython needs from PyO3, and why. */
export interface Pyo3Need {
  range: VersionRange;
  /** `CPython 3.14 needs PyO3 ≥ 0.25`. */
  why: string;
  /** Waived by PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 (a GIL CPython newer than PyO3 knows). */
  forwardCompatible: boolean;
}

/** What building `python` (`3.13`, `3.14t`) needs from PyO3. */
export function pyo3Needs(python: string): Pyo3Need[] {
  const match = /^3\.(\d+)(t?)$/.exec(python);
  if (!match) return [];
  const minor = Number(match[1]);
  const freeThreaded = match[2] === 't';
  const needs: Pyo3Need[] = [];
  const since = PYO3_FOR_CPYTHON[minor];
  if (since !== undefined) {
    const experimental =
      minor === 15 ? ' (0.28 builds it only as an experimental ABI it says not to distribute)' : '';
    needs.push({
      range: { lower: semver(since) },
      why: `CPython 3.${minor} needs PyO3 ≥ ${since}${experimental}`,
      forwardCompatible: !freeThreaded,
    });
  }
  if (freeThreaded) {
    needs.push({
      range: { lower: semver(PYO3_FREE_THREADED) },
      why: `free-threaded CPython needs PyO3 ≥ ${PYO3_FREE_THREADED}`,
      forwardCompatible: false,
    });
    if (minor === 13) {
      needs.push({
        range: { upper: semver(PYO3_DROPPED_313T) },
        why: `PyO3 ${PYO3_DROPPED_313T} dropped free-threaded 3.13t`,
        forwardCompatible: false,
      });
    }
  }
  return needs;
}

export type Pyo3Support =
  | { kind: 'supported' }
  /** The PyO3 version is unknown: nothing was checked. */
  | { kind: 'unchecked'; reason: string }
  /** Newer than PyO3 supports, let through by PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1. */
  | { kind: 'forward-compatible'; unmet: Pyo3Need[] }
  | { kind: 'unsupported'; unmet: Pyo3Need[] };

/** Whether the project's PyO3 satisfies a need (a requirement: whether any version it admits does). */
function meets(pyo3: Pyo3Version, need: Pyo3Need): boolean {
  if (pyo3.kind === 'locked') return inRange(pyo3.version, need.range);
  if (pyo3.kind === 'required') return rangesOverlap(pyo3.range, need.range);
  return true;
}

/**
 * Whether the project's PyO3 can build `python`. Without a lock, cargo takes the newest version
 * the requirement admits, so only a requirement no suitable release satisfies is unsupported.
 */
export function checkPyo3Support(
  pyo3: Pyo3Version,
  python: string,
  options: { forwardCompatibility: boolean },
): Pyo3Support {
  if (pyo3.kind === 'unknown') return { kind: 'unchecked', reason: pyo3.reason };
  const unmet = pyo3Needs(python).filter((need) => !meets(pyo3, need));
  if (unmet.length === 0) return { kind: 'supported' };
  if (options.forwardCompatibility && unmet.every((need) => need.forwardCompatible)) {
    return { kind: 'forward-compatible', unmet };
  }
  return { kind: 'unsupported', unmet };
}

/** Whether the project's PyO3 can build PEP 803 abi3t extensions. */
export function pyo3HasAbi3t(pyo3: Pyo3Version): boolean {
  const need: Pyo3Need = { range: { lower: semver(PYO3_ABI3T) }, why: '', forwardCompatible: false };
  return pyo3.kind !== 'unknown' && meets(pyo3, need);
}

/** The lowest release that meets every unmet need (`0.25`), for the "upgrade to" fix. */
export function pyo3UpgradeTarget(unmet: readonly Pyo3Need[]): string | undefined {
  const lowers = unmet.flatMap((n) => (n.range.lower ? [n.range.lower] : []));
  const target = lowers.sort((a, b) => compareSemVer(b, a))[0];
  return target === undefined ? undefined : `${target.major}.${target.minor}`;
}

/**
 * The error for a version the project's PyO3 cannot build: the version, the PyO3 version and
 * where it comes from, why, and both fixes. `drop` says how to stop building the version in the
 * caller's own words (`set 'free-threaded: false'`, `leave 3.14t out of 'interpreters'`).
 */
export function unsupportedMessage(options: {
  python: string;
  pyo3: Pyo3Version;
  unmet: readonly Pyo3Need[];
  drop: string;
  relative?: (file: string) => string;
}): string {
  const { python, pyo3, unmet } = options;
  const target = pyo3UpgradeTarget(unmet);
  const upgrade =
    target === undefined
      ? `use a PyO3 release ${unmet.map((n) => formatRange(n.range)).join(' and ')}`
      : `upgrade PyO3 to ${target} or later (pyo3 = "${target}" in Cargo.toml, then cargo update -p pyo3)`;
  return `CPython ${python} cannot be built with ${describePyo3(pyo3, options.relative)}: ${unmet
    .map((n) => n.why)
    .join(', and ')}. Either ${upgrade}, or stop building ${python}: ${options.drop}.`;
}

/** The warning for a GIL CPython let through by PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1. */
export function forwardCompatibleMessage(options: {
  python: string;
  pyo3: Pyo3Version;
  unmet: readonly Pyo3Need[];
  relative?: (file: string) => string;
}): string {
  return `${describePyo3(options.pyo3, options.relative)} does not support CPython ${options.python} (${options.unmet
    .map((n) => n.why)
    .join(
      ', and ',
    )}); PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 makes PyO3 build it against the stable ABI (abi3) instead. Upgrading PyO3 gives a version-specific build.`;
}
