/**
 * The exact matrix for every `platforms` value and for abi3, non-abi3 and requires-python
 * variants: runner label, target, Python versions, and how each wheel is tested (or why not).
 */
import { parseSemVer } from '@ferrowheel/kit/cargo-semver';
import type { Pyo3Version } from '@ferrowheel/kit/pyo3-version';
import { unwrap } from '@ferrowheel/kit/result';
import { describe, expect, it } from '@jest/globals';
import { plan } from '../src/matrix.js';
import { LEGS, selectLegs, withoutArmRunner } from '../src/platforms.js';
import { checkPyo3, choosePythons } from '../src/python-versions.js';
import { describePlan } from './describe-plan.js';

function planFor(
  platforms: string,
  project: { requiresPython: string; abi3: boolean; abi3t?: boolean },
  options: {
    explicit?: string[];
    freeThreaded?: boolean;
    test?: boolean;
    sdist?: boolean;
    testSkip?: string[];
    pyo3?: Pyo3Version;
  } = {},
) {
  const chosen = unwrap(
    choosePythons({
      explicit: options.explicit ?? [],
      requiresPython: project.requiresPython,
      freeThreaded: options.freeThreaded ?? true,
    }),
  );
  const pythons = options.pyo3
    ? unwrap(checkPyo3(chosen, { pyo3: options.pyo3, forwardCompatibility: false }))
    : chosen;
  const legs = selectLegs(platforms.split(' '));
  return plan({
    legs: unwrap(legs),
    pythons,
    project: { abi3: project.abi3, abi3t: project.abi3t ?? false },
    sdist: options.sdist ?? true,
    test: options.test ?? true,
    testSkip: options.testSkip ?? [],
    artifactPrefix: 'wheels',
  });
}

const nonAbi3 = { requiresPython: '>=3.9', abi3: false };
const abi3 = { requiresPython: '>=3.9', abi3: true };

