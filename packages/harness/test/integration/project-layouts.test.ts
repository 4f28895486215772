/**
 * The project layouts kit's locator decides for, through the bundles, for real: plan, build and
 * test on
 * - examples/workspace: a uv workspace member (`crates/wsmember`) whose `dev` group and uv.lock
 *   (pytest pinned to 8.3.5) are at the workspace root, and a cargo workspace member whose
 *   Cargo.lock is there too; its conftest.py reads the sibling crate's test vectors and a test
 *   reads the repository's data/;
 * - examples/manifest-path: `[tool.maturin] manifest-path = "rust/Cargo.toml"`, the Python package
 *   at the root beside a root conftest.py, so that run in the checkout the sources would shadow
 *   the wheel (a control run shows they do), and a test that reads `../../data/x.json`;
 * and `npm run pipeline` on the workspace member, outside the repository.
 * Builds share the copies' cargo target dir, so pyo3 is not compiled again.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runPipeline } from '../../src/pipeline-run.js';
import { type ActionRun, runAction } from '../../src/run-action.js';
import { pathWithUv } from '../../src/uv-path.js';
import { cargoTargetDir, example, freshDir, tool, toolsBin } from '../../src/workdirs.js';

/**
 * The tools venv first on PATH, as the other build tests have it: the same Python, so pyo3's
 * build in the shared target dir is reused rather than redone for another interpreter.
 */
function buildPath(): string {
  return `${toolsBin}${path.delimiter}${process.env.PATH}`;
}

/** A checkout holding a copy of an example at its root. */
function checkoutOf(name: string): string {
  const dir = path.join(freshDir(`layout-${name}`), name);
  cpSync(example(name), dir, {
    recursive: true,
    filter: (src) => !['target', 'dist', '__pycache__', '.pytest_cache'].includes(path.basename(src)),
  });
  return dir;
}

function succeeded(run: ActionRun): ActionRun {
  if (run.exitCode !== 0) throw new Error(`the step failed:\n${run.stdout}\n${run.stderr}`);
  return run;
}

async function build(workspace: string, inputs: Record<string, string>): Promise<ActionRun> {
  return succeeded(
    await runAction('build', {
      workspace,
      inputs: { container: 'off', cache: 'false', ...inputs },
      env: { PATH: buildPath(), CARGO_TARGET_DIR: cargoTargetDir(), CARGO_TERM_COLOR: 'never' },
    }),
  );
}

/** Everything a test run may leave in a checkout; none of it may appear. */
function leftovers(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (['__pycache__', '.pytest_cache', '.hypothesis'].includes(entry.name)) found.push(entry.name);
  }
  return found;
}

describe('a uv and cargo workspace member (examples/workspace, crates/wsmember)', () => {
  let checkout: string;
  let wheels: string;
  beforeAll(() => {
    checkout = checkoutOf('workspace');
  });

  it('plans from the member', async () => {
    const run = succeeded(
      await runAction('plan', {
        workspace: checkout,
        inputs: {
          'working-directory': 'crates/wsmember',
          platforms: 'linux-x86_64',
          'python-versions': '3.11',
        },
      }),
    );
    expect(run.outputs['package-name']).toBe('wsmember');
  });

  it("builds the member with the workspace root's Cargo.lock (--locked)", async () => {
    const run = await build(checkout, { 'working-directory': 'crates/wsmember', args: '--locked' });
    expect(run.stdout).toContain('preflight: all checks passed');
    expect(run.stdout).toMatch(/maturin build .*--locked/);
    wheels = run.outputs.wheels!;
    expect(JSON.parse(wheels)).toEqual([expect.objectContaining({ name: 'wsmember' })]);
  }, 300_000);

  it("tests with the root's locked dev group: exactly pytest 8.3.5, repository files found", async () => {
    const run = succeeded(
      await runAction('test', {
        workspace: checkout,
        inputs: {
          wheels,
          'working-directory': 'crates/wsmember',
          groups: 'dev',
          lock: 'require',
          'test-environment': 'EXPECT_PYTEST=8.3.5',
        },
        env: { PATH: pathWithUv() },
      }),
    );
    expect(run.stdout).toMatch(/uv export --locked .*--no-default-groups --group dev/);
    expect(run.stdout).toContain('Installing at the locked versions of uv.lock (');
    // The vectors of the sibling crate, the root's data/, the wheel imported, the locked pytest.
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ passed: 4, failed: 0, errors: 0 });
    expect(leftovers(checkout)).toEqual([]);
  }, 300_000);

  it("without the lock, 'groups: dev' is the root's group too (the member has none)", async () => {
    const run = succeeded(
      await runAction('test', {
        workspace: checkout,
        inputs: { wheels, 'working-directory': 'crates/wsmember', groups: 'dev', lock: 'off' },
        env: { PATH: pathWithUv() },
      }),
    );
    // The root's dev = ["pytest>=8"], installed unlocked with the wheel.
    expect(run.stdout).toMatch(/uv pip install .*\.whl pytest pytest>=8/);
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ passed: 4, failed: 0 });
  }, 300_000);
});

