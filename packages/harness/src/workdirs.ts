/**
 * The directories integration tests and the local pipeline share, so that cargo compiles the
 * example's dependencies once and tools are installed once per machine, not once per test:
 * - `.work/cargo-target-examples` and `.work/cargo-target`: the CARGO_TARGET_DIRs of the builds of
 *   examples/ and of the copies tests change (see cargoTargetDir);
 * - `.work/tool-cache`: RUNNER_TOOL_CACHE (setup-maturin's cached maturin lives here);
 * - `.venv-tools`: the Python tools venv `scripts/bootstrap.sh` creates (maturin, pytest, uv,
 *   ziglang, twine, pypiserver).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentPlatform, exeName, venvBinDir } from '@ferrowheel/kit/platform';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `.work/<name>`, created on first use. */
export function sharedDir(name: string): string {
  const dir = path.join(repoRoot, '.work', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A cargo target dir shared by the builds of one kind, so pyo3 compiles once per kind:
 * - `examples`: the examples/ projects themselves (the pipeline, buildExampleWheel);
 * - `copies`: copies of them that tests change (broken variants, unpacked sdists);
 * - `stand-ins`: the Linux legs built in ferrowheel's stand-in images (another rustc: Debian's), one
 *   directory for every leg (each target has its own subdirectory).
 * They are kept apart because every copy is a crate of the same name: cargo copies the newest
 * build of *any* `setup` crate to target/release/libsetup.so, and a later build of an unchanged
 * examples/setup, being fresh, packs that file (a broken variant's) into its wheel.
 * FERROWHEEL_CARGO_TARGET_DIR moves both (several worktrees can share one).
 */
export function cargoTargetDir(kind: 'copies' | 'examples' | 'stand-ins' = 'copies'): string {
  const names = {
    examples: 'cargo-target-examples',
    copies: 'cargo-target',
    'stand-ins': 'cargo-target-stand-ins',
  };
  const name = names[kind];
  const override = process.env.FERROWHEEL_CARGO_TARGET_DIR;
  if (override) {
    const dir = path.join(override, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  return sharedDir(name);
}

/** A fresh directory under `.work/tmp` for one test. */
export function freshDir(prefix: string): string {
  return mkdtempSync(path.join(sharedDir('tmp'), `${prefix}-`));
}

const hostOs = currentPlatform().os;

/** The tools venv's bin directory (created by scripts/bootstrap.sh). */
export const toolsBin = venvBinDir(hostOs, path.join(repoRoot, '.venv-tools'));

/** A tool from the tools venv: `tool('maturin')`. */
export function tool(name: string): string {
  return path.join(toolsBin, exeName(hostOs, name));
}

/**
 * A module to preload into an action's node process (`NODE_OPTIONS=--import=<it>`): every TCP
 * connection it tries is refused and logged to $FERROWHEEL_NETWORK_LOG, so "no network" is
 * observed, not assumed.
 */
export const noNetworkGuard = path.join(repoRoot, 'packages', 'harness', 'src', 'no-network.mjs');

/** The path of an example extension under examples/. */
export function example(name: string): string {
  return path.join(repoRoot, 'examples', name);
}
