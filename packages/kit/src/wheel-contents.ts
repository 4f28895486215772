/**
 * What a wheel installs, from its file list (see `zipEntryNames` in ./zip.ts): its extension
 * modules (`setup.cpython-311-x86_64-linux-gnu.so` → `setup`, `pkg/_core.cp312-win_amd64.pyd` →
 * `pkg._core`) and top-level import names. A pyo3 wheel without its extension module installs
 * fine and then fails at import, so build and test both look for it.
 */
import { extensionModuleSuffix, type Os } from './platform.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The path an entry installs to, relative to site-packages, or undefined for metadata/scripts. */
function installedPath(entry: string): string | undefined {
  if (entry.endsWith('/')) return undefined;
  const [first, ...rest] = entry.split('/');
  if (first === undefined || first.endsWith('.dist-info')) return undefined;
  if (first.endsWith('.data')) {
    const [scheme, ...inside] = rest;
    return scheme === 'purelib' || scheme === 'platlib' ? inside.join('/') : undefined;
  }
  return entry;
}

export interface ExtensionModule {
  /** The entry in the wheel. */
  entry: string;
  /** The dotted import name: `setup`, `pkg._core`. */
  module: string;
}

/**
 * The extension modules among a wheel's entries: `.so`/`.pyd` files that Python imports, not the
 * shared libraries auditwheel/delocate/delvewheel vendor into `*.libs`/`.dylibs` directories.
 */
export function extensionModules(entries: readonly string[]): ExtensionModule[] {
  const modules: ExtensionModule[] = [];
  for (const entry of entries) {
    const installed = installedPath(entry);
    if (!installed || !/\.(so|pyd)$/.test(installed)) continue;
    const parts = installed.split('/');
    const file = parts.pop()!;
    if (parts.some((dir) => dir.endsWith('.libs') || dir === '.dylibs')) continue;
    const name = file.split('.')[0]!;
    if (!IDENTIFIER.test(name)) continue;
    modules.push({ entry, module: [...parts, name].join('.') });
  }
  return modules;
}

/**
 * The entry that is the extension module `moduleName` (the last segment of the module path) with
 * the suffix the OS loads (`.so` on Linux/macOS, `.pyd` on Windows), e.g.
 * `mixed/_core.cpython-311-x86_64-linux-gnu.so`, `setup.cp312-win_amd64.pyd`, `abi3.abi3.so`;
 * undefined when the wheel has none.
 */
export function findExtensionModule(
  entries: readonly string[],
  moduleName: string,
  os: Os,
): string | undefined {
  const suffix = extensionModuleSuffix(os);
  return extensionModules(entries).find(
    (m) => m.module.split('.').at(-1) === moduleName && m.entry.endsWith(suffix),
  )?.entry;
}

/** The top-level import names a wheel installs (`setup`, `pkg`), from its file list. */
export function topLevelNames(entries: readonly string[]): string[] {
  const names = new Set<string>();
  for (const entry of entries) {
    const installed = installedPath(entry);
    if (!installed) continue;
    const first = installed.split('/')[0]!;
    const name = installed.includes('/') ? first : first.split('.')[0]!;
    if (IDENTIFIER.test(name) && (installed.includes('/') || /\.(py|so|pyd)$/.test(first))) {
      names.add(name);
    }
  }
  return [...names].sort();
}
