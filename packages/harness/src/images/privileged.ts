/**
 * Runs the image helper scripts that need root (debootstrap, chroot, mount): directly as root, or
 * through `sudo -n` for any other user (GitHub's runners run jobs as `runner`, with passwordless
 * sudo). Data reaches a script only through `NAME=value` variables (given to `env` under sudo,
 * which would otherwise drop them), never through its text. The output goes to a log file; a
 * failure names the script, the last lines of the log and the log's path.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type RootAccess, rootAccess, rootArgv } from '../privilege.js';
import { repoRoot } from '../workdirs.js';

/** The directory of the helper scripts (shell and Python files, checked by shellcheck and ruff). */
export const helpersDir = path.join(repoRoot, 'packages', 'harness', 'images');

/** The argv that runs `script` with `env` as root (privilege.ts's rootArgv: root, or sudo -n). */
export function asRootArgv(
  script: string,
  env: Record<string, string>,
  access: RootAccess = rootAccess(),
): [string, string[]] {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return rootArgv('/usr/bin/env', [...assignments, 'bash', script], access);
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}

/** Runs a helper script as root, its output to `log`; throws with the reason when it fails. */
export async function runHelperAsRoot(name: string, env: Record<string, string>, log: string): Promise<void> {
  const [program, args] = asRootArgv(path.join(helpersDir, name), env);
  const fd = openSync(log, 'w');
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', fd, fd] });
    child.on('error', reject);
    child.on('close', (status) => resolve(status ?? 1));
  }).finally(() => closeSync(fd));
  if (code === 0) return;
  const hint =
    rootAccess().kind === 'root'
      ? ''
      : ' It needs root: this user runs it through `sudo -n`, which needs passwordless sudo (GitHub runners have it).';
  throw new Error(`${name} failed (exit code ${code}):\n${lastLines(log, 8)}\n(log: ${log}).${hint}`);
}
