/**
 * The runner context: everything an action's `readInputs` needs besides its inputs. One type for
 * every action, built once from the process (or from overrides in tests), so a test states the
 * workspace, platform, environment and masking it wants in the same way for all six actions.
 *
 * It is the one home of runner facts: `readInputs` keeps the context it checked the inputs against
 * as `inputs.runner`, and `run` reads the workspace, platform, environment and runner temp from
 * there, never from `process`, its `Deps` or fields of its own.
 *
 * ```ts
 * export function readInputs(source = envInputSource(), context = runnerContext()): Inputs
 * readInputs(mapInputSource({ ... }), runnerContext({ workspace, platform: { os: 'windows', arch: 'x86_64' } }))
 * ```
 */
import os from 'node:os';
import path from 'node:path';
import { currentPlatform, type Platform } from './platform.js';
import { registerSecret } from './secrets.js';

export interface RunnerContext {
  /** Absolute, resolved: `GITHUB_WORKSPACE`, else the working directory. Paths stay inside it. */
  workspace: string;
  /** `RUNNER_TEMP`, else the OS's temp directory. */
  runnerTemp: string;
  /** The runner's OS and architecture. */
  platform: Platform;
  /** The runner's environment (`GITHUB_*`, `RUNNER_*`, `ACTIONS_*`); never `INPUT_*` reading. */
  env: NodeJS.ProcessEnv;
  /**
   * Registers a secret with the runner's log masking and kit's redaction (secrets.ts
   * `registerSecret`); called before anything can log it.
   */
  mask: (secret: string) => void;
}

/**
 * The context of this process, with `overrides` applied. `workspace` and `runnerTemp` default from
 * `overrides.env` when it is given, so a test can pass just an environment.
 */
export function runnerContext(overrides: Partial<RunnerContext> = {}): RunnerContext {
  const env = overrides.env ?? process.env;
  return {
    workspace: path.resolve(overrides.workspace ?? (env.GITHUB_WORKSPACE || process.cwd())),
    runnerTemp: overrides.runnerTemp ?? (env.RUNNER_TEMP || os.tmpdir()),
    platform: overrides.platform ?? currentPlatform(),
    env,
    mask: overrides.mask ?? ((secret) => registerSecret(secret)),
  };
}
