import { describe, expect, it } from '@jest/globals';
import { fail, unwrap } from '../src/result.js';
import {
  checkCompatibility,
  type Interpreter,
  isValidProjectName,
  normaliseName,
  parseSdistFilename,
  parseWheelFilename,
  platformTags,
  supportedTags,
  type WheelName,
  wheelTags,
} from '../src/wheel.js';

function wheel(filename: string): WheelName {
  return unwrap(parseWheelFilename(filename));
}

const linuxGlibc236 = platformTags({
  os: 'linux',
  arch: 'x86_64',
  libc: { kind: 'glibc', major: 2, minor: 36 },
});
const cp311Linux: Interpreter = {
  implementation: 'cp',
  major: 3,
  minor: 11,
  abiFlags: '',
  platforms: linuxGlibc236,
};

describe('wheel file names', () => {
  it('parses name, version, optional build tag and compressed tag sets', () => {
    expect(wheel('setup-0.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')).toEqual({
      filename: 'setup-0.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      name: 'setup',
      version: '0.1.0',
      pythonTags: ['cp311'],
      abiTags: ['cp311'],
      platformTags: ['manylinux_2_17_x86_64', 'manylinux2014_x86_64'],
    });
    expect(wheel('my_pkg-1.0.0rc1-2-py2.py3-none-any.whl').build).toBe('2');
  });
  it('says why a name is not a wheel', () => {
    expect(parseWheelFilename('setup-0.1.0.tar.gz')).toEqual(fail('does not end in .whl'));
    expect(parseWheelFilename('setup-0.1.0-cp311.whl')).toEqual(
      fail('is not name-version[-build]-python-abi-platform.whl'),
    );
    expect(parseWheelFilename('setup-one-cp311-cp311-linux_x86_64.whl')).toEqual(
      fail("has an invalid version 'one'"),
    );
    expect(parseWheelFilename('set up-0.1-cp311-cp311-linux_x86_64.whl')).toEqual(
      fail("has an invalid distribution name 'set up'"),
    );
    expect(parseWheelFilename('setup-0.1-x-cp311-cp311-linux_x86_64.whl')).toEqual(
      fail("has an invalid build tag 'x'"),
    );
  });
  it('parses sdists', () => {
    expect(unwrap(parseSdistFilename('my_pkg-1.2.3.tar.gz'))).toEqual({
      filename: 'my_pkg-1.2.3.tar.gz',
      name: 'my_pkg',
      version: '1.2.3',
    });
    expect(parseSdistFilename('my_pkg.tar.gz')).toEqual(fail('is not name-version.tar.gz'));
  });
  it('normalises project names as PEP 503 does', () => {
    expect(normaliseName('My_Pkg.Name')).toBe('my-pkg-name');
  });
  it('accepts PEP 508 project names only', () => {
    for (const name of ['a', 'My_Pkg.Name', 'x-1', '9']) expect(isValidProjectName(name)).toBe(true);
    for (const name of ['', '-a', 'a-', 'a.', 'a b', 'a\n--index-url=x', 'a==1', 'a;b'])
      expect(isValidProjectName(name)).toBe(false);
  });
  it('expands compressed tag sets', () => {
    expect(wheelTags(wheel('a-1-py2.py3-none-any.whl'))).toEqual(['py2-none-any', 'py3-none-any']);
  });
});

