import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ruffCheck } from '@ferrowheel/harness/script-lint';
import { tool } from '@ferrowheel/harness/workdirs';
import { UserError } from '@ferrowheel/kit/errors';
import { describe, expect, it } from '@jest/globals';
import {
  checkImports,
  claimsExtension,
  diagnoseImportError,
  importCheckScript,
  missingModuleError,
} from '../src/import-check.js';

describe('import-check.py', () => {
  it('passes ruff check and ruff format', () => {
    expect(() => ruffCheck(importCheckScript())).not.toThrow();
  });

  it('imports each module named in argv from the working directory, never from beside itself', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'import-check-'));
    writeFileSync(path.join(cwd, 'here.py'), '');
    const out = execFileSync(
      tool('python'),
      [importCheckScript(), 'json', 'here', 'facts', 'no_such_module'],
      {
        cwd,
        encoding: 'utf8',
      },
    );
    const results = JSON.parse(out.trim()) as { module: string; ok: boolean; error?: string }[];
    expect(results.map((r) => [r.module, r.ok])).toEqual([
      ['json', true],
      ['here', true],
      // facts.py ships beside it (in dist/, and here in src/): not importable as `facts`.
      ['facts', false],
      ['no_such_module', false],
    ]);
    expect(results[3]!.error).toBe("ModuleNotFoundError: No module named 'no_such_module'");
  });
});

const wheel = 'setup-0.1.0-cp312-cp312-win_amd64.whl';
const modules = [{ entry: 'setup/setup.cp312-win_amd64.pyd', module: 'setup.setup' }];
const venv = 'D:\\a\\_temp\\ferrowheel-test-x\\1-setup\\venv';

function failure(fn: () => void): string {
  try {
    fn();
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(UserError);
    return (thrown as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('checkImports', () => {
  it('accepts a module loaded from the venv that exports PyInit (Windows paths, any case)', () => {
    const file =
      'd:\\a\\_temp\\ferrowheel-test-x\\1-setup\\venv\\Lib\\site-packages\\setup\\setup.cp312-win_amd64.pyd';
    expect(() =>
      checkImports(wheel, modules, [{ module: 'setup.setup', ok: true, file, entry: true }], { venv }),
    ).not.toThrow();
  });

  it('explains an import failure with the known fix', () => {
    const message = failure(() =>
      checkImports(
        wheel,
        modules,
        [
          {
            module: 'setup.setup',
            ok: false,
            error: 'ImportError: dynamic module does not define module export function (PyInit_setup)',
          },
        ],
        { venv },
      ),
    );
    expect(message).toBe(
      `${wheel}: the extension module 'setup.setup' (setup/setup.cp312-win_amd64.pyd) does not import: ImportError: dynamic module does not define module export function (PyInit_setup). ` +
        "The library's #[pymodule] function is not named 'setup'. Rename it to match [lib] name in Cargo.toml (or tool.maturin module-name), or set #[pyo3(name = \"setup\")].",
    );
  });

  it('catches a module shadowed from outside the venv, and a missing PyInit export', () => {
    expect(
      failure(() =>
        checkImports(
          wheel,
          modules,
          [{ module: 'setup.setup', ok: true, file: 'D:\\a\\repo\\setup\\setup.pyd', entry: true }],
          {
            venv,
          },
        ),
      ),
    ).toMatch(
      /loaded D:\\a\\repo\\setup\\setup\.pyd, not the installed wheel's .* Something on sys\.path shadows the wheel/,
    );
    expect(
      failure(() =>
        checkImports(
          wheel,
          modules,
          [{ module: 'setup.setup', ok: true, file: `${venv}\\Lib\\setup.pyd`, entry: false }],
          { venv },
        ),
      ),
    ).toBe(
      `${wheel}: setup/setup.cp312-win_amd64.pyd imports but exports neither PyInit_setup nor PyModExport_setup. Name the #[pymodule] function 'setup' to match [lib] name in Cargo.toml.`,
    );
  });
});

describe('diagnoseImportError', () => {
  it('recognises missing libraries on every OS', () => {
    for (const error of [
      'ImportError: libfoo.so.1: cannot open shared object file',
      'ImportError: dlopen(x.so): Library not loaded: @rpath/libfoo.dylib',
      'ImportError: DLL load failed while importing setup',
      'ImportError: x.so: undefined symbol: PyFoo',
    ]) {
      expect(diagnoseImportError('setup', error)).toMatch(/links against a library that is missing/);
    }
    expect(diagnoseImportError('setup', 'ValueError: boom')).toBe(
      'Fix the error above, then rebuild the wheel.',
    );
  });
});

describe('claimsExtension and missingModuleError', () => {
  it('expects an extension in cpXY, abi3 and free-threaded wheels, not in py3-none ones', () => {
    expect(claimsExtension('setup-0.1.0-cp312-cp312-manylinux_2_17_x86_64.whl')).toBe(true);
    expect(claimsExtension('setup-0.1.0-cp39-abi3-macosx_11_0_arm64.whl')).toBe(true);
    expect(claimsExtension('setup-0.1.0-cp313-cp313t-win_amd64.whl')).toBe(true);
    expect(claimsExtension('tool-0.1.0-py3-none-manylinux_2_17_x86_64.whl')).toBe(false);
    expect(claimsExtension('helper-1.0-py3-none-any.whl')).toBe(false);
  });

  it('says whether anything imported', () => {
    expect(missingModuleError(wheel, ['setup', 'extra']).message).toMatch(
      /holds no extension module \(no \.so or \.pyd file\): it installs, and 'import setup', 'import extra' works/,
    );
    expect(missingModuleError(wheel, []).message).toMatch(
      /it installs no importable module at all\. The Rust library/,
    );
  });
});
