/**
 * Wheel and sdist file names (PEP 427, PEP 625) and wheel tag compatibility (PEP 425, PEP 600,
 * PEP 656, PEP 384's abi3, PEP 703's free-threaded `t` ABI, PEP 803's abi3t). The tags an interpreter supports are
 * computed from a description of it, so the logic for every OS is testable anywhere.
 */
import type { Os } from './platform.js';
import { fail, ok, type Result } from './result.js';

export interface WheelName {
  filename: string;
  /** Distribution name as in the file name (underscores). */
  name: string;
  version: string;
  build?: string;
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
}

export interface SdistName {
  filename: string;
  name: string;
  version: string;
}

/** Parses a wheel file name; returns a problem string when it is not one. */
export function parseWheelFilename(filename: string): Result<WheelName> {
  if (!filename.endsWith('.whl')) return fail('does not end in .whl');
  const parts = filename.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) {
    return fail('is not name-version[-build]-python-abi-platform.whl');
  }
  const [name, version] = parts as [string, string];
  const build = parts.length === 6 ? parts[2] : undefined;
  const [python, abi, platform] = parts.slice(-3) as [string, string, string];
  if (!/^[A-Za-z0-9_.]+$/.test(name)) return fail(`has an invalid distribution name '${name}'`);
  if (!/^[0-9][A-Za-z0-9_.!+]*$/.test(version)) return fail(`has an invalid version '${version}'`);
  if (build !== undefined && !/^\d/.test(build)) return fail(`has an invalid build tag '${build}'`);
  if (![python, abi, platform].every((tag) => /^[A-Za-z0-9_.]+$/.test(tag)))
    return fail('has an invalid tag');
  return ok({
    filename,
    name,
    version,
    ...(build !== undefined ? { build } : {}),
    pythonTags: python.split('.'),
    abiTags: abi.split('.'),
    platformTags: platform.split('.'),
  });
}

/** Parses an sdist file name (`name-version.tar.gz`); returns a problem string otherwise. */
export function parseSdistFilename(filename: string): Result<SdistName> {
  const match = /^(.+)-([0-9][^-]*)\.(tar\.gz|zip)$/.exec(filename);
  if (!match) return fail('is not name-version.tar.gz');
  return ok({ filename, name: match[1]!, version: match[2]! });
}

/** True for a valid project name (PEP 508: letters, digits and `-_.`, starting and ending with a letter or digit). */
export function isValidProjectName(name: string): boolean {
  return /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i.test(name);
}

/** PEP 503 normalised project name: lower case, runs of `-_.` become `-`. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Every `python-abi-platform` tag triple of a wheel (compressed tag sets expanded). */
export function wheelTags(wheel: WheelName): string[] {
  const tags: string[] = [];
  for (const py of wheel.pythonTags) {
    for (const abi of wheel.abiTags) {
      for (const plat of wheel.platformTags) tags.push(`${py}-${abi}-${plat}`);
    }
  }
  return tags;
}

/** What a wheel installer needs to know about an interpreter to pick wheels. */
export interface Interpreter {
  /** `cp` for CPython, `pp` for PyPy. */
  implementation: 'cp' | 'pp';
  major: number;
  minor: number;
  /** The PEP 3149 ABI flags: `t` for free-threaded CPython, else empty. */
  abiFlags: string;
  /** The ABI tag for PyPy (`pypy310_pp73`); unused for CPython. */
  pypyAbi?: string;
  /** Platform tags, most specific first (see {@link platformTags}). */
  platforms: string[];
}

/**
 * Supported tags, most preferred first, in the order `packaging.tags.sys_tags()` gives for
 * CPython and PyPy.
 */
export function supportedTags(interp: Interpreter): string[] {
  const tags: string[] = [];
  const { major, minor } = interp;
  const py = `${major}${minor}`;
  if (interp.implementation === 'cp') {
    const cp = `cp${py}`;
    const abi = `${cp}${interp.abiFlags}`;
    // A GIL-enabled CPython loads abi3; a free-threaded one loads abi3t (PEP 803) instead, from
    // 3.15. Like packaging.tags (26.4) the abi3t tags go back to 3.2 as abi3's do.
    const stable = interp.abiFlags.includes('t') ? 'abi3t' : 'abi3';
    for (const p of interp.platforms) tags.push(`${cp}-${abi}-${p}`);
    for (const p of interp.platforms) tags.push(`${cp}-${stable}-${p}`);
    for (const p of interp.platforms) tags.push(`${cp}-none-${p}`);
    for (let m = minor - 1; m >= 2; m--) {
      for (const p of interp.platforms) tags.push(`cp${major}${m}-${stable}-${p}`);
    }
  } else {
    const pp = `pp${py}`;
    const abi = interp.pypyAbi ?? `pypy${py}_pp73`;
    for (const p of interp.platforms) tags.push(`${pp}-${abi}-${p}`);
    for (const p of interp.platforms) tags.push(`${pp}-none-${p}`);
  }
  // Generic pure/any tags: pyXY and py3 for the platform, then for any platform.
  const generic = [`py${py}`, `py${major}`];
  for (let m = minor - 1; m >= 0; m--) generic.push(`py${major}${m}`);
  for (const g of generic) for (const p of interp.platforms) tags.push(`${g}-none-${p}`);
  tags.push(`${interp.implementation}${py}-none-any`);
  for (const g of generic) tags.push(`${g}-none-any`);
  return [...new Set(tags)];
}

