/**
 * argv-only execution with a time limit: {@link Exec} for a command that may hang (a test run).
 * @actions/exec cannot stop its child, so this spawns it itself, never through a shell. On the
 * limit the whole process tree is stopped — a process group on Linux and macOS (SIGTERM, then
 * SIGKILL after a grace period), `taskkill /T /F` on Windows — since pytest-xdist workers or a
 * server a test started would otherwise outlive the step.
 */
import { createRequire } from 'node:module';
import { CommandError, UserError } from './errors.js';
import { type Exec, type ExecOptions, type ExecResult, lineSplitter } from './exec.js';
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

/** A batch file needs cmd.exe, a shell, which this never starts: refused with what to do instead. */
function batchFileProblem(program: string, platform: NodeJS.Platform): UserError | undefined {
  if (platform !== 'win32' || !/\.(cmd|bat)$/i.test(program)) return undefined;
  return new UserError(
    `${program} is a batch file, which cannot be run with a time limit without a shell. Run the program it starts directly.`,
  );
}

/** Spawns the command without a shell; in its own process group, so the limit stops everything it started. */
function start(program: string, args: readonly string[], options: ExecOptions, platform: NodeJS.Platform) {
  if (!options.silent) process.stdout.write(`${formatCommand(program, args)}\n`);
  const child = spawn(program, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    shell: false,
    windowsHide: true,
    detached: platform !== 'win32',
    stdio: [options.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  if (child.stdin) {
    // A child that exits (or never starts) before reading its input is not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  }
  return child;
}

/** Collects both streams, echoes them unless silent, and feeds `onLine` whole lines. */
function collectOutput(child: ReturnType<typeof spawn>, options: ExecOptions) {
  const output = { stdout: '', stderr: '' };
  const onLine = options.onLine;
  const lines = {
    stdout: onLine ? lineSplitter((l) => onLine(l, 'stdout')) : undefined,
    stderr: onLine ? lineSplitter((l) => onLine(l, 'stderr')) : undefined,
  };
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.on('data', (data: Buffer) => {
      output[stream] += data.toString('utf8');
      if (!options.silent) process[stream].write(data);
      lines[stream]?.push(data);
    });
  }
  return {
    output,
    flush: () => {
      lines.stdout?.flush();
      lines.stderr?.flush();
    },
  };
}

/** After `limitMs`, SIGTERM to the tree, then SIGKILL after the grace period. */
function armLimit(
  child: ReturnType<typeof spawn>,
  limits: { limitMs: number; graceMs: number },
  platform: NodeJS.Platform,
) {
  const state = { timedOut: false };
  let killer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    state.timedOut = true;
    if (child.pid === undefined) return;
    stopTree(child.pid, platform, 'SIGTERM');
    killer = setTimeout(() => stopTree(child.pid!, platform, 'SIGKILL'), limits.graceMs);
  }, limits.limitMs);
  return {
    timedOut: () => state.timedOut,
    disarm: () => {
      clearTimeout(timer);
      if (killer) clearTimeout(killer);
    },
  };
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
  const limits = { limitMs, graceMs: options.graceMs ?? GRACE_MS };
  return (program, args, execOptions = {}) =>
    new Promise<ExecResult>((resolve, reject) => {
      const platform = process.platform;
      const refused = batchFileProblem(program, platform);
      if (refused) return reject(refused);
      const child = start(program, args, execOptions, platform);
      const { output, flush } = collectOutput(child, execOptions);
      const limit = armLimit(child, limits, platform);
      child.on('error', (error) => {
        limit.disarm();
        reject(new CommandError(displayCommand(program, []), 127, error.message));
      });
      child.on('close', (code, signal) => {
        limit.disarm();
        flush();
        const { stdout, stderr } = output;
        if (limit.timedOut()) {
          // Anything of the group that ignored SIGTERM goes now.
          if (platform !== 'win32' && child.pid !== undefined) stopTree(child.pid, platform, 'SIGKILL');
          return reject(new TimeLimitError(describe(limitMs), `${stdout}${stderr}`));
        }
        const exitCode = code ?? (signal ? 128 : 1);
        if (exitCode !== 0 && !execOptions.allowFailure) {
          return reject(new CommandError(displayCommand(program, args), exitCode, `${stdout}${stderr}`));
        }
        resolve({ exitCode, stdout, stderr });
      });
    });
}
