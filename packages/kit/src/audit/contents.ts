/**
 * The audit's own checks of what a wheel holds: only expected top-level entries, and every
 * extension module exporting the init function Python calls to import it (read from the binary
 * itself, ELF, Mach-O or PE: binary/exports.ts).
 */
import { binaryExports } from '../binary/exports.js';
import { normaliseName, type WheelName } from '../wheel.js';
import { extensionModules } from '../wheel-contents.js';
import { readZipEntry, type ZipEntry } from '../zip.js';
import { type Finding, RULES } from './rules.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The distribution name as an import name: `my-pkg` → `my_pkg`. */
function asImportName(name: string): string {
  return normaliseName(name).replace(/-/g, '_');
}

/**
 * The top-level names a wheel may install: its distribution name as an import name, the packages
 * its extension modules live in (or the modules themselves), and any the project declares
 * (`[tool.maturin] module-name`, `python-packages`).
 */
export function expectedPackages(
  wheel: WheelName,
  entries: readonly string[],
  declared: readonly string[] = [],
) {
  const names = new Set([asImportName(wheel.name), ...declared]);
  for (const module of extensionModules(entries)) names.add(module.module.split('.')[0]!);
  return names;
}

/** Why a top-level entry is expected, or undefined when it is not. */
function expected(top: string, isDir: boolean, wheel: WheelName, packages: ReadonlySet<string>): boolean {
  const dist = asImportName(wheel.name);
  const suffix = /^(.+?)(-[^-]+)?\.(dist-info|data)$/.exec(top);
  if (isDir && suffix) return asImportName(suffix[1]!) === dist;
  if (isDir && top.endsWith('.libs')) return asImportName(top.slice(0, -'.libs'.length)) === dist;
  if (!isDir && top.endsWith('.pth')) return true;
  // A package directory, or a module file (`name.py`, `name.pyi`, `name.cpython-312-x86_64-linux-gnu.so`).
  const stem = isDir ? top : top.split('.')[0]!;
  if (!IDENTIFIER.test(stem) || !packages.has(stem)) return false;
  return isDir || /\.(py|pyi|so|pyd)$/.test(top);
}

/** top-level: entries outside the package, its modules, .dist-info, .data, .libs and .pth files. */
export function topLevelFindings(
  wheel: WheelName,
  entries: readonly string[],
  declared: readonly string[] = [],
) {
  const packages = expectedPackages(wheel, entries, declared);
  const unexpected = new Set<string>();
  for (const entry of entries) {
    const [top, ...rest] = entry.split('/');
    if (!top) continue;
    const isDir = rest.length > 0;
    if (!expected(top, isDir, wheel, packages)) unexpected.add(isDir ? `${top}/` : top);
  }
  if (unexpected.size === 0) return [];
  const list = [...unexpected].sort();
  const finding: Finding = {
    wheel: wheel.filename,
    rule: 'top-level',
    problem: `installs ${list.length} unexpected top-level entr${list.length === 1 ? 'y' : 'ies'} into site-packages: ${list.join(', ')} (expected: ${[...packages].sort().join(', ')}, the .dist-info, .data and .libs directories, .pth files)`,
    fix: RULES['top-level'].fix,
    severity: 'error',
  };
  return [finding];
}

/** PEP 793's `PyModExport_<m>` replaces PyInit only on Pythons from 3.15. */
function modExportSuffices(wheel: WheelName): boolean {
  return wheel.pythonTags.every((tag) => {
    const match = /^cp3(\d+)$/.exec(tag);
    return match !== null && Number(match[1]) >= 15;
  });
}

/** pyinit-export: each extension module exports `PyInit_<its last name part>`, in every slice. */
export function pyinitFindings(
  wheel: WheelName,
  source: string | Buffer,
  entries: readonly ZipEntry[],
): Finding[] {
  const findings: Finding[] = [];
  for (const module of extensionModules(entries.map((e) => e.name))) {
    const name = module.module.split('.').at(-1)!;
    const entry = entries.find((e) => e.name === module.entry)!;
    const read = binaryExports(readZipEntry(source, entry));
    const problem = !read.ok
      ? `${module.entry} ${read.problem}, so Python cannot import it as ${module.module}`
      : read.value.slices
          .filter(
            (slice) =>
              !slice.exports.has(`PyInit_${name}`) &&
              !(modExportSuffices(wheel) && slice.exports.has(`PyModExport_${name}`)),
          )
          .map((slice) => {
            const inits = [...slice.exports].filter((n) => n.startsWith('PyInit_')).sort();
            return `${module.entry} (${read.value.format}, ${slice.arch}) does not export PyInit_${name}${
              inits.length > 0 ? ` (it exports ${inits.join(', ')})` : ''
            }, so \`import ${module.module}\` fails`;
          })
          .join('; ');
    if (problem)
      findings.push({
        wheel: wheel.filename,
        rule: 'pyinit-export',
        problem,
        fix: RULES['pyinit-export'].fix,
        severity: 'error',
      });
  }
  return findings;
}