describe('every platforms value, a project that is not abi3 (requires-python >=3.9)', () => {
  it('linux: manylinux x86_64, i686, aarch64 (native arm runner), armv7, s390x, ppc64le', () => {
    expect(describePlan(planFor('linux', nonAbi3))).toEqual([
      'linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t +sdist | 3.10 native on ubuntu-latest | 3.11 native on ubuntu-latest | 3.12 native on ubuntu-latest | 3.13 native on ubuntu-latest | 3.14 native on ubuntu-latest | 3.14t native on ubuntu-latest | 3.15 native on ubuntu-latest | 3.15t native on ubuntu-latest',
      'linux-i686 | ubuntu-latest i686-unknown-linux-gnu | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 container i386/python:3.10-slim linux/386 on ubuntu-latest | 3.11 container i386/python:3.11-slim linux/386 on ubuntu-latest | 3.12 container i386/python:3.12-slim linux/386 on ubuntu-latest | 3.13 container i386/python:3.13-slim linux/386 on ubuntu-latest | 3.14 container i386/python:3.14-slim linux/386 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/386 | 3.15 container i386/python:3.15-slim linux/386 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/386',
      'linux-aarch64 | ubuntu-24.04-arm aarch64-unknown-linux-gnu | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 native on ubuntu-24.04-arm | 3.11 native on ubuntu-24.04-arm | 3.12 native on ubuntu-24.04-arm | 3.13 native on ubuntu-24.04-arm | 3.14 native on ubuntu-24.04-arm | 3.14t native on ubuntu-24.04-arm | 3.15 native on ubuntu-24.04-arm | 3.15t native on ubuntu-24.04-arm',
      'linux-armv7 | ubuntu-latest armv7-unknown-linux-gnueabihf | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 emulated arm32v7/python:3.10-slim linux/arm/v7 on ubuntu-latest | 3.11 emulated arm32v7/python:3.11-slim linux/arm/v7 on ubuntu-latest | 3.12 emulated arm32v7/python:3.12-slim linux/arm/v7 on ubuntu-latest | 3.13 emulated arm32v7/python:3.13-slim linux/arm/v7 on ubuntu-latest | 3.14 emulated arm32v7/python:3.14-slim linux/arm/v7 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/arm/v7 | 3.15 emulated arm32v7/python:3.15-slim linux/arm/v7 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/arm/v7',
      'linux-s390x | ubuntu-latest s390x-unknown-linux-gnu | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 emulated s390x/python:3.10-slim linux/s390x on ubuntu-latest | 3.11 emulated s390x/python:3.11-slim linux/s390x on ubuntu-latest | 3.12 emulated s390x/python:3.12-slim linux/s390x on ubuntu-latest | 3.13 emulated s390x/python:3.13-slim linux/s390x on ubuntu-latest | 3.14 emulated s390x/python:3.14-slim linux/s390x on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/s390x | 3.15 emulated s390x/python:3.15-slim linux/s390x on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/s390x',
      'linux-ppc64le | ubuntu-latest powerpc64le-unknown-linux-gnu | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 emulated ppc64le/python:3.10-slim linux/ppc64le on ubuntu-latest | 3.11 emulated ppc64le/python:3.11-slim linux/ppc64le on ubuntu-latest | 3.12 emulated ppc64le/python:3.12-slim linux/ppc64le on ubuntu-latest | 3.13 emulated ppc64le/python:3.13-slim linux/ppc64le on ubuntu-latest | 3.14 emulated ppc64le/python:3.14-slim linux/ppc64le on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/ppc64le | 3.15 emulated ppc64le/python:3.15-slim linux/ppc64le on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/ppc64le',
    ]);
  });
  it('musllinux: x86_64, i686, aarch64, armv7, tested in Alpine containers', () => {
    expect(describePlan(planFor('musllinux', nonAbi3))).toEqual([
      'musllinux-x86_64 | ubuntu-latest x86_64-unknown-linux-musl musllinux_1_2 | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t +sdist | 3.10 container amd64/python:3.10-alpine linux/amd64 on ubuntu-latest | 3.11 container amd64/python:3.11-alpine linux/amd64 on ubuntu-latest | 3.12 container amd64/python:3.12-alpine linux/amd64 on ubuntu-latest | 3.13 container amd64/python:3.13-alpine linux/amd64 on ubuntu-latest | 3.14 container amd64/python:3.14-alpine linux/amd64 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/amd64 | 3.15 container amd64/python:3.15-alpine linux/amd64 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/amd64',
      'musllinux-i686 | ubuntu-latest i686-unknown-linux-musl musllinux_1_2 | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 container i386/python:3.10-alpine linux/386 on ubuntu-latest | 3.11 container i386/python:3.11-alpine linux/386 on ubuntu-latest | 3.12 container i386/python:3.12-alpine linux/386 on ubuntu-latest | 3.13 container i386/python:3.13-alpine linux/386 on ubuntu-latest | 3.14 container i386/python:3.14-alpine linux/386 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/386 | 3.15 container i386/python:3.15-alpine linux/386 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/386',
      'musllinux-aarch64 | ubuntu-latest aarch64-unknown-linux-musl musllinux_1_2 | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 emulated arm64v8/python:3.10-alpine linux/arm64 on ubuntu-latest | 3.11 emulated arm64v8/python:3.11-alpine linux/arm64 on ubuntu-latest | 3.12 emulated arm64v8/python:3.12-alpine linux/arm64 on ubuntu-latest | 3.13 emulated arm64v8/python:3.13-alpine linux/arm64 on ubuntu-latest | 3.14 emulated arm64v8/python:3.14-alpine linux/arm64 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/arm64 | 3.15 emulated arm64v8/python:3.15-alpine linux/arm64 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/arm64',
      'musllinux-armv7 | ubuntu-latest armv7-unknown-linux-musleabihf musllinux_1_2 | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 emulated arm32v7/python:3.10-alpine linux/arm/v7 on ubuntu-latest | 3.11 emulated arm32v7/python:3.11-alpine linux/arm/v7 on ubuntu-latest | 3.12 emulated arm32v7/python:3.12-alpine linux/arm/v7 on ubuntu-latest | 3.13 emulated arm32v7/python:3.13-alpine linux/arm/v7 on ubuntu-latest | 3.14 emulated arm32v7/python:3.14-alpine linux/arm/v7 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/arm/v7 | 3.15 emulated arm32v7/python:3.15-alpine linux/arm/v7 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/arm/v7',
    ]);
  });
  it('windows: x64, x86, arm64 (no CPython 3.10 for arm64)', () => {
    expect(describePlan(planFor('windows', nonAbi3))).toEqual([
      'windows-x86_64 | windows-latest x86_64-pc-windows-msvc | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t +sdist | 3.10 native on windows-latest | 3.11 native on windows-latest | 3.12 native on windows-latest | 3.13 native on windows-latest | 3.14 native on windows-latest | 3.14t native on windows-latest | 3.15 native on windows-latest | 3.15t native on windows-latest',
      'windows-i686 | windows-latest i686-pc-windows-msvc x86 | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 native on windows-latest x86 | 3.11 native on windows-latest x86 | 3.12 native on windows-latest x86 | 3.13 native on windows-latest x86 | 3.14 native on windows-latest x86 | 3.14t native on windows-latest x86 | 3.15 native on windows-latest x86 | 3.15t native on windows-latest x86',
      'windows-arm64 | windows-11-arm aarch64-pc-windows-msvc | build 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 not built: python.org has no Windows arm64 CPython before 3.11 | 3.11 native on windows-11-arm | 3.12 native on windows-11-arm | 3.13 native on windows-11-arm | 3.14 native on windows-11-arm | 3.14t native on windows-11-arm | 3.15 native on windows-11-arm | 3.15t native on windows-11-arm',
    ]);
  });
  it('macos: arm64 (macos-latest) and x86_64 (macos-15-intel)', () => {
    expect(describePlan(planFor('macos', nonAbi3))).toEqual([
      'macos-arm64 | macos-latest aarch64-apple-darwin | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t +sdist | 3.10 native on macos-latest | 3.11 native on macos-latest | 3.12 native on macos-latest | 3.13 native on macos-latest | 3.14 native on macos-latest | 3.14t native on macos-latest | 3.15 native on macos-latest | 3.15t native on macos-latest',
      'macos-x86_64 | macos-15-intel x86_64-apple-darwin | build 3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t | 3.10 native on macos-15-intel | 3.11 native on macos-15-intel | 3.12 native on macos-15-intel | 3.13 native on macos-15-intel | 3.14 native on macos-15-intel | 3.14t native on macos-15-intel | 3.15 native on macos-15-intel | 3.15t native on macos-15-intel',
    ]);
  });
  it.each(LEGS.map((l) => [l.id, l.target]))(
    'the single platform %s (or its triple %s) is one leg',
    (id, target) => {
      const byId = planFor(id, nonAbi3);
      expect(byId.build.map((b) => b.platform)).toEqual([id]);
      expect(describePlan(planFor(target, nonAbi3))).toEqual(describePlan(byId));
    },
  );
  it('accepts the other spellings people write, case-insensitively', () => {
    expect(
      planFor('Windows-x64 linux-arm64 macos-aarch64 musllinux-x86', nonAbi3).build.map((b) => b.platform),
    ).toEqual(['windows-x86_64', 'linux-aarch64', 'macos-arm64', 'musllinux-i686']);
  });
  it('plans every platform once, in the order given, however often it is named', () => {
    expect(planFor('macos macos-arm64 linux-x86_64', nonAbi3).build.map((b) => b.platform)).toEqual([
      'macos-arm64',
      'macos-x86_64',
      'linux-x86_64',
    ]);
  });
});

