/**
 * The CPythons of this machine, for the tests and scripts/matrix, in one place:
 * - `hostPython()`: the `python3` on PATH — the one interpreter every machine the tests run on is
 *   sure to have, and the one builds use by default: 3.11 on this Debian, 3.12 on GitHub's
 *   ubuntu-latest. Tests that name a version, a wheel tag or a job named after the version take it
 *   from here rather than writing one down.
 * - `hostPythonOf('3.12')`: a real interpreter per `3.X`, for tests that build and test a wheel
 *   per version, or an error that says which one is missing and how to get it. Looked for where a
 *   machine keeps them: pyenv's versions (this workplace's machines hold 3.10–3.13 there, only one
 *   of them on PATH; pyenv's shims on PATH answer for the global version only), then `python3.X`
 *   on PATH (GitHub's runner, after setup-python, as this repository's ci.yml does).
 * - the host's glibc, and whether a manylinux wheel installs with it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathKind } from '@ferrowheel/kit/files';

/** A CPython minor version. */
export interface PythonVersion {
  /** `3.12` */
  version: string;
  /** The wheel tag of its ABI: `cp312`. */
  tag: string;
}

/** An interpreter of this machine. */
export interface HostPython extends PythonVersion {
  /** The executable. */
  path: string;
  /** Its directory, to put first on PATH so that `python3.12` (as maturin's -i) finds it. */
  binDir: string;
}

/** `Python 3.12.1` → `3.12`: the CPython 3 minor `program --version` says, or undefined. */
function cpythonVersion(program: string): string | undefined {
  try {
    const said = execFileSync(program, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return /^Python (3\.\d+)\./.exec(said.trim())?.[1];
  } catch {
    return undefined;
  }
}

/** `3.12` → its version and wheel tag (`cp312`). */
export function pythonVersion(version: string): PythonVersion {
  return { version, tag: `cp${version.replace('.', '')}` };
}

let onPath: PythonVersion | undefined;

/** The `python3` on PATH, asked once. */
export function hostPython(): PythonVersion {
  if (onPath) return onPath;
  const version = cpythonVersion('python3');
  if (version === undefined)
    throw new Error('python3 on PATH does not run as a CPython 3 (python3 --version).');
  onPath = pythonVersion(version);
  return onPath;
}

function pyenvRoot(): string {
  return process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
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
    if (pathKind(exe) === 'file' && cpythonVersion(exe) === version) return exe;
  }
  return undefined;
}

/** The first `python3.X` on PATH that really is CPython 3.X (a pyenv shim may not be). */
function fromPath(version: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, `python${version}`))
    .find((exe) => pathKind(exe) === 'file' && cpythonVersion(exe) === version);
}

/** CPython `3.X` of this machine, or undefined when it has none. */
export function findHostPython(version: string): HostPython | undefined {
  const found = fromPyenv(version) ?? fromPath(version);
  return found === undefined
    ? undefined
    : { ...pythonVersion(version), path: found, binDir: path.dirname(found) };
}

/** CPython `3.X` of this machine, or an Error naming what is missing and how to install it. */
export function hostPythonOf(version: string): HostPython {
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

/** The host's glibc (`2.36`), from node's own report. */
export function hostGlibc(): string | undefined {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
    ?.header;
  return header?.glibcVersionRuntime;
}

/** Whether a wheel's manylinux tags (`manylinux_2_34_x86_64`) install with a glibc (`2.36`). */
export function installsOnHost(platformTags: string[], glibc: string | undefined): boolean {
  if (glibc === undefined) return false;
  const [major, minor] = glibc.split('.').map(Number);
  return platformTags.some((tag) => {
    const m = /^manylinux_(\d+)_(\d+)_/.exec(tag);
    return m !== null && (Number(m[1]) < major! || (Number(m[1]) === major && Number(m[2]) <= minor!));
  });
}
