/**
 * Reproducible builds (reproducible-builds.org): the same commit gives the same wheel, wherever
 * and whenever it is built.
 * - SOURCE_DATE_EPOCH: the input, else the variable already set, else the committer time of the
 *   commit being built (`git log -1 --format=%ct`). maturin dates every zip entry and the sdist
 *   with it; cargo-cyclonedx dates the SBOM with it and leaves its random serial out.
 * - rustc's stable `--remap-path-prefix` for the four directories a build's paths come from,
 *   following cargo's own `trim-paths` names (rust-lang/cargo compiler/trim_paths.rs):
 *     workspace → `.`            (its crates' sources: debug info, `file!()`)
 *     runner temp → `/runner-temp`
 *     CARGO_HOME → `/cargo`      (crates.io sources: `/cargo/registry/src/index.crates.io-…/pyo3-0.30.1/src/…`)
 *     target dir → `/cargo/build-dir` (build-script output such as pyo3's generated config)
 *   rustc replaces prefixes textually and the last matching flag wins, so longer (nested) paths
 *   come last. A directory reached through a symlink is remapped by its real path too, because
 *   cargo hands rustc real paths (a CARGO_HOME/registry symlink showed up resolved).
 *   Panic messages of dependencies therefore name `/cargo/registry/src/<index>/<crate>-<version>`:
 *   the crate, version and file stay readable, the builder's home does not leak.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Exec } from '@ferrowheel/kit/exec';
import { fail, ok, type Result } from '@ferrowheel/kit/result';

export interface PathRemap {
  from: string;
  to: string;
}

export interface BuildPaths {
  workspace: string;
  runnerTemp: string;
  targetDir: string;
  cargoHome: string;
}

/** What each directory becomes in the binaries. */
export const REMAPPED: Readonly<BuildPaths> = {
  workspace: '.',
  runnerTemp: '/runner-temp',
  cargoHome: '/cargo',
  targetDir: '/cargo/build-dir',
};

function realOrSame(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * The remap table of a build, general before specific (rustc applies the last match). `realpath`
 * is injected for tests; directories that do not exist map as they are written.
 */
export function pathRemaps(paths: BuildPaths, realpath: (p: string) => string = realOrSame): PathRemap[] {
  const pairs: PathRemap[] = [];
  const add = (from: string, to: string) => {
    for (const p of new Set([from, realpath(from)])) pairs.push({ from: p, to });
  };
  add(paths.workspace, REMAPPED.workspace);
  add(paths.runnerTemp, REMAPPED.runnerTemp);
  add(paths.cargoHome, REMAPPED.cargoHome);
  for (const dir of ['registry', 'git']) {
    add(path.join(paths.cargoHome, dir), `${REMAPPED.cargoHome}/${dir}`);
  }
  add(paths.targetDir, REMAPPED.targetDir);
  // One entry per path (the later, more specific meaning wins), shortest first.
  const byPath = new Map(pairs.map((p) => [p.from, p]));
  return [...byPath.values()]
    .filter((p) => path.isAbsolute(p.from))
    .sort((a, b) => a.from.length - b.from.length || (a.from < b.from ? -1 : 1));
}

/** The rustc flags of a remap table. */
export function remapFlags(remaps: readonly PathRemap[]): string[] {
  return remaps.map((r) => `--remap-path-prefix=${r.from}=${r.to}`);
}

/**
 * Which flags go to every crate (CARGO_ENCODED_RUSTFLAGS) and which to the project's own crate
 * only (maturin's trailing rustc arguments, `cargo rustc -- …`). Cargo rebuilds every crate whose
 * rustflags change, so a flag naming where the project is checked out would rebuild all the
 * dependencies whenever the checkout moves (a new worktree, another test directory), though none
 * of them can hold that path: their sources are in CARGO_HOME, their generated code in the target
 * dir. So when the crate is its workspace's only package and has no path dependencies, the
 * workspace and runner-temp remaps are its alone; otherwise (other local crates compile from the
 * checkout too) every crate gets them.
 */
export function placeRemaps(
  remaps: readonly PathRemap[],
  options: { singleCrate: boolean },
): { global: PathRemap[]; crate: PathRemap[] } {
  const local = (r: PathRemap) => r.to === REMAPPED.workspace || r.to === REMAPPED.runnerTemp;
  if (!options.singleCrate) return { global: [...remaps], crate: [] };
  return { global: remaps.filter((r) => !local(r)), crate: remaps.filter(local) };
}

/** True when a Cargo.toml declares a `path` dependency (in any dependency table, target-specific too). */
export function hasPathDependencies(cargo: Record<string, unknown>): boolean {
  const tables = (t: unknown): unknown[] => {
    if (typeof t !== 'object' || t === null) return [];
    const record = t as Record<string, unknown>;
    return ['dependencies', 'dev-dependencies', 'build-dependencies'].map((k) => record[k]);
  };
  const targets = Object.values((cargo.target as Record<string, unknown> | undefined) ?? {});
  return [cargo, ...targets]
    .flatMap(tables)
    .some((deps) =>
      Object.values((deps as Record<string, unknown> | undefined) ?? {}).some(
        (d) => typeof d === 'object' && d !== null && 'path' in d,
      ),
    );
}

export type EpochSource = 'input' | 'environment' | 'commit';

/** SOURCE_DATE_EPOCH as reproducible-builds.org defines it: whole seconds since 1970, UTC. */
export function checkEpoch(value: string): string | undefined {
  return /^\d{1,12}$/.test(value) ? undefined : 'is not a whole number of seconds since 1970-01-01 UTC';
}

/** The committer time of HEAD in `cwd`, or why there is none (not a git checkout, no git). */
export async function commitTime(exec: Exec, cwd: string): Promise<Result<number>> {
  try {
    const result = await exec('git', ['log', '-1', '--format=%ct', 'HEAD'], {
      cwd,
      silent: true,
      allowFailure: true,
    });
    const value = result.stdout.trim();
    if (result.exitCode === 0 && checkEpoch(value) === undefined) return ok(Number(value));
    const why = result.stderr.trim().split(/\r?\n/).at(-1);
    return fail(`git log found no commit (${why || `exit code ${result.exitCode}`})`);
  } catch {
    return fail('git is not installed');
  }
}

/** SOURCE_DATE_EPOCH for the build: the input, the environment's, else the commit's. */
export async function sourceDateEpoch(options: {
  input: number | undefined;
  env: Record<string, string | undefined>;
  exec: Exec;
  cwd: string;
}): Promise<Result<{ seconds: number; source: EpochSource }>> {
  if (options.input !== undefined) return ok({ seconds: options.input, source: 'input' });
  const fromEnv = options.env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && fromEnv !== '' && checkEpoch(fromEnv) === undefined) {
    return ok({ seconds: Number(fromEnv), source: 'environment' });
  }
  const commit = await commitTime(options.exec, options.cwd);
  return commit.ok ? ok({ seconds: commit.value, source: 'commit' }) : commit;
}
