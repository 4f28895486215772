/**
 * Real builds through the bundle, as the runner runs it: maturin and cargo from the tools venv,
 * one shared cargo target dir (pyo3 compiles once), each project copied into a fresh workspace.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyExample } from '@ferrowheel/harness/example-wheel';
import { hostPython } from '@ferrowheel/harness/host-python';
import { ProblemMatchers } from '@ferrowheel/harness/problem-matchers';
import { type ActionRun, runAction } from '@ferrowheel/harness/run-action';
import { cargoTargetDir, freshDir, repoRoot, toolsBin } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';
import type { WheelInfo as Wheel } from '../../src/artifacts.js';

const python = path.join(toolsBin, 'python');
/** The default interpreter (`python3` on PATH): 3.11 here, 3.12 on GitHub's ubuntu-latest. */
const { version: py, tag: cp } = hostPython();

/** Runs the build action on a copy of an example; `edit` may break the copy first. */
async function build(
  exampleName: string,
  inputs: Record<string, string> = {},
  edit?: (dir: string) => void,
  env: Record<string, string> = {},
): Promise<{ run: ActionRun; dir: string; workspace: string }> {
  const dir = copyExample(exampleName);
  edit?.(dir);
  const workspace = path.dirname(dir);
  const run = await runAction('build', {
    workspace,
    inputs: { 'working-directory': path.basename(dir), ...inputs },
    env: {
      PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
      CARGO_TARGET_DIR: cargoTargetDir(),
      CARGO_TERM_COLOR: 'never',
      ...env,
    },
  });
  return { run, dir, workspace };
}

function wheelsOf(run: ActionRun): Wheel[] {
  if (run.exitCode !== 0) throw new Error(`build failed:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.outputs.wheels!) as Wheel[];
}

/** Installs wheels into a fresh venv and runs `code` with its python. */
function importInFreshVenv(wheels: string[], code: string): string {
  const venv = path.join(freshDir('venv'), 'venv');
  execFileSync(python, ['-m', 'venv', venv]);
  const venvPython = path.join(venv, 'bin', 'python');
  execFileSync(venvPython, ['-m', 'pip', 'install', '--quiet', '--no-index', ...wheels]);
  // From a directory outside the source tree, so the installed wheel is what gets imported.
  return execFileSync(venvPython, ['-c', code], { cwd: venv, encoding: 'utf8' });
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${from} not found in ${file}`);
  writeFileSync(file, changed);
}

