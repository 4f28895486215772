/**
 * The two installers, uv and pip, as argv: creating the test venv and installing into it. uv is
 * preferred when on PATH (`installer: auto`): it resolves and installs several times faster
 * (see scripts/bench/test-install.mjs). Paths follow the OS (Scripts\python.exe on Windows).
 */
import { UserError } from '@ferrowheel/kit/errors';
import { exeName, type Os, pathFor, venvBinDir, venvPython } from '@ferrowheel/kit/platform';

export type InstallerKind = 'uv' | 'pip';

export interface Installer {
  kind: InstallerKind;
  /** The uv executable, for kind 'uv'. */
  uv?: string;
}

export interface Command {
  program: string;
  args: string[];
}

/** The installer for an `installer` input, given where uv is (undefined when not on PATH). */
export function chooseInstaller(choice: 'auto' | 'uv' | 'pip', uvPath: string | undefined): Installer {
  if (choice === 'pip') return { kind: 'pip' };
  if (uvPath) return { kind: 'uv', uv: uvPath };
  if (choice === 'uv') {
    throw new UserError(
      "Input 'installer' is 'uv', but uv is not on PATH. Install it first (astral-sh/setup-uv), or set 'installer' to 'auto' or 'pip'.",
    );
  }
  return { kind: 'pip' };
}

/** Creates a venv at `venv` for the interpreter `python` (an executable path). */
export function venvCommand(installer: Installer, options: { python: string; venv: string }): Command {
  if (installer.kind === 'uv') {
    return { program: installer.uv!, args: ['venv', '--python', options.python, options.venv] };
  }
  return { program: options.python, args: ['-m', 'venv', options.venv] };
}

export interface InstallOptions {
  os: Os;
  venv: string;
  /** Requirements, paths and wheel files, as argv words. */
  requirements: readonly string[];
  /** Never ask an index (`--no-index`). */
  noIndex?: boolean;
  /** Install only what is named (`--no-deps`). */
  noDeps?: boolean;
  /** Every requirement pinned with a hash, and checked against it (`--require-hashes`). */
  requireHashes?: boolean;
  /** Only from this directory of wheels (`--no-index --find-links`): a container's wheelhouse. */
  findLinks?: string;
}

/** Installs requirements into the venv. */
export function installCommand(installer: Installer, options: InstallOptions): Command {
  const python = venvPython(options.os, options.venv);
  const flags = [
    ...(options.noIndex || options.findLinks ? ['--no-index'] : []),
    ...(options.findLinks ? ['--find-links', options.findLinks] : []),
    ...(options.noDeps ? ['--no-deps'] : []),
    ...(options.requireHashes ? ['--require-hashes'] : []),
  ];
  if (installer.kind === 'uv') {
    return {
      program: installer.uv!,
      args: ['pip', 'install', '--python', python, ...flags, ...options.requirements],
    };
  }
  return {
    program: python,
    args: [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      ...flags,
      ...options.requirements,
    ],
  };
}

/** A console script the venv got from a package: `bin/pytest`, `Scripts\\pytest.exe` on Windows. */
export function venvScript(os: Os, venv: string, name: string): string {
  return pathFor(os).join(venvBinDir(os, venv), exeName(os, name));
}
