/**
 * The locked test environment and the cibuildwheel-style test options, for real: a copy of
 * examples/setup with an extra (`fmt` → tabulate, which a test imports) and a `dev` group
 * (pytest), built by maturin, locked by the real uv against real PyPI, installed by real uv and
 * pip, tested by real pytest.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildExampleWheel, copyExample } from '@ferrowheel/harness/example-wheel';
import { type ActionRun, runAction } from '@ferrowheel/harness/run-action';
import { pathWithUv, withoutUv } from '@ferrowheel/harness/uv-path';
import { freshDir, noNetworkGuard, tool } from '@ferrowheel/harness/workdirs';
import { satisfies, sortVersions } from '@ferrowheel/kit/pep440';
import { beforeAll, describe, expect, it } from '@jest/globals';

const LOCKED_PYTEST = '8.3.5';

/** The versions of the distributions installed in the action's test venv. */
function installed(runnerTemp: string): Record<string, string> {
  const [workDir] = readdirSync(runnerTemp).filter((d) => d.startsWith('ferrowheel-test-'));
  const venvLib = path.join(runnerTemp, workDir!, '1-setup', 'venv', 'lib');
  const site = path.join(venvLib, readdirSync(venvLib)[0]!, 'site-packages');
  return Object.fromEntries(
    readdirSync(site)
      .map((d) => /^(.+)-([^-]+)\.dist-info$/.exec(d))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!.toLowerCase(), m[2]!]),
  );
}

/** The version a uv.lock pins for a package (the first entry). */
function lockedVersion(lockFile: string, name: string): string {
  // A universal lock may pin one version per Python range (`python_full_version < '3.10'`); the
  // newest is the one for this (current) interpreter.
  const pattern = new RegExp(`\\[\\[package\\]\\]\\nname = "${name}"\\nversion = "([^"]+)"`, 'g');
  const versions = [...readFileSync(lockFile, 'utf8').matchAll(pattern)].map((m) => m[1]!);
  if (versions.length === 0) throw new Error(`${name} not in ${lockFile}`);
  return sortVersions(versions).at(-1)!;
}

let project: string;
let wheelDir: string;
let uvPath: string;
/** pytest's newest release, as uv resolves it today. */
let newestPytest: string;
let lockedTabulate: string;

/** A workspace: the project copy, with or without its lock files. */
function workspace(options: { lock?: 'uv' | 'pylock' | 'none' } = {}): string {
  const dir = path.join(freshDir('testenv'), 'setup');
  cpSync(project, dir, { recursive: true });
  const lock = options.lock ?? 'uv';
  if (lock !== 'uv') rmSync(path.join(dir, 'uv.lock'));
  if (lock !== 'pylock') rmSync(path.join(dir, 'pylock.toml'));
  return dir;
}

async function testRun(
  dir: string,
  inputs: Record<string, string>,
  options: { uv?: boolean; toolCache?: string; env?: Record<string, string> } = {},
): Promise<ActionRun & { runnerTemp: string }> {
  const runnerTemp = freshDir('runner-temp');
  // The wheels inside the workspace, as a download step puts them (the action refuses others).
  const wheels = path.join(dir, 'wheelhouse');
  mkdirSync(wheels, { recursive: true });
  for (const file of readdirSync(wheelDir)) cpSync(path.join(wheelDir, file), path.join(wheels, file));
  const run = await runAction('test', {
    workspace: dir,
    runnerTemp,
    inputs: { wheels: 'wheelhouse', ...inputs },
    env: { PATH: options.uv === false ? withoutUv() : uvPath, ...options.env },
    ...(options.toolCache ? { toolCache: options.toolCache } : {}),
  });
  return { ...run, runnerTemp };
}

