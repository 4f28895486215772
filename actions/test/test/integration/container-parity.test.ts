/**
 * One parity table through the bundle: a case per input of actions/test/action.yml, each checked
 * the same way on the runner (native) and in a container of a locally built image, so every
 * option means the same in both and failures are annotated at the repository's files in both.
 *
 * Cases share runs: one run sets most options at once (each case checks its own evidence in
 * it), and the inputs that change the flow (test-command, lock, test-skip, a failing test, a
 * hanging one) get a run of their own; each run is made once per mode. `npm test` makes the two
 * runs most cases use; `npm run matrix -- --parity` makes them all. The fixture is a copy of
 * examples/setup with an extra (fmt → tabulate), a dependency group (check → toolz), a lock
 * (pytest pinned to an older release), a data file, a before-test script and tests that check
 * each; the workspace is the copy's parent, so `working-directory` is `setup`.
 *
 * Each mode tests a wheel of its own interpreter: the runner's python3 natively (3.11 here, 3.12 on
 * GitHub's runner, which has no 3.11) and the image's CPython 3.11 in the container; the cases
 * check the same things of both, each against its mode's CPython.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readActionMetadata } from '@ferrowheel/harness/action-metadata';
import { buildExampleWheel, copyExample } from '@ferrowheel/harness/example-wheel';
import { hostPython, pythonVersion } from '@ferrowheel/harness/host-python';
import { type ActionRun, runAction } from '@ferrowheel/harness/run-action';
import { freshDir, tool } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { amd64PythonImage, IMAGE_PYTHON } from './container-image.js';

type Mode = 'native' | 'container';
const MODES: Mode[] = ['native', 'container'];
/** The CPython (`3.11`) a mode tests with, and builds its wheel for. */
const pythonOf = (mode: Mode): string => (mode === 'native' ? hostPython().version : IMAGE_PYTHON);
/** `3.11` → `3\.11`, for a pattern. */
const escaped = (version: string): string => version.replace('.', '\\.');
/** `3.11` → `cp311`. */
const tagOf = (version: string): string => pythonVersion(version).tag;
const LOCKED_PYTEST = '8.3.5';
const TESTS = 'setup/sample/tests/test_parity.py';

/** The tests of the fixture: each checks what one option must have done. */
const TEST_FILE = [
  'import json',
  'import os',
  'import sys',
  'import time',
  'from importlib.metadata import version',
  'from pathlib import Path',
  '',
  'import setup',
  '',
  '',
  'def test_works():',
  '    assert setup.it_works()',
  '',
  '',
  'def test_options():',
  '    if not os.environ.get("PARITY"):',
  '        return',
  '    import six  # requirements',
  '    import tabulate  # extras',
  '    import toolz  # groups',
  '',
  '    assert six and tabulate and toolz',
  '    assert os.environ["PARITY"] == "a b; $(not expanded)"',
  '    data = Path(__file__).parents[2] / "data" / "numbers.json"  # test-sources',
  '    assert json.loads(data.read_text()) == [1, 2, 3]',
  '    assert (Path(sys.prefix) / "before-test.txt").read_text().endswith(".whl")',
  '',
  '',
  'def test_locked_pytest():',
  '    expected = os.environ.get("EXPECT_PYTEST")',
  '    if expected:',
  '        assert version("pytest") == expected',
  '',
  '',
  'def test_deselected():',
  '    # Only a run that selects it on purpose gets here (the failure run).',
  '    assert setup.it_works() is False',
  '',
  '',
  'def test_hangs():',
  '    if os.environ.get("HANG"):',
  '        time.sleep(300)',
  '',
].join('\n');
/** The line of the failing assertion in TEST_FILE (1-based). */
const FAILING_LINE = TEST_FILE.split('\n').indexOf('    assert setup.it_works() is False') + 1;

/** A run of the action: inputs, and the files it adds to the fixture's copy. */
interface Run {
  inputs: Record<string, string>;
  /** Sets the input `python` to the mode's CPython (pythonOf). */
  python?: true;
  env?: Record<string, string>;
  prepare?: (project: string) => void;
}

/**
 * The course layout's sample/ package is built into a wheel on the runner for a container (its
 * build backend comes from the index): the runs that check something else leave it out.
 */
