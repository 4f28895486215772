import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unwrap } from '@ferrowheel/kit/result';
import { resolveTarget } from '@ferrowheel/kit/targets';
import { describe, expect, it } from '@jest/globals';
import { admits, type PreflightFacts, preflight, pythonVersionOf } from '../src/preflight.js';
import { readProject } from '../src/project.js';

const CARGO = `[package]\nname = "setup"\nversion = "0.1.0"\n[lib]\nname = "setup"\ncrate-type = ["cdylib"]\n[dependencies]\npyo3 = "0.30"\n`;
const PYPROJECT = `[build-system]\nrequires = ["maturin>=1.6,<2.0"]\nbuild-backend = "maturin"\n[project]\nname = "setup"\nrequires-python = ">=3.9"\n`;
const LIB = '#[pymodule]\nfn setup(m: &Bound<PyModule>) {}\n';
/** The directory of the last project made by {@link facts}. */
let w = '';
const host = unwrap(resolveTarget('x64', { os: 'linux' }));

function facts(
  files: { cargo?: string; pyproject?: string | null; lib?: string } = {},
  overrides: Partial<PreflightFacts> = {},
): PreflightFacts {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'Cargo.toml'), files.cargo ?? CARGO);
  if (files.pyproject !== null) writeFileSync(path.join(dir, 'pyproject.toml'), files.pyproject ?? PYPROJECT);
  writeFileSync(path.join(dir, 'src', 'lib.rs'), files.lib ?? LIB);
  w = dir;
  return {
    project: readProject(dir, { workspace: dir }),
    interpreters: [{ label: '3.11', version: '3.11' }],
    target: host,
    installedTargets: ['x86_64-unknown-linux-gnu'],
    ...overrides,
  };
}

