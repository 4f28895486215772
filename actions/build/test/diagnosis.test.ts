import { describe, expect, it } from '@jest/globals';
import { describeFailure, diagnose, KNOWN_FAILURES } from '../src/diagnosis.js';

/** Log excerpts, one per known failure (the libpython one verbatim from the course seed). */
const LOGS: Record<string, string> = {
  'no-cdylib':
    '💥 maturin failed\n  Caused by: Cargo didn\'t build a cdylib. Did you miss crate-type = ["cdylib"] in the lib section of your Cargo.toml?',
  'module-name-mismatch':
    "⚠️  Warning: Couldn't find the symbol `PyInit_setup` or `PyModExport_setup` in the native library. Python will fail to import this module.",
  'no-pymodule':
    "⚠️  Warning: Couldn't find the symbol `PyInit_setup` or `PyModExport_setup` in the native library. Python will fail to import this module.",
  'source-not-utf8':
    "error: couldn't read `src/lib.rs`: stream did not contain valid UTF-8\n\nerror: could not compile `setup` (lib) due to 1 previous error",
  'libpython-link': [
    'error: linking with `cc` failed: exit status: 1',
    "  = note: ld: warning: search path '/install/lib' not found",
    "          ld: library 'python3.12' not found",
    '          clang: error: linker command failed with exit code 1',
  ].join('\n'),
  'pyo3-too-old':
    "error: the configured Python interpreter version (3.14) is newer than PyO3's maximum supported version (3.13)\n  = help: please check if an updated version of PyO3 is available.",
  'requires-python':
    '💥 maturin failed\n  Caused by: Requires-Python >=3.99 is not satisfied by any of the interpreters',
  'no-interpreter': "💥 maturin failed\n  Caused by: Couldn't find any python interpreters from 'python3'.",
  'target-missing':
    "error[E0463]: can't find crate for `core`\n  = note: the `aarch64-unknown-linux-gnu` target may not be installed",
  'zig-missing': '💥 maturin failed\n  Caused by: Failed to find zig',
};

describe('diagnose', () => {
  it('has a recorded log for every known failure', () => {
    expect(Object.keys(LOGS).sort()).toEqual(KNOWN_FAILURES.map((f) => f.id).sort());
  });

  it.each(Object.entries(LOGS))('recognises %s', (id, log) => {
    expect(diagnose(log).map((f) => f.id)).toContain(id);
  });

  it('recognises libpython link failures on Linux and Windows too', () => {
    expect(diagnose('/usr/bin/ld: cannot find -lpython3.11: No such file')[0]?.id).toBe('libpython-link');
    expect(diagnose("LINK : fatal error LNK1181: cannot open input file 'python312.lib'")[0]?.id).toBe(
      'libpython-link',
    );
  });

  it('tells a missing #[pymodule] from a misnamed one by the project', () => {
    const log = LOGS['module-name-mismatch']!;
    expect(diagnose(log, { definesPyModule: false }).map((f) => f.id)).toEqual(['no-pymodule']);
    expect(diagnose(log, { definesPyModule: true }).map((f) => f.id)).toEqual(['module-name-mismatch']);
    expect(describeFailure(diagnose(log, { definesPyModule: false })[0]!)).toMatch(
      /^The crate defines no #\[pymodule\], so the library exports no PyInit_<name> function/,
    );
  });

  it('says nothing about an unrelated failure', () => {
    expect(diagnose('error[E0308]: mismatched types\n --> src/lib.rs:5:5')).toEqual([]);
  });

  it('describes cause, fix and reference', () => {
    const failure = KNOWN_FAILURES.find((f) => f.id === 'no-interpreter')!;
    expect(describeFailure(failure)).toMatch(
      /^maturin found no Python interpreter.* Fix: Install Python first.*\(see https:\/\/github.com\/PyO3\/maturin-action\/issues\/71\)$/,
    );
    const pyo3 = KNOWN_FAILURES.find((f) => f.id === 'pyo3-too-old')!;
    expect(describeFailure(pyo3)).toContain('PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1');
  });
});