describe('[tool.maturin] manifest-path with the Python sources at the root (examples/manifest-path)', () => {
  let checkout: string;
  let wheels: string;
  beforeAll(() => {
    checkout = checkoutOf('manifest-path');
  });

  it('plans and builds from rust/Cargo.toml: preflight reads the crate manifest-path names', async () => {
    const plan = succeeded(
      await runAction('plan', {
        workspace: checkout,
        inputs: { platforms: 'linux-x86_64', 'python-versions': '3.11' },
      }),
    );
    expect(plan.outputs['package-name']).toBe('rustdir');
    const run = await build(checkout, {});
    expect(run.stdout).toContain('preflight: all checks passed');
    wheels = run.outputs.wheels!;
    expect(JSON.parse(wheels)).toEqual([expect.objectContaining({ name: 'rustdir' })]);
  }, 300_000);

  it('tests the wheel in place, though the sources would shadow it there (a control run shows they do)', async () => {
    const runnerTemp = freshDir('runner-temp');
    const run = succeeded(
      await runAction('test', {
        workspace: checkout,
        runnerTemp,
        inputs: { wheels },
        env: { PATH: pathWithUv() },
      }),
    );
    expect(run.stdout).toContain('import rustdir: from the installed wheel only');
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ passed: 2, failed: 0, errors: 0 });
    expect(leftovers(checkout)).toEqual([]);

    // The control: the same tests in the checkout, in a venv with the wheel but without the hook.
    const venv = path.join(freshDir('control'), 'venv');
    execFileSync(tool('uv'), ['venv', '--quiet', '--python', tool('python'), venv]);
    const wheel = JSON.parse(wheels)[0].path as string;
    execFileSync(tool('uv'), [
      'pip',
      'install',
      '--quiet',
      '--python',
      path.join(venv, 'bin', 'python'),
      wheel,
      'pytest',
    ]);
    const control = (() => {
      try {
        execFileSync(path.join(venv, 'bin', 'pytest'), ['-p', 'no:cacheprovider', 'tests'], {
          cwd: checkout,
          env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
          encoding: 'utf8',
        });
        return '';
      } catch (thrown) {
        return String((thrown as { stdout?: string }).stdout);
      }
    })();
    expect(control).toContain("No module named 'rustdir._native'");
  }, 300_000);

  it('test-sources: the tests run from a copy holding them, at their paths relative to the project', async () => {
    const run = succeeded(
      await runAction('test', {
        workspace: checkout,
        inputs: { wheels, 'test-sources': 'conftest.py\ndata' },
        env: { PATH: pathWithUv() },
      }),
    );
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ passed: 2, failed: 0, errors: 0 });
  }, 300_000);
});

describe('npm run pipeline on a workspace member outside the repository', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('copies the workspace, builds, tests with the locked tools, publishes and imports', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-pipeline-ws-'));
    made.push(base);
    cpSync(example('workspace'), path.join(base, 'workspace'), {
      recursive: true,
      filter: (src) => !['target', 'dist'].includes(path.basename(src)),
    });
    const { code, out } = await runPipeline(
      [path.join(base, 'workspace', 'crates', 'wsmember'), '--no-sdist'],
      { PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' },
    );
    if (code !== 0) throw new Error(`pipeline failed (exit ${code}):\n${out}`);
    expect(out).toMatch(/^ {2}a workspace member: .*workspace is copied, the project is crates\/wsmember$/m);
    for (const step of ['build', 'test', 'publish'])
      expect(out).toMatch(new RegExp(`^✓ ${step} \\d+\\.\\d s$`, 'm'));
    expect(out).toMatch(
      /installed wsmember==0\.1\.0 from http:\/\/127\.0\.0\.1:\d+\/simple\/ into a fresh venv; import wsmember works/,
    );
    const report = out
      .trimEnd()
      .split('\n')
      .at(-1)!
      .replace(/^report: /, '')
      .replace(/\.html$/, '.md');
    expect(readFileSync(report, 'utf8')).toMatch(
      /at the locked versions of project\/uv\.lock \(\d+ packages\)/,
    );
  }, 400_000);
});