describe('preflight', () => {
  it('passes a healthy project', () => {
    expect(preflight(facts())).toEqual([]);
  });

  it('warns when crate-type lacks cdylib (maturin adds it, other tools do not)', () => {
    const [finding] = preflight(facts({ cargo: CARGO.replace('crate-type = ["cdylib"]', '') }));
    expect(finding).toMatchObject({ level: 'warning', file: path.join(w, 'Cargo.toml') });
    expect(finding!.message).toMatch(/^\[lib\] has no crate-type.*Add crate-type = \["cdylib"\]/);
  });

  it('does not ask a bin-bindings project for a cdylib', () => {
    const pyproject = `${PYPROJECT}[tool.maturin]\nbindings = "bin"\n`;
    expect(preflight(facts({ cargo: CARGO.replace('crate-type = ["cdylib"]', ''), pyproject }))).toEqual([]);
  });

  it('fails a crate with no #[pymodule] at all, at src/lib.rs, saying so (not that a name differs)', () => {
    const [finding, ...rest] = preflight(facts({ lib: '' }));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ level: 'error', file: path.join(w, 'src', 'lib.rs'), line: 1 });
    expect(finding!.message).toMatch(
      /^The crate defines no #\[pymodule\] \(none in lib\.rs or the other \.rs files beside it\), so the library exports no PyInit_setup and Python could not import it\. Add the module function to lib\.rs: #\[pymodule\] fn setup\(/,
    );
    // A #[pymodule] in another file of the library counts; one only in a comment does not.
    const elsewhere = facts({ lib: 'mod py;\n' });
    writeFileSync(path.join(w, 'src', 'py.rs'), '#[pymodule]\nfn setup(m: &Bound<PyModule>) {}\n');
    expect(preflight({ ...elsewhere, project: readProject(w, { workspace: w }) })).toEqual([]);
    expect(preflight(facts({ lib: '// #[pymodule]\n' }))[0]?.message).toMatch(
      /^The crate defines no #\[pymodule\]/,
    );
  });

  it('fails a #[pymodule] named unlike [lib] name, at its line', () => {
    const [finding] = preflight(facts({ lib: '\n\n#[pymodule]\nfn other(m: &Bound<PyModule>) {}' }));
    expect(finding).toMatchObject({ level: 'error', file: path.join(w, 'src', 'lib.rs'), line: 3 });
    expect(finding!.message).toContain(
      "The #[pymodule] is named 'other' but [lib] name in Cargo.toml makes the module 'setup'",
    );
    expect(finding!.message).toContain('PyInit_setup');
  });

  it('compares with the last part of module-name for mixed projects', () => {
    const pyproject = `${PYPROJECT}[tool.maturin]\nmodule-name = "mixed._core"\n`;
    expect(preflight(facts({ pyproject, lib: '#[pymodule]\nfn _core() {}' }))).toEqual([]);
    const [finding] = preflight(facts({ pyproject, lib: '#[pymodule]\nfn core() {}' }));
    expect(finding!.message).toContain(
      "[tool.maturin] module-name in pyproject.toml makes the module '_core'",
    );
  });

  it('fails a build backend other than maturin', () => {
    const [finding] = preflight(
      facts({ pyproject: PYPROJECT.replace('"maturin"\n[project]', '"setuptools.build_meta"\n[project]') }),
    );
    expect(finding!.message).toMatch(
      /^\[build-system\] has build-backend = "setuptools.build_meta".*Set build-backend = "maturin"/,
    );
  });

  it('fails when requires-python admits no interpreter, warns when it admits some', () => {
    const pyproject = PYPROJECT.replace('>=3.9', '>=3.10');
    const none = preflight(facts({ pyproject }, { interpreters: [{ label: '3.9', version: '3.9' }] }));
    expect(none[0]).toMatchObject({ level: 'error', file: path.join(w, 'pyproject.toml') });
    expect(none[0]!.message).toContain(
      'requires-python = ">=3.10" admits none of the interpreters to build for: 3.9 (3.9)',
    );
    const some = preflight(
      facts(
        { pyproject },
        {
          interpreters: [
            { label: '3.9', version: '3.9' },
            { label: '3.12', version: '3.12' },
          ],
        },
      ),
    );
    expect(some[0]).toMatchObject({ level: 'warning' });
    expect(some[0]!.message).toContain('excludes 3.9 (3.9)');
  });

  it('cannot judge interpreters of unknown version', () => {
    const pyproject = PYPROJECT.replace('>=3.9', '>=3.99');
    expect(
      preflight(facts({ pyproject }, { interpreters: [{ label: '/opt/py', version: undefined }] })),
    ).toEqual([]);
    expect(preflight(facts({ pyproject }, { interpreters: undefined }))).toEqual([]);
  });

  it('fails a target that is not installed, naming both halves of universal2', () => {
    const universal2 = unwrap(resolveTarget('universal2', { os: 'macos' }));
    const [finding] = preflight(
      facts({}, { target: universal2, installedTargets: ['aarch64-apple-darwin'] }),
    );
    expect(finding!.message).toContain(
      'The Rust target x86_64-apple-darwin is not installed (installed: aarch64-apple-darwin)',
    );
    expect(finding!.message).toContain('rustup target add x86_64-apple-darwin');
    expect(preflight(facts({}, { target: universal2, installedTargets: undefined }))).toEqual([]);
  });

  it('tells abi3 projects that one interpreter is enough', () => {
    const cargo = CARGO.replace('pyo3 = "0.30"', 'pyo3 = { version = "0.30", features = ["abi3-py39"] }');
    const [finding] = preflight(
      facts(
        { cargo },
        {
          interpreters: [
            { label: '3.9', version: '3.9' },
            { label: '3.13', version: '3.13' },
          ],
        },
      ),
    );
    expect(finding).toMatchObject({ level: 'warning' });
    expect(finding!.message).toContain('abi3');
  });

  it('counts only GIL-enabled interpreters for abi3: a free-threaded one gets its own wheel', () => {
    const cargo = CARGO.replace('pyo3 = "0.30"', 'pyo3 = { version = "0.30", features = ["abi3-py39"] }');
    const interpreters = (...labels: string[]) =>
      labels.map((label) => ({ label, version: pythonVersionOf(label) }));
    expect(
      preflight(facts({ cargo }, { interpreters: interpreters('3.10', '3.14t', 'python3.15t') })),
    ).toEqual([]);
    const [finding] = preflight(facts({ cargo }, { interpreters: interpreters('3.10', '3.12', '3.14t') }));
    expect(finding!.message).toContain('so one such interpreter is enough (got 3.10, 3.12)');
  });

  it('lists errors before warnings', () => {
    const findings = preflight(
      facts({ cargo: CARGO.replace('crate-type = ["cdylib"]', ''), lib: '#[pymodule]\nfn nope() {}' }),
    );
    expect(findings.map((f) => f.level)).toEqual(['error', 'warning']);
  });
});

describe('pythonVersionOf / admits', () => {
  it.each([
    ['3.9', '3.9'],
    ['3.13t', '3.13'],
    ['python3.12', '3.12'],
    ['pypy3.10', '3.10'],
    ['/usr/bin/python3', undefined],
  ])('%s → %s', (spec, version) => {
    expect(pythonVersionOf(spec)).toBe(version);
  });

  it('admits any patch release of X.Y', () => {
    expect(admits('>=3.9.1', '3.9')).toBe(true);
    expect(admits('<3.12', '3.12')).toBe(false);
    expect(admits('>=3.99', '3.11')).toBe(false);
    expect(admits('~=3.10', '3.13')).toBe(true);
  });
});

