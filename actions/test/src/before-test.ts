/**
 * The `before-test` input: a script of the repository, run after the install and before the
 * tests, in the project directory, with the test venv activated. How it runs follows its
 * extension, never a shell string, as build's `before-build` does (kit's `scriptCommand`), except
 * that a `.py` script runs with the venv's Python.
 */
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { type Os, venvPython } from '@ferrowheel/kit/platform';
import { scriptCommand } from '@ferrowheel/kit/scripts';
import { pytestEnv } from './pytest-run.js';

/** Runs the script for one wheel; a non-zero exit fails the step, naming the input. */
export async function runBeforeTest(
  run: {
    script: string;
    os: Os;
    venv: string;
    cwd: string;
    wheel: { path: string; filename: string };
    environment: Record<string, string>;
    workspace: string;
    /** The environment of where the script runs; default the runner's. */
    baseEnv?: Readonly<Record<string, string | undefined>>;
  },
  exec: Exec,
): Promise<void> {
  const command = scriptCommand(run.script, run.os, { python: venvPython(run.os, run.venv) });
  const { exitCode } = await exec(command.program, command.args, {
    cwd: run.cwd,
    env: pytestEnv(run.os, run.venv, {
      ...(run.baseEnv ?? process.env),
      FERROWHEEL_WHEEL: run.wheel.path,
      FERROWHEEL_VENV: run.venv,
      ...run.environment,
    }),
    allowFailure: true,
  });
  if (exitCode !== 0) {
    throw new UserError(
      `Input 'before-test' (${path.relative(run.workspace, run.script)}) exited with code ${exitCode} before the tests of ${run.wheel.filename}. ` +
        'See its output above; fix the script or remove the input.',
    );
  }
}