export interface PlatformDescription {
  os: Os;
  /** Wheel-style arch: x86_64, aarch64, i686, armv7l, ppc64le, s390x; arm64 on macOS. */
  arch: string;
  /** Linux: the C library and its version, e.g. { kind: 'glibc', major: 2, minor: 36 }. */
  libc?: { kind: 'glibc' | 'musl'; major: number; minor: number };
  /** macOS version, e.g. [14, 0]. */
  macos?: [number, number];
  /** Windows: 32-bit Python on a 64-bit OS reports win32. */
}

const LEGACY_MANYLINUX: Record<string, string> = {
  '2_17': 'manylinux2014',
  '2_12': 'manylinux2010',
  '2_5': 'manylinux1',
};

/** Platform tags of a platform, most specific first (as pip's packaging computes them). */
export function platformTags(platform: PlatformDescription): string[] {
  const tags: string[] = [];
  const { arch } = platform;
  if (platform.os === 'linux') {
    const libc = platform.libc;
    if (libc?.kind === 'glibc') {
      for (let m = libc.minor; m >= 5; m--) {
        tags.push(`manylinux_2_${m}_${arch}`);
        const legacy = LEGACY_MANYLINUX[`2_${m}`];
        // manylinux1/2010 exist only for x86_64 and i686.
        if (legacy && (legacy === 'manylinux2014' || arch === 'x86_64' || arch === 'i686')) {
          tags.push(`${legacy}_${arch}`);
        }
      }
    } else if (libc?.kind === 'musl') {
      for (let m = libc.minor; m >= 1; m--) tags.push(`musllinux_1_${m}_${arch}`);
    }
    tags.push(`linux_${arch}`);
  } else if (platform.os === 'macos') {
    const [major, minor] = platform.macos ?? [11, 0];
    const formats =
      arch === 'arm64'
        ? ['arm64', 'universal2']
        : ['x86_64', 'intel', 'fat64', 'fat32', 'universal2', 'universal'];
    const versions: [number, number][] = [];
    if (major >= 11) {
      for (let v = major; v >= 11; v--) versions.push([v, 0]);
      if (arch !== 'arm64') for (let m = 16; m >= 4; m--) versions.push([10, m]);
    } else {
      for (let m = minor; m >= 4; m--) versions.push([10, m]);
    }
    for (const [vMajor, vMinor] of versions) {
      for (const f of formats) tags.push(`macosx_${vMajor}_${vMinor}_${f}`);
    }
    // No arm64 binaries predate macOS 11, but a universal2 wheel's x86_64 half can target 10.x,
    // so Apple silicon installs macosx_10_*_universal2 too (as packaging's mac_platforms does).
    if (arch === 'arm64' && major >= 11) {
      for (let m = 16; m >= 4; m--) tags.push(`macosx_10_${m}_universal2`);
    }
  } else {
    const winArch: Record<string, string> = {
      x86_64: 'win_amd64',
      aarch64: 'win_arm64',
      arm64: 'win_arm64',
      i686: 'win32',
      x86: 'win32',
    };
    tags.push(winArch[arch] ?? `win_${arch}`);
  }
  return tags;
}

export interface Compatibility {
  compatible: boolean;
  /** The best (lowest) index into the supported tags; Infinity when incompatible. */
  rank: number;
  /**
   * Which tags fail, when incompatible: python-abi (no python/ABI pair is supported), platform
   * (the pairs are, the platform is not), combination (each is, but never together).
   */
  mismatch?: 'python-abi' | 'platform' | 'combination';
  /** Why not, in words, when incompatible. */
  reason?: string;
}

/** Whether an interpreter can install a wheel, with the reason when it cannot. */
export function checkCompatibility(wheel: WheelName, supported: readonly string[]): Compatibility {
  const index = new Map(supported.map((tag, i) => [tag, i] as const));
  let rank = Number.POSITIVE_INFINITY;
  for (const tag of wheelTags(wheel)) {
    const i = index.get(tag);
    if (i !== undefined && i < rank) rank = i;
  }
  if (rank !== Number.POSITIVE_INFINITY) return { compatible: true, rank };
  const supportedPairs = new Set(supported.map((t) => t.split('-').slice(0, 2).join('-')));
  const supportedPlat = new Set(supported.map((t) => t.split('-')[2]));
  const pairs = wheel.pythonTags.flatMap((py) => wheel.abiTags.map((abi) => `${py}-${abi}`));
  if (!pairs.some((pair) => supportedPairs.has(pair))) {
    const reason = `python/ABI tag ${pairs.join(', ')} is not supported by this interpreter`;
    return { compatible: false, rank, mismatch: 'python-abi', reason };
  }
  if (!wheel.platformTags.some((t) => supportedPlat.has(t))) {
    const reason = `platform tag ${wheel.platformTags.join('.')} does not match this platform`;
    return { compatible: false, rank, mismatch: 'platform', reason };
  }
  const reason = `no tag combination of ${wheelTags(wheel).join(', ')} is supported`;
  return { compatible: false, rank, mismatch: 'combination', reason };
}
