/**
 * The fresh venv a wheel is tested in: created for the interpreter under test, the wheel installed
 * from its file alone (never from an index), then its dependencies, extras and the test
 * requirements from the index.
 */
import { CommandError, UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import type { Os } from '@ferrowheel/kit/platform';
import { type Command, type Installer, installCommand, venvCommand } from './installer.js';

export interface TestVenvPlan {
  os: Os;
  installer: Installer;
  /** The interpreter's executable, and how to name it in messages. */
  python: string;
  interpreter: string;
  venv: string;
  /** Where the installers run: the project, so its uv settings apply. Paths given are absolute. */
  cwd: string;
  wheel: { path: string; filename: string };
  extras: readonly string[];
  /** The course layout's sample/ package, installed alongside the wheel. */
  sample: string | undefined;
  /** pytest, the `requirements` input and the dependency groups' requirements. */
  testRequirements: readonly string[];
}

/** The last lines of a failed command's output, for an error message. */
function tail(thrown: unknown, lines = 15): string {
  const text = thrown instanceof CommandError ? thrown.output : String(thrown);
  return text.trim().split(/\r?\n/).slice(-lines).join('\n');
}

async function attempt(exec: Exec, command: Command, cwd: string, failure: (output: string) => string) {
  try {
    await exec(command.program, command.args, { cwd });
  } catch (thrown) {
    throw new UserError(failure(tail(thrown)));
  }
}

/** Creates the venv and installs the wheel and everything the tests need. */
export async function createTestVenv(plan: TestVenvPlan, exec: Exec): Promise<void> {
  const { installer, wheel, cwd } = plan;
  await attempt(
    exec,
    venvCommand(installer, { python: plan.python, venv: plan.venv }),
    cwd,
    (output) =>
      `Could not create a virtual environment with ${plan.python}:\n${output}\n` +
      "On Debian/Ubuntu install python3-venv, or set 'installer' to uv.",
  );
  // The project itself never comes from an index: exactly this file, nothing else.
  await attempt(
    exec,
    installCommand(installer, {
      os: plan.os,
      venv: plan.venv,
      requirements: [wheel.path],
      noIndex: true,
      noDeps: true,
    }),
    cwd,
    (output) =>
      `The wheel ${wheel.filename} does not install into a fresh venv of ${plan.interpreter}:\n${output}\n` +
      "Check the wheel's requires-python and tags against this interpreter.",
  );
  const extras = plan.extras.length > 0 ? `[${plan.extras.join(',')}]` : '';
  // The wheel again, as a direct reference: its dependencies (and extras) resolve from the index,
  // and sample/'s dependency on the project is satisfied by this file, not by a download.
  const others = [...(plan.sample ? [plan.sample] : []), ...plan.testRequirements];
  await attempt(
    exec,
    installCommand(installer, {
      os: plan.os,
      venv: plan.venv,
      requirements: [`${wheel.path}${extras}`, ...others],
    }),
    cwd,
    (output) =>
      `Could not install the test requirements of ${wheel.filename} (${others.join(', ')}${extras ? `, extras ${extras}` : ''}) with ${installer.kind}:\n${output}\n` +
      "Check the names and versions in 'requirements', 'groups' and 'extras', and that the package index is reachable " +
      '(PIP_INDEX_URL / UV_INDEX_URL).',
  );
}
