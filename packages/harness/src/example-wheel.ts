/**
 * Builds an example extension's wheel (and optionally its sdist) with the real maturin from the
 * tools venv, for tests that need a wheel but do not test the build action itself. Results are
 * kept per example and source digest in `.work/wheels/`, so the suite builds each example once.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '@ferrowheel/kit/files';
import { hostPython, pythonVersion } from './host-python.js';
import { withTargetDirSync } from './process-lock.js';
import { cargoTargetDir, example, freshDir, sharedDir, tool } from './workdirs.js';

/** What a build or a test run leaves in a project: never part of its sources. */
const BUILD_OUTPUTS = ['target', 'dist', '.work', '__pycache__', '.pytest_cache'];

function listSources(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (BUILD_OUTPUTS.includes(entry.name)) return [];
    const rel = `${prefix}${entry.name}`;
    return entry.isDirectory() ? listSources(path.join(dir, entry.name), `${rel}/`) : [rel];
  });
}

/** A digest of every source file of a project directory. */
export function sourceDigest(dir: string): string {
  const files = listSources(dir).sort();
  return sha256(files.map((f) => `${f}\0${sha256(readFileSync(path.join(dir, f)))}`).join('\n')).slice(0, 16);
}

export interface BuiltExample {
  wheel: string;
  sdist?: string;
  dir: string;
}

/**
 * The wheel (+ sdist with `sdist: true`) of `examples/<name>`, or of any project directory given
 * as `projectDir`, built once per source digest and CPython.
 *
 * `python` (`3.11`) builds for that CPython, whether or not this machine has it: maturin takes its
 * sysconfig from the data it bundles when there is no `python3.11` (pythons.test.ts proves it for
 * cp314t), so a wheel for a test image's CPython does not depend on the runner's python3 (3.11
 * here, 3.12 on GitHub's runner). Without it, the wheel is for python3 on PATH, as maturin's default.
 */
export function buildExampleWheel(
  name: string,
  options: { sdist?: boolean; projectDir?: string; python?: string } = {},
): BuiltExample {
  const project = options.projectDir ?? example(name);
  // The CPython is part of the key: a wheel of one cached for another would not install there.
  const { tag } = options.python === undefined ? hostPython() : pythonVersion(options.python);
  const key = `${name}-${sourceDigest(project)}-${tag}${options.sdist ? '-sdist' : ''}`;
  const out = path.join(sharedDir('wheels'), key);
  if (!existsSync(out)) {
    const staging = freshDir(`wheel-${name}`);
    const targetDir = cargoTargetDir(options.projectDir === undefined ? 'examples' : 'copies');
    const interpreter = options.python === undefined ? [] : ['--interpreter', `python${options.python}`];
    withTargetDirSync(targetDir, () =>
      execFileSync(
        tool('maturin'),
        ['build', '--release', '--out', staging, ...interpreter, ...(options.sdist ? ['--sdist'] : [])],
        {
          cwd: project,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: 'never' },
        },
      ),
    );
    mkdirSync(path.dirname(out), { recursive: true });
    try {
      renameSync(staging, out);
    } catch {
      // Another test finished the same build first; use theirs.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const files = readdirSync(out);
  const wheel = files.find((f) => f.endsWith('.whl'));
  const sdist = files.find((f) => f.endsWith('.tar.gz'));
  if (!wheel) throw new Error(`maturin left no wheel in ${out}`);
  return { wheel: path.join(out, wheel), ...(sdist ? { sdist: path.join(out, sdist) } : {}), dir: out };
}

/** Copies an example (by name, or any project directory by its absolute path) into a fresh directory (to break or change it in a test). */
export function copyExample(name: string): string {
  const root = path.isAbsolute(name) ? name : example(name);
  const base = path.basename(root);
  const dir = path.join(freshDir(`example-${base}`), base);
  cpSync(root, dir, {
    recursive: true,
    filter: (src) =>
      !path
        .relative(root, src)
        .split(path.sep)
        .some((part) => BUILD_OUTPUTS.includes(part)),
  });
  return dir;
}

/**
 * The crates of the project in `dir`, fetched on the host into `cargoHome` (`cargo fetch
 * --locked`): containers have no network, so a container build finds them in the cargo home it
 * mounts and runs cargo offline.
 */
export function fetchCrates(dir: string, cargoHome: string): void {
  execFileSync('cargo', ['fetch', '--locked', '--color', 'never'], {
    cwd: dir,
    env: { ...process.env, CARGO_HOME: cargoHome },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/**
 * Installs `wheel` into a fresh directory with the tools' pip and runs `tests` there with the
 * tools' pytest (the directory first on PYTHONPATH, so the installed wheel is what they import);
 * returns pytest's output.
 */
export function testWheelOnHost(wheel: string, tests: string, prefix = 'wheel-site'): string {
  const site = freshDir(prefix);
  const python = tool('python');
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--no-index', '--target', site, wheel]);
  return execFileSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', tests], {
    cwd: site,
    env: { ...process.env, PYTHONPATH: site },
    encoding: 'utf8',
  });
}
