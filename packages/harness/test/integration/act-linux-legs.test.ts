/**
 * build-wheels.yml on the emulated and musl Linux legs, called as a user's workflow calls it
 * (act-caller.ts), under act: the leg-by-leg proof through the workflow itself. Slow (an aarch64
 * cross-build and a musl build in their stand-ins, tests under QEMU: about 9 and 14 min here), so
 * `npm test` leaves them out and `npm run matrix -- --act` runs them (FERROWHEEL_ACT_LEGS=1).
 * `npm test` proves the same pieces faster: the aarch64 and musl builds and the emulated test
 * through the actions (actions/build linux-legs), every test option in a container
 * (actions/test container-parity), the native leg and the summary under act (act-workflows).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { jobOutput, stepResults } from '../../src/act.js';
import { NO_MUSL_CPYTHON, notTestedHere, runCaller, summaryRows } from '../../src/act-caller.js';
import { buildStandIn } from '../../src/images/build-stand-ins.js';
import { assertStandIn } from '../../src/images/engine.js';
import { pythonSource } from '../../src/images/pythons.js';
import { testImage } from '../../src/images/test-images.js';
import { repoRoot } from '../../src/workdirs.js';

const slow = process.env.FERROWHEEL_ACT_LEGS === '1' ? describe : describe.skip;

const seconds: Record<string, number> = {};
/** `runCaller`, its act run's seconds noted for the log. */
function timed(run: typeof runCaller): typeof runCaller {
  return async (name, inputs, mutate) => {
    const result = await run(name, inputs, mutate);
    seconds[name] = Math.round(result.run.seconds);
    return result;
  };
}
afterAll(() => {
  if (Object.keys(seconds).length > 0) console.log(`act runs: ${JSON.stringify(seconds)}`);
});

slow('build-wheels.yml on a broken copy of examples/setup, native and emulated, under act', () => {
  it('a broken copy (a failing assertion) fails its native and its emulated test leg at the file and line; the build legs and the summary still run', async () => {
    const broken = 'examples/setup/sample/tests/test_sample.py';
    const [aarch64Build, image] = await Promise.all([
      buildStandIn('linux-aarch64'),
      testImage('aarch64', '3.11'),
    ]);
    const { run } = await timed(runCaller)(
      'legs-broken',
      {
        'working-directory': 'examples/setup',
        platforms: 'linux-x86_64 linux-aarch64',
        'python-versions': '3.11',
        'arm-runners': false,
        // linux-x86_64 on this host (no pypa image here), linux-aarch64 in its stand-in.
        'build-images': `linux-x86_64=off\nlinux-aarch64=${aarch64Build.name}`,
        'test-images': `linux-aarch64 3.11=${image.name}`,
        'artifact-prefix': 'broken',
      },
      (dir) => {
        const file = path.join(dir, broken);
        writeFileSync(
          file,
          `${readFileSync(file, 'utf8')}\n\ndef test_broken():\n    assert it_works() is False\n`,
        );
      },
    );
    const line = readFileSync(path.join(repoRoot, broken), 'utf8').split('\n').length + 3;
    for (const platform of ['linux-x86_64', 'linux-aarch64']) {
      expect(stepResults(run, `Build ${platform}`, { platform })).toMatchObject({
        'Build wheels': 'success',
        'Upload wheels': 'success',
      });
      const testLeg = { platform, python: '3.11' };
      expect(stepResults(run, `Test ${platform} · Python 3.11`, testLeg)).toMatchObject({
        'Test the wheel': 'failure',
        'Record the outcome for the summary': 'success',
        'Upload the record': 'success',
      });
      // The failure is annotated at the repository's file and line, emulated or not.
      expect(jobOutput(run, `Test ${platform} · Python 3.11`, testLeg)).toMatch(
        new RegExp(`::error [^\n]*file=${broken.replace(/\./g, '\\.')},line=${line}[,:]`),
      );
    }
    expect(jobOutput(run, 'Build linux-aarch64', { platform: 'linux-aarch64' })).toContain(
      `where: container ${aarch64Build.name}`,
    );
    expect(
      jobOutput(run, 'Test linux-aarch64 · Python 3.11', { platform: 'linux-aarch64', python: '3.11' }),
    ).toContain(`Testing in ${image.name} (linux/arm64, under QEMU): image ${image.id}`);
    const summary = jobOutput(run, 'Summary');
    expect(summary).toContain('| linux-x86_64 | x86_64-unknown-linux-gnu | 3.11 | built | failed |');
    expect(summary).toContain('| linux-aarch64 | aarch64-unknown-linux-gnu | 3.11 | built | failed |');
    expect(summary).toContain('Test linux-x86_64 · Python 3.11: the tests failed');
    expect(summary).toContain('Test linux-aarch64 · Python 3.11: the tests failed');
    expect(stepResults(run, 'Summary')).toMatchObject({ 'One table for the whole matrix': 'failure' });
  }, 1_800_000);
});

