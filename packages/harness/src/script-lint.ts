/**
 * The linters of the scripts the actions ship and run by path: ruff for Python (pinned in
 * scripts/requirements-tools.txt, in .venv-tools) and shellcheck for shell (Debian's, installed by
 * scripts/ensure-docker.sh). Each throws with the linter's findings when the file does not pass.
 */
import { execFileSync } from 'node:child_process';
import { repoRoot, tool } from './workdirs.js';

/** Shipped Python runs under whatever interpreter is tested or found: rules and syntax for 3.8 up. */
const RUFF = ['--no-cache', '--isolated', '--target-version', 'py38', '--line-length', '100'];

function run(program: string, args: string[]): void {
  try {
    // From the repository root: `# shellcheck source=` paths are relative to it.
    execFileSync(program, args, { cwd: repoRoot, stdio: 'pipe', encoding: 'utf8' });
  } catch (thrown) {
    const failed = thrown as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${program} ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`,
    );
  }
}

/** `ruff check` (pycodestyle, pyflakes, isort, bugbear, pyupgrade) and `ruff format --check`. */
export function ruffCheck(file: string): void {
  run(tool('ruff'), ['check', ...RUFF, '--select', 'E,F,W,I,B,UP', file]);
  run(tool('ruff'), ['format', '--check', ...RUFF, file]);
}

/**
 * shellcheck at its strictest severity, as bash. `followSources`: also check the files it sources
 * (`-x`; the paths of `# shellcheck source=` directives are relative to the repository root).
 */
export function shellcheck(file: string, options: { followSources?: boolean } = {}): void {
  run('shellcheck', [...(options.followSources ? ['-x'] : []), '--shell=bash', '--severity=style', file]);
}
