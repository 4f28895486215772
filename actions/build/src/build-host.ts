/**
 * What the machine the build runs on has: a docker engine, installed Rust targets, the default
 * Python's version, rustc's and maturin's versions. Each probe is
 * quiet, quick, and says "unknown" (undefined) rather than failing the build.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Exec } from '@ferrowheel/kit/exec';
import { shippedFile } from '@ferrowheel/kit/files';
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
  return (await dockerEngineProblem(exec)) === undefined;
}

/** Why no docker engine answers (docker's own last line), or undefined when one does. */
export async function dockerEngineProblem(exec: Exec): Promise<string | undefined> {
  try {
    const result = await exec('docker', ['version', '--format', '{{.Server.Version}}'], {
      silent: true,
      allowFailure: true,
    });
    if (result.exitCode === 0 && result.stdout.trim() !== '') return undefined;
    return lastLine(result.stderr) ?? `docker version exited with ${result.exitCode}`;
  } catch {
    return 'the docker command is not installed';
  }
}

function lastLine(text: string): string | undefined {
  return text
    .trim()
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .at(-1)
    ?.trim();
}

/**
 * Whether `image` can run here: present in the engine, else pulled now. The problem (docker's
 * own words) when it can be neither.
 */
export async function ensureImage(exec: Exec, image: string): Promise<string | undefined> {
  const inspect = await exec('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
    silent: true,
    allowFailure: true,
  }).catch(() => undefined);
  if (inspect?.exitCode === 0) return undefined;
  const pull = await exec('docker', ['pull', image], { allowFailure: true }).catch(() => undefined);
  if (pull?.exitCode === 0) return undefined;
  return (pull && lastLine(pull.stderr)) ?? 'docker pull did not run';
}

/** `rustup target list --installed`, or undefined without rustup. */
export async function installedRustTargets(exec: Exec): Promise<string[] | undefined> {
  const out = await stdoutOf(exec, 'rustup', ['target', 'list', '--installed']);
  return out?.split(/\r?\n/).filter((l) => l.trim() !== '');
}

/** python-version.py, shipped beside the bundle (ncc copies it into dist/). */
export function pythonVersionProbe(): string {
  return shippedFile(new URL('./python-version.py', import.meta.url));
}

/** The `X.Y` of the Python maturin would pick by default, or undefined. */
export async function defaultPythonVersion(exec: Exec, os: Os): Promise<string | undefined> {
  const out = await stdoutOf(exec, defaultPythonCommand(os), [pythonVersionProbe()]);
  return out !== undefined && /^\d+\.\d+$/.test(out) ? out : undefined;
}

/** `rustc -vV` (the cache key's toolchain part), or undefined. */
export async function rustcVerbose(exec: Exec): Promise<string | undefined> {
  return stdoutOf(exec, 'rustc', ['-vV']);
}

/** rustc's release (`1.95.0`) from `rustc -vV`. */
export function rustcRelease(verbose: string | undefined): string | undefined {
  return verbose ? /^release: (\S+)/m.exec(verbose)?.[1] : undefined;
}

/** maturin's version (`1.16.0`), or undefined when the command does not run. */
export async function maturinVersion(exec: Exec, maturin: string): Promise<string | undefined> {
  const out = await stdoutOf(exec, maturin, ['--version']);
  return out ? /maturin (\S+)/.exec(out)?.[1] : undefined;
}

/** The absolute path of `command` (a path, or a name looked up on PATH), or undefined. */
export function resolveExecutable(
  command: string,
  env: Record<string, string | undefined>,
): string | undefined {
  const isFile = (p: string) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/')) return isFile(command) ? path.resolve(command) : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && isFile(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}
