/**
 * The fresh venv a wheel is tested in: created for the interpreter under test, then the wheel (from
 * its file, never from an index), its dependencies, extras and the test requirements, in one
 * resolver call; with a lock, at the locked versions and checked against the lock's hashes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CommandError, UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { sha256File } from '@ferrowheel/kit/files';
import type { Os } from '@ferrowheel/kit/platform';
import { type Command, type Installer, installCommand, venvCommand } from '@ferrowheel/kit/python-installer';
import type { LockedSet } from './lock.js';
import type { Wheelhouse } from './wheelhouse.js';

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
  /** The wheel's project name (normalised), for its direct reference in a locked install. */
  project: string;
  /** The lock's pinned requirements, when the install follows a lock. */
  locked?: LockedSet | undefined;
  /** Where a container installs from (filled on the runner first); undefined: the package index. */
  wheelhouse?: Wheelhouse | undefined;
}

/**
 * Why a hash-checked install failed, from the end of pip's or uv's output (their words are all
 * they say): a package the lock does not pin, or pins with other hashes; or anything else.
 */
export function lockedInstallFailure(output: string): 'not-in-lock' | 'other' {
  return /hash|--require-hashes|not pinned|missing from/i.test(output) ? 'not-in-lock' : 'other';
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
  const { installer, cwd } = plan;
  await attempt(
    exec,
    venvCommand(installer, { python: plan.python, venv: plan.venv }),
    cwd,
    (output) =>
      `Could not create a virtual environment with ${plan.python}:\n${output}\n` +
      "On Debian/Ubuntu install python3-venv, or set 'installer' to uv.",
  );
  if (plan.locked) await installLocked(plan, plan.locked, exec);
  else await installUnlocked(plan, exec);
}

function extrasSuffix(plan: TestVenvPlan): string {
  return plan.extras.length > 0 ? `[${plan.extras.join(',')}]` : '';
}

/** Installs the wheel alone, from its file, to tell a wheel that does not install from the rest. */
async function diagnoseWheel(plan: TestVenvPlan, exec: Exec): Promise<void> {
  const { wheel } = plan;
  await attempt(
    exec,
    installCommand(plan.installer, {
      os: plan.os,
      venv: plan.venv,
      requirements: [wheel.path],
      noIndex: true,
      noDeps: true,
    }),
    plan.cwd,
    (output) =>
      `The wheel ${wheel.filename} does not install into a fresh venv of ${plan.interpreter}:\n${output}\n` +
      "Check the wheel's requires-python and tags against this interpreter.",
  );
}

/**
 * One resolver call for everything: the wheel by its path (a direct reference, so the project
 * never comes from an index, and sample/'s dependency on the project is satisfied by this file),
 * its dependencies and extras, sample/, pytest and the requirements. When it fails, the wheel is
 * installed alone to say which part failed.
 */
async function installUnlocked(plan: TestVenvPlan, exec: Exec): Promise<void> {
  const { installer, wheel } = plan;
  const extras = extrasSuffix(plan);
  const others = [...(plan.sample ? [plan.sample] : []), ...plan.testRequirements];
  try {
    await install(plan, exec, { requirements: [`${wheel.path}${extras}`, ...others] });
  } catch (thrown) {
    // The wheelhouse's own error (a container's download on the runner) says what failed.
    if (thrown instanceof UserError) throw thrown;
    await diagnoseWheel(plan, exec);
    throw new UserError(
      `Could not install the test requirements of ${wheel.filename} (${others.join(', ')}${extras ? `, extras ${extras}` : ''}) with ${installer.kind}:\n${tail(thrown)}\n` +
        "Check the names and versions in 'requirements', 'groups' and 'extras', and that the package index is reachable " +
        '(PIP_INDEX_URL / UV_INDEX_URL).',
    );
  }
}

/**
 * One installer call into the venv, in the project directory (its uv/pip settings apply); in a
 * container, from the wheelhouse the runner fills for it first.
 */
async function install(
  plan: TestVenvPlan,
  exec: Exec,
  options: { requirements: string[]; requireHashes?: boolean },
): Promise<void> {
  const { wheelhouse } = plan;
  const flags = options.requireHashes ? ['--require-hashes'] : [];
  const requirements = wheelhouse
    ? await wheelhouse
        // The hash-checked call names the wheel in its requirements file; later calls find it installed.
        .fill([...flags, ...options.requirements], {
          cwd: plan.cwd,
          installed: options.requireHashes ? [] : [plan.wheel.path],
        })
        .then((words) => words.slice(flags.length))
    : options.requirements;
  const command = installCommand(plan.installer, {
    os: plan.os,
    venv: plan.venv,
    ...options,
    requirements,
    ...(wheelhouse ? { findLinks: wheelhouse.dir } : {}),
  });
  await exec(command.program, command.args, { cwd: plan.cwd });
}

/**
 * The locked install: the lock's pinned requirements and the wheel (by its file URL and its own
 * SHA-256) in one hash-checked resolver call, so nothing unlocked slips in; then what the lock
 * does not pin (sample/, the requirements input, pytest when the lock has none) on top, held to
 * the locked versions by a constraints file.
 */
async function installLocked(plan: TestVenvPlan, locked: LockedSet, exec: Exec): Promise<void> {
  const { installer, wheel } = plan;
  const dir = path.dirname(plan.venv);
  const digest = await sha256File(wheel.path);
  const requirementsFile = path.join(dir, 'locked-requirements.txt');
  const lines = [
    ...locked.lines,
    `${plan.project}${extrasSuffix(plan)} @ ${pathToFileURL(wheel.path).href} --hash=sha256:${digest}`,
  ];
  writeFileSync(requirementsFile, `${lines.join('\n')}\n`);
  try {
    await install(plan, exec, { requirements: [`--requirement=${requirementsFile}`], requireHashes: true });
  } catch (thrown) {
    if (thrown instanceof UserError) throw thrown;
    await diagnoseWheel(plan, exec);
    const output = tail(thrown);
    throw new UserError(
      `Could not install ${wheel.filename} with the locked versions of ${locked.lock.label} (${installer.kind}):\n${output}\n` +
        (lockedInstallFailure(output) === 'not-in-lock'
          ? `The wheel needs packages ${locked.lock.label} does not pin (or pins with other hashes): the lock is out of date with the project. ` +
            (locked.lock.kind === 'uv'
              ? 'Refresh it with `uv lock` and commit it'
              : 'Regenerate it and commit it') +
            ", or set 'lock' to off."
          : "Check that the package index is reachable (PIP_INDEX_URL / UV_INDEX_URL), or set 'lock' to off."),
    );
  }
  const others = [...(plan.sample ? [plan.sample] : []), ...plan.testRequirements];
  if (others.length === 0) return;
  const constraintsFile = path.join(dir, 'locked-constraints.txt');
  writeFileSync(constraintsFile, `${locked.constraints.join('\n')}\n`);
  try {
    await install(plan, exec, { requirements: [...others, `--constraint=${constraintsFile}`] });
  } catch (thrown) {
    if (thrown instanceof UserError) throw thrown;
    throw new UserError(
      `Could not install the test requirements of ${wheel.filename} that ${locked.lock.label} does not pin (${others.join(', ')}) with ${installer.kind}:\n${tail(thrown)}\n` +
        `Check 'requirements' and 'groups' (they must agree with the versions ${locked.lock.label} pins), and that the package index is reachable.`,
    );
  }
}
