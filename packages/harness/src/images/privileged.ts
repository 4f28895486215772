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
import { repoRoot } from '../workdirs.js';

/** The directory of the helper scripts (shell and Python files, checked by shellcheck and ruff). */
export const helpersDir = path.join(repoRoot, 'packages', 'harness', 'images');

/** Whether this process runs as root. */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The argv that runs `script` with `env` as root (`root`: whether this process is root). */
export function asRootArgv(
  script: string,
  env: Record<string, string>,
  options: { root: boolean } = { root: isRoot() },
): [string, string[]] {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  if (options.root) return ['/usr/bin/env', [...assignments, 'bash', script]];
  return ['sudo', ['-n', '/usr/bin/env', ...assignments, 'bash', script]];
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
  const hint = isRoot()
    ? ''
    : ' It needs root: this user runs it through `sudo -n`, which needs passwordless sudo (GitHub runners have it).';
  throw new Error(`${name} failed (exit code ${code}):\n${lastLines(log, 8)}\n(log: ${log}).${hint}`);
}
