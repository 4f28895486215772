import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { sha256 } from '@ferrowheel/kit/files';
import type { PythonBuild } from '@ferrowheel/kit/python-builds';
import { unwrap } from '@ferrowheel/kit/result';
import { describe, expect, it } from '@jest/globals';
import { plan } from '../src/matrix.js';
import { selectLegs } from '../src/platforms.js';
import { type LegRecord, readRecords, recordArtifactName, writeRecord } from '../src/record.js';
import { collectFiles, type DistFile, summarise as summariseStates, wheelServes } from '../src/summary.js';
import { buildText, failureText, summaryMarkdown, testText } from '../src/summary-text.js';

const legs = unwrap(selectLegs(['linux-x86_64', 'linux-armv7']));
const thePlan = plan({
  legs,
  pythons: { versions: ['3.12', '3.13', '3.14t'], source: 'test', explicit: true, leftOut: [], warnings: [] },
  project: { abi3: false, abi3t: false },
  sdist: true,
  test: true,
  artifactPrefix: 'wheels',
});

const file = (artifact: string, name: string): DistFile => ({
  artifact,
  file: name,
  size: 1000,
  sha256: sha256(name),
});
const x86Wheels = [
  file('wheels-linux-x86_64', 'setup-0.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'),
  file('wheels-linux-x86_64', 'setup-0.1.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'),
  file('wheels-linux-x86_64', 'setup-0.1.0-cp314-cp314t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'),
  file('wheels-linux-x86_64', 'setup-0.1.0.tar.gz'),
];
const ok = (kind: 'build' | 'test', platform: string, python = ''): LegRecord => ({
  kind,
  platform,
  python,
  outcome: 'success',
});

/** summarise with each state and failure rendered as the table and the error show it. */
function summarise(...args: Parameters<typeof summariseStates>) {
  const summary = summariseStates(...args);
  return {
    ...summary,
    rows: summary.rows.map((r) => ({ ...r, build: buildText(r.build, r.python), test: testText(r.test) })),
    failures: summary.failures.map(failureText),
  };
}