describe('abi3', () => {
  it('builds the abi3 wheel once per platform with the oldest Python, and each free-threaded version on its own', () => {
    // abi3 wheels do not load on free-threaded CPython: maturin builds a version-specific cp314t
    // (cp315t) wheel for an abi3 project on a free-threaded interpreter.
    expect(describePlan(planFor('linux musllinux macos windows', abi3))).toEqual([
      "linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.10 3.14t 3.15t +sdist | 3.10 native on ubuntu-latest | 3.14t native on ubuntu-latest | 3.15 (3.10's wheel) native on ubuntu-latest | 3.15t native on ubuntu-latest",
      "linux-i686 | ubuntu-latest i686-unknown-linux-gnu | build 3.10 3.14t 3.15t | 3.10 container i386/python:3.10-slim linux/386 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/386 | 3.15 (3.10's wheel) container i386/python:3.15-slim linux/386 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/386",
      "linux-aarch64 | ubuntu-24.04-arm aarch64-unknown-linux-gnu | build 3.10 3.14t 3.15t | 3.10 native on ubuntu-24.04-arm | 3.14t native on ubuntu-24.04-arm | 3.15 (3.10's wheel) native on ubuntu-24.04-arm | 3.15t native on ubuntu-24.04-arm",
      "linux-armv7 | ubuntu-latest armv7-unknown-linux-gnueabihf | build 3.10 3.14t 3.15t | 3.10 emulated arm32v7/python:3.10-slim linux/arm/v7 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/arm/v7 | 3.15 (3.10's wheel) emulated arm32v7/python:3.15-slim linux/arm/v7 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/arm/v7",
      "linux-s390x | ubuntu-latest s390x-unknown-linux-gnu | build 3.10 3.14t 3.15t | 3.10 emulated s390x/python:3.10-slim linux/s390x on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/s390x | 3.15 (3.10's wheel) emulated s390x/python:3.15-slim linux/s390x on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/s390x",
      "linux-ppc64le | ubuntu-latest powerpc64le-unknown-linux-gnu | build 3.10 3.14t 3.15t | 3.10 emulated ppc64le/python:3.10-slim linux/ppc64le on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/ppc64le | 3.15 (3.10's wheel) emulated ppc64le/python:3.15-slim linux/ppc64le on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/ppc64le",
      "musllinux-x86_64 | ubuntu-latest x86_64-unknown-linux-musl musllinux_1_2 | build 3.10 3.14t 3.15t | 3.10 container amd64/python:3.10-alpine linux/amd64 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/amd64 | 3.15 (3.10's wheel) container amd64/python:3.15-alpine linux/amd64 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/amd64",
      "musllinux-i686 | ubuntu-latest i686-unknown-linux-musl musllinux_1_2 | build 3.10 3.14t 3.15t | 3.10 container i386/python:3.10-alpine linux/386 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/386 | 3.15 (3.10's wheel) container i386/python:3.15-alpine linux/386 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/386",
      "musllinux-aarch64 | ubuntu-latest aarch64-unknown-linux-musl musllinux_1_2 | build 3.10 3.14t 3.15t | 3.10 emulated arm64v8/python:3.10-alpine linux/arm64 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/arm64 | 3.15 (3.10's wheel) emulated arm64v8/python:3.15-alpine linux/arm64 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/arm64",
      "musllinux-armv7 | ubuntu-latest armv7-unknown-linux-musleabihf musllinux_1_2 | build 3.10 3.14t 3.15t | 3.10 emulated arm32v7/python:3.10-alpine linux/arm/v7 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/arm/v7 | 3.15 (3.10's wheel) emulated arm32v7/python:3.15-alpine linux/arm/v7 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/arm/v7",
      "macos-arm64 | macos-latest aarch64-apple-darwin | build 3.10 3.14t 3.15t | 3.10 native on macos-latest | 3.14t native on macos-latest | 3.15 (3.10's wheel) native on macos-latest | 3.15t native on macos-latest",
      "macos-x86_64 | macos-15-intel x86_64-apple-darwin | build 3.10 3.14t 3.15t | 3.10 native on macos-15-intel | 3.14t native on macos-15-intel | 3.15 (3.10's wheel) native on macos-15-intel | 3.15t native on macos-15-intel",
      "windows-x86_64 | windows-latest x86_64-pc-windows-msvc | build 3.10 3.14t 3.15t | 3.10 native on windows-latest | 3.14t native on windows-latest | 3.15 (3.10's wheel) native on windows-latest | 3.15t native on windows-latest",
      "windows-i686 | windows-latest i686-pc-windows-msvc x86 | build 3.10 3.14t 3.15t | 3.10 native on windows-latest x86 | 3.14t native on windows-latest x86 | 3.15 (3.10's wheel) native on windows-latest x86 | 3.15t native on windows-latest x86",
      "windows-arm64 | windows-11-arm aarch64-pc-windows-msvc | build 3.11 3.14t 3.15t | 3.10 not built: python.org has no Windows arm64 CPython before 3.11 | 3.11 native on windows-11-arm | 3.14t native on windows-11-arm | 3.15 (3.11's wheel) native on windows-11-arm | 3.15t native on windows-11-arm",
    ]);
  });
  it('with free-threaded: false builds and tests the abi3 wheel alone', () => {
    expect(describePlan(planFor('linux-x86_64', abi3, { freeThreaded: false }))).toEqual([
      "linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.10 +sdist | 3.10 native on ubuntu-latest | 3.15 (3.10's wheel) native on ubuntu-latest",
    ]);
  });
  it('builds a free-threaded version written explicitly in a call of its own', () => {
    const p = planFor('linux-x86_64', abi3, { explicit: ['3.12', '3.14t'] });
    expect(describePlan(p)).toEqual([
      'linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.12 3.14t +sdist | 3.12 native on ubuntu-latest | 3.14t native on ubuntu-latest',
    ]);
  });
  it('with abi3t (PEP 803) the 3.15t build is one abi3.abi3t wheel, tested on 3.15t and on 3.15, where installers prefer it', () => {
    // The abi3 wheel is then tested on the oldest and on the newest that installs it (3.14).
    expect(describePlan(planFor('linux-x86_64 linux-armv7', { ...abi3, abi3t: true }))).toEqual([
      "linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.10 3.14t 3.15t +sdist | 3.10 native on ubuntu-latest | 3.14 (3.10's wheel) native on ubuntu-latest | 3.14t native on ubuntu-latest | 3.15 (3.15t's wheel) native on ubuntu-latest | 3.15t native on ubuntu-latest",
      "linux-armv7 | ubuntu-latest armv7-unknown-linux-gnueabihf | build 3.10 3.14t 3.15t | 3.10 emulated arm32v7/python:3.10-slim linux/arm/v7 on ubuntu-latest | 3.14 (3.10's wheel) emulated arm32v7/python:3.14-slim linux/arm/v7 on ubuntu-latest | 3.14t not tested: the official python images have no free-threaded CPython for linux/arm/v7 | 3.15 (3.15t's wheel) emulated arm32v7/python:3.15-slim linux/arm/v7 on ubuntu-latest | 3.15t not tested: the official python images have no free-threaded CPython for linux/arm/v7",
    ]);
    // Without 3.15t there is no abi3t wheel: the abi3 wheel serves 3.15.
    expect(describePlan(planFor('linux-x86_64', { ...abi3, abi3t: true }, { freeThreaded: false }))).toEqual([
      "linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.10 +sdist | 3.10 native on ubuntu-latest | 3.15 (3.10's wheel) native on ubuntu-latest",
    ]);
  });
  it('a version-specific project with abi3t gets its abi3.abi3t wheel from 3.15, which serves 3.15t', () => {
    expect(
      describePlan(
        planFor(
          'linux-x86_64',
          { ...nonAbi3, abi3t: true },
          { explicit: ['3.14', '3.14t', '3.15', '3.15t'] },
        ),
      ),
    ).toEqual([
      "linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.14 3.14t 3.15 +sdist | 3.14 native on ubuntu-latest | 3.14t native on ubuntu-latest | 3.15 native on ubuntu-latest | 3.15t (3.15's wheel) native on ubuntu-latest",
    ]);
  });
});

