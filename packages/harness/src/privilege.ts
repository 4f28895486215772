/**
 * The few things the tests do that need root (building an image root with debootstrap, creating
 * a user, giving a file to another user) run as root when the tests do, and otherwise through
 * `sudo -n`: GitHub's runner user (`runner`, uid 1001) has passwordless sudo, and ci.yml's Tests
 * job runs as it. With neither, the error names the command and both ways out; it never prompts
 * for a password (`-n`), so a test fails at once instead of hanging.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIG = { maxBuffer: 64 * 1024 * 1024 };

/** How this process gets root: it is root, or `sudo -n` works, or the reason neither does. */
export type RootAccess = { kind: 'root' } | { kind: 'sudo' } | { kind: 'none'; reason: string };

let cached: RootAccess | undefined;

/** Whether this process is root or can use `sudo -n` (asked once). */
export function rootAccess(): RootAccess {
  if (cached) return cached;
  if (process.getuid?.() === 0) cached = { kind: 'root' };
  else {
    try {
      execFileSync('sudo', ['-n', 'true'], { stdio: ['ignore', 'ignore', 'pipe'] });
      cached = { kind: 'sudo' };
    } catch (thrown) {
      const error = thrown as { stderr?: Buffer; code?: string; message: string };
      const said = error.code === 'ENOENT' ? 'sudo is not installed' : String(error.stderr ?? error.message);
      cached = { kind: 'none', reason: said.trim().split('\n')[0] ?? '' };
    }
  }
  return cached;
}

/**
 * `program args…` as root: unchanged for root, behind `sudo -n` otherwise; throws when neither
 * works. `access` is this process's unless given (a test of both shapes).
 */
export function rootArgv(
  program: string,
  args: readonly string[],
  access: RootAccess = rootAccess(),
): [string, string[]] {
  if (access.kind === 'root') return [program, [...args]];
  if (access.kind === 'sudo') return ['sudo', ['-n', program, ...args]];
  throw new Error(
    `${program} needs root, and this user (uid ${process.getuid?.()}) is not root and cannot use sudo without a password (${access.reason}). Run the tests as root, or give this user passwordless sudo (as on GitHub's runners).`,
  );
}

/** Runs `program args…` as root and waits; rejects with the command's error. */
export async function runAsRoot(program: string, args: readonly string[]): Promise<{ stdout: string }> {
  const [file, argv] = rootArgv(program, args);
  return run(file, argv, BIG);
}

/** The same, synchronously (for a test's set-up). */
export function runAsRootSync(program: string, args: readonly string[]): void {
  const [file, argv] = rootArgv(program, args);
  execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}
