/**
 * The Python files actions ship beside their bundles (probes, hooks) are linted like the
 * TypeScript: `ruff check` and `ruff format --check` (ruff pinned in scripts/requirements-tools.txt),
 * for Python 3.8 up, since the interpreter under test can be old.
 */
import { execFileSync } from 'node:child_process';
import { tool } from './workdirs.js';

const RUFF = ['--no-cache', '--isolated', '--target-version', 'py38', '--line-length', '100'];

/** Throws with ruff's output when `file` fails either check. */
export function checkWithRuff(file: string): void {
  execFileSync(tool('ruff'), ['check', ...RUFF, '--select', 'E,F,W,I,B,UP', file], { stdio: 'pipe' });
  execFileSync(tool('ruff'), ['format', '--check', ...RUFF, file], { stdio: 'pipe' });
}
