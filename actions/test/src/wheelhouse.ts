/**
 * What a container installs from: a wheelhouse the runner fills for the container's interpreter.
 * A test container may have no network (docker engines run with `--bridge=none`, or a policy),
 * and an emulated one would download slowly, so the runner — which has the network and the
 * credentials the job set up (PIP_INDEX_URL, a netrc) — downloads every wheel the install needs
 * for that interpreter, and the container installs with `--no-index --find-links` from it. The
 * same on GitHub, where containers do have network: one design, the same result on both.
 *
 * - pip downloads for the container's tags (`--platform`, `--python-version`, `--abi`,
 *   `--implementation`, `--only-binary=:all:`), with its markers evaluated for the container's
 *   interpreter (pip-download.py), then the container resolves the same requirements again,
 *   offline, and finds each in the wheelhouse.
 * - A local project directory (the course layout's sample/, a path in `requirements`) is built
 *   into a wheel on the runner first (its build backend comes from the index there).
 * - So every requirement needs a wheel for the container's platform: a package published only
 *   as an sdist is an error that says so.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CommandError, UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { pathKind, shippedFile } from '@ferrowheel/kit/files';

/** The container interpreter's facts the download needs (from facts.py). */
export interface TargetInterpreter {
  /** `cpython`, `pypy`. */
  implementation: string;
  major: number;
  minor: number;
  /** Its supported tags, best first (pip's own list in the container). */
  tags: readonly string[];
  /** Its PEP 508 marker environment. */
  markers: Record<string, string>;
  /** `CPython 3.11.2 (linux aarch64, glibc 2.36)`, for messages. */
  description: string;
}

export interface Wheelhouse {
  dir: string;
  /**
   * Puts every wheel that installing `words` (requirements and pip options, as the installer
   * gets them) needs into the wheelhouse; returns the words with each local project directory
   * replaced by the wheel built from it. `installed` are wheel files the venv holds already (the
   * wheel under test, before what a lock does not pin): the resolution needs them, as the
   * container's installer will see them in the venv.
   */
  fill(words: readonly string[], options: { cwd: string; installed?: readonly string[] }): Promise<string[]>;
}

/** The shipped pip wrapper that evaluates markers for the container's interpreter. */
export function pipDownloadScript(): string {
  return shippedFile(new URL('./pip-download.py', import.meta.url));
}

/**
 * pip download's target options for the interpreter: its platforms (every platform tag it takes,
 * best first), its Python version, its ABI and its implementation.
 */
export function targetOptions(target: TargetInterpreter): string[] {
  const parts = target.tags.map((tag) => tag.split('-'));
  const platforms = [...new Set(parts.map((p) => p[2]!).filter((p) => p !== undefined && p !== 'any'))];
  const abi = parts.find((p) => p[1] !== 'none' && p[1] !== 'abi3')?.[1];
  const implementation = ({ cpython: 'cp', pypy: 'pp' } as Record<string, string>)[target.implementation];
  return [
    '--only-binary=:all:',
    ...platforms.flatMap((p) => ['--platform', p]),
    '--python-version',
    `${target.major}.${target.minor}`,
    ...(implementation ? ['--implementation', implementation] : []),
    ...(abi ? ['--abi', abi] : []),
  ];
}

function tail(thrown: unknown, lines = 12): string {
  const text = thrown instanceof CommandError ? thrown.output : String(thrown);
  return text.trim().split(/\r?\n/).slice(-lines).join('\n');
}

/** The wheelhouse at `dir`, filled by `python` (a Python of the runner that has pip). */
export function createWheelhouse(
  options: { dir: string; python: string; target: TargetInterpreter },
  exec: Exec,
): Wheelhouse {
  const { dir, python, target } = options;
  const built = path.join(dir, '.local');
  const markers = path.join(path.dirname(dir), 'target-markers.json');
  mkdirSync(built, { recursive: true });
  writeFileSync(markers, JSON.stringify(target.markers));

  /** A local project directory built into a wheel on the runner; returns the wheel's path. */
  const buildLocal = async (directory: string): Promise<string> => {
    const before = new Set(readdirSync(built));
    try {
      await exec(python, ['-m', 'pip', 'wheel', '--no-deps', '--wheel-dir', built, directory]);
    } catch (thrown) {
      throw new UserError(
        `Could not build ${directory} into a wheel on the runner, for the container to install:\n${tail(thrown)}\n` +
          'Check that the project builds (pip wheel), and that its build backend can be downloaded.',
      );
    }
    const wheel = readdirSync(built).find((f) => f.endsWith('.whl') && !before.has(f));
    return wheel ? path.join(built, wheel) : directory;
  };

  return {
    dir,
    async fill(words, { cwd, installed = [] }) {
      const replaced: string[] = [];
      for (const word of words) {
        const local = !word.startsWith('-') ? path.resolve(cwd, word) : undefined;
        replaced.push(local && pathKind(local) === 'directory' ? await buildLocal(local) : word);
      }
      try {
        await exec(
          python,
          [
            pipDownloadScript(),
            markers,
            'download',
            '--dest',
            dir,
            ...targetOptions(target),
            ...replaced,
            ...installed.filter((file) => !replaced.some((word) => word.startsWith(file))),
          ],
          { cwd },
        );
      } catch (thrown) {
        throw new UserError(
          `Could not download the test requirements for ${target.description} on the runner (the container installs only from these files):\n${tail(thrown)}\n` +
            `Every requirement needs a wheel for this platform (${target.tags[0]}); a package with only a source distribution cannot be installed in the container. ` +
            "Check the names and versions in 'requirements', 'groups' and 'extras', and that the package index is reachable from the runner (PIP_INDEX_URL).",
        );
      }
      return replaced;
    },
  };
}

/** The runner's Python for the downloads: `python3` with pip, or the error that says what to install. */
export async function hostPipPython(
  exec: Exec,
  which: (program: string) => Promise<string | undefined>,
): Promise<string> {
  const python = await which('python3');
  const pip = python
    ? await exec(python, ['-m', 'pip', '--version'], { silent: true, allowFailure: true }).catch(
        () => undefined,
      )
    : undefined;
  if (python === undefined || pip?.exitCode !== 0) {
    throw new UserError(
      `A container test downloads its requirements on the runner with pip, but ${python ? `${python} has no pip` : 'the runner has no python3 on PATH'}. ` +
        'Install a Python with pip on the runner before this step (actions/setup-python), or test without a container.',
    );
  }
  return python;
}
