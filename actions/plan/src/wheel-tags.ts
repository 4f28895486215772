/**
 * What the wheels of a planned leg will be tagged, from its Rust target: the platform an
 * interpreter on that leg has (for kit's supportedTags), and the cibuildwheel-style identifiers
 * `test-skip` patterns are matched against before any wheel exists.
 */
import { targetOfTriple } from '@ferrowheel/kit/targets';
import { type PlatformDescription, platformTags } from '@ferrowheel/kit/wheel';

/** The wheel-style platform of a build leg's Rust target: what an interpreter there installs. */
export function targetPlatform(target: string): PlatformDescription | undefined {
  const t = targetOfTriple(target);
  if (!t) return undefined;
  if (t.os === 'macos') {
    // universal2 wheels are among arm64's tags; a new macOS admits every older deployment target.
    return { os: 'macos', arch: t.arch === 'x86_64' ? 'x86_64' : 'arm64', macos: [26, 0] };
  }
  if (t.os === 'windows') return { os: 'windows', arch: t.arch };
  const arch = t.arch === 'armv7' ? 'armv7l' : t.arch;
  // A current C library admits every older manylinux / musllinux tag.
  const libc =
    t.libc === 'musl'
      ? { kind: 'musl' as const, major: 1, minor: 2 }
      : { kind: 'glibc' as const, major: 2, minor: 40 };
  return { os: 'linux', arch, libc };
}

/**
 * The identifiers (`cp313-musllinux_1_2_x86_64`, `cp314t-win_amd64`) a wheel of this leg for
 * CPython `python` may have: every platform tag of the leg's own architecture, since the exact
 * manylinux or macOS version is known only once the wheel is built. A `test-skip` pattern that
 * matches any of them skips the row.
 */
export function plannedSkipNames(python: string, target: string): string[] {
  const platform = targetPlatform(target);
  const cp = `cp${python.replace('.', '')}`;
  if (!platform) return [`${cp}-${target}`];
  const tags = platformTags(platform);
  const own = platform.os === 'windows' ? tags : tags.filter((t) => t.endsWith(`_${platform.arch}`));
  return own.map((tag) => `${cp}-${tag}`);
}
