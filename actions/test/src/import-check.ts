/**
 * The import smoke test, before any test runs: every extension module the wheel ships imports
 * in the test venv, from the installed files (not the source tree), and its shared library
 * exports the `PyInit_<name>` entry point Python looks for. Failures carry the known fixes.
 */
import * as core from '@actions/core';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { shippedFile } from '@ferrowheel/kit/files';
import { logText } from '@ferrowheel/kit/log-text';
import { type Os, venvPython } from '@ferrowheel/kit/platform';
import { parseWheelFilename } from '@ferrowheel/kit/wheel';
import { type ExtensionModule, extensionModules, topLevelNames } from '@ferrowheel/kit/wheel-contents';
import { zipEntryNames } from '@ferrowheel/kit/zip';

/**
 * The check the venv's Python runs with the module names as argv (import-check.py, a real file
 * linted by ruff, shipped beside the bundle); it prints one JSON line.
 */
export function importCheckScript(): string {
  return shippedFile(new URL('./import-check.py', import.meta.url));
}

export interface ImportResult {
  module: string;
  ok: boolean;
  file?: string | null;
  /**
   * Whether the library exports PyInit_<name> or PyModExport_<name> (PEP 793: an abi3t module's
   * from 3.15); null when ctypes could not open it.
   */
  entry?: boolean | null;
  /** The entry point found. */
  entry_symbol?: string;
  error?: string;
}

/** The fix for an import error, when it is one of the known ones. */
export function diagnoseImportError(module: string, error: string): string {
  const short = module.split('.').at(-1)!;
  if (/does not define module export function|PyInit_/.test(error)) {
    return (
      `The library's #[pymodule] function is not named '${short}'. Rename it to match ` +
      `[lib] name in Cargo.toml (or tool.maturin module-name), or set #[pyo3(name = "${short}")].`
    );
  }
  if (
    /undefined symbol|Symbol not found|cannot open shared object|Library not loaded|DLL load failed/.test(
      error,
    )
  ) {
    return (
      'The extension links against a library that is missing at run time, or was built for another ' +
      'Python. Build with the pyo3/extension-module feature and repair the wheel (auditwheel/delocate/delvewheel, which maturin runs by default).'
    );
  }
  return 'Fix the error above, then rebuild the wheel.';
}

/**
 * Checks the import results of a wheel's extension modules; throws a UserError that names the
 * module, the problem and the fix. The module must load from inside `venv`.
 */
export function checkImports(
  wheel: string,
  modules: readonly ExtensionModule[],
  results: readonly ImportResult[],
  options: { venv: string },
): void {
  for (const module of modules) {
    const result = results.find((r) => r.module === module.module);
    if (!result) throw new Error(`import check printed no result for ${module.module}`);
    if (!result.ok) {
      throw new UserError(
        `${wheel}: the extension module '${module.module}' (${module.entry}) does not import: ${result.error}. ` +
          diagnoseImportError(module.module, result.error ?? ''),
      );
    }
    const file = (result.file ?? '').replace(/\\/g, '/');
    const venv = options.venv.replace(/\\/g, '/');
    if (!file.toLowerCase().startsWith(venv.toLowerCase())) {
      throw new UserError(
        `${wheel}: 'import ${module.module}' loaded ${result.file ?? 'a module without a file'}, not the installed wheel's ${module.entry}. ` +
          'Something on sys.path shadows the wheel (a PYTHONPATH entry or a .pth file); remove it.',
      );
    }
    if (result.entry === false) {
      const short = module.module.split('.').at(-1)!;
      throw new UserError(
        `${wheel}: ${module.entry} imports but exports neither PyInit_${short} nor PyModExport_${short}. ` +
          `Name the #[pymodule] function '${short}' to match [lib] name in Cargo.toml.`,
      );
    }
  }
}

/**
 * Whether a wheel's tags say it carries an extension module: an ABI tag other than `none`
 * (`cp312`, `abi3`, `cp313t`). A `py3-none-*` wheel (pure Python, or maturin's `bin` bindings)
 * legitimately has none.
 */
export function claimsExtension(filename: string): boolean {
  const wheel = parseWheelFilename(filename);
  return !wheel.ok || wheel.value.abiTags.some((tag) => tag !== 'none');
}

/** The error for a wheel that has no extension module at all. */
export function missingModuleError(wheel: string, imported: readonly string[]): UserError {
  const what =
    imported.length > 0
      ? `it installs, and 'import ${imported.join("', 'import ")}' works, but that is Python code only`
      : 'it installs no importable module at all';
  return new UserError(
    `${wheel} holds no extension module (no .so or .pyd file): ${what}. ` +
      'The Rust library was not packaged: set crate-type = ["cdylib"] under [lib] in Cargo.toml, ' +
      'and for a mixed Rust/Python project point tool.maturin module-name at the package (e.g. "mypkg._core").',
  );
}

/**
 * The import check of one installed wheel, run from `cwd` (outside the source tree): each of its
 * extension modules imports from the venv and exports PyInit_<name>.
 */
export async function importCheckWheel(
  options: {
    os: Os;
    venv: string;
    cwd: string;
    wheel: { path: string; filename: string };
    /** import-check.py as the venv's Python sees it (a copy, in a container); default the shipped file. */
    script?: string;
  },
  exec: Exec,
): Promise<void> {
  const { wheel, venv } = options;
  const entries = zipEntryNames(wheel.path);
  const modules = extensionModules(entries);
  const importAll = async (names: string[]): Promise<ImportResult[]> => {
    const { stdout } = await exec(
      venvPython(options.os, venv),
      [options.script ?? importCheckScript(), ...names],
      {
        cwd: options.cwd,
        silent: true,
      },
    );
    return JSON.parse(stdout.trim().split(/\r?\n/).at(-1) ?? '[]') as ImportResult[];
  };
  if (modules.length === 0) {
    if (!claimsExtension(wheel.filename)) {
      core.info(
        logText`${wheel.filename} has no extension module and claims none (ABI tag 'none'): nothing to import-check.`,
      );
      return;
    }
    const names = topLevelNames(entries);
    const imported =
      names.length > 0 ? (await importAll(names)).filter((r) => r.ok).map((r) => r.module) : [];
    throw missingModuleError(wheel.filename, imported);
  }
  const results = await importAll(modules.map((m) => m.module));
  checkImports(wheel.filename, modules, results, { venv });
  for (const r of results) {
    const symbol = r.entry_symbol ?? `PyInit_${r.module.split('.').at(-1)}`;
    core.info(logText`import ${r.module}: ok (${r.file}), ${symbol} exported`);
  }
}
