/**
 * Which CPython each architecture can have here, as data: the Debian releases the images are made
 * from (pinned, never the host's: GitHub's runners are Ubuntu, whose codenames no Debian mirror
 * has) and the CPythons each packages. No other CPython can be had on this machine for a foreign
 * architecture: python.org is not reachable, and Debian packages neither 3.10 nor 3.12 nor a
 * free-threaded build. The "not tested here" reasons come from this table, so a Python that could
 * run is never reported as one that cannot.
 */
import type { LinuxArch } from './architectures.js';

export type DebianRelease = 'bookworm' | 'sid';

export interface ReleaseFacts {
  /** The CPythons the release packages (`python3.X`, with `python3.X-venv`), for every architecture. */
  pythons: readonly string[];
  /** Its glibc: a wheel whose manylinux level is higher does not install there. */
  glibc: string;
}

/**
 * The releases the images come from, checked against the mirror apt uses here (late 2026):
 * bookworm's CPython 3.11.2; sid's 3.13.18, 3.14.10 and 3.15.2 (sid also has rustc 1.97.1, whose
 * std is packaged for every architecture below). trixie (3.13) adds no CPython sid lacks.
 */
export const RELEASES: Record<DebianRelease, ReleaseFacts> = {
  bookworm: { pythons: ['3.11'], glibc: '2.36' },
  sid: { pythons: ['3.13', '3.14', '3.15'], glibc: '2.43' },
};

/** The architectures Debian builds both releases for (all of ferrowheel's Linux ones). */
const DEBIAN_ARCHES: readonly LinuxArch[] = ['x86_64', 'i686', 'aarch64', 'armv7', 's390x', 'ppc64le'];

/** Where a CPython for an architecture comes from here: an image, or why there is none. */
export type PythonSource =
  | { kind: 'image'; python: string; release: DebianRelease }
  | { kind: 'none'; python: string; reason: string };

const packaged = Object.entries(RELEASES)
  .map(([release, facts]) => `${facts.pythons.join(', ')} (${release})`)
  .join(' and ');

/** The release packaging `python` (`3.13`), or the reason no image here can have it. */
export function pythonSource(arch: LinuxArch, python: string): PythonSource {
  if (python.endsWith('t')) {
    return {
      kind: 'none',
      python,
      reason: `no free-threaded CPython ${python} for ${arch} can be had on this machine (Debian packages none, and python.org is not reachable)`,
    };
  }
  for (const [release, facts] of Object.entries(RELEASES) as [DebianRelease, ReleaseFacts][]) {
    if (DEBIAN_ARCHES.includes(arch) && facts.pythons.includes(python)) {
      return { kind: 'image', python, release };
    }
  }
  return {
    kind: 'none',
    python,
    reason: `no CPython ${python} for ${arch} can be had on this machine (Debian packages only ${packaged}, and python.org is not reachable)`,
  };
}

/** Every CPython an architecture's images can have, oldest first. */
export function imagePythons(arch: LinuxArch): string[] {
  return Object.values(RELEASES)
    .flatMap((facts) => (DEBIAN_ARCHES.includes(arch) ? facts.pythons : []))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
}
