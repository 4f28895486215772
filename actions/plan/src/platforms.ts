/**
 * Every build leg ferrowheel plans, as data: the targets `maturin generate-ci github` builds
 * (plus musllinux i686 and Windows x86, which it builds too), the runner each builds on, and how
 * its wheels get tested. `platforms` names either a group (linux, musllinux, macos, windows) or
 * one leg (linux-armv7, or its Rust triple).
 */

import { fail, ok, type Result } from '@ferrowheel/kit/result';

/** How a leg's wheels are tested. */
export type TestMode =
  /** On the runner that built it, with setup-python's CPython. */
  | { kind: 'native'; architecture: SetupPythonArch }
  /** In a container of that architecture under QEMU (docker/setup-qemu-action registers it). */
  | { kind: 'emulated'; dockerPlatform: string; image: ImageFamily }
  /** In a container the runner runs without emulation (Alpine for musl; 32-bit x86 Linux). */
  | { kind: 'container'; dockerPlatform: string; image: ImageFamily };

/** setup-python's `architecture` input for the leg ('' = the runner's own). */
export type SetupPythonArch = '' | 'x86';

/** Official `python` images: Debian-based (glibc) or Alpine (musl). */
export type ImageFamily = 'slim' | 'alpine';

export interface Leg {
  /** Stable name: artifact suffix, job name, `platforms` word. */
  id: string;
  /** Group it belongs to in `platforms`. */
  group: 'linux' | 'musllinux' | 'macos' | 'windows';
  runner: string;
  /** Rust target triple given to the build action. */
  target: string;
  /** The build action's `manylinux` input ('' = the workflow's input, auto by default). */
  manylinux: string;
  test: TestMode;
  /** Oldest CPython minor this platform has at all ('' = every supported one). */
  minPython: string;
  /** Why a Python below minPython is left out. */
  minPythonReason: string;
}

const native: TestMode = { kind: 'native', architecture: '' };
const emulated = (dockerPlatform: string, image: ImageFamily): TestMode => ({
  kind: 'emulated',
  dockerPlatform,
  image,
});
const container = (dockerPlatform: string, image: ImageFamily): TestMode => ({
  kind: 'container',
  dockerPlatform,
  image,
});

function leg(
  id: string,
  group: Leg['group'],
  runner: string,
  target: string,
  test: TestMode,
  extra: Partial<Pick<Leg, 'manylinux' | 'minPython' | 'minPythonReason'>> = {},
): Leg {
  return { id, group, runner, target, manylinux: '', test, minPython: '', minPythonReason: '', ...extra };
}

const MUSL = { manylinux: 'musllinux_1_2' };

/**
 * Runner labels as of late 2026: ubuntu-latest (24.04, x86_64), ubuntu-24.04-arm, windows-latest,
 * windows-11-arm, macos-latest (arm64), macos-15-intel (x86_64, until Aug 2027). Linux legs the
 * runner's CPU cannot run are cross-built in the build action's manylinux/musllinux containers.
 */
export const LEGS: readonly Leg[] = [
  leg('linux-x86_64', 'linux', 'ubuntu-latest', 'x86_64-unknown-linux-gnu', native),
  // i686 binaries run on the x86_64 kernel: a linux/386 container, no emulation.
  leg('linux-i686', 'linux', 'ubuntu-latest', 'i686-unknown-linux-gnu', container('linux/386', 'slim')),
  leg('linux-aarch64', 'linux', 'ubuntu-24.04-arm', 'aarch64-unknown-linux-gnu', native),
  leg(
    'linux-armv7',
    'linux',
    'ubuntu-latest',
    'armv7-unknown-linux-gnueabihf',
    emulated('linux/arm/v7', 'slim'),
  ),
  leg('linux-s390x', 'linux', 'ubuntu-latest', 's390x-unknown-linux-gnu', emulated('linux/s390x', 'slim')),
  leg(
    'linux-ppc64le',
    'linux',
    'ubuntu-latest',
    'powerpc64le-unknown-linux-gnu',
    emulated('linux/ppc64le', 'slim'),
  ),
  leg(
    'musllinux-x86_64',
    'musllinux',
    'ubuntu-latest',
    'x86_64-unknown-linux-musl',
    container('linux/amd64', 'alpine'),
    MUSL,
  ),
  leg(
    'musllinux-i686',
    'musllinux',
    'ubuntu-latest',
    'i686-unknown-linux-musl',
    container('linux/386', 'alpine'),
    MUSL,
  ),
  leg(
    'musllinux-aarch64',
    'musllinux',
    'ubuntu-latest',
    'aarch64-unknown-linux-musl',
    emulated('linux/arm64', 'alpine'),
    MUSL,
  ),
  leg(
    'musllinux-armv7',
    'musllinux',
    'ubuntu-latest',
    'armv7-unknown-linux-musleabihf',
    emulated('linux/arm/v7', 'alpine'),
    MUSL,
  ),
  leg('windows-x86_64', 'windows', 'windows-latest', 'x86_64-pc-windows-msvc', native),
  leg('windows-i686', 'windows', 'windows-latest', 'i686-pc-windows-msvc', {
    kind: 'native',
    architecture: 'x86',
  }),
  leg('windows-arm64', 'windows', 'windows-11-arm', 'aarch64-pc-windows-msvc', native, {
    minPython: '3.11',
    minPythonReason: 'python.org has no Windows arm64 CPython before 3.11',
  }),
  leg('macos-arm64', 'macos', 'macos-latest', 'aarch64-apple-darwin', native),
  leg('macos-x86_64', 'macos', 'macos-15-intel', 'x86_64-apple-darwin', native),
];