slow('build-wheels.yml on an emulated aarch64 leg and a musl build, every default CPython, under act', () => {
  it('builds each leg in its stand-in, tests aarch64 under QEMU, and gives every other row its typed reason; the run is green', async () => {
    const [aarch64Build, muslBuild] = await Promise.all([
      buildStandIn('linux-aarch64'),
      buildStandIn('musllinux-x86_64'),
    ]);
    // abi3 (with PyO3's abi3t-py315): per leg a cp39-abi3 wheel, tested on the oldest and the
    // newest CPython it serves (3.10, 3.14), a cp314t wheel and a cp315-abi3.abi3t wheel (3.15,
    // 3.15t). No image here has 3.10 or a free-threaded CPython: those rows are typed.
    const [middle, newest] = [await testImage('aarch64', '3.14'), await testImage('aarch64', '3.15')];
    const musl = NO_MUSL_CPYTHON;
    const { run } = await timed(runCaller)(
      'matrix',
      {
        'working-directory': 'examples/abi3',
        platforms: 'linux-aarch64 musllinux-x86_64',
        // act serves only x86_64 labels here: aarch64 is cross-built and emulated, as without arm runners.
        'arm-runners': false,
        'build-images': `linux-aarch64=${aarch64Build.name}\nmusllinux-x86_64=${muslBuild.name}`,
        'test-images': `linux-aarch64 3.14=${middle.name}\nlinux-aarch64 3.15=${newest.name}`,
        'not-tested-here': [...notTestedHere('aarch64', ['3.10']), `*-musllinux_*: ${musl}`].join('\n'),
        'artifact-prefix': 'matrix',
      },
      (dir) => {
        mkdirSync(path.join(dir, 'examples', 'abi3', 'tests'), { recursive: true });
        writeFileSync(
          path.join(dir, 'examples', 'abi3', 'tests', 'test_emulated.py'),
          'import platform\n\nimport abi3\n\n\ndef test_greets_on_aarch64():\n    assert abi3.greet("arm") == "hello, arm"\n    assert platform.machine() == "aarch64"\n',
        );
      },
    );

    // Each build ran in the stand-in this test built (by name and id), never a registry's image.
    for (const [platform, image] of [
      ['linux-aarch64', aarch64Build],
      ['musllinux-x86_64', muslBuild],
    ] as const) {
      expect(stepResults(run, `Build ${platform}`, { platform })).toMatchObject({
        'Build wheels': 'success',
        'Upload wheels': 'success',
      });
      expect(jobOutput(run, `Build ${platform}`, { platform })).toContain(`where: container ${image.name}`);
      expect((await assertStandIn(image.name, image.recipe)).id).toBe(image.id);
    }
    const aarch64Log = jobOutput(run, 'Build linux-aarch64', { platform: 'linux-aarch64' });
    expect(aarch64Log).toMatch(
      /audit: abi3-0\.3\.0-cp39-abi3-manylinux_2_\d+_aarch64\.whl: every rule passed/,
    );
    // The default audit (error) passes every musl wheel: musl's own libc.so is accepted (kit
    // audit/manylinux.ts), and the abi3 one (abi3.abi3.so, nothing in it says musl) is read with
    // musl's search path, not glibc's (kit audit/tools.ts auditwheelShowArgs).
    const muslLog = jobOutput(run, 'Build musllinux-x86_64', { platform: 'musllinux-x86_64' });
    for (const wheel of ['abi3-0.3.0-cp39-abi3', 'abi3-0.3.0-cp314-cp314t', 'abi3-0.3.0-cp315-abi3.abi3t']) {
      expect(muslLog).toContain(`audit: ${wheel}-musllinux_1_2_x86_64.whl: every rule passed`);
    }
    // Each emulated test ran the test action in the CPython's stand-in, by its image id: the
    // example's own two tests and the one added above.
    for (const image of [middle, newest]) {
      const leg = { platform: 'linux-aarch64', python: image.python };
      const job = `Test linux-aarch64 · Python ${image.python}`;
      expect(stepResults(run, job, leg)).toMatchObject({ 'Test the wheel': 'success' });
      const log = jobOutput(run, job, leg);
      expect(log).toContain(`Testing in ${image.name} (linux/arm64, under QEMU): image ${image.id}`);
      expect(log).toContain('tests/test_emulated.py .');
      expect(log).toMatch(/\b3 passed\b/);
      expect(log).not.toContain('[command]docker pull');
    }

    // The default CPythons (3.10 to 3.15, from requires-python, and 3.14t/3.15t) for an abi3
    // project: the plan says so, and the table has a row for each wheel and CPython it tests.
    const plan = jobOutput(run, 'Plan');
    expect(plan).toContain('Python versions: requires-python >=3.9 (abi3: one wheel per platform)');
    const summary = jobOutput(run, 'Summary');
    const rows = summaryRows(summary);
    expect([...rows.keys()].sort()).toEqual(
      [
        ...['3.10', '3.14', '3.14t', '3.15', '3.15t'].flatMap((p) => [
          `linux-aarch64 ${p}`,
          `musllinux-x86_64 ${p}`,
        ]),
        'sdist',
      ].sort(),
    );
    const wheelOf = {
      '3.10': 'cp39-abi3',
      '3.14': 'cp39-abi3',
      '3.14t': 'cp314-cp314t',
      '3.15': 'cp315-abi3.abi3t',
      '3.15t': 'cp315-abi3.abi3t',
    };
    for (const [python, tags] of Object.entries(wheelOf)) {
      const aarch64 = rows.get(`linux-aarch64 ${python}`)!;
      const muslRow = rows.get(`musllinux-x86_64 ${python}`)!;
      expect([aarch64.build, muslRow.build]).toEqual(['built', 'built']);
      expect(aarch64.file).toMatch(new RegExp(`^abi3-0\\.3\\.0-${tags}-manylinux_2_\\d+_aarch64\\.whl$`));
      expect(muslRow.file).toBe(`abi3-0.3.0-${tags}-musllinux_1_2_x86_64.whl`);
      if (python.endsWith('t')) {
        // The plan's own reason, before not-tested-here is read: no free-threaded image to test in.
        for (const row of [aarch64, muslRow]) expect(row.test).toMatch(/^not tested: .*free-threaded/);
      } else expect(muslRow.test).toBe(`not tested here: ${musl}`);
    }
    const source = pythonSource('aarch64', '3.10');
    expect(rows.get('linux-aarch64 3.10')!.test).toBe(
      `not tested here: ${source.kind === 'none' ? source.reason : ''}`,
    );
    for (const image of [middle, newest]) {
      expect(rows.get(`linux-aarch64 ${image.python}`)!.test).toBe(
        `tested (emulated, ${image.name} linux/arm64)`,
      );
    }
    expect(rows.get('sdist')?.build).toBe('built');
    expect(summary).toContain('Every planned leg succeeded.');
    expect(stepResults(run, 'Summary')).toMatchObject({ 'One table for the whole matrix': 'success' });
  }, 3_600_000);
});
