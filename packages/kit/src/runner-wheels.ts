/**
 * Which platform wheel of a tool fits this runner. The runner is described as data (OS, arch,
 * C library, macOS version) so every OS's choice is unit-tested on Linux; the tags come from the
 * kit's PEP 425/600/656 logic, and the best-ranked `py3-none-<platform>` wheel wins.
 */
import { release as osRelease } from 'node:os';
import type { ReleaseFile } from './package-index.js';
import type { Platform } from './platform.js';
import { type PlatformDescription, parseWheelFilename, platformTags } from './wheel.js';

/** Facts about the runner that are not in `Platform`; read lazily, only when installing. */
export interface RunnerProbe {
  /** glibc version (`2.39`), undefined on musl; from process.report. */
  glibcVersion(): string | undefined;
  /** musl version (`1.2.5`) when not glibc. */
  muslVersion(): string | undefined;
  /** Darwin kernel release (`23.6.0`), i.e. os.release() on macOS. */
  darwinRelease(): string;
}

export const processProbe: RunnerProbe = {
  glibcVersion() {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return report?.header?.glibcVersionRuntime;
  },
  muslVersion() {
    // Without glibc we are on musl (Alpine); every musl still in use is 1.2.x, and the tag list
    // counts down from the version, so 1.2 admits musllinux_1_1 wheels too.
    return '1.2';
  },
  darwinRelease: () => osRelease(),
};

/** macOS's version from the Darwin kernel's: 20–24 are macOS 11–15, 25 is macOS 26, 19 is 10.15. */
export function macosVersion(darwinRelease: string): [number, number] {
  const darwin = Number.parseInt(darwinRelease, 10);
  if (Number.isNaN(darwin)) return [11, 0];
  if (darwin >= 25) return [darwin + 1, 0];
  if (darwin >= 20) return [darwin - 9, 0];
  return [10, Math.max(darwin - 4, 4)];
}

function twoNumbers(version: string | undefined): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** The runner as the wheel-tag logic wants it. */
export function describeRunner(platform: Platform, probe: RunnerProbe = processProbe): PlatformDescription {
  if (platform.os === 'linux') {
    const arch = platform.arch === 'armv7' ? 'armv7l' : platform.arch;
    const glibc = twoNumbers(probe.glibcVersion());
    if (glibc) return { os: 'linux', arch, libc: { kind: 'glibc', major: glibc[0], minor: glibc[1] } };
    const musl = twoNumbers(probe.muslVersion()) ?? [1, 2];
    return { os: 'linux', arch, libc: { kind: 'musl', major: musl[0], minor: musl[1] } };
  }
  if (platform.os === 'macos') {
    return {
      os: 'macos',
      arch: platform.arch === 'aarch64' ? 'arm64' : platform.arch,
      macos: macosVersion(probe.darwinRelease()),
    };
  }
  return { os: 'windows', arch: platform.arch };
}

/**
 * Platform tags this runner can run, best first. Windows on Arm also runs x64 binaries (Windows
 * 11 emulates them), so win_amd64 follows win_arm64: older tool releases have no arm64 wheel.
 */
export function runnerPlatformTags(runner: PlatformDescription): string[] {
  const tags = platformTags(runner);
  if (runner.os === 'windows' && (runner.arch === 'aarch64' || runner.arch === 'arm64'))
    tags.push('win_amd64');
  return tags;
}

/** The best wheel among `files` for the platform tags (smallest on a tie), or undefined. */
export function pickWheel(files: readonly ReleaseFile[], tags: readonly string[]): ReleaseFile | undefined {
  const rank = new Map(tags.map((tag, i) => [tag, i] as const));
  let best: { file: ReleaseFile; rank: number } | undefined;
  for (const file of files) {
    const parsed = parseWheelFilename(file.filename);
    if (!parsed.ok) continue;
    const wheel = parsed.value;
    // These tools ship one binary for every Python: py3-none-<platform> (py2.py3 in old ones).
    if (!wheel.pythonTags.includes('py3') || !wheel.abiTags.includes('none')) continue;
    for (const platform of wheel.platformTags) {
      const r = rank.get(platform);
      // On a tie (a thin and a universal2 wheel share a tag) the smaller download wins.
      const smaller = best !== undefined && r === best.rank && (file.size ?? 0) < (best.file.size ?? 0);
      if (r !== undefined && (best === undefined || r < best.rank || smaller)) best = { file, rank: r };
    }
  }
  return best?.file;
}