beforeAll(() => {
  project = copyExample('setup');
  appendFileSync(
    path.join(project, 'pyproject.toml'),
    '\n[project.optional-dependencies]\nfmt = ["tabulate"]\n\n[dependency-groups]\ndev = ["pytest>=8"]\n',
  );
  // A test that needs the extra, and one that checks the pytest it runs under.
  writeFileSync(
    path.join(project, 'sample', 'tests', 'test_env.py'),
    [
      'import os',
      'from importlib.metadata import version',
      '',
      'import tabulate',
      '',
      '',
      'def test_extra_installed():',
      '    assert tabulate.tabulate([[1]])',
      '',
      '',
      'def test_pytest_version():',
      '    expected = os.environ.get("EXPECT_PYTEST")',
      '    if expected:',
      '        assert version("pytest") == expected',
      '',
    ].join('\n'),
  );
  wheelDir = buildExampleWheel('setup-testenv', { projectDir: project }).dir;
  uvPath = pathWithUv();
  // Today's newest pytest, as a fresh lock resolves it; then the project's lock, pinned older.
  const env = { ...process.env, UV_NO_PROGRESS: '1' };
  execFileSync(tool('uv'), ['lock', '--quiet'], { cwd: project, env });
  newestPytest = lockedVersion(path.join(project, 'uv.lock'), 'pytest');
  execFileSync(tool('uv'), ['lock', '--quiet', '--upgrade-package', `pytest==${LOCKED_PYTEST}`], {
    cwd: project,
    env,
  });
  expect(lockedVersion(path.join(project, 'uv.lock'), 'pytest')).toBe(LOCKED_PYTEST);
  expect(satisfies(newestPytest, `>${LOCKED_PYTEST}`)).toBe(true);
  lockedTabulate = lockedVersion(path.join(project, 'uv.lock'), 'tabulate');
  execFileSync(
    tool('uv'),
    [
      'export',
      '--quiet',
      '--frozen',
      '--format',
      'pylock.toml',
      '--no-emit-workspace',
      '--extra',
      'fmt',
      '-o',
      'pylock.toml',
    ],
    { cwd: project, env },
  );
}, 600_000);

