import { describe, expect, it } from '@jest/globals';
import { parseRequirement, parseSemVer } from '../src/cargo-semver.js';
import {
  checkPyo3Support,
  forwardCompatibleMessage,
  pyo3HasAbi3t,
  unsupportedMessage,
} from '../src/pyo3-support.js';
import type { Pyo3Version } from '../src/pyo3-version.js';

const locked = (version: string): Pyo3Version => ({
  kind: 'locked',
  version: parseSemVer(version)!,
  file: '/repo/Cargo.lock',
});
const required = (requirement: string): Pyo3Version => {
  const range = parseRequirement(requirement);
  if (!range.ok) throw new Error(range.problem);
  return { kind: 'required', requirement, range: range.value, file: '/repo/Cargo.toml' };
};
const verdict = (pyo3: Pyo3Version, python: string, forwardCompatibility = false) =>
  checkPyo3Support(pyo3, python, { forwardCompatibility }).kind;

describe('which PyO3 builds which CPython', () => {
  // The boundaries of PyO3's CHANGELOG (see the table in src/pyo3-support.ts).
  it.each([
    ['3.10', '0.14.5', '0.15.0'],
    ['3.11', '0.16.6', '0.17.0'],
    ['3.12', '0.19.2', '0.20.0'],
    ['3.13', '0.21.2', '0.22.0'],
    ['3.14', '0.24.2', '0.25.0'],
    ['3.15', '0.28.3', '0.29.0'],
    ['3.14t', '0.24.2', '0.25.0'],
    ['3.15t', '0.28.3', '0.29.0'],
  ])('CPython %s: not with PyO3 %s, with %s', (python, before, since) => {
    expect(verdict(locked(before), python)).toBe('unsupported');
    expect(verdict(locked(since), python)).toBe('supported');
  });

  it('free-threaded builds need 0.23, and 3.13t ended with 0.29', () => {
    expect(verdict(locked('0.22.6'), '3.13t')).toBe('unsupported');
    expect(verdict(locked('0.23.0'), '3.13t')).toBe('supported');
    expect(verdict(locked('0.28.3'), '3.13t')).toBe('supported');
    expect(verdict(locked('0.29.0'), '3.13t')).toBe('unsupported');
    expect(verdict(locked('0.22.6'), '3.13')).toBe('supported');
  });

  it('lets PYO3_USE_ABI3_FORWARD_COMPATIBILITY through for GIL-enabled CPython only', () => {
    expect(verdict(locked('0.22.6'), '3.14', true)).toBe('forward-compatible');
    // "the free-threaded build of CPython does not support the limited API so this check cannot be suppressed"
    expect(verdict(locked('0.22.6'), '3.14t', true)).toBe('unsupported');
    expect(verdict(locked('0.25.0'), '3.14', true)).toBe('supported');
  });

  it('without a lock, fails only a requirement no suitable release satisfies', () => {
    expect(verdict(required('0.22'), '3.14t')).toBe('unsupported');
    expect(verdict(required('>=0.21'), '3.14t')).toBe('supported');
    expect(verdict(required('^0.25.1'), '3.14t')).toBe('supported');
    expect(verdict(required('>=0.20, <0.25'), '3.14')).toBe('unsupported');
  });

  it('checks nothing when the version is unknown', () => {
    expect(
      checkPyo3Support({ kind: 'unknown', reason: 'no pyo3 dependency' }, '3.14t', {
        forwardCompatibility: false,
      }),
    ).toEqual({
      kind: 'unchecked',
      reason: 'no pyo3 dependency',
    });
  });

  it('knows PEP 803 abi3t from 0.29', () => {
    expect(pyo3HasAbi3t(locked('0.28.3'))).toBe(false);
    expect(pyo3HasAbi3t(locked('0.29.0'))).toBe(true);
    expect(pyo3HasAbi3t(required('>=0.25'))).toBe(true);
    expect(pyo3HasAbi3t({ kind: 'unknown', reason: '' })).toBe(false);
  });

  it('names the version, the PyO3 version and both fixes', () => {
    const pyo3 = locked('0.22.6');
    const support = checkPyo3Support(pyo3, '3.14t', { forwardCompatibility: false });
    if (support.kind !== 'unsupported') throw new Error('expected unsupported');
    expect(
      unsupportedMessage({
        python: '3.14t',
        pyo3,
        unmet: support.unmet,
        drop: "set 'free-threaded: false'",
        relative: (f) => f.replace('/repo/', ''),
      }),
    ).toBe(
      'CPython 3.14t cannot be built with PyO3 0.22.6 (Cargo.lock): CPython 3.14 needs PyO3 ≥ 0.25, and free-threaded CPython needs PyO3 ≥ 0.23. Either upgrade PyO3 to 0.25 or later (pyo3 = "0.25" in Cargo.toml, then cargo update -p pyo3), or stop building 3.14t: set \'free-threaded: false\'.',
    );
    const noLock = required('0.28');
    const s315 = checkPyo3Support(noLock, '3.15', { forwardCompatibility: false });
    if (s315.kind !== 'unsupported') throw new Error('expected unsupported');
    expect(
      unsupportedMessage({
        python: '3.15',
        pyo3: noLock,
        unmet: s315.unmet,
        drop: "leave 3.15 out of 'python-versions'",
      }),
    ).toBe(
      'CPython 3.15 cannot be built with PyO3 "0.28" (/repo/Cargo.toml; no Cargo.lock pins it): CPython 3.15 needs PyO3 ≥ 0.29 (0.28 builds it only as an experimental ABI it says not to distribute). Either upgrade PyO3 to 0.29 or later (pyo3 = "0.29" in Cargo.toml, then cargo update -p pyo3), or stop building 3.15: leave 3.15 out of \'python-versions\'.',
    );
    const dropped = checkPyo3Support(locked('0.29.1'), '3.13t', { forwardCompatibility: false });
    if (dropped.kind !== 'unsupported') throw new Error('expected unsupported');
    expect(
      unsupportedMessage({ python: '3.13t', pyo3: locked('0.29.1'), unmet: dropped.unmet, drop: 'x' }),
    ).toContain('Either use a PyO3 release < 0.29.0, or stop building 3.13t: x.');
  });

  it('warns what forward compatibility does', () => {
    const support = checkPyo3Support(locked('0.22.6'), '3.14', { forwardCompatibility: true });
    if (support.kind !== 'forward-compatible') throw new Error('expected forward-compatible');
    expect(forwardCompatibleMessage({ python: '3.14', pyo3: locked('0.22.6'), unmet: support.unmet })).toBe(
      'PyO3 0.22.6 (/repo/Cargo.lock) does not support CPython 3.14 (CPython 3.14 needs PyO3 ≥ 0.25); PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 makes PyO3 build it against the stable ABI (abi3) instead. Upgrading PyO3 gives a version-specific build.',
    );
  });
});
