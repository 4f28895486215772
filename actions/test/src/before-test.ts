/**
 * The `before-test` input: a script of the repository, run after the install and before the
 * tests, in the project directory, with the test venv activated. How it runs follows its
 * extension, never a shell string: `.py` with the venv's Python, `.sh` with bash, `.ps1` with
 * pwsh, `.cmd`/`.bat` with cmd.exe (Windows), anything else as an executable file.
 */
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { type Os, venvPython } from '@ferrowheel/kit/platform';
import { pytestEnv } from './pytest-run.js';

export function beforeTestCommand(
  script: string,
  options: { os: Os; venv: string },
): { program: string; args: string[] } {
  const extension = path.extname(script).toLowerCase();
  switch (extension) {
    case '.py':
      return { program: venvPython(options.os, options.venv), args: [script] };
    case '.sh':
      return { program: 'bash', args: [script] };
    case '.ps1':
      return { program: 'pwsh', args: ['-NoProfile', '-NonInteractive', '-File', script] };
    case '.cmd':
    case '.bat':
      if (options.os !== 'windows') {
        throw new UserError(
          `Input 'before-test' is a Windows batch file (${script}), which cannot run on ${options.os}. Use a .sh, .py or .ps1 script, or run this step on Windows only.`,
        );
      }
      // cmd.exe /d (no AutoRun) /s /c "<script>": the path is the only thing it parses.
      return { program: 'cmd.exe', args: ['/d', '/s', '/c', `"${script}"`] };
    default:
      return { program: script, args: [] };
  }
}

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
  },
  exec: Exec,
): Promise<void> {
  const command = beforeTestCommand(run.script, { os: run.os, venv: run.venv });
  const { exitCode } = await exec(command.program, command.args, {
    cwd: run.cwd,
    env: pytestEnv(run.os, run.venv, {
      ...process.env,
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