describe('requires-python and python-versions', () => {
  it('takes every supported CPython requires-python admits, with its free-threaded builds', () => {
    expect(describePlan(planFor('linux-x86_64', { requiresPython: '>=3.12,<3.15', abi3: false }))).toEqual([
      'linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.12 3.13 3.14 3.14t +sdist | 3.12 native on ubuntu-latest | 3.13 native on ubuntu-latest | 3.14 native on ubuntu-latest | 3.14t native on ubuntu-latest',
    ]);
  });
  it('leaves the free-threaded builds out with free-threaded: false', () => {
    expect(
      describePlan(
        planFor('macos-arm64', { requiresPython: '>=3.13', abi3: false }, { freeThreaded: false }),
      ),
    ).toEqual([
      'macos-arm64 | macos-latest aarch64-apple-darwin | build 3.13 3.14 3.15 +sdist | 3.13 native on macos-latest | 3.14 native on macos-latest | 3.15 native on macos-latest',
    ]);
  });
  it('takes an explicit list as is, sorted, free-threaded only when written', () => {
    const p = planFor('linux-x86_64', nonAbi3, { explicit: ['3.13', '3.11'] });
    expect(p.build[0]!.interpreters).toBe('3.11 3.13');
    expect(p.build[0]!['python-versions']).toBe('3.11\n3.13');
    expect(p.pythonSource).toBe("input 'python-versions'");
  });
  it('without requires-python takes every supported CPython', () => {
    const p = planFor('linux-x86_64', { requiresPython: '', abi3: false });
    expect(p.build[0]!.interpreters).toBe('3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t');
  });
  it('says when requires-python admits nothing the runners offer', () => {
    expect(choosePythons({ explicit: [], requiresPython: '<3.9', freeThreaded: true })).toEqual({
      ok: false,
      problem:
        'requires-python <3.9 admits none of the CPython versions the runners offer (3.10, 3.11, 3.12, 3.13, 3.14, 3.15)',
    });
  });
});

