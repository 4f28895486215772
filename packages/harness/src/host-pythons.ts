/**
 * The CPythons of this machine, for tests that build and test a wheel per version: a real
 * interpreter per `3.X`, or an error that says which one is missing and how to get it. Looked for
 * where a machine keeps them: pyenv's versions (this workplace's machines hold 3.10–3.13 there, only
 * one of them on PATH; pyenv's shims on PATH answer for the global version only), then `python3.X`
 * on PATH (GitHub's runner, after setup-python, as this repository's ci.yml does).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathKind } from '@ferrowheel/kit/files';

export interface HostPython {
  /** `3.12` */
  version: string;
  /** The executable. */
  path: string;
  /** Its directory, to put first on PATH so that `python3.12` (as maturin's -i) finds it. */
  binDir: string;
}

function pyenvRoot(): string {
  return process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
}

/** `Python 3.12.1` → true when the program runs and is CPython 3.X. */
function runsAs(program: string, version: string): boolean {
  try {
    const out = execFileSync(program, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim().startsWith(`Python ${version}.`);
  } catch {
    return false;
  }
}

function fromPyenv(version: string): string | undefined {
  const versions = path.join(pyenvRoot(), 'versions');
  let names: string[];
  try {
    names = readdirSync(versions);
  } catch {
    return undefined;
  }
  // The newest patch release of 3.X (`3.12.1`), not a free-threaded or virtualenv entry.
  const matching = names
    .filter((n) => new RegExp(`^${version.replace('.', '\\.')}\\.\\d+$`).test(n))
    .sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]));
  for (const name of matching) {
    const exe = path.join(versions, name, 'bin', `python${version}`);
    if (pathKind(exe) === 'file' && runsAs(exe, version)) return exe;
  }
  return undefined;
}

/** The first `python3.X` on PATH that really is CPython 3.X (a pyenv shim may not be). */
function fromPath(version: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, `python${version}`))
    .find((exe) => pathKind(exe) === 'file' && runsAs(exe, version));
}

/** CPython `3.X` of this machine, or undefined when it has none. */
export function findHostPython(version: string): HostPython | undefined {
  const found = fromPyenv(version) ?? fromPath(version);
  return found === undefined ? undefined : { version, path: found, binDir: path.dirname(found) };
}

/** CPython `3.X` of this machine, or an Error naming what is missing and how to install it. */
export function hostPython(version: string): HostPython {
  const found = findHostPython(version);
  if (found === undefined) {
    throw new Error(
      `CPython ${version} is not on this machine: none under ${path.join(pyenvRoot(), 'versions')} and no working python${version} on PATH. Install it (pyenv install ${version}, or actions/setup-python on a GitHub runner) and run the tests again.`,
    );
  }
  return found;
}

/** PATH with each interpreter's directory first, as setup-python leaves it. */
export function pathWith(pythons: readonly HostPython[], base = process.env.PATH ?? ''): string {
  return [...new Set(pythons.map((p) => p.binDir)), base].join(path.delimiter);
}
