/**
 * argv-only execution with a time limit: {@link Exec} for a command that may hang (a test run).
 * @actions/exec cannot stop its child, so this spawns it itself, never through a shell. On the
 * limit the whole process tree is stopped — a process group on Linux and macOS (SIGTERM, then
 * SIGKILL after a grace period), `taskkill /T /F` on Windows — since pytest-xdist workers or a
 * server a test started would otherwise outlive the step.
 */
import { createRequire } from 'node:module';
import { CommandError, UserError } from './errors.js';
import type { Exec, ExecResult } from './exec.js';
import { displayCommand, formatCommand } from './log-text.js';

/**
 * node:child_process on first use, not at start-up (an action that stops on a bad input never
 * runs a command; harness startup-modules.test.ts keeps it out of every entry).
 */
const requireBuiltin = createRequire(import.meta.url);
const spawn: typeof import('node:child_process').spawn = ((
  ...args: Parameters<typeof import('node:child_process').spawn>
) =>
  (requireBuiltin('node:child_process') as typeof import('node:child_process')).spawn(
    ...args,
  )) as typeof import('node:child_process').spawn;

/** The command ran past its time limit and was stopped. */
export class TimeLimitError extends UserError {
  override name = 'TimeLimitError';
  readonly output: string;
  constructor(message: string, output: string) {
    super(message);
    this.output = output;
  }
}

/** Seconds between SIGTERM and SIGKILL, for the tree to clean up. */
const GRACE_MS = 5_000;

function stopTree(pid: number, platform: NodeJS.Platform, signal: 'SIGTERM' | 'SIGKILL'): void {
  try {
    if (platform === 'win32') {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    } else {
      process.kill(-pid, signal);
    }
  } catch {
    // Already gone.
  }
}

/**
 * An {@link Exec} that stops the command after `limitMs` and throws {@link TimeLimitError} with
 * `describe(limitMs)` as its message. The command line is echoed and the output streamed like
 * kit's exec.
 */
export function execWithTimeLimit(
  limitMs: number,
  describe: (limitMs: number) => string,
  options: { graceMs?: number } = {},
): Exec {
  const graceMs = options.graceMs ?? GRACE_MS;
  return (program, args, execOptions = {}) =>
    new Promise<ExecResult>((resolve, reject) => {
      const platform = process.platform;
      if (platform === 'win32' && /\.(cmd|bat)$/i.test(program)) {
        reject(
          new UserError(
            `${program} is a batch file, which cannot be run with a time limit without a shell. Run the program it starts directly.`,
          ),
        );
        return;
      }
      if (!execOptions.silent) process.stdout.write(`${formatCommand(program, args)}\n`);
      const child = spawn(program, [...args], {
        cwd: execOptions.cwd,
        env: execOptions.env ?? process.env,
        shell: false,
        windowsHide: true,
        // Its own process group, so the limit stops everything it started.
        detached: platform !== 'win32',
        stdio: [execOptions.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const pending = { stdout: '', stderr: '' };
      const collect = (stream: 'stdout' | 'stderr') => (data: Buffer) => {
        const text = data.toString('utf8');
        if (stream === 'stdout') stdout += text;
        else stderr += text;
        if (!execOptions.silent) (stream === 'stdout' ? process.stdout : process.stderr).write(data);
        if (execOptions.onLine) {
          pending[stream] += text;
          const lines = pending[stream].split(/\r?\n/);
          pending[stream] = lines.pop() ?? '';
          for (const line of lines) execOptions.onLine(line, stream);
        }
      };
      child.stdout?.on('data', collect('stdout'));
      child.stderr?.on('data', collect('stderr'));
      if (child.stdin) {
        // A child that exits (or never starts) before reading its input is not an error here.
        child.stdin.on('error', () => {});
        child.stdin.end(execOptions.input);
      }
      let killer: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid === undefined) return;
        stopTree(child.pid, platform, 'SIGTERM');
        killer = setTimeout(() => stopTree(child.pid!, platform, 'SIGKILL'), graceMs);
      }, limitMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new CommandError(displayCommand(program, []), 127, error.message));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (killer) clearTimeout(killer);
        for (const stream of ['stdout', 'stderr'] as const) {
          if (execOptions.onLine && pending[stream] !== '') execOptions.onLine(pending[stream], stream);
        }
        if (timedOut) {
          // Anything of the group that ignored SIGTERM goes now.
          if (platform !== 'win32' && child.pid !== undefined) stopTree(child.pid, platform, 'SIGKILL');
          reject(new TimeLimitError(describe(limitMs), `${stdout}${stderr}`));
          return;
        }
        const exitCode = code ?? (signal ? 128 : 1);
        if (exitCode !== 0 && !execOptions.allowFailure) {
          reject(new CommandError(displayCommand(program, args), exitCode, `${stdout}${stderr}`));
          return;
        }
        resolve({ exitCode, stdout, stderr });
      });
    });
}