function withoutSamplePackage(project: string): void {
  rmSync(path.join(project, 'sample', 'pyproject.toml'));
  rmSync(path.join(project, 'sample', 'src'), { recursive: true });
}

const RUNS = {
  options: {
    inputs: {
      wheels: 'wheelhouse/*.whl',
      tests: 'sample/tests',
      requirements: '-r sample/requirements-test.txt\nsix',
      extras: 'fmt',
      groups: 'check',
      'pytest-args': '-v -k "not deselected"',
      installer: 'pip',
      'import-check': 'true',
      lock: 'off',
      'test-environment': 'PARITY="a b; $(not expanded)"',
      'test-sources': 'data/numbers.json',
      'before-test': 'ci/before-test.sh',
      'timeout-minutes': '10',
    },
    python: true,
  },
  failure: { inputs: { 'pytest-args': '-k deselected', lock: 'off' }, prepare: withoutSamplePackage },
  command: {
    inputs: {
      'test-command': 'python -m pytest {package}/sample/tests -k works',
      lock: 'off',
    },
    prepare: withoutSamplePackage,
  },
  lock: {
    inputs: {
      lock: 'require',
      'pytest-args': '-k "not deselected"',
      extras: 'fmt',
      installer: 'pip',
      'test-environment': `EXPECT_PYTEST=${LOCKED_PYTEST}`,
    },
  },
  skip: { inputs: { 'test-skip': 'cp3*-manylinux_*' } },
  hang: {
    inputs: {
      'timeout-minutes': '0.1',
      'test-environment': 'HANG=1',
      'pytest-args': '-k hangs',
      lock: 'off',
    },
    prepare: withoutSamplePackage,
  },
} satisfies Record<string, Run>;
type RunName = keyof typeof RUNS;

/**
 * The runs `npm test` makes in both modes: most inputs' cases, the annotations and the summary.
 * `npm run matrix -- --parity` (FERROWHEEL_PARITY=all) makes every run, in both modes.
 */
const QUICK: readonly RunName[] = ['options', 'failure'];
const SELECTED = process.env.FERROWHEEL_PARITY === 'all' ? (Object.keys(RUNS) as RunName[]) : QUICK;

interface Outcome extends ActionRun {
  mode: Mode;
  /** The mode's CPython: `3.11`. */
  python: string;
  imageId: string;
  project: string;
}

interface Case {
  input: string;
  run: RunName;
  check: (outcome: Outcome) => void;
}

/** The JUnit test names of the run's `results`. */
function results(outcome: Outcome): { passed: number; failed: number; skipped: number } {
  return JSON.parse(outcome.outputs.results ?? '[{}]')[0];
}

const passed = (outcome: Outcome) => {
  expect({ errors: outcome.errors, exitCode: outcome.exitCode }).toEqual({ errors: [], exitCode: 0 });
};