/**
 * A leg for callers without arm runners (private repositories on the free plan, GHES): as
 * `maturin generate-ci` does, linux-aarch64 is cross-built on ubuntu-latest (the build action's
 * rust-cross container) and tested under QEMU in an arm64 container. Every other leg is as it is
 * (windows-arm64 still needs windows-11-arm: leave it out of `platforms` there).
 */
export function withoutArmRunner(leg: Leg): Leg {
  if (leg.id !== 'linux-aarch64') return leg;
  return { ...leg, runner: 'ubuntu-latest', test: emulated('linux/arm64', 'slim') };
}

/**
 * Whether the leg can only build in a container (the build action's manylinux, rust-cross or
 * musl image, with its own CPythons): a musllinux leg, or a Linux leg for another architecture
 * than its runner's (i686 included: the runner has no 32-bit CPython). Its runner needs no
 * setup-python then.
 */
export function buildsInContainerOnly(leg: Leg): boolean {
  if (leg.group === 'musllinux') return true;
  if (leg.group !== 'linux') return false;
  const runnerArch = leg.runner.endsWith('-arm') ? 'aarch64' : 'x86_64';
  return !leg.target.startsWith(`${runnerArch}-`);
}

/** The groups `platforms` accepts, in the order legs are planned. */
export const GROUPS = ['linux', 'musllinux', 'macos', 'windows'] as const;

/** Other spellings of a single leg people write (maturin's and Rust's names). */
const ALIASES: Record<string, string> = {
  'linux-x64': 'linux-x86_64',
  'linux-x86': 'linux-i686',
  'linux-arm64': 'linux-aarch64',
  'musllinux-x64': 'musllinux-x86_64',
  'musllinux-x86': 'musllinux-i686',
  'musllinux-arm64': 'musllinux-aarch64',
  'windows-x64': 'windows-x86_64',
  'windows-x86': 'windows-i686',
  'windows-aarch64': 'windows-arm64',
  'macos-aarch64': 'macos-arm64',
  'macos-x64': 'macos-x86_64',
};

/**
 * The legs one `platforms` word names: a group, a leg id or alias, or a Rust triple. Returns a
 * problem string for an unknown word.
 */
export function legsOf(word: string): Result<Leg[]> {
  const value = word.trim().toLowerCase();
  if ((GROUPS as readonly string[]).includes(value)) return ok(LEGS.filter((l) => l.group === value));
  const id = ALIASES[value] ?? value;
  const byId = LEGS.find((l) => l.id === id || l.target === value);
  if (byId) return ok([byId]);
  return fail('is not a platform ferrowheel builds for');
}

/** Every word `platforms` accepts, for error messages. */
export const PLATFORM_WORDS: readonly string[] = [...GROUPS, ...LEGS.map((l) => l.id)];

/**
 * The legs of a `platforms` list, each once, in the order named; the default is every group.
 * Returns the first unknown word with its problem.
 */
export function selectLegs(words: readonly string[]): Result<Leg[]> & { word?: string } {
  const legs: Leg[] = [];
  for (const word of words.length > 0 ? words : GROUPS) {
    const found = legsOf(word);
    if (!found.ok) return { ...found, word };
    for (const leg of found.value) if (!legs.includes(leg)) legs.push(leg);
  }
  return ok(legs);
}
