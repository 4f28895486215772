/**
 * The directories integration tests and the local pipeline share, so that cargo compiles the
 * example's dependencies once and tools are installed once per machine, not once per test:
 * - `.work/cargo-target`: one CARGO_TARGET_DIR for every build of examples/;
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
 * The cargo target dir every build of examples/ shares. FERROWHEEL_CARGO_TARGET_DIR overrides it
 * (several worktrees of this repo can then share one, and compile pyo3 once).
 */
export function cargoTargetDir(): string {
  const override = process.env.FERROWHEEL_CARGO_TARGET_DIR;
  if (override) {
    mkdirSync(override, { recursive: true });
    return override;
  }
  return sharedDir('cargo-target');
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

/** The path of an example extension under examples/. */
export function example(name: string): string {
  return path.join(repoRoot, 'examples', name);
}
