import { parseSemVer } from '@ferrowheel/kit/cargo-semver';
import type { Pyo3Version } from '@ferrowheel/kit/pyo3-version';
import { describe, expect, it } from '@jest/globals';
import { checkInterpreterVersions } from '../src/python-preflight.js';

const pyo3022: Pyo3Version = { kind: 'locked', version: parseSemVer('0.22.6')!, file: '/w/p/Cargo.lock' };
const relative = (f: string) => f.replace('/w/', '');

describe('the Python versions of a build against the project PyO3', () => {
  it('takes out what PyO3 cannot build, with the version, the PyO3 version and both fixes', () => {
    const checked = checkInterpreterVersions(
      ['3.12', 'python3.13', '3.14', '3.14t', '/opt/py/bin/python'],
      pyo3022,
      {
        forwardCompatibility: false,
        relative,
      },
    );
    expect(checked.keep).toEqual(['3.12', 'python3.13', '/opt/py/bin/python']);
    expect(checked.warnings).toEqual([]);
    expect(checked.dropped).toEqual([
      {
        python: '3.14',
        outcome: 'failed',
        failure: {
          kind: 'pyo3-unsupported',
          pyo3: '0.22.6',
          message:
            'CPython 3.14 cannot be built with PyO3 0.22.6 (p/Cargo.lock): CPython 3.14 needs PyO3 ≥ 0.25. Either upgrade PyO3 to 0.25 or later (pyo3 = "0.25" in Cargo.toml, then cargo update -p pyo3), or stop building 3.14: leave 3.14 out of \'interpreters\'.',
        },
      },
      {
        python: '3.14t',
        outcome: 'failed',
        failure: {
          kind: 'pyo3-unsupported',
          pyo3: '0.22.6',
          message:
            'CPython 3.14t cannot be built with PyO3 0.22.6 (p/Cargo.lock): CPython 3.14 needs PyO3 ≥ 0.25, and free-threaded CPython needs PyO3 ≥ 0.23. Either upgrade PyO3 to 0.25 or later (pyo3 = "0.25" in Cargo.toml, then cargo update -p pyo3), or stop building 3.14t: leave 3.14t out of \'interpreters\'.',
        },
      },
    ]);
  });

  it('keeps a GIL-enabled version PYO3_USE_ABI3_FORWARD_COMPATIBILITY lets through, with a warning', () => {
    const checked = checkInterpreterVersions(['3.14', '3.14t'], pyo3022, {
      forwardCompatibility: true,
      relative,
    });
    expect(checked.keep).toEqual(['3.14']);
    expect(checked.dropped.map((d) => d.python)).toEqual(['3.14t']);
    expect(checked.warnings).toEqual([
      'PyO3 0.22.6 (p/Cargo.lock) does not support CPython 3.14 (CPython 3.14 needs PyO3 ≥ 0.25); PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 makes PyO3 build it against the stable ABI (abi3) instead. Upgrading PyO3 gives a version-specific build.',
    ]);
  });

  it('checks nothing when the PyO3 version is unknown', () => {
    const checked = checkInterpreterVersions(
      ['3.14t'],
      { kind: 'unknown', reason: 'no pyo3' },
      { forwardCompatibility: false },
    );
    expect(checked).toEqual({ keep: ['3.14t'], dropped: [], warnings: [] });
  });
});
