/**
 * `npm run matrix`'s own logic: its options, the table it renders from typed outcomes, which
 * CPython a wheel is for, and when a host interpreter may test the x86_64 leg's wheels.
 */
import { describe, expect, it } from '@jest/globals';
import { parseOptions, UsageError } from '../../../scripts/matrix/options.js';
import { allGood, type LegRow, renderTable } from '../../../scripts/matrix/rows.js';
import { glibcTooOld, pythonOfWheel } from '../../../scripts/matrix/run.js';
import { installsOnHost } from '../src/host-python.js';

const wheel = (pythonTag: string, abiTag: string) => ({
  filename: 'x.whl',
  path: '/x.whl',
  pythonTags: [pythonTag],
  abiTags: [abiTag],
  platformTags: ['manylinux_2_34_aarch64'],
  extensions: [],
});

describe('matrix options', () => {
  it('every leg and the plan’s default CPythons unless told otherwise', () => {
    const options = parseOptions([]);
    expect(options.legs).toHaveLength(10);
    expect(options.pythons).toEqual(['3.10', '3.11', '3.12', '3.13', '3.14', '3.15', '3.14t', '3.15t']);
    expect(parseOptions(['--leg', 'linux-armv7,musllinux-i686', '--python', '3.11'])).toEqual({
      legs: ['linux-armv7', 'musllinux-i686'],
      pythons: ['3.11'],
      parity: false,
      act: false,
      actAll: false,
      help: false,
    });
    expect(parseOptions(['--parity']).parity).toBe(true);
    expect(parseOptions(['--act']).act).toBe(true);
    expect(parseOptions(['--act-all']).actAll).toBe(true);
  });

  it('a leg or a version it does not know, and a missing value, are usage errors', () => {
    expect(() => parseOptions(['--leg', 'windows-x86_64'])).toThrow(UsageError);
    expect(() => parseOptions(['--leg', 'windows-x86_64'])).toThrow(
      /--leg windows-x86_64 is not a Linux leg \(linux-x86_64, /,
    );
    expect(() => parseOptions(['--python', 'pypy3.10'])).toThrow(
      '--python pypy3.10 is not a CPython version (3.12, 3.14t)',
    );
    expect(() => parseOptions(['--python'])).toThrow('--python needs a value');
    expect(() => parseOptions(['--fast'])).toThrow('unknown option --fast');
  });
});

describe('matrix rows', () => {
  const legs: LegRow[] = [
    {
      leg: 'linux-aarch64',
      standIn: 'ferrowheel-stand-in/build:linux-aarch64-k',
      build: { kind: 'built', seconds: 20.04 },
      wheels: [
        {
          leg: 'linux-aarch64',
          wheel: 'setup-0.1.0-cp311-cp311-manylinux_2_34_aarch64.whl',
          tags: 'cp311-cp311-manylinux_2_34_aarch64',
          elf: { name: 'AArch64 (183)', ok: true },
          libc: 'glibc',
          test: { kind: 'passed', seconds: 12.3, where: 'CPython 3.11 linux/arm64 under QEMU' },
        },
        {
          leg: 'linux-aarch64',
          wheel: 'setup-0.1.0-cp312-cp312-manylinux_2_34_aarch64.whl',
          tags: 'cp312-cp312-manylinux_2_34_aarch64',
          elf: { name: 'AArch64 (183)', ok: true },
          libc: 'glibc',
          test: { kind: 'not-tested', reason: 'no CPython 3.12 for aarch64 can be had on this machine' },
        },
      ],
    },
    { leg: 'linux-s390x', standIn: '', build: { kind: 'failed', problem: 'the build failed:' }, wheels: [] },
  ];

  it('one line per wheel, the reason of every row not tested, a failed build as such', () => {
    expect(renderTable(legs).split('\n')).toEqual([
      '| leg | wheel | tags | ELF machine | libc | build | test |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| linux-aarch64 | `setup-0.1.0-cp311-cp311-manylinux_2_34_aarch64.whl` | cp311-cp311-manylinux_2_34_aarch64 | AArch64 (183) | glibc | 20.0 s | passed (12.3 s, CPython 3.11 linux/arm64 under QEMU) |',
      '| linux-aarch64 | `setup-0.1.0-cp312-cp312-manylinux_2_34_aarch64.whl` | cp312-cp312-manylinux_2_34_aarch64 | AArch64 (183) | glibc | 20.0 s | not tested here: no CPython 3.12 for aarch64 can be had on this machine |',
      '| linux-s390x | – | – | – | – | FAILED: the build failed: | – |',
    ]);
  });

  it('all good only when every build ran, every ELF machine is right and no test failed', () => {
    expect(allGood(legs)).toBe(false);
    expect(allGood(legs.slice(0, 1))).toBe(true);
    const wrongMachine = structuredClone(legs.slice(0, 1));
    wrongMachine[0]!.wheels[0]!.elf.ok = false;
    expect(allGood(wrongMachine)).toBe(false);
  });

  it('the CPython a wheel is for, free-threaded included', () => {
    expect(pythonOfWheel(wheel('cp311', 'cp311'))).toBe('3.11');
    expect(pythonOfWheel(wheel('cp314', 'cp314t'))).toBe('3.14t');
  });

  it('a wheel above the glibc of its CPython’s only image is not tested here, saying why', () => {
    const source = { kind: 'image', python: '3.11', release: 'bookworm' } as const;
    expect(glibcTooOld({ platformTags: ['manylinux_2_34_ppc64le'] }, 'ppc64le', source)).toBeUndefined();
    expect(glibcTooOld({ platformTags: ['manylinux_2_39_ppc64le'] }, 'ppc64le', source)).toBe(
      'the wheel is manylinux_2_39_ppc64le, and CPython 3.11 for ppc64le can be had here only from Debian bookworm, whose glibc is 2.36',
    );
    const sid = { kind: 'image', python: '3.13', release: 'sid' } as const;
    expect(glibcTooOld({ platformTags: ['manylinux_2_39_ppc64le'] }, 'ppc64le', sid)).toBeUndefined();
  });

  it('a host CPython tests an x86_64 wheel only when the host glibc is new enough', () => {
    expect(installsOnHost(['manylinux_2_34_x86_64'], '2.36')).toBe(true);
    expect(installsOnHost(['manylinux_2_39_x86_64'], '2.36')).toBe(false);
    expect(installsOnHost(['musllinux_1_2_x86_64'], '2.36')).toBe(false);
    expect(installsOnHost(['manylinux_2_17_x86_64'], undefined)).toBe(false);
  });
});
