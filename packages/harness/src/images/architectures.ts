/**
 * The Linux architectures ferrowheel builds wheels for, as data: how Debian, docker, QEMU, gcc,
 * Rust, zig and the ELF header name each one. Every image recipe and check reads its names from
 * here, so a new architecture is one row.
 */
import type { Arch } from '@ferrowheel/kit/platform';
import { fail, ok, type Result } from '@ferrowheel/kit/result';

export type LinuxArch = Exclude<Arch, 'riscv64'>;

export interface ArchNames {
  /** The wheel tag's (and ferrowheel's) name: `aarch64`. */
  arch: LinuxArch;
  /** Debian's architecture: `arm64`. */
  debian: string;
  /** docker's `--platform`: `linux/arm/v7`. */
  dockerPlatform: string;
  /** QEMU's name (`qemu-<name>-static`), or undefined when this x86_64 machine runs it natively. */
  qemu: string | undefined;
  /** Debian's GNU triplet: the cross gcc's prefix and the multiarch directory. */
  gnuTriplet: string;
  /** Rust's glibc target. */
  rustGnu: string;
  /** Rust's musl target, when ferrowheel builds musllinux wheels for it. */
  rustMusl: string | undefined;
  /** `zig cc` arguments for the musl target (maturin's own, from its zig wrapper). */
  zigMusl: string[] | undefined;
  /**
   * Docker Hub's per-architecture namespace of the official images (`arm64v8/python`): one name
   * per platform, which resolves on GitHub too, where the multi-platform `python:3.11-slim` would
   * be one tag for several platforms (and docker 20.10 keeps one platform per tag).
   */
  dockerHubNamespace: string;
  /** The ELF header's e_machine (EM_*), which every extension module built for it carries. */
  elfMachine: number;
  /** Its name as readelf writes it. */
  elfMachineName: string;
}

/** One row per architecture. */
export const ARCHITECTURES: readonly ArchNames[] = [
  {
    arch: 'x86_64',
    dockerHubNamespace: 'amd64',
    debian: 'amd64',
    dockerPlatform: 'linux/amd64',
    qemu: undefined,
    gnuTriplet: 'x86_64-linux-gnu',
    rustGnu: 'x86_64-unknown-linux-gnu',
    rustMusl: 'x86_64-unknown-linux-musl',
    zigMusl: ['-target', 'x86_64-linux-musl'],
    elfMachine: 62, // EM_X86_64
    elfMachineName: 'Advanced Micro Devices X86-64',
  },
  {
    arch: 'i686',
    dockerHubNamespace: 'i386',
    debian: 'i386',
    dockerPlatform: 'linux/386',
    qemu: undefined,
    gnuTriplet: 'i686-linux-gnu',
    rustGnu: 'i686-unknown-linux-gnu',
    rustMusl: 'i686-unknown-linux-musl',
    zigMusl: ['-mcpu=pentium4', '-target', 'x86-linux-musl'],
    elfMachine: 3, // EM_386
    elfMachineName: 'Intel 80386',
  },
  {
    arch: 'aarch64',
    dockerHubNamespace: 'arm64v8',
    debian: 'arm64',
    dockerPlatform: 'linux/arm64',
    qemu: 'aarch64',
    gnuTriplet: 'aarch64-linux-gnu',
    rustGnu: 'aarch64-unknown-linux-gnu',
    rustMusl: 'aarch64-unknown-linux-musl',
    zigMusl: ['-target', 'aarch64-linux-musl'],
    elfMachine: 183, // EM_AARCH64
    elfMachineName: 'AArch64',
  },
  {
    arch: 'armv7',
    dockerHubNamespace: 'arm32v7',
    debian: 'armhf',
    dockerPlatform: 'linux/arm/v7',
    qemu: 'arm',
    gnuTriplet: 'arm-linux-gnueabihf',
    rustGnu: 'armv7-unknown-linux-gnueabihf',
    rustMusl: 'armv7-unknown-linux-musleabihf',
    zigMusl: ['-mcpu=generic+v7a+vfp3-d32+thumb2-neon', '-target', 'arm-linux-musleabihf'],
    elfMachine: 40, // EM_ARM
    elfMachineName: 'ARM',
  },
  {
    arch: 's390x',
    dockerHubNamespace: 's390x',
    debian: 's390x',
    dockerPlatform: 'linux/s390x',
    qemu: 's390x',
    gnuTriplet: 's390x-linux-gnu',
    rustGnu: 's390x-unknown-linux-gnu',
    rustMusl: undefined,
    zigMusl: undefined,
    elfMachine: 22, // EM_S390
    elfMachineName: 'IBM S/390',
  },
  {
    arch: 'ppc64le',
    dockerHubNamespace: 'ppc64le',
    debian: 'ppc64el',
    dockerPlatform: 'linux/ppc64le',
    qemu: 'ppc64le',
    gnuTriplet: 'powerpc64le-linux-gnu',
    rustGnu: 'powerpc64le-unknown-linux-gnu',
    rustMusl: undefined,
    zigMusl: undefined,
    elfMachine: 21, // EM_PPC64
    elfMachineName: 'PowerPC64',
  },
];

/** The row of an architecture. */
export function archNames(arch: LinuxArch): ArchNames {
  const row = ARCHITECTURES.find((a) => a.arch === arch);
  if (row === undefined) throw new Error(`no architecture row for ${arch}`);
  return row;
}

/** The platforms docker accepts for these architectures, for error messages. */
export const DOCKER_PLATFORMS: readonly string[] = ARCHITECTURES.map((a) => a.dockerPlatform);

/**
 * The architecture of a docker platform (`linux/arm64`, `linux/arm/v7`; `linux/arm64/v8` too), or
 * the problem naming the value and the platforms there are.
 */
export function archOfPlatform(platform: string): Result<ArchNames> {
  const value = platform
    .trim()
    .toLowerCase()
    .replace(/^linux\/arm64\/v8$/, 'linux/arm64');
  const row = ARCHITECTURES.find((a) => a.dockerPlatform === value);
  if (row !== undefined) return ok(row);
  return fail(
    `the docker platform "${platform}" is not one ferrowheel has images for (${DOCKER_PLATFORMS.join(', ')})`,
  );
}

/** The `architecture` and `variant` of an image config for a docker platform. */
export function imagePlatform(platform: string): { os: string; architecture: string; variant?: string } {
  const [os = 'linux', architecture = '', variant] = platform.split('/');
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}
