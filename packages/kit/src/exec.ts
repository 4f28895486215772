/**
 * argv-only process execution. Never a shell, and never a command line: `program` is ONE path or
 * command name, however many spaces it holds, and each argument is passed as it is (on Windows,
 * @actions/exec's ToolRunner quotes them for CreateProcess and runs `.cmd` shims through cmd.exe
 * with its own escaping). `exec()` of @actions/exec would split its first parameter into words
 * (`/bin/sh -c "touch x"` ran a shell, issue 9), so this module drives its ToolRunner directly
 * (exported by patches/@actions__exec@3.0.0.patch).
 *
 * Output is captured and, unless `silent`, streamed to the log after a `[command]` line whose
 * every word is escaped (log-text.ts): an argument holding a line break cannot start a workflow
 * command.
 */

import { CommandError, messageOf } from './errors.js';
import { displayCommand, formatCommand } from './log-text.js';

/**
 * @actions/exec's ToolRunner (with @actions/io and node's assert, child_process, events,
 * string_decoder, timers) is loaded on the first command, not at start-up (with
 * patches/@actions__core: nor by @actions/core): an action that stops on a bad input never pays
 * for it.
 */
let toolRunnerModule: Promise<typeof import('@actions/exec/toolrunner')> | undefined;

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
export function lineSplitter(emit: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
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

/** Where a non-silent command's `[command]` line and output go; the step's log by default. */
export interface LogSink {
  write(text: string | Buffer): unknown;
}

/**
 * Runs `program` (one path or command name, never split) with an argv array and captures its
 * output. `log` is where a non-silent run echoes; tests pass their own.
 */
export function createExec(log: LogSink = process.stdout): Exec {
  return async (program, args, options = {}) => {
    let stdout = '';
    let stderr = '';
    const silent = options.silent ?? false;
    const onLine = options.onLine;
    const outLines = onLine ? lineSplitter((l) => onLine(l, 'stdout')) : undefined;
    const errLines = onLine ? lineSplitter((l) => onLine(l, 'stderr')) : undefined;
    // With onLine, the echo goes out a whole line at a time: an annotation that onLine writes
    // would otherwise land in the middle of a line whose start was echoed with the previous
    // chunk (docker splits lines across chunks), where the runner does not see it.
    const echoLines = onLine && !silent ? lineSplitter((l) => log.write(`${l}\n`)) : undefined;
    const echo = (data: Buffer) => {
      if (silent) return;
      if (echoLines) echoLines.push(data);
      else log.write(data);
    };
    let exitCode: number;
    toolRunnerModule ??= import('@actions/exec/toolrunner');
    const { ToolRunner } = await toolRunnerModule;
    try {
      // ToolRunner echoes its own unescaped `[command]` line unless silent: it always is, and
      // the echo and the streamed output are written here instead.
      const runner = new ToolRunner(program, [...args], {
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        ...(options.env !== undefined ? { env: options.env } : {}),
        ...(options.input !== undefined ? { input: Buffer.from(options.input) } : {}),
        silent: true,
        ignoreReturnCode: true,
        listeners: {
          stdout: (data: Buffer) => {
            stdout += data.toString('utf8');
            outLines?.push(data);
            echo(data);
          },
          stderr: (data: Buffer) => {
            stderr += data.toString('utf8');
            errLines?.push(data);
            echo(data);
          },
        },
      });
      if (!silent) log.write(`${formatCommand(program, args)}\n`);
      exitCode = await runner.exec();
    } catch (thrown) {
      // ToolRunner throws when the program cannot be found or started.
      const reason = messageOf(thrown);
      throw new CommandError(displayCommand(program, []), 127, reason);
    }
    outLines?.flush();
    errLines?.flush();
    echoLines?.flush();
    if (exitCode !== 0 && !options.allowFailure) {
      throw new CommandError(displayCommand(program, args), exitCode, `${stdout}${stderr}`);
    }
    return { exitCode, stdout, stderr };
  };
}

/** Runs a program with an argv array and captures its output; echoes to the step's log. */
export const exec: Exec = createExec();

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
