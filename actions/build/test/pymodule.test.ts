import { describe, expect, it } from '@jest/globals';
import { findPyModules } from '../src/pymodule.js';

describe('findPyModules', () => {
  it('finds #[pymodule] functions with their line', () => {
    const source = 'use pyo3::prelude::*;\n\n/// doc\n#[pymodule]\nfn setup(m: &Bound<PyModule>) {}\n';
    expect(findPyModules(source)).toEqual([{ name: 'setup', line: 4 }]);
  });

  it('finds declarative modules, pub items and raw identifiers', () => {
    const source =
      '#[pymodule]\npub mod _core {\n  #[pymodule]\n  mod inner {}\n}\n#[pyo3::pymodule]\npub(crate) fn r#type() {}';
    expect(findPyModules(source).map((m) => m.name)).toEqual(['_core', 'inner', 'type']);
  });

  it('takes the name from #[pyo3(name = ...)] and #[pymodule(name = ...)]', () => {
    expect(findPyModules('#[pymodule]\n#[pyo3(name = "fast")]\nfn fast_impl() {}')[0]?.name).toBe('fast');
    expect(findPyModules('#[pymodule(name = "fast", gil_used = false)]\nfn fast_impl() {}')[0]?.name).toBe(
      'fast',
    );
    expect(findPyModules('#[pymodule(gil_used = false)]\nfn other() {}')[0]?.name).toBe('other');
  });

  it('ignores commented-out modules', () => {
    expect(findPyModules('// #[pymodule]\n// fn old() {}\n/* #[pymodule] fn older() {} */\n')).toEqual([]);
  });
});