describe('summarise', () => {
  it('a run where the armv7 build failed: its rows say so, x86_64 is built and tested, the run fails', () => {
    const records = [
      ok('build', 'linux-x86_64'),
      ok('test', 'linux-x86_64', '3.12'),
      ok('test', 'linux-x86_64', '3.13'),
      ok('test', 'linux-x86_64', '3.14t'),
      { kind: 'build', platform: 'linux-armv7', python: '', outcome: 'failure' } as LegRecord,
      { kind: 'test', platform: 'linux-armv7', python: '3.12', outcome: 'no-wheels' } as LegRecord,
    ];
    const summary = summarise(thePlan, records, x86Wheels);
    expect(summary.rows.map((r) => [r.platform, r.python, r.build, r.test, r.file, r.job])).toEqual([
      [
        'linux-x86_64',
        '3.12',
        'built',
        'tested (native)',
        x86Wheels[0]!.file,
        'Test linux-x86_64 · Python 3.12',
      ],
      [
        'linux-x86_64',
        '3.13',
        'built',
        'tested (native)',
        x86Wheels[1]!.file,
        'Test linux-x86_64 · Python 3.13',
      ],
      [
        'linux-x86_64',
        '3.14t',
        'built',
        'tested (native)',
        x86Wheels[2]!.file,
        'Test linux-x86_64 · Python 3.14t',
      ],
      ['linux-armv7', '3.12', 'failed', 'not tested: the build failed', '', 'Build linux-armv7'],
      ['linux-armv7', '3.13', 'failed', 'not tested: the build failed', '', 'Build linux-armv7'],
      [
        'linux-armv7',
        '3.14t',
        'failed',
        'not tested: the official python images have no free-threaded CPython for linux/arm/v7',
        '',
        'Build linux-armv7',
      ],
      [
        'sdist',
        '',
        'built',
        'not tested: an sdist is built into wheels, which are tested',
        'setup-0.1.0.tar.gz',
        'Build linux-x86_64',
      ],
    ]);
    expect(summary.rows[0]!.sha256).toBe(sha256(x86Wheels[0]!.file));
    expect(summary.failures).toEqual(['Build linux-armv7: failure']);
    expect(summary.wheels.map((w) => [w.kind, w.file, w.platform])).toEqual(
      x86Wheels.map((f) => [f.file.endsWith('.whl') ? 'wheel' : 'sdist', f.file, 'linux-x86_64']),
    );
  });

  it('a failed test leg is failed, a leg with no record did not run: both fail the run', () => {
    const records = [
      ok('build', 'linux-x86_64'),
      ok('build', 'linux-armv7'),
      { ...ok('test', 'linux-x86_64', '3.12'), outcome: 'failure' } as LegRecord,
    ];
    const summary = summarise(thePlan, records, [
      ...x86Wheels,
      file('wheels-linux-armv7', 'setup-0.1.0-cp312-cp312-manylinux_2_17_armv7l.whl'),
      file('wheels-linux-armv7', 'setup-0.1.0-cp313-cp313-manylinux_2_17_armv7l.whl'),
      file('wheels-linux-armv7', 'setup-0.1.0-cp314-cp314t-manylinux_2_17_armv7l.whl'),
    ]);
    expect(summary.rows.map((r) => `${r.platform} ${r.python}: ${r.build}, ${r.test}`)).toEqual([
      'linux-x86_64 3.12: built, failed',
      'linux-x86_64 3.13: built, not run',
      'linux-x86_64 3.14t: built, not run',
      'linux-armv7 3.12: built, not run',
      'linux-armv7 3.13: built, not run',
      'linux-armv7 3.14t: built, not tested: the official python images have no free-threaded CPython for linux/arm/v7',
      'sdist : built, not tested: an sdist is built into wheels, which are tested',
    ]);
    expect(summary.failures).toEqual([
      'Test linux-x86_64 · Python 3.12: the tests failed',
      'Test linux-x86_64 · Python 3.13: did not run',
      'Test linux-x86_64 · Python 3.14t: did not run',
      'Test linux-armv7 · Python 3.12: did not run',
      'Test linux-armv7 · Python 3.13: did not run',
    ]);
  });

  it('no-wheels after a successful build fails the run; after a failed or missing build it is not tested', () => {
    const noWheels = (platform: string, python: string) =>
      ({ kind: 'test', platform, python, outcome: 'no-wheels' }) as LegRecord;
    const tested = [ok('test', 'linux-x86_64', '3.13'), ok('test', 'linux-x86_64', '3.14t')];
    // The build leg says success, the test leg could not download: a test that never ran.
    const afterSuccess = summarise(
      thePlan,
      [ok('build', 'linux-x86_64'), ok('build', 'linux-armv7'), noWheels('linux-x86_64', '3.12'), ...tested],
      x86Wheels,
    );
    expect(afterSuccess.rows[0]!.test).toBe('failed: no wheels to test (the download failed)');
    expect(afterSuccess.rows[0]!.job).toBe('Test linux-x86_64 · Python 3.12');
    expect(afterSuccess.failures).toContain(
      'Test linux-x86_64 · Python 3.12: the build succeeded but this leg could not download its wheels',
    );
    // The build failed, or left no record: that is the failure counted, once, on the build.
    for (const build of [
      [{ kind: 'build', platform: 'linux-x86_64', python: '', outcome: 'failure' } as LegRecord],
      [],
    ]) {
      const summary = summarise(
        thePlan,
        [...build, ok('build', 'linux-armv7'), noWheels('linux-x86_64', '3.12'), ...tested],
        x86Wheels,
      );
      expect(summary.rows[0]!.test).toBe(
        build.length === 0 ? 'not tested: the build did not run' : 'not tested: the build failed',
      );
      expect(summary.failures.filter((f) => f.startsWith('Test linux-x86_64 · Python 3.12'))).toEqual([]);
      expect(summary.failures.filter((f) => f.startsWith('Build linux-x86_64:'))).toHaveLength(1);
    }
  });

  it('a build that succeeded without the wheel for a Python is a failure of that build', () => {
    const records = [ok('build', 'linux-x86_64'), ok('build', 'linux-armv7')];
    const summary = summarise(thePlan, records, x86Wheels.slice(1));
    expect(summary.rows[0]!.build).toBe('failed: no wheel for this Python');
    expect(summary.failures).toContain('Build linux-x86_64: no wheel for Python 3.12');
  });

  it('keeps each state and failure as typed data, also after the plan travels as JSON', () => {
    const records = [
      ok('build', 'linux-x86_64'),
      { kind: 'test', platform: 'linux-x86_64', python: '3.12', outcome: 'failure' } as LegRecord,
      { kind: 'test', platform: 'linux-x86_64', python: '3.13', outcome: 'cancelled' } as LegRecord,
    ];
    const travelled = JSON.parse(JSON.stringify(thePlan)) as typeof thePlan;
    const summary = summariseStates(travelled, records, x86Wheels.slice(1));
    expect(summary).toEqual(summariseStates(thePlan, records, x86Wheels.slice(1)));
    expect(summary.rows.slice(0, 3).map((r) => [r.build, r.test])).toEqual([
      [
        { kind: 'failed', failure: { kind: 'no-wheel' } },
        { kind: 'failed', failure: { kind: 'tests-failed' } },
      ],
      [{ kind: 'built' }, { kind: 'not-run', outcome: 'cancelled' }],
      [{ kind: 'built' }, { kind: 'not-run', outcome: undefined }],
    ]);
    expect(summary.rows[5]!.test).toEqual({
      kind: 'not-tested',
      reason: { kind: 'no-image', dockerPlatform: 'linux/arm/v7' },
    });
    expect(summary.failures).toEqual([
      { kind: 'build-leg', platform: 'linux-armv7', outcome: undefined },
      { kind: 'no-wheel', platform: 'linux-x86_64', python: '3.12' },
      { kind: 'tests-failed', platform: 'linux-x86_64', python: '3.12' },
      { kind: 'test-leg', platform: 'linux-x86_64', python: '3.13', outcome: 'cancelled' },
      { kind: 'test-leg', platform: 'linux-x86_64', python: '3.14t', outcome: undefined },
    ]);
  });

  it('the markdown table has every column, SHA256 in full, the job linked to the run', () => {
    const summary = summariseStates(
      thePlan,
      [ok('build', 'linux-x86_64'), ok('test', 'linux-x86_64', '3.12')],
      x86Wheels,
    );
    const markdown = summaryMarkdown(summary, 'https://github.com/acme/fast/actions/runs/42');
    expect(markdown).toContain('| Platform | Target | Python | Build | Test | File | Size | SHA256 | Job |');
    expect(markdown).toContain(
      `| linux-x86_64 | x86_64-unknown-linux-gnu | 3.12 | built | tested (native) | ${x86Wheels[0]!.file} | 1000 B | \`${x86Wheels[0]!.sha256}\` | [Test linux-x86_64 · Python 3.12](https://github.com/acme/fast/actions/runs/42) |`,
    );
    expect(markdown).toContain(
      '**Failed:**\n\n- Build linux-armv7: did not run (cancelled, or no runner took it)',
    );
  });
});

