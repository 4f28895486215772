/**
 * The tests run in the checkout (see test-tree.ts), so `import <package>` must still find the
 * installed wheel, never the package's Python sources beside the tests: wheel_first.py, a real
 * Python file shipped next to the bundle, is run once with the test venv's Python and the wheel's
 * top-level import names; it installs a `.pth` hook into the venv's site-packages that makes those
 * names resolve in site-packages only, whatever pytest or `python -m` put on sys.path first.
 */
import type { Exec } from '@ferrowheel/kit/exec';
import { shippedFile } from '@ferrowheel/kit/files';
import { type Os, venvPython } from '@ferrowheel/kit/platform';
import { topLevelNames } from '@ferrowheel/kit/wheel-contents';
import { zipEntryNames } from '@ferrowheel/kit/zip';

/** wheel_first.py: next to this module in the sources, next to the bundle in dist/. */
export function wheelFirstScript(): string {
  return shippedFile(new URL('./wheel_first.py', import.meta.url));
}

/**
 * Installs the hook for the wheel's top-level names into the venv; returns the names. `script` is
 * wheel_first.py where `exec` runs (a container reads a copy of it).
 */
export async function installWheelFirst(
  options: { os: Os; venv: string; wheel: { path: string }; script?: string },
  exec: Exec,
): Promise<string[]> {
  const names = topLevelNames(zipEntryNames(options.wheel.path));
  if (names.length === 0) return names;
  const script = options.script ?? wheelFirstScript();
  await exec(venvPython(options.os, options.venv), [script, ...names], { silent: true });
  return names;
}