describe('test and sdist switches', () => {
  it('lists every wheel as not tested when test is false', () => {
    const p = planFor('linux-x86_64', nonAbi3, { explicit: ['3.13'], test: false });
    expect(p.test).toEqual([]);
    expect(describePlan(p)).toEqual([
      "linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.13 +sdist | 3.13 not tested: input 'test' is false",
    ]);
  });
  it('plans the rows test-skip matches as not tested, for native, container and emulated legs alike', () => {
    const p = planFor(
      'linux-x86_64 musllinux-x86_64 linux-aarch64 linux-armv7 windows-x64 macos-arm64',
      nonAbi3,
      {
        explicit: ['3.13', '3.14t'],
        testSkip: ['*-musllinux_*', 'cp314t-*', '*_armv7l', 'cp313-win_amd64'],
      },
    );
    const skipped = (pattern: string) => `not tested: skipped by test-skip ('${pattern}')`;
    expect(describePlan(p)).toEqual([
      `linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.13 3.14t +sdist | 3.13 native on ubuntu-latest | 3.14t ${skipped('cp314t-*')}`,
      `musllinux-x86_64 | ubuntu-latest x86_64-unknown-linux-musl musllinux_1_2 | build 3.13 3.14t | 3.13 ${skipped('*-musllinux_*')} | 3.14t ${skipped('*-musllinux_*')}`,
      `linux-aarch64 | ubuntu-24.04-arm aarch64-unknown-linux-gnu | build 3.13 3.14t | 3.13 native on ubuntu-24.04-arm | 3.14t ${skipped('cp314t-*')}`,
      `linux-armv7 | ubuntu-latest armv7-unknown-linux-gnueabihf | build 3.13 3.14t | 3.13 ${skipped('*_armv7l')} | 3.14t ${skipped('cp314t-*')}`,
      `windows-x86_64 | windows-latest x86_64-pc-windows-msvc | build 3.13 3.14t | 3.13 ${skipped('cp313-win_amd64')} | 3.14t ${skipped('cp314t-*')}`,
      `macos-arm64 | macos-latest aarch64-apple-darwin | build 3.13 3.14t | 3.13 native on macos-latest | 3.14t ${skipped('cp314t-*')}`,
    ]);
    expect(p.test.map((t) => `${t.platform} ${t.python}`)).toEqual([
      'linux-x86_64 3.13',
      'linux-aarch64 3.13',
      'macos-arm64 3.13',
    ]);
  });
  it("matches test-skip against the leg's own architecture only (an arm64 mac is no macosx_10 x86_64)", () => {
    const p = planFor('macos', nonAbi3, { explicit: ['3.13'], testSkip: ['*-macosx_10_*'] });
    expect(p.test.map((t) => t.platform)).toEqual(['macos-arm64']);
  });
  it('builds the sdist on the first leg only, and not at all with sdist false', () => {
    expect(
      planFor('macos linux', nonAbi3)
        .build.filter((b) => b.sdist)
        .map((b) => b.platform),
    ).toEqual(['macos-arm64']);
    expect(planFor('macos linux', nonAbi3, { sdist: false }).build.some((b) => b.sdist)).toBe(false);
  });
  it('gives every leg the artifact the test legs download', () => {
    const p = planFor('linux-armv7', nonAbi3, { explicit: ['3.13'] });
    expect(p.build[0]!.artifact).toBe('wheels-linux-armv7');
    expect(p.test).toEqual([
      {
        platform: 'linux-armv7',
        python: '3.13',
        runner: 'ubuntu-latest',
        mode: 'emulated',
        architecture: '',
        'docker-platform': 'linux/arm/v7',
        image: 'arm32v7/python:3.13-slim',
        artifact: 'wheels-linux-armv7',
      },
    ]);
  });
});