describe('per-version build outcomes', () => {
  const x86 = 'wheels-linux-x86_64';
  const gilWheels = x86Wheels.filter((f) => !f.file.includes('cp314t'));
  const buildWith = (outcome: LegRecord['outcome'], pythonBuilds: PythonBuild[]): LegRecord => ({
    ...ok('build', 'linux-x86_64'),
    outcome,
    pythonBuilds,
  });
  const built = (python: string, wheel: string): PythonBuild => ({
    python,
    outcome: 'built',
    wheels: [wheel],
  });
  const maturinFailed: PythonBuild = {
    python: '3.14t',
    outcome: 'failed',
    failure: {
      kind: 'maturin-failed',
      exitCode: 1,
      known: [],
      message: 'maturin build failed with exit code 1. See the compiler errors above and the build log.',
    },
  };
  const x86Plan = plan({
    legs: unwrap(selectLegs(['linux-x86_64'])),
    pythons: {
      versions: ['3.12', '3.13', '3.14t'],
      source: 'test',
      explicit: true,
      leftOut: [],
      warnings: [],
    },
    project: { abi3: false, abi3t: false },
    sdist: true,
    test: true,
    artifactPrefix: 'wheels',
  });

  it('a free-threaded build that failed: the GIL wheels are built and tested, the row and the run say which version and why', () => {
    const records = [
      buildWith('failure', [
        built('3.12', gilWheels[0]!.file),
        built('3.13', gilWheels[1]!.file),
        maturinFailed,
      ]),
      ok('test', 'linux-x86_64', '3.12'),
      ok('test', 'linux-x86_64', '3.13'),
      // The 3.14t test leg found no wheel it could install.
      { ...ok('test', 'linux-x86_64', '3.14t'), outcome: 'failure' } as LegRecord,
    ];
    const summary = summarise(x86Plan, records, gilWheels);
    expect(summary.rows.map((r) => `${r.python}: ${r.build}, ${r.test} [${r.job}]`)).toEqual([
      '3.12: built, tested (native) [Test linux-x86_64 · Python 3.12]',
      '3.13: built, tested (native) [Test linux-x86_64 · Python 3.13]',
      '3.14t: failed: maturin failed with exit code 1, not tested: the build for 3.14t failed [Build linux-x86_64]',
      ': built, not tested: an sdist is built into wheels, which are tested [Build linux-x86_64]',
    ]);
    // One line, for the version that failed: not the leg, not its test.
    expect(summary.failures).toEqual([
      'Build linux-x86_64: CPython 3.14t: maturin build failed with exit code 1. See the compiler errors above and the build log.',
    ]);
  });

  it('a version preflight took out (PyO3 too old) says so, with the whole message in the Failed list', () => {
    const message =
      'CPython 3.14t cannot be built with PyO3 0.22.6 (Cargo.lock): … Either upgrade PyO3 to 0.25 or later …';
    const records = [
      buildWith('failure', [
        built('3.12', gilWheels[0]!.file),
        built('3.13', gilWheels[1]!.file),
        {
          python: '3.14t',
          outcome: 'failed',
          failure: { kind: 'pyo3-unsupported', pyo3: '0.22.6', message },
        },
      ]),
      ok('test', 'linux-x86_64', '3.12'),
      ok('test', 'linux-x86_64', '3.13'),
    ];
    const summary = summariseStates(x86Plan, records, gilWheels);
    expect(buildText(summary.rows[2]!.build, '3.14t')).toBe(
      'failed: PyO3 0.22.6 cannot build it (preflight; nothing compiled)',
    );
    expect(summary.failures).toEqual([
      {
        kind: 'python-build',
        platform: 'linux-x86_64',
        python: '3.14t',
        failure: { kind: 'pyo3-unsupported', pyo3: '0.22.6', message },
      },
    ]);
    expect(failureText(summary.failures[0]!)).toBe(`Build linux-x86_64: CPython 3.14t: ${message}`);
  });

  it('an abi3 leg whose abi3 build failed: every row its wheel serves fails once, the free-threaded ones were not attempted', () => {
    const abi3Plan = plan({
      legs: unwrap(selectLegs(['linux-x86_64'])),
      pythons: {
        versions: ['3.10', '3.14', '3.14t'],
        source: 'test',
        explicit: true,
        leftOut: [],
        warnings: [],
      },
      project: { abi3: true, abi3t: false },
      sdist: false,
      test: true,
      artifactPrefix: 'wheels',
    });
    const records = [
      buildWith('failure', [
        {
          python: '3.10',
          outcome: 'failed',
          failure: { kind: 'maturin-failed', exitCode: 2, known: ['pyo3-too-old'], message: 'm' },
        },
        { python: '3.14t', outcome: 'failed', failure: { kind: 'not-attempted', message: 'n' } },
      ]),
    ];
    const summary = summarise(abi3Plan, records, []);
    expect(summary.rows.map((r) => `${r.python}: ${r.build}, ${r.test}`)).toEqual([
      '3.10: failed: maturin failed with exit code 2 (pyo3-too-old), not tested: the build for 3.10 failed',
      '3.14: failed: maturin failed with exit code 2 (pyo3-too-old) (the build for 3.10), not tested: the build for 3.10 failed',
      '3.14t: failed: not attempted: the build of the GIL-enabled versions failed first, not tested: the build for 3.14t failed',
    ]);
    expect(summary.failures).toEqual([
      'Build linux-x86_64: CPython 3.10: m',
      'Build linux-x86_64: CPython 3.14t: n',
    ]);
  });

  it('an abi3 + abi3t leg: 3.15 and 3.15t get the abi3.abi3t wheel (installers prefer it on 3.15), 3.14t its cp314t wheel', () => {
    const abi3tPlan = plan({
      legs: unwrap(selectLegs(['linux-x86_64'])),
      pythons: {
        versions: ['3.10', '3.14', '3.14t', '3.15', '3.15t'],
        source: 'test',
        explicit: false,
        leftOut: [],
        warnings: [],
      },
      project: { abi3: true, abi3t: true },
      sdist: false,
      test: true,
      artifactPrefix: 'wheels',
    });
    const wheels = [
      file(x86, 'abi3-0.3.0-cp39-abi3-manylinux_2_34_x86_64.whl'),
      file(x86, 'abi3-0.3.0-cp314-cp314t-manylinux_2_34_x86_64.whl'),
      file(x86, 'abi3-0.3.0-cp315-abi3.abi3t-manylinux_2_34_x86_64.whl'),
    ];
    const records = [
      ok('build', 'linux-x86_64'),
      ...['3.10', '3.14', '3.14t', '3.15', '3.15t'].map((p) => ok('test', 'linux-x86_64', p)),
    ];
    const summary = summarise(abi3tPlan, records, wheels);
    expect(summary.rows.map((r) => `${r.python}: ${r.build}, ${r.test}, ${r.file}`)).toEqual([
      `3.10: built, tested (native), ${wheels[0]!.file}`,
      `3.14: built, tested (native), ${wheels[0]!.file}`,
      `3.14t: built, tested (native), ${wheels[1]!.file}`,
      `3.15: built, tested (native), ${wheels[2]!.file}`,
      `3.15t: built, tested (native), ${wheels[2]!.file}`,
    ]);
    expect(summary.failures).toEqual([]);
  });

  it('default versions the plan left out for PyO3 are not built, and the run stays green', () => {
    const leftOutPlan = plan({
      legs: unwrap(selectLegs(['linux-x86_64'])),
      pythons: {
        versions: ['3.13'],
        source: 'test',
        explicit: false,
        leftOut: [{ python: '3.14t', reason: { kind: 'pyo3-unsupported', pyo3: '0.22.6', needs: '0.25' } }],
        warnings: [],
      },
      project: { abi3: false, abi3t: false },
      sdist: false,
      test: true,
      artifactPrefix: 'wheels',
    });
    const summary = summarise(
      leftOutPlan,
      [ok('build', 'linux-x86_64'), ok('test', 'linux-x86_64', '3.13')],
      [gilWheels[1]!],
    );
    expect(summary.rows.map((r) => `${r.python}: ${r.build}, ${r.test}`)).toEqual([
      "3.14t: not built: the project's PyO3 (0.22.6) cannot build it (it needs PyO3 ≥ 0.25), not tested: the project's PyO3 (0.22.6) cannot build it (it needs PyO3 ≥ 0.25)",
      '3.13: built, tested (native)',
    ]);
    expect(summary.failures).toEqual([]);
  });

  it('a leg that failed with no version to blame still fails as a leg', () => {
    const records = [
      buildWith('failure', [built('3.12', gilWheels[0]!.file), built('3.13', gilWheels[1]!.file)]),
    ];
    expect(summarise(x86Plan, records, []).failures).toEqual(['Build linux-x86_64: failure']);
  });

  it('records carry the per-version outcomes, and only the record fields reach the file', () => {
    const dir = freshDir('plan-records-pythons');
    const record = buildWith('failure', [built('3.12', 'a.whl'), maturinFailed]);
    writeRecord(dir, { ...record, runner: { env: { SECRET: 'x' } } } as LegRecord);
    expect(readRecords(dir)).toEqual([record]);
  });
});

