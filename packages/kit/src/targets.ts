/**
 * Rust target triples and the aliases users write for them, as data. `universal2` is maturin's
 * fat macOS target (`universal2-apple-darwin`), built from two Rust targets.
 */
import type { Arch, Os, Platform } from './platform.js';
import { fail, ok, type Result } from './result.js';

export type Libc = 'gnu' | 'musl' | 'msvc' | 'darwin';

export interface Target {
  /** What maturin gets as `--target`. */
  triple: string;
  /** The Rust targets that must be installed (two for universal2). */
  rustTargets: string[];
  os: Os;
  /** `universal2` for the fat macOS target. */
  arch: Arch | 'universal2';
  libc: Libc;
}

/** Known triples: triple → [os, arch, libc]. */
const TRIPLES: Record<string, [Os, Arch | 'universal2', Libc]> = {
  'x86_64-unknown-linux-gnu': ['linux', 'x86_64', 'gnu'],
  'aarch64-unknown-linux-gnu': ['linux', 'aarch64', 'gnu'],
  'armv7-unknown-linux-gnueabihf': ['linux', 'armv7', 'gnu'],
  'i686-unknown-linux-gnu': ['linux', 'i686', 'gnu'],
  'powerpc64le-unknown-linux-gnu': ['linux', 'ppc64le', 'gnu'],
  's390x-unknown-linux-gnu': ['linux', 's390x', 'gnu'],
  'riscv64gc-unknown-linux-gnu': ['linux', 'riscv64', 'gnu'],
  'x86_64-unknown-linux-musl': ['linux', 'x86_64', 'musl'],
  'aarch64-unknown-linux-musl': ['linux', 'aarch64', 'musl'],
  'armv7-unknown-linux-musleabihf': ['linux', 'armv7', 'musl'],
  'i686-unknown-linux-musl': ['linux', 'i686', 'musl'],
  'x86_64-apple-darwin': ['macos', 'x86_64', 'darwin'],
  'aarch64-apple-darwin': ['macos', 'aarch64', 'darwin'],
  'universal2-apple-darwin': ['macos', 'universal2', 'darwin'],
  'x86_64-pc-windows-msvc': ['windows', 'x86_64', 'msvc'],
  'aarch64-pc-windows-msvc': ['windows', 'aarch64', 'msvc'],
  'i686-pc-windows-msvc': ['windows', 'i686', 'msvc'],
};

/** Alias → architecture. */
const ARCH_ALIASES: Record<string, Arch | 'universal2'> = {
  x64: 'x86_64',
  x86_64: 'x86_64',
  amd64: 'x86_64',
  aarch64: 'aarch64',
  arm64: 'aarch64',
  armv7: 'armv7',
  armv7l: 'armv7',
  x86: 'i686',
  i686: 'i686',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  universal2: 'universal2',
};

const LINUX_GNU: Partial<Record<Arch, string>> = {
  x86_64: 'x86_64-unknown-linux-gnu',
  aarch64: 'aarch64-unknown-linux-gnu',
  armv7: 'armv7-unknown-linux-gnueabihf',
  i686: 'i686-unknown-linux-gnu',
  ppc64le: 'powerpc64le-unknown-linux-gnu',
  s390x: 's390x-unknown-linux-gnu',
  riscv64: 'riscv64gc-unknown-linux-gnu',
};
const LINUX_MUSL: Partial<Record<Arch, string>> = {
  x86_64: 'x86_64-unknown-linux-musl',
  aarch64: 'aarch64-unknown-linux-musl',
  armv7: 'armv7-unknown-linux-musleabihf',
  i686: 'i686-unknown-linux-musl',
};
const MACOS: Partial<Record<Arch | 'universal2', string>> = {
  x86_64: 'x86_64-apple-darwin',
  aarch64: 'aarch64-apple-darwin',
  universal2: 'universal2-apple-darwin',
};
const WINDOWS: Partial<Record<Arch, string>> = {
  x86_64: 'x86_64-pc-windows-msvc',
  aarch64: 'aarch64-pc-windows-msvc',
  i686: 'i686-pc-windows-msvc',
};

/** Every alias a user may write, for error messages. */
export const TARGET_ALIASES = Object.keys(ARCH_ALIASES);

function fromTriple(triple: string): Target {
  const entry = TRIPLES[triple];
  if (!entry) throw new Error(`unknown triple ${triple}`);
  const [os, arch, libc] = entry;
  const rustTargets = arch === 'universal2' ? ['x86_64-apple-darwin', 'aarch64-apple-darwin'] : [triple];
  return { triple, rustTargets, os, arch, libc };
}

/** True when `triple` has the shape arch-vendor-os[-env] (for triples not in the table). */
export function looksLikeTriple(triple: string): boolean {
  return /^[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+(-[a-z0-9_]+)?$/.test(triple);
}

/**
 * Resolves a target written by a user — a triple or an alias — for the OS being built on.
 * `musl` picks the musl triple for Linux aliases (musllinux builds). Returns a problem string
 * (for an InputError) when it cannot.
 */
export function resolveTarget(spec: string, options: { os: Os; musl?: boolean }): Result<Target> {
  const value = spec.trim().toLowerCase();
  if (TRIPLES[value]) return ok(fromTriple(value));
  const arch = ARCH_ALIASES[value];
  if (arch === undefined) {
    if (looksLikeTriple(value)) {
      return fail(
        `is not a target ferrowheel builds wheels for; known triples: ${Object.keys(TRIPLES).join(', ')}`,
      );
    }
    return fail(`is neither a Rust target triple nor an alias (${TARGET_ALIASES.join(', ')})`);
  }
  let triple: string | undefined;
  if (options.os === 'linux') {
    if (arch !== 'universal2') triple = (options.musl ? LINUX_MUSL : LINUX_GNU)[arch];
  } else if (options.os === 'macos') {
    triple = MACOS[arch];
  } else if (arch !== 'universal2') {
    triple = WINDOWS[arch];
  }
  if (triple === undefined) {
    return fail(`has no ${options.musl ? 'musl ' : ''}target on ${options.os}`);
  }
  return ok(fromTriple(triple));
}

/** The host triple of a runner platform (glibc on Linux, MSVC on Windows). */
export function hostTriple(platform: Platform): string {
  const target = resolveTarget(platform.arch, { os: platform.os });
  if (!target.ok) throw new Error(`no host triple for ${platform.os}/${platform.arch}`);
  return target.value.triple;
}

/** The target of a known triple (for rustc's host triple and the like); undefined if unknown. */
export function targetOfTriple(triple: string): Target | undefined {
  return TRIPLES[triple] ? fromTriple(triple) : undefined;
}
