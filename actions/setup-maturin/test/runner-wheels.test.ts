import type { Platform } from '@ferrowheel/kit/platform';
import {
  describeRunner,
  macosVersion,
  pickWheel,
  type RunnerProbe,
  runnerPlatformTags,
} from '@ferrowheel/kit/runner-wheels';
import { describe, expect, it } from '@jest/globals';
import { maturinReleases, release } from './fixture.js';

const releases = maturinReleases();
const files = release(releases, '1.16.0').files;

function probe(facts: { glibc?: string; musl?: string; darwin?: string }): RunnerProbe {
  return {
    glibcVersion: () => facts.glibc,
    muslVersion: () => facts.musl,
    darwinRelease: () => facts.darwin ?? '0.0.0',
  };
}

function wheelFor(platform: Platform, facts: Parameters<typeof probe>[0], from = files): string | undefined {
  return pickWheel(from, runnerPlatformTags(describeRunner(platform, probe(facts))))?.filename;
}

describe('describeRunner', () => {
  it('reads glibc, else musl, on Linux', () => {
    expect(describeRunner({ os: 'linux', arch: 'x86_64' }, probe({ glibc: '2.39' }))).toEqual({
      os: 'linux',
      arch: 'x86_64',
      libc: { kind: 'glibc', major: 2, minor: 39 },
    });
    expect(describeRunner({ os: 'linux', arch: 'aarch64' }, probe({ musl: '1.2.5' }))).toEqual({
      os: 'linux',
      arch: 'aarch64',
      libc: { kind: 'musl', major: 1, minor: 2 },
    });
    expect(describeRunner({ os: 'linux', arch: 'armv7' }, probe({ glibc: '2.31' })).arch).toBe('armv7l');
  });

  it('names macOS arm64 the way wheels do and reads the macOS version', () => {
    expect(describeRunner({ os: 'macos', arch: 'aarch64' }, probe({ darwin: '24.1.0' }))).toEqual({
      os: 'macos',
      arch: 'arm64',
      macos: [15, 0],
    });
  });

  it('maps Darwin kernel releases to macOS versions', () => {
    expect(macosVersion('19.6.0')).toEqual([10, 15]);
    expect(macosVersion('20.1.0')).toEqual([11, 0]);
    expect(macosVersion('23.6.0')).toEqual([14, 0]);
    expect(macosVersion('25.0.0')).toEqual([26, 0]);
    expect(macosVersion('garbage')).toEqual([11, 0]);
  });
});

describe('pickWheel for maturin 1.16.0 (recorded file list)', () => {
  it('Linux x86_64 glibc and musl take the manylinux/musllinux x86_64 wheel', () => {
    const expected =
      'maturin-1.16.0-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.musllinux_1_1_x86_64.whl';
    expect(wheelFor({ os: 'linux', arch: 'x86_64' }, { glibc: '2.35' })).toBe(expected);
    expect(wheelFor({ os: 'linux', arch: 'x86_64' }, { musl: '1.2.4' })).toBe(expected);
  });

  it('Linux aarch64 takes the aarch64 wheel; too old a glibc takes none', () => {
    expect(wheelFor({ os: 'linux', arch: 'aarch64' }, { glibc: '2.28' })).toBe(
      'maturin-1.16.0-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl',
    );
    expect(wheelFor({ os: 'linux', arch: 'riscv64' }, { glibc: '2.28' })).toBeUndefined();
    expect(wheelFor({ os: 'linux', arch: 'riscv64' }, { glibc: '2.35' })).toBe(
      'maturin-1.16.0-py3-none-manylinux_2_31_riscv64.musllinux_1_1_riscv64.whl',
    );
  });

  it('macOS x86_64 takes the thin x86_64 wheel, arm64 the universal2 one', () => {
    expect(wheelFor({ os: 'macos', arch: 'x86_64' }, { darwin: '23.0.0' })).toBe(
      'maturin-1.16.0-py3-none-macosx_10_12_x86_64.whl',
    );
    expect(wheelFor({ os: 'macos', arch: 'aarch64' }, { darwin: '24.0.0' })).toBe(
      'maturin-1.16.0-py3-none-macosx_10_12_universal2.macosx_10_12_x86_64.macosx_11_0_arm64.whl',
    );
  });

  it('Windows x64 and arm64 take their own wheels', () => {
    expect(wheelFor({ os: 'windows', arch: 'x86_64' }, {})).toBe('maturin-1.16.0-py3-none-win_amd64.whl');
    expect(wheelFor({ os: 'windows', arch: 'aarch64' }, {})).toBe('maturin-1.16.0-py3-none-win_arm64.whl');
    expect(wheelFor({ os: 'windows', arch: 'i686' }, {})).toBe('maturin-1.16.0-py3-none-win32.whl');
  });

  it('Windows arm64 falls back to the x64 wheel (emulated) when a release has no arm64 one', () => {
    const withoutArm = files.filter((f) => !f.filename.endsWith('win_arm64.whl'));
    expect(wheelFor({ os: 'windows', arch: 'aarch64' }, {}, withoutArm)).toBe(
      'maturin-1.16.0-py3-none-win_amd64.whl',
    );
  });

  it('ignores the sdist and wheels that are not py3-none', () => {
    const odd = [
      { filename: 'maturin-1.0.tar.gz', url: 'u', sha256: 'x', yanked: false },
      { filename: 'maturin-1.0-cp311-cp311-win_amd64.whl', url: 'u', sha256: 'x', yanked: false },
    ];
    expect(wheelFor({ os: 'windows', arch: 'x86_64' }, {}, odd)).toBeUndefined();
  });
});
