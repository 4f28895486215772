/**
 * Where the build runs, as one interface with two strategies: the host (maturin runs here) and a
 * container (maturin runs in an image through docker; see container-strategy.ts). run.ts's phases
 * only talk to this interface; what differs between the two lives behind it.
 */
import * as core from '@actions/core';
import { CommandError, UserError } from '@ferrowheel/kit/errors';
import type { Exec, ExecResult } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import { scriptCommand } from '@ferrowheel/kit/scripts';
import { defaultPythonVersion, installedRustTargets } from './build-host.js';
import type { Inputs } from './inputs.js';
import type { MaturinCall } from './maturin-calls.js';

/** What a strategy gets to compile. */
export interface CompileRequest {
  inputs: Inputs;
  /** The build's environment (CARGO_TARGET_DIR pinned). */
  env: Record<string, string>;
  /**
   * The maturin calls, run in order (maturin-calls.ts). When the first is the GIL-enabled call
   * and it fails, the rest (free-threaded) are not attempted: they would fail the same way.
   */
  calls: MaturinCall[];
  /** The before-build script's FERROWHEEL_* data. */
  hookEnv: Record<string, string>;
  cargoHome: string;
  targetDir: string;
  rustcVerbose: string | undefined;
  /** Every output line, for the compiler-message annotations. */
  onLine: (line: string) => void;
  /** For log lines: a path relative to the workspace. */
  relative: (file: string) => string;
  /** More host directories a container mounts at the same path (PGO's profiles and venvs). */
  extraMounts?: string[];
}

/** A maturin call that ran: its exit code and its own part of the log. */
export interface CallRun {
  call: MaturinCall;
  exitCode: number;
  log: string;
}

/** What compiling did: the calls that ran, and the whole run (docker's, in a container). */
export interface Compiled {
  ran: CallRun[];
  /** The run's own result: in a container docker's, which fails when the script does. */
  run: ExecResult;
  /** The run's whole log, for explainFailure. */
  log: string;
}

/** Whether a call failing stops the calls after it: the GIL call, when free-threaded ones follow. */
export function gates(calls: readonly MaturinCall[]): boolean {
  return calls.length > 1 && calls[0]!.kind === 'gil';
}

/** Where commands other than maturin run (PGO's venv, training and merge): the build's setting. */
export type RunRequest = Pick<CompileRequest, 'inputs' | 'env' | 'cargoHome' | 'targetDir' | 'extraMounts'>;

/** What preflight can know about where the build runs. */
export interface Probes {
  /** The interpreter maturin uses when none is given (host only). */
  defaultPython?: { label: string; version: string | undefined };
  /** Installed rust targets (host only; an image brings its own). */
  installedTargets?: string[];
}

export interface BuildStrategy {
  readonly kind: 'host' | 'container';
  /** For the log and the summary: `on the host`, `in <image>`. */
  readonly where: string;
  /** The image, for a container build. */
  readonly image?: string;
  probes(inputs: Inputs): Promise<Probes>;
  /** Runs before-build once, then the maturin calls; resolves with what ran. */
  compile(request: CompileRequest): Promise<Compiled>;
  /**
   * An Exec for commands that must run where the build runs (PGO's training and llvm-profdata):
   * the host's own, or one fresh container of the image per command, with the build's mounts.
   */
  runner(request: RunRequest): Exec;
  /**
   * A failed build whose cause is not maturin's (docker could not run, the container script
   * stopped before maturin): the message naming the real cause; undefined when maturin failed.
   */
  explainFailure(result: ExecResult, log: string): string | undefined;
}

/** One maturin call on the runner, in its own log group. */
async function runMaturin(exec: Exec, request: CompileRequest, argv: string[]): Promise<ExecResult> {
  const { inputs, env } = request;
  return core.group(logText`maturin ${argv.join(' ')}`, async () => {
    try {
      return await exec(inputs.maturin, argv, {
        cwd: inputs.workingDirectory,
        env,
        allowFailure: true,
        onLine: request.onLine,
      });
    } catch (thrown) {
      if (thrown instanceof CommandError && thrown.exitCode === 127) {
        throw new UserError(
          `maturin could not be started ('${inputs.maturin}': ${thrown.output}). Install it first with ferrowheel/ferrowheel/actions/setup-maturin, or set 'maturin' to its path.`,
        );
      }
      throw thrown;
    }
  });
}

/** maturin on the runner itself. */
export function hostStrategy(exec: Exec): BuildStrategy {
  return {
    kind: 'host',
    where: 'on the host',
    async probes(inputs) {
      const defaultPython =
        inputs.interpreters.kind === 'default'
          ? {
              label: 'the default python',
              version: await defaultPythonVersion(exec, inputs.runner.platform.os),
            }
          : undefined;
      const installedTargets = await installedRustTargets(exec);
      return {
        ...(defaultPython ? { defaultPython } : {}),
        ...(installedTargets ? { installedTargets } : {}),
      };
    },
    async compile(request) {
      const { inputs, env } = request;
      if (inputs.beforeBuild) {
        const script = inputs.beforeBuild;
        await core.group(logText`before-build: ${request.relative(script)}`, async () => {
          const command = scriptCommand(script, inputs.runner.platform.os);
          await exec(command.program, command.args, {
            cwd: inputs.workingDirectory,
            env: { ...env, ...request.hookEnv },
          });
        });
      }
      const ran: CallRun[] = [];
      for (const call of request.calls) {
        const result = await runMaturin(exec, request, call.argv);
        ran.push({ call, exitCode: result.exitCode, log: `${result.stdout}\n${result.stderr}` });
        if (result.exitCode !== 0 && call === request.calls[0] && gates(request.calls)) break;
      }
      const log = ran.map((r) => r.log).join('\n');
      return {
        ran,
        run: { exitCode: ran.find((r) => r.exitCode !== 0)?.exitCode ?? 0, stdout: '', stderr: log },
        log,
      };
    },
    runner: () => exec,
    explainFailure: () => undefined,
  };
}