describe('platform tags', () => {
  it('lists manylinux from the glibc version down, with legacy aliases', () => {
    expect(linuxGlibc236[0]).toBe('manylinux_2_36_x86_64');
    expect(linuxGlibc236).toContain('manylinux2014_x86_64');
    expect(linuxGlibc236).toContain('manylinux2010_x86_64');
    expect(linuxGlibc236).toContain('manylinux1_x86_64');
    expect(linuxGlibc236.at(-1)).toBe('linux_x86_64');
    expect(linuxGlibc236.indexOf('manylinux_2_17_x86_64')).toBeLessThan(
      linuxGlibc236.indexOf('manylinux_2_5_x86_64'),
    );
  });
  it('has no manylinux1/2010 aliases for aarch64', () => {
    const tags = platformTags({ os: 'linux', arch: 'aarch64', libc: { kind: 'glibc', major: 2, minor: 28 } });
    expect(tags).toContain('manylinux2014_aarch64');
    expect(tags.some((t) => t.startsWith('manylinux1_') || t.startsWith('manylinux2010_'))).toBe(false);
  });
  it('lists musllinux for musl', () => {
    expect(platformTags({ os: 'linux', arch: 'x86_64', libc: { kind: 'musl', major: 1, minor: 2 } })).toEqual(
      ['musllinux_1_2_x86_64', 'musllinux_1_1_x86_64', 'linux_x86_64'],
    );
  });
  it('lists macOS versions and universal2 for arm64 and x86_64', () => {
    const arm = platformTags({ os: 'macos', arch: 'arm64', macos: [14, 2] });
    expect(arm.slice(0, 2)).toEqual(['macosx_14_0_arm64', 'macosx_14_0_universal2']);
    expect(arm).toContain('macosx_11_0_arm64');
    // No arm64 binary predates macOS 11, but universal2 wheels may target 10.x (packaging agrees).
    expect(arm.filter((t) => t.startsWith('macosx_10_') && !t.endsWith('_universal2'))).toEqual([]);
    expect(arm).toContain('macosx_10_12_universal2');
    const intel = platformTags({ os: 'macos', arch: 'x86_64', macos: [13, 0] });
    expect(intel).toContain('macosx_10_12_x86_64');
    expect(intel).toContain('macosx_10_9_universal2');
  });
  it('maps Windows architectures', () => {
    expect(platformTags({ os: 'windows', arch: 'x86_64' })).toEqual(['win_amd64']);
    expect(platformTags({ os: 'windows', arch: 'aarch64' })).toEqual(['win_arm64']);
    expect(platformTags({ os: 'windows', arch: 'i686' })).toEqual(['win32']);
  });
});

