import { platformTags, supportedTags } from '@ferrowheel/kit/wheel';
import { describe, expect, it } from '@jest/globals';
import { noCompatibleWheelError, selectWheels } from '../src/wheel-selection.js';

const cp = (minor: number, platforms: string[], abiFlags = '') =>
  supportedTags({ implementation: 'cp', major: 3, minor, abiFlags, platforms });

const linuxGlibc = platformTags({
  os: 'linux',
  arch: 'x86_64',
  libc: { kind: 'glibc', major: 2, minor: 35 },
});
const linuxMusl = platformTags({ os: 'linux', arch: 'aarch64', libc: { kind: 'musl', major: 1, minor: 2 } });
const macArm = platformTags({ os: 'macos', arch: 'arm64', macos: [14, 0] });
const macIntel = platformTags({ os: 'macos', arch: 'x86_64', macos: [13, 0] });
const windows = platformTags({ os: 'windows', arch: 'x86_64' });

const files = (...names: string[]) => names.map((n) => `/dist/${n}`);
const picked = (names: string[], tags: string[]) =>
  selectWheels(files(...names), tags).selected.map((s) => s.filename);

describe('selectWheels on Linux', () => {
  const tags = cp(12, linuxGlibc);

  it('picks the manylinux wheel of the interpreter, not another version or libc', () => {
    const names = [
      'setup-0.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      'setup-0.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      'setup-0.1.0-cp312-cp312-musllinux_1_2_x86_64.whl',
      'setup-0.1.0-cp312-cp312-manylinux_2_39_x86_64.whl',
    ];
    const selection = selectWheels(files(...names), tags);
    expect(selection.selected.map((s) => s.filename)).toEqual([names[1]]);
    expect(selection.selected[0]!.tag).toBe('cp312-cp312-manylinux_2_17_x86_64');
    expect(selection.incompatible.map((w) => [w.filename, w.reason])).toEqual([
      [names[0], 'built for CPython 3.11 only (ABI cp311); this interpreter is CPython 3.12 (cp312)'],
      [names[2], 'platform tag musllinux_1_2_x86_64 does not match this platform'],
      [names[3], 'platform tag manylinux_2_39_x86_64 does not match this platform'],
    ]);
  });

  it('prefers the version-specific wheel over abi3, and takes abi3 built for an older minimum', () => {
    const specific = 'setup-0.1.0-cp312-cp312-manylinux_2_28_x86_64.whl';
    const abi3 = 'setup-0.1.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl';
    expect(picked([abi3, specific], tags)).toEqual([specific]);
    expect(picked([abi3], tags)).toEqual([abi3]);
    // abi3 for a newer minimum than the interpreter is not installable.
    const tooNew = selectWheels(files('setup-0.1.0-cp313-abi3-manylinux_2_17_x86_64.whl'), tags);
    expect(tooNew.selected).toEqual([]);
    expect(tooNew.incompatible[0]!.reason).toBe(
      'an abi3 wheel for CPython 3.13 or newer; this interpreter is CPython 3.12',
    );
  });

  it('prefers the most specific manylinux level and keeps one wheel per project', () => {
    const names = [
      'setup-0.1.0-cp312-cp312-manylinux_2_17_x86_64.whl',
      'setup-0.1.0-cp312-cp312-manylinux_2_28_x86_64.whl',
      'other_pkg-2.0-py3-none-any.whl',
    ];
    const selection = selectWheels(files(...names), tags);
    expect(selection.selected.map((s) => [s.project, s.filename])).toEqual([
      ['other-pkg', names[2]],
      ['setup', names[1]],
    ]);
    expect(selection.superseded).toEqual([
      {
        path: `/dist/${names[0]}`,
        filename: names[0],
        reason: `${names[1]} ranks higher for this interpreter`,
      },
    ]);
  });

  it('among equally ranked wheels takes the highest version', () => {
    expect(
      picked(
        [
          'setup-0.9.0-cp312-cp312-manylinux_2_17_x86_64.whl',
          'setup-0.10.0-cp312-cp312-manylinux_2_17_x86_64.whl',
        ],
        tags,
      ),
    ).toEqual(['setup-0.10.0-cp312-cp312-manylinux_2_17_x86_64.whl']);
  });

  it('takes musllinux on a musl interpreter', () => {
    const names = [
      'setup-0.1.0-cp312-cp312-manylinux_2_17_aarch64.whl',
      'setup-0.1.0-cp312-cp312-musllinux_1_1_aarch64.whl',
    ];
    expect(picked(names, cp(12, linuxMusl))).toEqual([names[1]]);
  });

  it('matches the free-threaded ABI only on a free-threaded interpreter', () => {
    const ft = 'setup-0.1.0-cp313-cp313t-manylinux_2_17_x86_64.whl';
    const gil = 'setup-0.1.0-cp313-cp313-manylinux_2_17_x86_64.whl';
    const abi3 = 'setup-0.1.0-cp39-abi3-manylinux_2_17_x86_64.whl';
    expect(picked([ft, gil, abi3], cp(13, linuxGlibc, 't'))).toEqual([ft]);
    expect(picked([ft, gil], cp(13, linuxGlibc))).toEqual([gil]);
    // abi3 does not exist for free-threaded builds.
    expect(selectWheels(files(abi3), cp(13, linuxGlibc, 't')).incompatible[0]!.reason).toBe(
      'an abi3 wheel; CPython 3.13 free-threaded cannot load abi3 extensions',
    );
    expect(selectWheels(files(gil), cp(13, linuxGlibc, 't')).incompatible[0]!.reason).toBe(
      'built for CPython 3.13 only (ABI cp313); this interpreter is CPython 3.13 free-threaded (cp313t)',
    );
  });
});