const CASES: Case[] = [
  {
    input: 'wheels',
    run: 'options',
    check: (o) => {
      passed(o);
      const tag = tagOf(o.python);
      expect(o.outputs.wheel).toMatch(
        new RegExp(`/wheelhouse/setup-0\\.1\\.0-${tag}-${tag}-manylinux_\\w+\\.whl$`),
      );
    },
  },
  {
    input: 'python',
    run: 'options',
    check: (o) => expect(o.outputs['python-version']).toMatch(new RegExp(`^${escaped(o.python)}\\.\\d+$`)),
  },
  {
    input: 'tests',
    run: 'options',
    check: (o) => expect(o.stdout).toContain('sample/tests/test_parity.py::test_options PASSED'),
  },
  {
    input: 'requirements',
    run: 'options',
    check: (o) => expect(o.stdout).toMatch(/Successfully installed .*six-/),
  },
  {
    input: 'extras',
    run: 'options',
    check: (o) => expect(o.stdout).toMatch(/Successfully installed .*tabulate-/),
  },
  {
    input: 'groups',
    run: 'options',
    check: (o) => expect(o.stdout).toMatch(/Successfully installed .*toolz-/),
  },
  {
    input: 'pytest-args',
    run: 'options',
    check: (o) => {
      expect(o.stdout).not.toContain('test_deselected');
      expect(results(o)).toMatchObject({ passed: 5, failed: 0 });
    },
  },
  {
    input: 'installer',
    run: 'options',
    check: (o) => expect(o.summary).toContain('Test environment installed with pip'),
  },
  {
    input: 'working-directory',
    run: 'failure',
    check: (o) => expect(o.stdout).toContain(`file=${TESTS},line=${FAILING_LINE}`),
  },
  {
    input: 'import-check',
    run: 'options',
    check: (o) =>
      expect(o.stdout).toMatch(
        new RegExp(
          `import setup\\.setup: ok \\(\\S+/venv/lib/python${escaped(o.python)}/site-packages/setup/`,
        ),
      ),
  },
  {
    input: 'lock',
    run: 'lock',
    check: (o) => {
      passed(o);
      expect(o.stdout).toContain('Installing at the locked versions of setup/uv.lock');
      expect(o.stdout).toMatch(
        new RegExp(`Successfully installed .*pytest-${LOCKED_PYTEST.replace(/\./g, '\\.')}`),
      );
    },
  },
  {
    input: 'test-command',
    run: 'command',
    check: (o) => {
      passed(o);
      expect(o.stdout).toMatch(/-m pytest \S+\/setup\/sample\/tests -k works --junitxml=/);
      expect(results(o)).toMatchObject({ passed: 2, failed: 0 });
    },
  },
  {
    input: 'before-test',
    run: 'options',
    check: (o) => expect(o.stdout).toMatch(/before-test ran in (x86_64|aarch64)/),
  },
  { input: 'test-environment', run: 'options', check: (o) => passed(o) },
  { input: 'test-sources', run: 'options', check: (o) => passed(o) },
  {
    input: 'test-skip',
    run: 'skip',
    check: (o) => {
      passed(o);
      expect(o.stdout).toMatch(
        /not tested: setup-0\.1\.0-\S+\.whl: skipped by test-skip \('cp3\*-manylinux_\*'\)/,
      );
      expect(o.outputs.results).toBe('[]');
    },
  },
  {
    input: 'timeout-minutes',
    run: 'hang',
    check: (o) => {
      expect(o.exitCode).toBe(1);
      expect(o.errors.join('\n')).toContain(
        'The test run was stopped after 0.1 min (timeout-minutes: 0.1 min).',
      );
      expect(o.durationMs).toBeLessThan(120_000);
    },
  },
  {
    input: 'container',
    run: 'options',
    check: (o) => {
      if (o.mode === 'native') {
        expect(o.stdout).not.toContain('docker exec');
        expect(o.summary).not.toContain('Tested in');
        return;
      }
      // The stand-in this test built ran, not an image from a registry.
      expect(o.stdout).toContain(`image ${o.imageId}`);
      expect(o.stdout).not.toContain('[command]docker pull');
      expect(o.summary).toContain('Tested in ');
    },
  },
  {
    input: 'docker-platform',
    run: 'options',
    check: (o) => {
      if (o.mode === 'container') expect(o.summary).toContain('(linux/amd64)');
    },
  },
  // The report, the same in both modes.
  {
    input: '(annotations)',
    run: 'failure',
    check: (o) => {
      expect(o.exitCode).toBe(1);
      expect(o.stdout).toMatch(
        new RegExp(
          `::error title=Failed%3A \\S*test_deselected \\(setup-0\\.1\\.0-\\S+\\.whl\\),file=${TESTS},line=${FAILING_LINE}::`,
        ),
      );
      expect(o.errors.at(-1)).toMatch(/^Tests failed: setup-0\.1\.0-\S+\.whl \(1 failed, 0 errors of 1\)/);
    },
  },
  {
    input: '(summary)',
    run: 'options',
    check: (o) => {
      const tag = tagOf(o.python);
      expect(o.summary).toMatch(
        new RegExp(
          `\\| \`setup-0\\.1\\.0-${tag}-${tag}-manylinux_\\w+\\.whl\` \\| CPython ${escaped(o.python)}\\.\\d+ \\(linux x86_64, glibc 2\\.\\d+\\) \\| 5 \\| 0 \\| 0 \\| 0 \\|`,
        ),
      );
      expect(o.summary).toContain('`sample/tests/test_parity.py::test_options`');
    },
  },
];

let project: string;
/** The wheels' directory of each mode: for the runner's python3, and for the image's CPython. */
const wheelDirs = new Map<Mode, string>();
let imageId: string;
let image: string;
let uvBin: string;

