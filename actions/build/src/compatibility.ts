/**
 * The `manylinux` input: which Linux platform tag the wheels claim, as maturin's
 * `--compatibility` value. Written the ways users know it: `2014`, `2_28`, `manylinux_2_28`,
 * `musllinux_1_2`; `auto` leaves the choice to maturin (the lowest tag the binary satisfies),
 * `off` asks for the plain `linux` tag (fine locally, rejected by PyPI).
 */

import { fail, ok, type Result } from '@ferrowheel/kit/result';

export type Compatibility =
  | { kind: 'auto' }
  | { kind: 'off' }
  /** `tag` is what maturin gets: manylinux2014, manylinux_2_28, musllinux_1_2. */
  | { kind: 'manylinux'; tag: string; glibc: [number, number] }
  | { kind: 'musllinux'; tag: string; musl: [number, number] };

/** Legacy manylinux names and the glibc they stand for (PEP 600). */
const LEGACY: Record<string, [number, number]> = {
  '2010': [2, 12],
  '2014': [2, 17],
};

/**
 * The newest glibc release (2.44, July 2026): a higher manylinux level cannot be satisfied by
 * any system yet, so it is a typo. Raise it with each glibc release (February and August).
 */
const NEWEST_GLIBC_MINOR = 44;
/** musllinux levels PEP 656 tags exist for: musl 1.1 and 1.2 (1.2 is still the current series). */
const MUSL_MINORS = [1, 2];

/** Parses the input; the problem when it is not a known shape. */
export function parseCompatibility(raw: string): Result<Compatibility> {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'auto') return ok({ kind: 'auto' });
  if (value === 'off' || value === 'linux') return ok({ kind: 'off' });
  const legacy = /^(?:manylinux)?(2010|2014)$/.exec(value);
  if (legacy) {
    const year = legacy[1]!;
    if (year === '2010') return fail('is manylinux2010, which the Rust compiler no longer supports');
    return ok({ kind: 'manylinux', tag: `manylinux${year}`, glibc: LEGACY[year]! });
  }
  const pep600 = /^(?:manylinux_?)?2_(\d+)$/.exec(value);
  if (pep600) {
    const minor = Number(pep600[1]);
    if (minor < 17) return fail(`asks for glibc 2.${minor}; Rust needs at least glibc 2.17 (manylinux2014)`);
    if (minor > NEWEST_GLIBC_MINOR) {
      return fail(`asks for glibc 2.${minor}, which does not exist (the newest is 2.${NEWEST_GLIBC_MINOR})`);
    }
    return ok({ kind: 'manylinux', tag: `manylinux_2_${minor}`, glibc: [2, minor] });
  }
  const musl = /^musllinux_?1_(\d+)$/.exec(value);
  if (musl) {
    const minor = Number(musl[1]);
    if (!MUSL_MINORS.includes(minor)) {
      return fail(
        `asks for musl 1.${minor}, which has no musllinux tag (musllinux_1_1 and musllinux_1_2 exist)`,
      );
    }
    return ok({ kind: 'musllinux', tag: `musllinux_1_${minor}`, musl: [1, minor] });
  }
  return fail('is not a manylinux or musllinux level');
}
