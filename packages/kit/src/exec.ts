/**
 * argv-only process execution. Never a shell: the program and each argument are passed as they
 * are (on Windows, @actions/exec quotes them for CreateProcess and runs `.cmd` shims through
 * cmd.exe with its own escaping). Output is captured and, unless `silent`, streamed to the log.
 */
import { CommandError } from './errors.js';

/**
 * @actions/exec (with @actions/io and node's assert, child_process, events, string_decoder,
 * timers) is loaded on the first command, not at start-up (with patches/@actions__core: nor
 * by @actions/core): an action that stops on a bad input never pays for it.
 */
let actionsExec: Promise<typeof import('@actions/exec')> | undefined;

export interface ExecOptions {
  cwd?: string;
  /** The full environment of the child; defaults to this process's. */
  env?: Record<string, string>;
  /** Do not echo the command and its output to the log. */
  silent?: boolean;
  /** Text written to the child's stdin. */
  input?: string;
  /** Return a non-zero exit code instead of throwing {@link CommandError}. */
  allowFailure?: boolean;
  /** Called with each complete line of stdout and stderr (e.g. to match errors live). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The signature every action takes by injection, so tests can drive real or recorded commands. */
export type Exec = (program: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/** Splits streamed chunks into lines, holding back a partial last line. */
function lineSplitter(emit: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk.toString('utf8');
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) emit(line);
    },
    flush() {
      if (pending !== '') emit(pending);
      pending = '';
    },
  };
}

/** Runs a program with an argv array and captures its output. */
export const exec: Exec = async (program, args, options = {}) => {
  let stdout = '';
  let stderr = '';
  const onLine = options.onLine;
  const outLines = onLine ? lineSplitter((l) => onLine(l, 'stdout')) : undefined;
  const errLines = onLine ? lineSplitter((l) => onLine(l, 'stderr')) : undefined;
  let exitCode: number;
  actionsExec ??= import('@actions/exec');
  const { exec: run } = await actionsExec;
  try {
    exitCode = await run(program, [...args], {
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
      ...(options.input !== undefined ? { input: Buffer.from(options.input) } : {}),
      silent: options.silent ?? false,
      ignoreReturnCode: true,
      listeners: {
        stdout: (data: Buffer) => {
          stdout += data.toString('utf8');
          outLines?.push(data);
        },
        stderr: (data: Buffer) => {
          stderr += data.toString('utf8');
          errLines?.push(data);
        },
      },
    });
  } catch (thrown) {
    // @actions/exec throws when the program cannot be found or started.
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    throw new CommandError(program, 127, reason);
  }
  outLines?.flush();
  errLines?.flush();
  if (exitCode !== 0 && !options.allowFailure) {
    throw new CommandError([program, ...args].join(' '), exitCode, `${stdout}${stderr}`);
  }
  return { exitCode, stdout, stderr };
};

/**
 * The environment of this process as a plain string map, with `overrides` applied. On Windows,
 * names are case-insensitive: the runner's `Path` is what an override of `PATH` replaces (a copy
 * holding both would leave the child whichever one Windows happens to read).
 */
export function childEnv(
  overrides: Record<string, string | undefined> = {},
  base: NodeJS.ProcessEnv = process.env,
  options: { caseInsensitive?: boolean } = {},
): Record<string, string> {
  const caseInsensitive = options.caseInsensitive ?? process.platform === 'win32';
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(overrides)) {
    if (caseInsensitive) {
      for (const existing of Object.keys(env)) {
        if (existing.toUpperCase() === key.toUpperCase()) delete env[existing];
      }
    }
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}
