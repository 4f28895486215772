/**
 * The runner platforms ferrowheel supports, as data: OS and architecture names, executable
 * suffixes, virtual-environment layout. Each function takes the platform explicitly so that
 * macOS and Windows behaviour is unit-tested on Linux.
 */
import path from 'node:path';

export type Os = 'linux' | 'macos' | 'windows';
export type Arch = 'x86_64' | 'aarch64' | 'i686' | 'armv7' | 'ppc64le' | 's390x' | 'riscv64';

export interface Platform {
  os: Os;
  arch: Arch;
}

const NODE_PLATFORMS: Record<string, Os> = { linux: 'linux', darwin: 'macos', win32: 'windows' };
const NODE_ARCHS: Record<string, Arch> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'i686',
  arm: 'armv7',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** The platform this process runs on; throws for one no runner has. */
export function currentPlatform(
  nodePlatform: string = process.platform,
  nodeArch: string = process.arch,
): Platform {
  const os = NODE_PLATFORMS[nodePlatform];
  const arch = NODE_ARCHS[nodeArch];
  if (os === undefined || arch === undefined) {
    throw new Error(
      `Unsupported runner platform ${nodePlatform}/${nodeArch}: ferrowheel runs on Linux, macOS and Windows.`,
    );
  }
  return { os, arch };
}

/** `.exe` on Windows, empty elsewhere. */
export function exeSuffix(os: Os): string {
  return os === 'windows' ? '.exe' : '';
}

/** A program's file name on the OS: `maturin` → `maturin.exe` on Windows. */
export function exeName(os: Os, name: string): string {
  return `${name}${exeSuffix(os)}`;
}

/** The path module matching the OS, so Windows paths are built right when tested on Linux. */
export function pathFor(os: Os): path.PlatformPath {
  return os === 'windows' ? path.win32 : path.posix;
}

/** Directory of a venv's executables: `Scripts` on Windows, `bin` elsewhere. */
export function venvBinDir(os: Os, venv: string): string {
  return pathFor(os).join(venv, os === 'windows' ? 'Scripts' : 'bin');
}

/** A venv's Python: `Scripts\python.exe` on Windows, `bin/python` elsewhere. */
export function venvPython(os: Os, venv: string): string {
  return pathFor(os).join(venvBinDir(os, venv), exeName(os, 'python'));
}

/** The separator of PATH-like variables. */
export function pathListSeparator(os: Os): string {
  return os === 'windows' ? ';' : ':';
}

/** The file suffix of a Python extension module on the OS (`.pyd` on Windows, `.so` elsewhere). */
export function extensionModuleSuffix(os: Os): string {
  return os === 'windows' ? '.pyd' : '.so';
}

/** The default Python launcher name: `python` on Windows (where `python3` is rarely present). */
export function defaultPythonCommand(os: Os): string {
  return os === 'windows' ? 'python' : 'python3';
}

/**
 * The Python 3 minor versions a wheel can be built or tested for: 3.7 (the oldest PyO3 and
 * maturin ever supported) up to the one in development (3.16 in late 2026). Raise `newest`
 * once a year, with the October release.
 */
export const PYTHON_MINORS = { oldest: 7, newest: 16 } as const;

/** Undefined for `3.X` with X in {@link PYTHON_MINORS}; else the problem, for an input error. */
export function checkPythonMinor(version: string): string | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (!match) return `is not a Python version`;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major === 3 && minor >= PYTHON_MINORS.oldest && minor <= PYTHON_MINORS.newest) return undefined;
  return `names Python ${version}, which does not exist (3.${PYTHON_MINORS.oldest} to 3.${PYTHON_MINORS.newest} do)`;
}