describe('compatibility', () => {
  const supported = supportedTags(cp311Linux);
  it('orders the exact ABI before abi3 and pure wheels', () => {
    const exact = checkCompatibility(wheel('setup-0.1.0-cp311-cp311-manylinux_2_17_x86_64.whl'), supported);
    const abi3 = checkCompatibility(wheel('setup-0.1.0-cp39-abi3-manylinux_2_17_x86_64.whl'), supported);
    const pure = checkCompatibility(wheel('setup-0.1.0-py3-none-any.whl'), supported);
    expect(exact.compatible && abi3.compatible && pure.compatible).toBe(true);
    expect(exact.rank).toBeLessThan(abi3.rank);
    expect(abi3.rank).toBeLessThan(pure.rank);
  });
  it('accepts abi3 wheels built for older minimums only', () => {
    expect(checkCompatibility(wheel('x-1-cp38-abi3-manylinux_2_17_x86_64.whl'), supported).compatible).toBe(
      true,
    );
    const newer = checkCompatibility(wheel('x-1-cp312-abi3-manylinux_2_17_x86_64.whl'), supported);
    expect(newer.compatible).toBe(false);
    expect(newer.reason).toBe('python/ABI tag cp312-abi3 is not supported by this interpreter');
  });
  it('rejects other interpreters, platforms and ABIs with the reason', () => {
    expect(checkCompatibility(wheel('x-1-cp39-cp39-manylinux_2_17_x86_64.whl'), supported).reason).toBe(
      'python/ABI tag cp39-cp39 is not supported by this interpreter',
    );
    expect(checkCompatibility(wheel('x-1-cp311-cp311-win_amd64.whl'), supported).reason).toBe(
      'platform tag win_amd64 does not match this platform',
    );
    expect(checkCompatibility(wheel('x-1-cp311-cp311-manylinux_2_39_x86_64.whl'), supported).reason).toBe(
      'platform tag manylinux_2_39_x86_64 does not match this platform',
    );
    expect(checkCompatibility(wheel('x-1-cp311-cp311t-manylinux_2_17_x86_64.whl'), supported).reason).toBe(
      'python/ABI tag cp311-cp311t is not supported by this interpreter',
    );
  });
  it('tags the kind of mismatch, so callers never read it from the words', () => {
    const mismatch = (name: string) => checkCompatibility(wheel(name), supported).mismatch;
    expect(mismatch('x-1-cp39-cp39-manylinux_2_17_x86_64.whl')).toBe('python-abi');
    expect(mismatch('x-1-cp311-cp311-win_amd64.whl')).toBe('platform');
    // cp311-cp311 and win_amd64 each supported, but never together.
    expect(
      checkCompatibility(wheel('x-1-cp311-cp311-win_amd64.whl'), [...supported, 'py3-none-win_amd64']),
    ).toMatchObject({
      compatible: false,
      mismatch: 'combination',
    });
    expect(mismatch('x-1-cp311-cp311-manylinux_2_17_x86_64.whl')).toBeUndefined();
  });
  it('gives free-threaded interpreters their t ABI and no abi3', () => {
    const ft = supportedTags({ ...cp311Linux, minor: 13, abiFlags: 't' });
    expect(ft[0]).toBe('cp313-cp313t-manylinux_2_36_x86_64');
    expect(ft.some((t) => t.includes('-abi3-'))).toBe(false);
  });
  it('gives free-threaded interpreters abi3t (PEP 803), which GIL-enabled ones do not load', () => {
    const ft315 = supportedTags({ ...cp311Linux, minor: 15, abiFlags: 't' });
    const gil315 = supportedTags({ ...cp311Linux, minor: 15, abiFlags: '' });
    // maturin ≥ 1.14 tags an abi3t extension `abi3.abi3t`: both builds of 3.15 install it.
    const both = wheel('abi3-0.3.0-cp315-abi3.abi3t-manylinux_2_34_x86_64.whl');
    expect(checkCompatibility(both, ft315).compatible).toBe(true);
    expect(checkCompatibility(both, gil315).compatible).toBe(true);
    const onlyT = wheel('x-1-cp315-abi3t-manylinux_2_34_x86_64.whl');
    expect(checkCompatibility(onlyT, ft315).compatible).toBe(true);
    expect(checkCompatibility(onlyT, gil315).reason).toBe(
      'python/ABI tag cp315-abi3t is not supported by this interpreter',
    );
    // Not before its minimum, and never the GIL-only abi3.
    expect(checkCompatibility(wheel('x-1-cp316-abi3t-manylinux_2_34_x86_64.whl'), ft315).compatible).toBe(
      false,
    );
    expect(checkCompatibility(wheel('x-1-cp39-abi3-manylinux_2_34_x86_64.whl'), ft315).compatible).toBe(
      false,
    );
    // On GIL-enabled 3.15 the abi3.abi3t wheel outranks an older abi3 one: installers pick it.
    const abi3 = checkCompatibility(wheel('x-1-cp39-abi3-manylinux_2_34_x86_64.whl'), gil315);
    expect(checkCompatibility(both, gil315).rank).toBeLessThan(abi3.rank);
    // The exact free-threaded ABI comes first, then abi3t, as in packaging.tags.
    expect(ft315.slice(0, 2)).toEqual([
      'cp315-cp315t-manylinux_2_36_x86_64',
      'cp315-cp315t-manylinux_2_35_x86_64',
    ]);
    expect(ft315.indexOf('cp315-abi3t-manylinux_2_36_x86_64')).toBeLessThan(
      ft315.indexOf('cp315-none-manylinux_2_36_x86_64'),
    );
  });
  it('handles Windows and macOS interpreters', () => {
    const win = supportedTags({
      implementation: 'cp',
      major: 3,
      minor: 12,
      abiFlags: '',
      platforms: platformTags({ os: 'windows', arch: 'x86_64' }),
    });
    expect(checkCompatibility(wheel('x-1-cp312-cp312-win_amd64.whl'), win).compatible).toBe(true);
    expect(checkCompatibility(wheel('x-1-cp312-cp312-win_arm64.whl'), win).compatible).toBe(false);
    const mac = supportedTags({
      implementation: 'cp',
      major: 3,
      minor: 12,
      abiFlags: '',
      platforms: platformTags({ os: 'macos', arch: 'arm64', macos: [14, 0] }),
    });
    expect(checkCompatibility(wheel('x-1-cp312-cp312-macosx_11_0_arm64.whl'), mac).compatible).toBe(true);
    expect(checkCompatibility(wheel('x-1-cp312-cp312-macosx_10_12_universal2.whl'), mac).compatible).toBe(
      true,
    );
    expect(checkCompatibility(wheel('x-1-cp312-cp312-macosx_10_12_x86_64.whl'), mac).compatible).toBe(false);
    expect(checkCompatibility(wheel('x-1-cp312-cp312-macosx_11_0_universal2.whl'), mac).compatible).toBe(
      true,
    );
  });
  it('handles PyPy', () => {
    const pypy = supportedTags({
      implementation: 'pp',
      major: 3,
      minor: 10,
      abiFlags: '',
      platforms: linuxGlibc236,
    });
    expect(
      checkCompatibility(wheel('x-1-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl'), pypy).compatible,
    ).toBe(true);
    expect(checkCompatibility(wheel('x-1-cp310-abi3-manylinux_2_17_x86_64.whl'), pypy).compatible).toBe(
      false,
    );
  });
});
