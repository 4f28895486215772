/**
 * The two Python installers, uv and pip, as argv: creating a venv and installing into it. uv is
 * preferred where it is on PATH: it resolves and installs several times faster (see
 * scripts/bench/test-install.mjs). Paths follow the OS (Scripts\python.exe on Windows). The test
 * action's test venvs and the audit's tool venv (tool-venv.ts) are made with these.
 */
import { exeName, type Os, pathFor, venvBinDir, venvPython } from './platform.js';

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
  /**
   * Only from this directory of wheels (`--no-index --find-links`): the test action's wheelhouse in a
   * container, which has no network to reach an index.
   */
  findLinks?: string;
}

/** Installs requirements into the venv. */
export function installCommand(installer: Installer, options: InstallOptions): Command {
  const python = venvPython(options.os, options.venv);
  const flags = [
    ...(options.noIndex || options.findLinks !== undefined ? ['--no-index'] : []),
    ...(options.findLinks !== undefined ? ['--find-links', options.findLinks] : []),
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