describe('a project with uv.lock', () => {
  it('gets exactly the locked pytest (an older one), the extra at its locked version, hash-checked in one call', async () => {
    const run = await testRun(workspace(), {
      extras: 'fmt',
      'test-environment': `EXPECT_PYTEST=${LOCKED_PYTEST}`,
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /uv export --locked --format requirements\.txt --no-header --no-emit-workspace --extra fmt/,
    );
    expect(run.stdout).toContain('Installing at the locked versions of uv.lock (');
    expect(run.stdout).toMatch(
      /uv pip install --python \S+ --require-hashes --requirement=\S+locked-requirements\.txt/,
    );
    expect(installed(run.runnerTemp)).toMatchObject({
      pytest: LOCKED_PYTEST,
      tabulate: lockedTabulate,
      setup: '0.1.0',
    });
    // test_sample.py and test_env.py's two tests.
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ passed: 3, failed: 0 });
    expect(run.summary).toContain('Test environment installed with uv, at the locked versions of uv.lock (');
    expect(run.summary).toMatch(/\| Install \| Tests \|/);
  }, 180_000);

  it('with pip as the installer: uv exports, pip installs the same locked versions', async () => {
    const run = await testRun(workspace(), {
      extras: 'fmt',
      installer: 'pip',
      'test-environment': `EXPECT_PYTEST=${LOCKED_PYTEST}`,
    });
    expect(run.errors).toEqual([]);
    expect(run.stdout).toMatch(
      /python -m pip install --disable-pip-version-check --no-input --require-hashes --requirement=/,
    );
    expect(installed(run.runnerTemp)).toMatchObject({ pytest: LOCKED_PYTEST, tabulate: lockedTabulate });
  }, 180_000);

  it('an out-of-date lock: reported (auto tests with it anyway), refused by require with how to refresh', async () => {
    const dir = workspace();
    const pyproject = path.join(dir, 'pyproject.toml');
    writeFileSync(
      pyproject,
      readFileSync(pyproject, 'utf8').replace('dev = ["pytest>=8"]', 'dev = ["pytest>=8", "iniconfig"]'),
    );
    const auto = await testRun(dir, { extras: 'fmt', 'test-environment': `EXPECT_PYTEST=${LOCKED_PYTEST}` });
    expect(auto.exitCode).toBe(0);
    expect(auto.stdout).toMatch(
      /::warning::uv\.lock is out of date with pyproject\.toml \(uv export --locked: The lockfile at `uv\.lock` needs to be updated, but `--locked` was provided\.\); testing with its locked versions anyway\. Refresh it with `uv lock` in the project and commit it\./,
    );
    expect(installed(auto.runnerTemp)).toMatchObject({ pytest: LOCKED_PYTEST });
    const require = await testRun(dir, { extras: 'fmt', lock: 'require' });
    expect(require.exitCode).toBe(1);
    expect(require.errors.join('\n')).toMatch(
      /^uv\.lock is out of date with pyproject\.toml \(uv export --locked: The lockfile at `uv\.lock` needs to be updated, but `--locked` was provided\.\)\. Refresh it with `uv lock` in the project and commit it, or set 'lock' to auto to test with it as it is\.$/,
    );
  }, 180_000);

  it('with no uv on PATH: the pinned uv from PyPI (SHA-256 checked, tool-cached) exports the lock, and pytest is exactly the locked one', async () => {
    const toolCache = freshDir('tool-cache-uv');
    const dir = workspace();
    const first = await testRun(
      dir,
      { extras: 'fmt', lock: 'require', 'test-environment': `EXPECT_PYTEST=${LOCKED_PYTEST}` },
      { uv: false, toolCache },
    );
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/SHA256 [0-9a-f]{64} matches ferrowheel's pin/);
    expect(first.stdout).toMatch(
      /uv is not on PATH: exporting the lock with uv 0\.\d+\.\d+ from its PyPI wheel, SHA-256 checked against ferrowheel's pin \(\S+\/uv\)/,
    );
    expect(first.stdout).toMatch(/\/uv export --locked --format requirements\.txt/);
    // pip installs (no uv on PATH for the installer), at the locked versions.
    expect(first.stdout).toMatch(
      /python -m pip install --disable-pip-version-check --no-input --require-hashes/,
    );
    expect(installed(first.runnerTemp)).toMatchObject({ pytest: LOCKED_PYTEST, tabulate: lockedTabulate });
    expect(JSON.parse(first.outputs.results!)[0]).toMatchObject({ passed: 3, failed: 0 });
    // Cached: the next run of any step on this runner finds it there (kit's pinned-tool test shows
    // it then asks no index).
    expect(readdirSync(path.join(toolCache, 'uv'))).toEqual([expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
  }, 240_000);

  it('with no uv on PATH and no way to get one: auto warns (the summary too) and installs unlocked, require fails', async () => {
    const dir = workspace();
    // An empty tool cache and every connection of the action refused: the pinned uv cannot be had.
    const offline = {
      uv: false,
      toolCache: freshDir('tool-cache-empty'),
      env: { NODE_OPTIONS: `--import=${noNetworkGuard}` },
    };
    const auto = await testRun(dir, { extras: 'fmt' }, offline);
    expect(auto.exitCode).toBe(0);
    const warning = auto.warnings.find((w) => w.startsWith('uv.lock can only be exported by uv'));
    expect(warning).toMatch(
      /^uv\.lock can only be exported by uv, and no uv could be had: uv is not on PATH, and ferrowheel's pinned uv could not be installed \(Could not look up uv 0\.\d+\.\d+ on https:\/\/pypi\.org \(.*\)\. Retry when the index is reachable, or install uv yourself and put it on PATH before this step\.\); installing without the lock\. Put uv on PATH before this step \(astral-sh\/setup-uv\) to test with the locked versions\.$/,
    );
    expect(auto.summary).toContain(`> [!WARNING]\n> ${warning}`);
    expect(installed(auto.runnerTemp).pytest).toBe(newestPytest);
    const require = await testRun(dir, { lock: 'require' }, offline);
    expect(require.exitCode).toBe(1);
    expect(require.errors.join('\n')).toMatch(
      /^uv\.lock can only be exported by uv, and no uv could be had: .*\. Put uv on PATH before this step \(astral-sh\/setup-uv\), or set 'lock' to auto or off\.$/,
    );
  }, 240_000);
});

describe('the same project without a lock', () => {
  it('gets the newest versions; lock: require fails and says how to create one', async () => {
    const dir = workspace({ lock: 'none' });
    const run = await testRun(dir, { extras: 'fmt', groups: 'dev' });
    expect(run.errors).toEqual([]);
    expect(run.stdout).toContain('Not locked: no uv.lock or pylock.toml in the project');
    expect(run.summary).toContain(
      'Test environment installed with uv, not locked (no uv.lock or pylock.toml in the project).',
    );
    expect(installed(run.runnerTemp).pytest).toBe(newestPytest);
    // One resolver call: the wheel with its extra, sample/, pytest and the group together.
    expect(run.stdout).toMatch(/uv pip install --python \S+ \S+\.whl\[fmt\] \S+\/sample pytest pytest>=8/);

    const require = await testRun(dir, { lock: 'require' });
    expect(require.exitCode).toBe(1);
    expect(require.errors).toEqual([
      `Input 'lock' is 'require', but ${dir} has no uv.lock or pylock.toml. Create one with \`uv lock\` (or \`pip lock\`) and commit it, or set 'lock' to auto.`,
    ]);
  }, 180_000);

  it('lock: off ignores a lock that is there', async () => {
    const run = await testRun(workspace(), { extras: 'fmt', lock: 'off' });
    expect(run.errors).toEqual([]);
    expect(installed(run.runnerTemp).pytest).toBe(newestPytest);
  }, 180_000);

  it('without the extra, the test that imports it fails: the extra is what installs tabulate', async () => {
    const run = await testRun(workspace({ lock: 'none' }), {});
    expect(run.exitCode).toBe(1);
    expect(installed(run.runnerTemp).tabulate).toBeUndefined();
    expect(run.stdout).toMatch(/ModuleNotFoundError: No module named 'tabulate'/);
    expect(run.errors.at(-1)).toMatch(/^Tests failed: .*\(0 failed, 1 errors of 1\)/);
  }, 180_000);
});

describe('a project with a PEP 751 pylock.toml', () => {
  it('pip installs the locked versions with their hashes', async () => {
    const run = await testRun(
      workspace({ lock: 'pylock' }),
      { extras: 'fmt', installer: 'pip', 'test-environment': `EXPECT_PYTEST=${LOCKED_PYTEST}` },
      { uv: false },
    );
    expect(run.errors).toEqual([]);
    expect(run.stdout).toContain('Installing at the locked versions of pylock.toml (');
    expect(installed(run.runnerTemp)).toMatchObject({ pytest: LOCKED_PYTEST, tabulate: lockedTabulate });
  }, 180_000);
});

describe('test options', () => {
  it('test-command with placeholders, before-test, test-environment and test-sources', async () => {
    const dir = workspace({ lock: 'none' });
    // A root conftest.py and a data file the tests need, outside the tests directory.
    writeFileSync(
      path.join(dir, 'conftest.py'),
      'import os\nimport pytest\n\n\n@pytest.fixture\ndef greeting():\n    return os.environ["GREETING"]\n',
    );
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'expected.txt'), 'hello, world; $(not expanded)\n');
    writeFileSync(
      path.join(dir, 'sample', 'tests', 'test_options.py'),
      [
        'import os',
        'from pathlib import Path',
        '',
        '',
        'def test_sources_and_environment(greeting):',
        '    data = Path(__file__).parents[2] / "data" / "expected.txt"',
        '    assert data.read_text().strip() == greeting',
        '    assert (Path(os.environ["VIRTUAL_ENV"]) / "before-test-ran").read_text() == "yes"',
        '',
      ].join('\n'),
    );
    mkdirSync(path.join(dir, 'ci'));
    writeFileSync(
      path.join(dir, 'ci', 'before_test.py'),
      'import os\nfrom pathlib import Path\nassert os.environ["GREETING"]\n(Path(os.environ["FERROWHEEL_VENV"]) / "before-test-ran").write_text("yes")\nprint("before-test ran for", os.environ["FERROWHEEL_WHEEL"])\n',
    );
    const run = await testRun(dir, {
      extras: 'fmt',
      'test-command': 'python -m pytest sample/tests -v -k "options or extra" --confcutdir={package}/..',
      'before-test': 'ci/before_test.py',
      'test-environment': 'GREETING="hello, world; $(not expanded)"',
      'test-sources': 'conftest.py data',
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/before-test ran for \S+\.whl/);
    expect(run.stdout).toContain(`--confcutdir=${dir}/..`);
    expect(run.stdout).toContain('test_options.py::test_sources_and_environment PASSED');
    // pytest through test-command still reports per test.
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ passed: 2, failed: 0 });
  }, 180_000);

  it('a test-command that is not pytest: its exit code decides; one that cannot be found is a clear error', async () => {
    const dir = workspace({ lock: 'none' });
    mkdirSync(path.join(dir, 'ci'));
    writeFileSync(
      path.join(dir, 'ci', 'check.py'),
      'import sys, setup\nprint("checked", setup.__name__)\nsys.exit(3)\n',
    );
    const failing = await testRun(dir, { 'test-command': 'python {package}/ci/check.py' });
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain('checked setup');
    expect(failing.errors.at(-1)).toMatch(/^Tests failed: setup-0\.1\.0-.*\.whl \(1 failed, 0 errors of 1\)/);
    expect(JSON.parse(failing.outputs.results!)[0]).toMatchObject({ passed: 0, failed: 1 });

    writeFileSync(path.join(dir, 'ci', 'prepare.sh'), 'echo "preparing $FERROWHEEL_WHEEL"\nexit 2\n');
    const beforeFails = await testRun(dir, { 'before-test': 'ci/prepare.sh' });
    expect(beforeFails.exitCode).toBe(1);
    expect(beforeFails.stdout).toMatch(/preparing \S+\.whl/);
    expect(beforeFails.errors).toEqual([
      expect.stringMatching(
        /^Input 'before-test' \(ci\/prepare\.sh\) exited with code 2 before the tests of setup-0\.1\.0-\S+\.whl\. See its output above; fix the script or remove the input\.$/,
      ),
    ]);

    const missing = await testRun(dir, { 'test-command': 'ferrowheel-no-such-runner --all' });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors).toEqual([
      "Input 'test-command' runs 'ferrowheel-no-such-runner', which is neither in the test venv nor on PATH. Install it into the venv (add it to 'requirements' or 'groups'), or give the command's path.",
    ]);
  }, 180_000);

  it('timeout-minutes stops a hanging test run and says so', async () => {
    const dir = workspace({ lock: 'none' });
    writeFileSync(
      path.join(dir, 'sample', 'tests', 'test_hang.py'),
      'import time\n\n\ndef test_hangs():\n    time.sleep(120)\n',
    );
    const run = await testRun(dir, { extras: 'fmt', 'timeout-minutes': '0.05' });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain(
      "The test run was stopped after 0.05 min (timeout-minutes: 0.05 min). Look for a hanging test in the output above (pytest -v shows the last one started), or raise 'timeout-minutes'.",
    );
  }, 180_000);

  it('test-skip: each skipped wheel is reported as not tested', async () => {
    const name = readdirSync(wheelDir).find((f) => f.endsWith('.whl'))!;
    const run = await testRun(workspace({ lock: 'none' }), {
      'test-skip': 'cp3*-manylinux*\n*-win32',
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`not tested: ${name}: skipped by test-skip ('cp3*-manylinux*')`);
    expect(run.summary).toContain(`- \`${name}\`: skipped by test-skip ('cp3*-manylinux*')`);
    expect(run.outputs.results).toBe('[]');
  }, 60_000);

  it('bad values of the new inputs name the input, the value and the fix', async () => {
    const dir = workspace({ lock: 'none' });
    const cases: [Record<string, string>, string][] = [
      [
        { lock: 'yes' },
        `Input 'lock' is not one of the allowed values: got "yes". Use one of: auto, off, require.`,
      ],
      [
        { 'test-command': 'pytest {tests}' },
        `Input 'test-command' holds the placeholder {tests}, which is not known`,
      ],
      [{ 'before-test': '../../../etc/passwd' }, `Input 'before-test' points outside the workspace`],
      [
        { 'test-environment': 'NO_EQUALS' },
        `Input 'test-environment' holds a line that is not NAME=VALUE: got "NO_EQUALS".`,
      ],
      [{ 'test-sources': 'nowhere.py' }, `Input 'test-sources' does not exist`],
      [{ 'test-skip': 'dist/*.whl' }, `Input 'test-skip' is a path; patterns match wheel file names`],
      [
        { 'timeout-minutes': 'soon' },
        `Input 'timeout-minutes' is not a number of minutes from 0 to 360: got "soon".`,
      ],
    ];
    for (const [inputs, expected] of cases) {
      const run = await runAction('test', { workspace: dir, inputs });
      expect({ inputs, exitCode: run.exitCode }).toEqual({ inputs, exitCode: 1 });
      expect(run.errors.join('\n')).toContain(expected);
    }
  }, 60_000);
});