describe('wheelServes', () => {
  const linux = 'x86_64-unknown-linux-gnu';
  it.each([
    ['x-1-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', '3.13', linux, true],
    ['x-1-cp313-cp313-manylinux_2_17_x86_64.whl', '3.13t', linux, false],
    ['x-1-cp313-cp313t-manylinux_2_17_x86_64.whl', '3.13t', linux, true],
    ['x-1-cp313-cp313t-manylinux_2_17_x86_64.whl', '3.13', linux, false],
    ['x-1-cp313-cp313t-manylinux_2_17_x86_64.whl', '3.14t', linux, false],
    // abi3 serves its own minor and later, never an older CPython, never a free-threaded one.
    ['x-1-cp312-abi3-manylinux_2_17_x86_64.whl', '3.10', linux, false],
    ['x-1-cp312-abi3-manylinux_2_17_x86_64.whl', '3.12', linux, true],
    ['x-1-cp312-abi3-manylinux_2_17_x86_64.whl', '3.13', linux, true],
    ['x-1-cp312-abi3-manylinux_2_17_x86_64.whl', '3.14t', linux, false],
    ['x-1-cp39-abi3-musllinux_1_2_aarch64.whl', '3.15', 'aarch64-unknown-linux-musl', true],
    ['x-1-cp313-cp313-manylinux_2_17_armv7l.whl', '3.13', 'armv7-unknown-linux-gnueabihf', true],
    ['x-1-cp313-cp313-macosx_11_0_arm64.whl', '3.13', 'aarch64-apple-darwin', true],
    ['x-1-cp313-cp313-macosx_10_12_x86_64.whl', '3.13', 'x86_64-apple-darwin', true],
    ['x-1-cp313-cp313-win_amd64.whl', '3.13', 'x86_64-pc-windows-msvc', true],
    ['x-1-cp313-cp313-win32.whl', '3.13', 'i686-pc-windows-msvc', true],
    ['x-1-cp313-cp313-win_arm64.whl', '3.13', 'aarch64-pc-windows-msvc', true],
    // Another platform's wheel in the artifact does not serve this leg.
    ['x-1-cp313-cp313-win_amd64.whl', '3.13', linux, false],
    ['x-1.tar.gz', '3.13', linux, false],
  ])('%s for %s on %s: %s', (name, python, target, expected) => {
    expect(wheelServes(name, python, target)).toBe(expected);
  });
});