describe('build action (real maturin builds)', () => {
  it('builds examples/setup for the host in release, with outputs and a summary', async () => {
    const { run, dir } = await build('setup');
    const [wheel, ...rest] = wheelsOf(run);
    expect(rest).toEqual([]);
    expect(wheel!.path).toBe(path.join(dir, 'dist', wheel!.filename));
    expect(wheel!.name).toBe('setup');
    expect(wheel!.version).toBe('0.1.0');
    expect(wheel!.tags).toEqual([expect.stringMatching(new RegExp(`^${cp}-${cp}-manylinux_2_\\d+_x86_64$`))]);
    const bytes = readFileSync(wheel!.path);
    expect(wheel!.size).toBe(bytes.length);
    expect(wheel!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(run.outputs['out-dir']).toBe(path.join(dir, 'dist'));
    expect(run.outputs.sdist).toBe('');
    expect(run.stdout).toContain('--release');
    expect(run.summary).toContain('| File | Tags | Size | SHA256 |');
    expect(run.summary).toContain(wheel!.sha256);
    expect(run.summary).toMatch(/built on the host in \d/);
    expect(importInFreshVenv([wheel!.path], 'import setup; assert setup.it_works(); print("ok")')).toBe(
      'ok\n',
    );
  }, 300_000);

  it('builds a debug wheel with release: false, extra args and a before-build script', async () => {
    const { run, dir } = await build(
      'setup',
      {
        release: 'false',
        'out-dir': 'debug-wheels',
        args: '--locked --color "never"',
        'before-build': 'setup/hook.sh',
      },
      (d) => {
        const hook =
          'printf "%s %s" "$FERROWHEEL_TARGET" "$FERROWHEEL_IN_CONTAINER" > "$FERROWHEEL_OUT_DIR/hook.txt"\n';
        writeFileSync(path.join(d, 'hook.sh'), hook);
      },
    );
    const [wheel] = wheelsOf(run);
    expect(wheel!.path).toContain(`${path.sep}debug-wheels${path.sep}`);
    expect(run.stdout).not.toContain('--release');
    expect(run.stdout).toContain('maturin build --out');
    // The project crate gets the checkout's remaps as rustc arguments after the user's own.
    expect(run.stdout).toMatch(/--locked --color never -- --remap-path-prefix=\S+ --remap-path-prefix=\S+\n/);
    expect(run.stdout).toMatch(/`dev` profile \[unoptimized/);
    expect(readFileSync(path.join(dir, 'debug-wheels', 'hook.txt'), 'utf8')).toBe(
      'x86_64-unknown-linux-gnu false',
    );
  }, 300_000);

  it('builds a manylinux2014 wheel with zig that imports in a fresh venv', async () => {
    const { run } = await build('setup', { manylinux: '2014', zig: 'true' });
    const [wheel] = wheelsOf(run);
    expect(run.stdout).toContain('--compatibility manylinux2014 --zig');
    expect(wheel!.tags).toContain(`${cp}-${cp}-manylinux_2_17_x86_64`);
    expect(wheel!.tags).toContain(`${cp}-${cp}-manylinux2014_x86_64`);
    expect(importInFreshVenv([wheel!.path], 'import setup; assert setup.it_works(); print("ok")')).toBe(
      'ok\n',
    );
  }, 300_000);

  it('builds an sdist that builds again from its unpacked source', async () => {
    const { run } = await build('setup', { sdist: 'true' });
    wheelsOf(run);
    const sdist = run.outputs.sdist!;
    expect(path.basename(sdist)).toBe('setup-0.1.0.tar.gz');
    const digest = createHash('sha256').update(readFileSync(sdist)).digest('hex');
    expect(run.summary).toMatch(
      new RegExp(`\\| \`setup-0.1.0.tar.gz\` \\| sdist \\| [0-9.]+ KiB \\| \`${digest}\` \\|`),
    );
    const unpacked = freshDir('sdist');
    execFileSync('tar', ['-xzf', sdist, '-C', unpacked]);
    const source = path.join(unpacked, 'setup-0.1.0');
    for (const file of ['Cargo.toml', 'pyproject.toml', 'src/lib.rs']) {
      expect(existsSync(path.join(source, file))).toBe(true);
    }
    const out = freshDir('sdist-wheel');
    execFileSync(path.join(toolsBin, 'maturin'), ['build', '--release', '--out', out], {
      cwd: source,
      env: { ...process.env, CARGO_TARGET_DIR: cargoTargetDir() },
      stdio: 'ignore',
    });
  }, 300_000);

  it('builds the mixed Rust/Python example whose own tests pass against the installed wheel', async () => {
    const { run, dir } = await build('mixed', { interpreters: py });
    const [wheel] = wheelsOf(run);
    expect(wheel!.filename).toMatch(new RegExp(`^mixed-0\\.2\\.0-${cp}-${cp}-`));
    const listing = execFileSync(python, ['-m', 'zipfile', '-l', wheel!.path], { encoding: 'utf8' });
    expect(listing).toContain('mixed/__init__.py');
    expect(listing).toContain('mixed/stats.py');
    expect(listing).toContain(`mixed/_core.cpython-${cp.slice(2)}-x86_64-linux-gnu.so`);
    expect(importInFreshVenv([wheel!.path], 'import mixed; print(mixed.stats.mean([1, 2, 3, 6]))')).toBe(
      '3.0\n',
    );
    // Its own tests, with the tools' pytest, against the installed package (not the source).
    const venvSite = freshDir('mixed-site');
    execFileSync(python, [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--no-index',
      '--target',
      venvSite,
      wheel!.path,
    ]);
    const tests = path.join(dir, 'tests');
    const result = execFileSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', tests], {
      cwd: venvSite,
      env: { ...process.env, PYTHONPATH: venvSite },
      encoding: 'utf8',
    });
    expect(result).toMatch(/3 passed/);
  }, 300_000);

  it('builds one abi3 wheel for the abi3 example that imports on this newer Python', async () => {
    const { run } = await build('abi3', { interpreters: py });
    const [wheel, ...rest] = wheelsOf(run);
    expect(rest).toEqual([]);
    expect(wheel!.tags).toEqual([expect.stringMatching(/^cp39-abi3-manylinux_2_\d+_x86_64$/)]);
    expect(importInFreshVenv([wheel!.path], 'import abi3; print(abi3.greet("wheel"))')).toBe(
      'hello, wheel\n',
    );
  }, 300_000);

  it('warns when [lib] crate-type lacks cdylib', async () => {
    const { run } = await build('setup', {}, (dir) => {
      edit(path.join(dir, 'Cargo.toml'), 'crate-type = ["cdylib"]', 'crate-type = ["rlib"]');
    });
    expect(run.warnings.join('\n')).toMatch(
      /\[lib\] has crate-type = \["rlib"\].*Add crate-type = \["cdylib"\]/,
    );
    expect(run.stdout).toContain('::warning file=setup/Cargo.toml::[lib] has crate-type');
    expect(run.exitCode).toBe(0);
  }, 300_000);

  it('fails before compiling when the #[pymodule] name does not match [lib] name', async () => {
    const { run, dir } = await build('setup', {}, (d) => {
      edit(path.join(d, 'src', 'lib.rs'), 'fn setup(', 'fn wrong_name(');
    });
    expect(run.exitCode).not.toBe(0);
    const errors = run.errors.join('\n');
    expect(errors).toContain(
      "The #[pymodule] is named 'wrong_name' but [lib] name in Cargo.toml makes the module 'setup'",
    );
    expect(run.stdout).toContain('::error file=setup/src/lib.rs,line=9::The #[pymodule]');
    expect(errors).toContain('Preflight found 1 problem(s)');
    expect(run.stdout).not.toContain('Compiling');
    expect(existsSync(path.join(dir, 'dist'))).toBe(false);
  }, 60_000);

  it('fails before compiling when requires-python admits no interpreter', async () => {
    const { run } = await build('setup', {}, (d) => {
      edit(path.join(d, 'pyproject.toml'), 'requires-python = ">=3.9"', 'requires-python = ">=3.99"');
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors.join('\n')).toContain(
      `requires-python = ">=3.99" admits none of the interpreters to build for: the default python (${py})`,
    );
    expect(run.stdout).not.toContain('Compiling');
  }, 60_000);

  it('explains "Couldn\'t find any python interpreters" when maturin finds none', async () => {
    // Interpreters the preflight cannot judge (maturin's own search), so maturin itself gets to
    // fail: none on PATH satisfies requires-python. (A missing interpreter path is refused before
    // maturin: the bad-input table's case.)
    const { run } = await build('setup', { interpreters: 'find' }, (d) => {
      edit(path.join(d, 'pyproject.toml'), 'requires-python = ">=3.9"', 'requires-python = ">=3.99"');
    });
    expect(run.exitCode).not.toBe(0);
    const errors = run.errors.join('\n');
    expect(errors).toContain('maturin found no Python interpreter to build for');
    expect(errors).toContain('maturin-action/issues/71');
  }, 120_000);

  it("annotates a Rust compile error with its file and line, once beside setup-rust's matcher", async () => {
    // As after setup-rust in the same job: its matchers registered, and where they are exported.
    const matcher = path.join(repoRoot, 'actions', 'setup-rust', 'matchers', 'rust.json');
    const { run } = await build(
      'setup',
      {},
      (d) => {
        edit(
          path.join(d, 'src', 'lib.rs'),
          /fn it_works\(\) -> bool \{\n\s+true/,
          'fn it_works() -> bool {\n    "yes"',
        );
      },
      { FERROWHEEL_RUST_MATCHER: matcher },
    );
    expect(run.exitCode).not.toBe(0);
    const errors = run.errors.join('\n');
    expect(run.stdout).toContain('::error file=setup/src/lib.rs,line=5,col=5::mismatched types (E0308)');
    expect(errors).toContain('maturin build failed with exit code 1');
    // The runner's view of the job's log: one annotation for the error, and the matcher is
    // registered again for the steps after build.
    const runner = new ProblemMatchers();
    const annotations = runner.annotate([`::add-matcher::${matcher}`, ...run.stdout.split('\n')]);
    expect(annotations.filter((a) => a.message.startsWith('mismatched types'))).toEqual([
      expect.objectContaining({ source: 'command', file: 'setup/src/lib.rs', line: '5' }),
    ]);
    expect(runner.owners).toContain('ferrowheel-rustc');
  }, 300_000);
});
