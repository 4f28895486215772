/**
 * Docker platforms (`linux/arm64`, `linux/arm/v7`) as data: how docker spells each Linux
 * architecture, which QEMU binary emulates it (the name binfmt_misc registers it under), which of
 * them a host runs without emulation, and the wheel architecture it runs. The plan writes these
 * into the test matrix, the test action starts its container with one, and the tests' images are
 * labelled with them.
 */
import type { Arch } from './platform.js';
import { fail, ok, type Result } from './result.js';

export interface DockerPlatform {
  os: 'linux';
  /** docker's architecture name: amd64, 386, arm64, arm, s390x, ppc64le, riscv64. */
  architecture: string;
  /** `v7` for arm (docker's default), '' where docker keeps none. */
  variant: string;
}

interface ArchitectureFacts {
  /** binfmt_misc's entry (`qemu-<name>`) and the emulator's name (`qemu-<name>-static`). */
  qemu: string;
  /** The wheel architecture its CPython installs (kit's name). */
  arch: Arch;
  /** Variants docker knows for it; the first is the default. */
  variants: readonly string[];
}

const ARCHITECTURES: Record<string, ArchitectureFacts> = {
  amd64: { qemu: 'x86_64', arch: 'x86_64', variants: [''] },
  '386': { qemu: 'i386', arch: 'i686', variants: [''] },
  arm64: { qemu: 'aarch64', arch: 'aarch64', variants: ['', 'v8'] },
  arm: { qemu: 'arm', arch: 'armv7', variants: ['v7'] },
  s390x: { qemu: 's390x', arch: 's390x', variants: [''] },
  ppc64le: { qemu: 'ppc64le', arch: 'ppc64le', variants: [''] },
  riscv64: { qemu: 'riscv64', arch: 'riscv64', variants: [''] },
};

/** Every platform this module knows, as docker spells them (for messages), x86 first. */
export const DOCKER_PLATFORMS: readonly string[] = [
  'amd64',
  '386',
  'arm64',
  'arm',
  's390x',
  'ppc64le',
  'riscv64',
].map((name) =>
  formatDockerPlatform({ os: 'linux', architecture: name, variant: ARCHITECTURES[name]!.variants[0]! }),
);

/** `linux/arm64`, `linux/arm/v7`. */
export function formatDockerPlatform(platform: DockerPlatform): string {
  return [platform.os, platform.architecture, ...(platform.variant ? [platform.variant] : [])].join('/');
}

/**
 * Parses `os/architecture[/variant]`, the way docker normalises it: arm64's `v8` variant is
 * dropped (docker treats `linux/arm64/v8` as `linux/arm64`), arm without a variant is `v7`.
 */
export function parseDockerPlatform(text: string): Result<DockerPlatform> {
  const parts = text.trim().toLowerCase().split('/');
  const [os, architecture, variant = ''] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture) {
    return fail('is not a docker platform of the form os/architecture[/variant] (e.g. linux/arm64)');
  }
  if (os !== 'linux') return fail(`names the OS '${os}'; containers test Linux wheels only`);
  const facts = ARCHITECTURES[architecture];
  if (facts === undefined) return fail(`names the architecture '${architecture}', which docker does not run`);
  if (variant !== '' && !facts.variants.includes(variant)) {
    const known = facts.variants.filter(Boolean);
    return fail(
      known.length > 0
        ? `names the variant '${variant}' of ${architecture}, which is not one docker runs wheels on (${known.join(', ')})`
        : `gives ${architecture} a variant ('${variant}'); it has none`,
    );
  }
  return ok({
    os: 'linux',
    architecture,
    variant: architecture === 'arm64' ? '' : variant || facts.variants[0]!,
  });
}

/** Whether two platforms are the same once normalised (`linux/arm` is `linux/arm/v7`). */
export function sameDockerPlatform(a: DockerPlatform, b: DockerPlatform): boolean {
  return a.os === b.os && a.architecture === b.architecture && a.variant === b.variant;
}

/** The binfmt_misc entry QEMU is registered under for the platform: `qemu-aarch64`. */
export function qemuEntry(platform: DockerPlatform): string {
  return `qemu-${ARCHITECTURES[platform.architecture]!.qemu}`;
}

/** The wheel architecture a CPython of the platform installs: `aarch64` for linux/arm64. */
export function wheelArch(platform: DockerPlatform): Arch {
  return ARCHITECTURES[platform.architecture]!.arch;
}

/**
 * Whether a host of docker architecture `host` (the engine's own: `docker version`'s Server.Arch)
 * runs the platform without emulation: its own architecture, and 32-bit x86 on x86_64. (32-bit
 * arm on an arm64 host depends on the CPU: GitHub's arm64 runners have no AArch32, so it counts
 * as foreign.)
 */
export function runsNatively(platform: DockerPlatform, host: string): boolean {
  const hostArchitecture = host === 'x86_64' ? 'amd64' : host === 'aarch64' ? 'arm64' : host;
  return (
    platform.architecture === hostArchitecture ||
    (platform.architecture === '386' && hostArchitecture === 'amd64')
  );
}

/** The docker platform whose CPython installs wheels of a platform tag's architecture (`armv7l`). */
export function dockerPlatformOfWheelArch(arch: string): string | undefined {
  return (
    {
      x86_64: 'linux/amd64',
      i686: 'linux/386',
      aarch64: 'linux/arm64',
      armv7l: 'linux/arm/v7',
      s390x: 'linux/s390x',
      ppc64le: 'linux/ppc64le',
      riscv64: 'linux/riscv64',
    } as Record<string, string>
  )[arch];
}

/** The architecture of a Linux platform tag: `aarch64` of `manylinux_2_28_aarch64`; undefined for others. */
export function linuxTagArch(platformTag: string): string | undefined {
  return /^(?:many|musl)?linux(?:_\d+_\d+|\d+)?_([a-z0-9_]+)$/.exec(platformTag)?.[1];
}
