/**
 * What the machine the build runs on has: a docker engine, installed Rust targets, the default
 * Python's version, rustc's and maturin's versions, cargo's view of the project. Each probe is
 * quiet, quick, and says "unknown" (undefined) rather than failing the build.
 */
import path from 'node:path';
import type { Exec } from '@ferrowheel/kit/exec';
import { defaultPythonCommand, type Os } from '@ferrowheel/kit/platform';

async function stdoutOf(
  exec: Exec,
  program: string,
  args: string[],
  cwd?: string,
): Promise<string | undefined> {
  try {
    const result = await exec(program, args, { silent: true, allowFailure: true, ...(cwd ? { cwd } : {}) });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  } catch {
    // Not installed (exec throws when the program cannot start).
    return undefined;
  }
}

/** True when a docker engine answers (a docker client alone is not enough). */
export async function dockerEngineAvailable(exec: Exec): Promise<boolean> {
  return (await stdoutOf(exec, 'docker', ['version', '--format', '{{.Server.Version}}'])) !== undefined;
}

/** `rustup target list --installed`, or undefined without rustup. */
export async function installedRustTargets(exec: Exec): Promise<string[] | undefined> {
  const out = await stdoutOf(exec, 'rustup', ['target', 'list', '--installed']);
  return out?.split(/\r?\n/).filter((l) => l.trim() !== '');
}

/** The `X.Y` of the Python maturin would pick by default, or undefined. */
export async function defaultPythonVersion(exec: Exec, os: Os): Promise<string | undefined> {
  const out = await stdoutOf(exec, defaultPythonCommand(os), [
    '-c',
    'import sys; print("%d.%d" % sys.version_info[:2])',
  ]);
  return out !== undefined && /^\d+\.\d+$/.test(out) ? out : undefined;
}

/** rustc's version (`1.95.0`), or undefined. */
export async function rustcVersion(exec: Exec): Promise<string | undefined> {
  const out = await stdoutOf(exec, 'rustc', ['--version']);
  return out ? /^rustc (\S+)/.exec(out)?.[1] : undefined;
}

/** maturin's version (`1.16.0`), or undefined when the command does not run. */
export async function maturinVersion(exec: Exec, maturin: string): Promise<string | undefined> {
  const out = await stdoutOf(exec, maturin, ['--version']);
  return out ? /maturin (\S+)/.exec(out)?.[1] : undefined;
}

export interface CargoLayout {
  workspaceRoot: string;
  targetDirectory: string;
}

/**
 * Cargo's workspace root and target directory (honouring CARGO_TARGET_DIR, `.cargo/config.toml`
 * and `[workspace]`), from `cargo metadata`; falls back to the crate's own `target/`.
 */
export async function cargoLayout(
  exec: Exec,
  options: { cwd: string; manifestPath: string; env: Record<string, string> },
): Promise<CargoLayout> {
  try {
    const result = await exec(
      'cargo',
      ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', options.manifestPath],
      { cwd: options.cwd, env: options.env, silent: true, allowFailure: true },
    );
    if (result.exitCode === 0) {
      const metadata = JSON.parse(result.stdout) as { workspace_root?: string; target_directory?: string };
      if (metadata.workspace_root && metadata.target_directory) {
        return { workspaceRoot: metadata.workspace_root, targetDirectory: metadata.target_directory };
      }
    }
  } catch {
    // cargo missing or unparsable output: fall through to the crate's layout.
  }
  const crateDir = path.dirname(options.manifestPath);
  return {
    workspaceRoot: crateDir,
    targetDirectory: options.env.CARGO_TARGET_DIR ?? path.join(crateDir, 'target'),
  };
}