describe('records and files on disk', () => {
  it('round-trip through the artifact layout download-artifact makes', async () => {
    const dir = freshDir('plan-records');
    writeRecord(path.join(dir, 'records', 'records-wheels-linux-x86_64'), ok('build', 'linux-x86_64'));
    writeRecord(
      path.join(dir, 'records', 'records-wheels-linux-x86_64-py3.13'),
      ok('test', 'linux-x86_64', '3.13'),
    );
    writeFileSync(path.join(dir, 'records', 'stray.json'), '{"not": "a record"}');
    expect(readRecords(path.join(dir, 'records'))).toEqual(
      expect.arrayContaining([ok('build', 'linux-x86_64'), ok('test', 'linux-x86_64', '3.13')]),
    );
    expect(readRecords(path.join(dir, 'records'))).toHaveLength(2);
    expect(readRecords(path.join(dir, 'missing'))).toEqual([]);
    mkdirSync(path.join(dir, 'dist', 'wheels-linux-x86_64'), { recursive: true });
    writeFileSync(path.join(dir, 'dist', 'wheels-linux-x86_64', 'a.whl'), 'wheel bytes');
    expect(await collectFiles(path.join(dir, 'dist'))).toEqual([
      { artifact: 'wheels-linux-x86_64', file: 'a.whl', size: 11, sha256: sha256('wheel bytes') },
    ]);
  });
  it('names record artifacts so the wheels pattern never matches them', () => {
    expect(recordArtifactName('wheels', { platform: 'linux-x86_64', python: '3.14t' })).toBe(
      'records-wheels-linux-x86_64-py3.14t',
    );
    expect(recordArtifactName('wheels', { platform: 'linux-x86_64', python: '' })).toBe(
      'records-wheels-linux-x86_64',
    );
  });
});