describe('readProject', () => {
  it('finds pyproject.toml in the working directory above a crate in a ..-named directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'build-project-'));
    mkdirSync(path.join(dir, '..rust', 'src'), { recursive: true });
    writeFileSync(path.join(dir, '..rust', 'Cargo.toml'), CARGO);
    writeFileSync(path.join(dir, '..rust', 'src', 'lib.rs'), '');
    writeFileSync(path.join(dir, 'pyproject.toml'), PYPROJECT);
    const project = readProject(dir, {
      workspace: dir,
      manifestPath: path.join(dir, '..rust', 'Cargo.toml'),
    });
    expect(project.pyprojectToml).toBe(path.join(dir, 'pyproject.toml'));
  });

  const crate = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'build-project-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      if (name.endsWith('/')) mkdirSync(path.join(dir, name), { recursive: true });
      else writeFileSync(path.join(dir, name), text);
    }
    return dir;
  };

  it('refuses a [lib] path outside the crate', () => {
    const dir = crate({
      'Cargo.toml': `${CARGO.replace('[lib]', '[lib]\npath = "../shared/lib.rs"')}`,
      'pyproject.toml': PYPROJECT,
    });
    expect(() => readProject(dir, { workspace: dir })).toThrow(
      `${path.join(dir, 'Cargo.toml')}: [lib] path = "../shared/lib.rs" points outside the crate (${dir}). Move the library source into the crate directory`,
    );
  });

  it('refuses a crate without its library source, but not a bin-bindings crate', () => {
    const dir = crate({ 'Cargo.toml': CARGO, 'pyproject.toml': PYPROJECT });
    expect(() => readProject(dir, { workspace: dir })).toThrow(
      `${path.join(dir, 'Cargo.toml')}: the crate has no library source: ${path.join(dir, 'src', 'lib.rs')} does not exist. Create src/lib.rs with the #[pymodule]`,
    );
    const bin = crate({
      'Cargo.toml': '[package]\nname = "tool"\nversion = "0.1.0"\n',
      'src/main.rs': 'fn main() {}',
      'pyproject.toml': `${PYPROJECT}[tool.maturin]\nbindings = "bin"\n`,
    });
    expect(readProject(bin, { workspace: bin }).libSource).toBeUndefined();
  });

  it('reads the crate [tool.maturin] manifest-path names, and says when it is missing', () => {
    const dir = crate({
      'pyproject.toml': `${PYPROJECT}[tool.maturin]\nmanifest-path = "rust/Cargo.toml"\n`,
      'rust/Cargo.toml': CARGO,
      'rust/src/lib.rs': LIB,
    });
    const project = readProject(dir, { workspace: dir });
    expect(project.cargoToml).toBe(path.join(dir, 'rust', 'Cargo.toml'));
    expect(project.libSource?.file).toBe(path.join(dir, 'rust', 'src', 'lib.rs'));
    expect(project.pyprojectToml).toBe(path.join(dir, 'pyproject.toml'));
    const missing = crate({
      'pyproject.toml': `${PYPROJECT}[tool.maturin]\nmanifest-path = "rust/Cargo.toml"\n`,
    });
    expect(() => readProject(missing, { workspace: missing })).toThrow(
      `${path.join(missing, 'pyproject.toml')}: [tool.maturin] manifest-path = "rust/Cargo.toml" names ${path.join(missing, 'rust', 'Cargo.toml')}, which does not exist. Point manifest-path at the crate's Cargo.toml`,
    );
  });

  it('refuses a library source that leads out of the workspace through a link', () => {
    const outside = crate({ 'lib.rs': LIB });
    const dir = crate({ 'Cargo.toml': CARGO, 'pyproject.toml': PYPROJECT, 'src/': '' });
    symlinkSync(path.join(outside, 'lib.rs'), path.join(dir, 'src', 'lib.rs'));
    expect(() => readProject(dir, { workspace: dir })).toThrow(
      `${path.join(dir, 'Cargo.toml')}: src/lib.rs (the default [lib] path) leads outside the workspace (${dir}) through a symbolic link, to ${path.join(outside, 'lib.rs')}. Keep the library source in the repository`,
    );
  });

  it('names a library source that is not UTF-8: the byte, its line and column, and the fix', () => {
    const dir = crate({ 'Cargo.toml': CARGO, 'pyproject.toml': PYPROJECT, 'src/': '' });
    writeFileSync(
      path.join(dir, 'src', 'lib.rs'),
      Buffer.from('use pyo3::prelude::*;\n// caf\xe9\n', 'latin1'),
    );
    expect(() => readProject(dir, { workspace: dir })).toThrow(
      `${path.join(dir, 'src', 'lib.rs')}: is not UTF-8 (byte 0xE9 at line 2, column 7), and rustc reads only UTF-8 source files. Save it as UTF-8`,
    );
  });

  it('names a pyproject.toml that is a directory', () => {
    const dir = crate({ 'Cargo.toml': CARGO, 'src/lib.rs': '', 'pyproject.toml/': '' });
    expect(() => readProject(dir, { workspace: dir })).toThrow(
      `${path.join(dir, 'pyproject.toml')}: is a directory, not a file.`,
    );
  });
});
