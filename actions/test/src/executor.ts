/**
 * Where the commands that need the target environment run: the interpreter probe, the venv and
 * the install, the import check, before-test and the tests. On the runner itself (the host), or
 * in a container of another image, platform or architecture (container.ts). Everything else —
 * finding and selecting wheels, the lock export, downloading the requirements for a container,
 * copying the tests, reading the report — stays on the runner, with the same paths: a container
 * sees the workspace and the runner's temp directory at the paths the runner sees them.
 */
import { lstatSync } from 'node:fs';
import type { Exec } from '@ferrowheel/kit/exec';
import { pathKind } from '@ferrowheel/kit/files';

export interface Executor {
  /** 'host', or 'container' with the image and platform it runs. */
  readonly kind: 'host' | 'container';
  /** Where the tests run, for the log and the summary: `on the runner`, `in python:3.12-slim (linux/arm64)`. */
  readonly where: string;
  /**
   * Runs commands in the target through `hostExec`, the runner's exec (kit's, or one with the
   * time limit): the program, argv, working directory and environment are the target's.
   */
  run(hostExec: Exec): Exec;
  /** The target's environment: the base of a command's `env`. */
  readonly env: Readonly<Record<string, string>>;
  /** A program on the target's PATH, or undefined. */
  which(program: string): Promise<string | undefined>;
  /**
   * Whether `file` (under the workspace or the runner's temp directory) is a program the target
   * can start. A venv's `bin/python` is a link to the target's interpreter, which need not exist
   * on the runner: in a container the link itself counts.
   */
  isProgram(file: string): boolean;
  /** A file shipped beside the bundle (facts.py), as a path the target can read. */
  shipped(file: string): string;
  /** Removes what the executor started (the container); called once, in a `finally`. */
  stop(): Promise<void>;
}

/** The runner itself: commands run as they are. */
export function hostExecutor(which: (program: string) => Promise<string | undefined>): Executor {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return {
    kind: 'host',
    where: 'on the runner',
    run: (hostExec) => hostExec,
    env,
    which,
    isProgram: (file) => pathKind(file) === 'file',
    shipped: (file) => file,
    stop: async () => undefined,
  };
}

/** Whether a path exists as a file or a link, without following the link (container.ts). */
export function fileOrLink(file: string): boolean {
  try {
    const stat = lstatSync(file);
    return stat.isFile() || stat.isSymbolicLink();
  } catch {
    return false;
  }
}