it('every platform maturin generate-ci builds is a leg', () => {
  expect(LEGS.map((l) => l.target).sort()).toEqual(
    [
      'x86_64-unknown-linux-gnu',
      'i686-unknown-linux-gnu',
      'aarch64-unknown-linux-gnu',
      'armv7-unknown-linux-gnueabihf',
      's390x-unknown-linux-gnu',
      'powerpc64le-unknown-linux-gnu',
      'x86_64-unknown-linux-musl',
      'i686-unknown-linux-musl',
      'aarch64-unknown-linux-musl',
      'armv7-unknown-linux-musleabihf',
      'x86_64-pc-windows-msvc',
      'i686-pc-windows-msvc',
      'aarch64-pc-windows-msvc',
      'aarch64-apple-darwin',
      'x86_64-apple-darwin',
    ].sort(),
  );
});

describe("the project's PyO3", () => {
  const pyo3022: Pyo3Version = { kind: 'locked', version: parseSemVer('0.22.6')!, file: '/p/Cargo.lock' };
  it('leaves the default versions an old PyO3 cannot build out, each row saying why; the GIL wheels it can build stay', () => {
    const p = planFor('linux-x86_64 windows-arm64', nonAbi3, { pyo3: pyo3022 });
    const why = (needs: string) =>
      `not built: the project's PyO3 (0.22.6) cannot build it (it needs PyO3 ≥ ${needs})`;
    expect(describePlan(p)).toEqual([
      `linux-x86_64 | ubuntu-latest x86_64-unknown-linux-gnu | build 3.10 3.11 3.12 3.13 +sdist | 3.14 ${why('0.25')} | 3.14t ${why('0.25')} | 3.15 ${why('0.29')} | 3.15t ${why('0.29')} | 3.10 native on ubuntu-latest | 3.11 native on ubuntu-latest | 3.12 native on ubuntu-latest | 3.13 native on ubuntu-latest`,
      `windows-arm64 | windows-11-arm aarch64-pc-windows-msvc | build 3.11 3.12 3.13 | 3.10 not built: python.org has no Windows arm64 CPython before 3.11 | 3.14 ${why('0.25')} | 3.14t ${why('0.25')} | 3.15 ${why('0.29')} | 3.15t ${why('0.29')} | 3.11 native on windows-11-arm | 3.12 native on windows-11-arm | 3.13 native on windows-11-arm`,
    ]);
  });
  it('warns for each version left out, with both fixes', () => {
    const chosen = unwrap(choosePythons({ explicit: [], requiresPython: '>=3.13', freeThreaded: true }));
    const checked = unwrap(checkPyo3(chosen, { pyo3: pyo3022, forwardCompatibility: false }));
    expect(checked.versions).toEqual(['3.13']);
    expect(checked.leftOut.map((l) => l.python)).toEqual(['3.14', '3.14t', '3.15', '3.15t']);
    expect(checked.warnings[1]).toBe(
      'Leaving CPython 3.14t out of the default versions. CPython 3.14t cannot be built with PyO3 0.22.6 (/p/Cargo.lock): CPython 3.14 needs PyO3 ≥ 0.25, and free-threaded CPython needs PyO3 ≥ 0.23. Either upgrade PyO3 to 0.25 or later (pyo3 = "0.25" in Cargo.toml, then cargo update -p pyo3), or stop building 3.14t: set \'free-threaded: false\' (this warning then goes too).',
    );
    expect(checked.warnings[0]).toContain(
      "or stop building 3.14: set 'python-versions' to the versions to build (this warning then goes too).",
    );
  });
  it('refuses a version the user listed that PyO3 cannot build, naming it, the PyO3 version and both fixes', () => {
    const chosen = unwrap(
      choosePythons({ explicit: ['3.13', '3.14t'], requiresPython: '', freeThreaded: true }),
    );
    expect(checkPyo3(chosen, { pyo3: pyo3022, forwardCompatibility: false })).toEqual({
      ok: false,
      problem:
        'CPython 3.14t cannot be built with PyO3 0.22.6 (/p/Cargo.lock): CPython 3.14 needs PyO3 ≥ 0.25, and free-threaded CPython needs PyO3 ≥ 0.23. Either upgrade PyO3 to 0.25 or later (pyo3 = "0.25" in Cargo.toml, then cargo update -p pyo3), or stop building 3.14t: leave 3.14t out of \'python-versions\'.',
    });
  });
  it('keeps a GIL-enabled version PYO3_USE_ABI3_FORWARD_COMPATIBILITY lets through, with a warning', () => {
    const chosen = unwrap(
      choosePythons({ explicit: ['3.14', '3.14t'], requiresPython: '', freeThreaded: true }),
    );
    const forward = checkPyo3(chosen, { pyo3: pyo3022, forwardCompatibility: true });
    expect(forward.ok).toBe(false);
    const gilOnly = unwrap(
      checkPyo3({ ...chosen, versions: ['3.14'] }, { pyo3: pyo3022, forwardCompatibility: true }),
    );
    expect(gilOnly.versions).toEqual(['3.14']);
    expect(gilOnly.warnings).toEqual([
      expect.stringContaining('PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 makes PyO3 build it'),
    ]);
  });
});

