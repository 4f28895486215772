/**
 * Installing a tool into its own virtual environment, for platforms with no fitting wheel (pip
 * then builds the sdist) or when asked with `method: venv`. uv when it is on PATH (much faster),
 * else the runner's Python and pip. The venv is created in its final tool-cache place, because a
 * venv cannot be moved.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Exec } from '@ferrowheel/kit/exec';
import {
  defaultPythonCommand,
  exeName,
  type Os,
  pathFor,
  pathListSeparator,
  venvBinDir,
  venvPython,
} from '@ferrowheel/kit/platform';

/** The first `name` (plus `.exe` on Windows) found on the PATH in `env`, or undefined. */
export function findOnPath(name: string, os: Os, env: NodeJS.ProcessEnv): string | undefined {
  const file = exeName(os, name);
  const pathValue = env.PATH ?? env.Path ?? '';
  for (const dir of pathValue.split(pathListSeparator(os))) {
    if (dir === '') continue;
    // The search runs on this machine, so the host's path rules apply; `os` names the file.
    const candidate = path.join(dir, file);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface VenvPlan {
  installer: 'uv' | 'pip';
  /** Commands to run, in order. */
  commands: { program: string; args: string[] }[];
  /** The venv's bin directory, relative to the venv. */
  binDir: string;
}

/**
 * The commands that create `venv` and install `pkg==version` into it. `indexUrl` is passed on
 * only when it is not pypi.org, so a runner's own pip/uv configuration (a mirror) still applies.
 */
export function planVenvInstall(options: {
  os: Os;
  venv: string;
  requirement: string;
  uv: string | undefined;
  indexUrl: string;
}): VenvPlan {
  const { os, venv, requirement, uv } = options;
  const python = venvPython(os, venv);
  const custom = options.indexUrl.replace(/\/+$/, '') !== 'https://pypi.org';
  const index = custom ? ['--index-url', `${options.indexUrl.replace(/\/+$/, '')}/simple`] : [];
  const binDir = pathFor(os).relative(venv, venvBinDir(os, venv));
  if (uv) {
    return {
      installer: 'uv',
      binDir,
      commands: [
        { program: uv, args: ['venv', '--quiet', venv] },
        { program: uv, args: ['pip', 'install', '--quiet', '--python', python, ...index, requirement] },
      ],
    };
  }
  return {
    installer: 'pip',
    binDir,
    commands: [
      { program: defaultPythonCommand(os), args: ['-m', 'venv', venv] },
      {
        program: python,
        args: ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...index, requirement],
      },
    ],
  };
}

/** Runs the plan. */
export async function installIntoVenv(plan: VenvPlan, exec: Exec): Promise<void> {
  for (const command of plan.commands) await exec(command.program, command.args);
}