beforeAll(async () => {
  project = copyExample('setup');
  appendFileSync(
    path.join(project, 'pyproject.toml'),
    '\n[project.optional-dependencies]\nfmt = ["tabulate"]\n\n[dependency-groups]\ndev = ["pytest>=8"]\ncheck = ["toolz"]\n',
  );
  writeFileSync(path.join(project, 'sample', 'tests', 'test_parity.py'), TEST_FILE);
  writeFileSync(path.join(project, 'sample', 'requirements-test.txt'), 'iniconfig\n');
  mkdirSync(path.join(project, 'data'));
  writeFileSync(path.join(project, 'data', 'numbers.json'), '[1, 2, 3]\n');
  mkdirSync(path.join(project, 'ci'));
  writeFileSync(
    path.join(project, 'ci', 'before-test.sh'),
    'set -eu\nprintf %s "$FERROWHEEL_WHEEL" > "$FERROWHEEL_VENV/before-test.txt"\necho "before-test ran in $(uname -m)"\n',
  );
  // maturin builds for the image's CPython from its bundled sysconfig where the runner has none.
  for (const mode of MODES) {
    wheelDirs.set(
      mode,
      buildExampleWheel('setup-parity', { projectDir: project, python: pythonOf(mode) }).dir,
    );
  }
  // The project's lock pins an older pytest than the newest.
  const env = { ...process.env, UV_NO_PROGRESS: '1' };
  execFileSync(tool('uv'), ['lock', '--quiet', '--upgrade-package', `pytest==${LOCKED_PYTEST}`], {
    cwd: project,
    env,
  });
  uvBin = freshDir('parity-uv');
  symlinkSync(tool('uv'), path.join(uvBin, 'uv'));
  ({ image, id: imageId } = await amd64PythonImage());
}, 900_000);

const outcomes = new Map<string, Promise<Outcome>>();
/** The run in the mode, made once however many cases check it. */
function outcome(name: RunName, mode: Mode): Promise<Outcome> {
  const key = `${name} ${mode}`;
  let pending = outcomes.get(key);
  if (pending === undefined) {
    pending = (async () => {
      const workspace = freshDir(`parity-${name}-${mode}`);
      const copy = path.join(workspace, 'setup');
      cpSync(project, copy, { recursive: true });
      if (name !== 'lock') rmSync(path.join(copy, 'uv.lock'));
      mkdirSync(path.join(copy, 'wheelhouse'));
      const wheelDir = wheelDirs.get(mode)!;
      for (const f of readdirSync(wheelDir)) cpSync(path.join(wheelDir, f), path.join(copy, 'wheelhouse', f));
      const run: Run = RUNS[name];
      run.prepare?.(copy);
      const run2 = await runAction('test', {
        workspace,
        inputs: {
          'working-directory': 'setup',
          wheels: 'wheelhouse',
          ...run.inputs,
          ...(run.python ? { python: pythonOf(mode) } : {}),
          ...(mode === 'container' ? { container: image, 'docker-platform': 'linux/amd64' } : {}),
        },
        // uv exports the lock on the runner in both modes; the venv's installer is the input's.
        env: { PATH: `${uvBin}${path.delimiter}${process.env.PATH}`, ...run.env },
      });
      return { ...run2, mode, python: pythonOf(mode), imageId, project: copy };
    })();
    outcomes.set(key, pending);
  }
  return pending;
}

const seconds: Record<string, number> = {};
afterAll(async () => {
  for (const [key, pending] of outcomes) seconds[key] = Math.round((await pending).durationMs / 100) / 10;
  console.log(`parity runs (s): ${JSON.stringify(seconds)}`);
});

it('has a case for every input of action.yml', () => {
  const inputs = Object.keys(readActionMetadata('test').inputs ?? {});
  expect(
    CASES.map((c) => c.input)
      .filter((i) => !i.startsWith('('))
      .sort(),
  ).toEqual(inputs.sort());
});

describe.each(MODES)('%s', (mode) => {
  it.each(CASES.filter((c) => SELECTED.includes(c.run)).map((c) => [c.input, c] as const))(
    '%s',
    async (_input, testCase) => {
      testCase.check(await outcome(testCase.run, mode));
    },
    600_000,
  );
});