describe('the largest default plan', () => {
  it('every leg, 3.10–3.15 with 3.14t and 3.15t: its size, and that it fits the summary input', () => {
    const p = planFor('linux musllinux macos windows', nonAbi3);
    expect(p.build).toHaveLength(15);
    expect(
      p.build.every(
        (b) =>
          b.interpreters === '3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t' || b.platform === 'windows-arm64',
      ),
    ).toBe(true);
    expect(p.rows).toHaveLength(15 * 8);
    // Free-threaded rows of container and emulated legs are not tested (no image has them).
    expect(p.test).toHaveLength(15 * 8 - 8 * 2 - 1);
    // A row names the interpreter that builds its wheel only when it is another one.
    expect(p.rows.filter((r) => r.build.kind === 'build' && r.build.by !== undefined)).toEqual([]);
    const abi3Rows = planFor('linux-x86_64', { ...abi3, abi3t: true }).rows;
    expect(abi3Rows.map((r) => (r.build.kind === 'build' ? r.build.by : 'not built'))).toEqual([
      undefined,
      '3.10',
      undefined,
      '3.15t',
      undefined,
    ]);
  });
});

describe('setup-python and setup-rust on build legs', () => {
  it('get no Pythons and no target where the build can only run in a container', () => {
    const p = planFor('linux musllinux', nonAbi3, { explicit: ['3.12', '3.13'] });
    expect(p.build.map((b) => `${b.platform}: ${b['python-versions'].split('\n').join(' ')}`)).toEqual([
      'linux-x86_64: 3.12 3.13',
      'linux-i686: ',
      'linux-aarch64: 3.12 3.13',
      'linux-armv7: ',
      'linux-s390x: ',
      'linux-ppc64le: ',
      'musllinux-x86_64: ',
      'musllinux-i686: ',
      'musllinux-aarch64: ',
      'musllinux-armv7: ',
    ]);
    const crossAarch64 = plan({
      legs: LEGS.filter((l) => l.id === 'linux-aarch64').map(withoutArmRunner),
      pythons: { versions: ['3.13'], source: 'test', explicit: true, leftOut: [], warnings: [] },
      project: { abi3: false, abi3t: false },
      sdist: false,
      test: true,
      artifactPrefix: 'wheels',
    });
    expect(crossAarch64.build[0]).toMatchObject({
      runner: 'ubuntu-latest',
      'python-versions': '',
      'rust-target': '',
    });
    expect(p.build.map((b) => b['rust-target'])).toEqual([
      'x86_64-unknown-linux-gnu',
      '',
      'aarch64-unknown-linux-gnu',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(crossAarch64.test[0]).toMatchObject({ mode: 'emulated', image: 'arm64v8/python:3.13-slim' });
  });
});