describe('selectWheels on macOS', () => {
  it('takes arm64 or universal2 on Apple silicon, never x86_64', () => {
    const names: [string, string, string] = [
      'setup-0.1.0-cp312-cp312-macosx_10_12_x86_64.whl',
      'setup-0.1.0-cp312-cp312-macosx_11_0_arm64.whl',
      'setup-0.1.0-cp312-cp312-macosx_10_12_universal2.whl',
    ];
    expect(picked(names, cp(12, macArm))).toEqual([names[1]]);
    expect(picked([names[0], names[2]], cp(12, macArm))).toEqual([names[2]]);
    expect(selectWheels(files(names[0]), cp(12, macArm)).incompatible[0]!.reason).toBe(
      'platform tag macosx_10_12_x86_64 does not match this platform',
    );
  });

  it('on Intel takes x86_64 for an older macOS, not one built for a newer macOS', () => {
    const names = [
      'setup-0.1.0-cp312-cp312-macosx_14_0_x86_64.whl',
      'setup-0.1.0-cp312-cp312-macosx_10_12_x86_64.whl',
    ];
    expect(picked(names, cp(12, macIntel))).toEqual([names[1]]);
  });
});

describe('selectWheels on Windows', () => {
  it('takes win_amd64 and rejects Linux, 32-bit and arm64 wheels', () => {
    const names = [
      'setup-0.1.0-cp312-cp312-win_amd64.whl',
      'setup-0.1.0-cp312-cp312-win32.whl',
      'setup-0.1.0-cp312-cp312-win_arm64.whl',
      'setup-0.1.0-cp312-cp312-manylinux_2_17_x86_64.whl',
    ];
    const selection = selectWheels(files(...names), cp(12, windows));
    expect(selection.selected.map((s) => s.filename)).toEqual([names[0]]);
    expect(selection.incompatible).toHaveLength(3);
    expect(picked(['setup-0.1.0-cp38-abi3-win_amd64.whl'], cp(12, windows))).toEqual([
      'setup-0.1.0-cp38-abi3-win_amd64.whl',
    ]);
  });
});

describe('noCompatibleWheelError', () => {
  it('lists every wheel found with its reason, and the fix', () => {
    const tags = cp(11, linuxGlibc);
    const selection = selectWheels(
      files(
        'setup-0.1.0-cp39-cp39-manylinux_2_17_x86_64.whl',
        'setup-0.1.0-cp311-cp311-win_amd64.whl',
        'notawheel.whl',
      ),
      tags,
    );
    expect(selection.selected).toEqual([]);
    const message = noCompatibleWheelError(
      selection,
      'CPython 3.11.7 (linux x86_64, glibc 2.35)',
      tags,
    ).message;
    expect(message).toContain('None of the 3 wheel(s) found can be installed by CPython 3.11.7');
    expect(message).toContain(
      '  - setup-0.1.0-cp39-cp39-manylinux_2_17_x86_64.whl: built for CPython 3.9 only (ABI cp39); this interpreter is CPython 3.11 (cp311)',
    );
    expect(message).toContain(
      '  - setup-0.1.0-cp311-cp311-win_amd64.whl: platform tag win_amd64 does not match this platform',
    );
    expect(message).toContain(
      '  - notawheel.whl: the file name is not name-version[-build]-python-abi-platform.whl',
    );
    expect(message).toContain('most preferred tags are cp311-cp311-manylinux_2_35_x86_64');
    expect(message).toMatch(/Build a wheel for this interpreter and platform/);
  });
});
