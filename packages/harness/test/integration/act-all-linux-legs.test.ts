/**
 * build-wheels.yml with `platforms: linux musllinux`, called as a user's workflow calls it
 * (act-caller.ts), under act: all ten Linux legs planned, each built in its local stand-in
 * (never a registry's image), the six glibc wheels tested by the test action on their own
 * architecture (i686 in a linux/386 container, the four foreign ones under QEMU: aarch64 through
 * the plan's input for callers without arm runners), the four musl rows typed "not tested here".
 *
 * python-versions is pinned to 3.13, the one CPython every glibc architecture has here (Debian
 * sid packages it for all six, images/pythons.ts; `npm run matrix` tested it on all six), so the
 * run stays around 40 minutes: one build and one test per leg, act running one job at a time.
 * The default CPythons under act are act-linux-legs.test.ts's scenario (two legs), and every leg
 * × every CPython is `npm run matrix`. Slow, so `npm test` leaves it out and
 * `npm run matrix -- --act-all` runs it (FERROWHEEL_ACT_ALL_LEGS=1).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { type ActRun, artifactFiles, jobOutput, jobSeconds, stepResults } from '../../src/act.js';
import { NO_MUSL_CPYTHON, runCaller, summaryRows } from '../../src/act-caller.js';
import { archNames } from '../../src/images/architectures.js';
import { BUILD_LEGS, type BuildStandIn, buildStandIn } from '../../src/images/build-stand-ins.js';
import { assertStandIn } from '../../src/images/engine.js';
import { type TestImage, testImage } from '../../src/images/test-images.js';
import { inspectWheel } from '../../src/wheel-inspection.js';
import { freshDir } from '../../src/workdirs.js';

const slow = process.env.FERROWHEEL_ACT_ALL_LEGS === '1' ? describe : describe.skip;

const PYTHON = '3.13';
const PREFIX = 'all';

const GLIBC_LEGS = BUILD_LEGS.filter((l) => l.libc === 'gnu');

/** What the tests print about the interpreter they ran in (a test file added to the copy). */
const MACHINE_TEST =
  'import platform\nimport struct\n\n\ndef test_prints_its_machine():\n    print(f"machine={platform.machine()} bits={struct.calcsize(\'P\') * 8}")\n';

/**
 * What each glibc leg's interpreter says it runs on. QEMU's user mode reports the emulated
 * machine; a linux/386 container shares the x86_64 kernel, so only its pointer size says i686.
 */
const MACHINES: Record<string, string> = {
  'linux-x86_64': 'machine=x86_64 bits=64',
  'linux-i686': 'machine=x86_64 bits=32',
  'linux-aarch64': 'machine=aarch64 bits=64',
  'linux-armv7': 'machine=armv7l bits=32',
  'linux-s390x': 'machine=s390x bits=64',
  'linux-ppc64le': 'machine=ppc64le bits=64',
};

/** The wheel's platform-tag architecture of a leg (`armv7l` for armv7, as wheel tags spell it). */
function tagArch(arch: string): string {
  return arch === 'armv7' ? 'armv7l' : arch;
}

const times: Record<string, number> = {};
afterAll(() => {
  if (Object.keys(times).length > 0) console.log(`act job seconds: ${JSON.stringify(times, null, 1)}`);
});

function noteTimes(run: ActRun): void {
  times.run = Math.round(run.seconds);
  times.plan = jobSeconds(run, 'Plan');
  for (const { leg } of BUILD_LEGS) {
    times[`build ${leg}`] = jobSeconds(run, `Build ${leg}`, { platform: leg });
  }
  for (const { leg } of GLIBC_LEGS) {
    times[`test ${leg}`] = jobSeconds(run, `Test ${leg} · Python ${PYTHON}`, {
      platform: leg,
      python: PYTHON,
    });
  }
  times.summary = jobSeconds(run, 'Summary');
}

/** The wheels of each build leg's artifact (`<prefix>-<platform>`), written out and read back. */
function builtWheels(artifacts: string): Map<string, ReturnType<typeof inspectWheel>[]> {
  const dir = freshDir('act-all-wheels');
  const found = new Map<string, ReturnType<typeof inspectWheel>[]>();
  for (const [name, files] of artifactFiles(artifacts)) {
    const wheels = files.filter(([file]) => file.endsWith('.whl'));
    found.set(
      name.slice(PREFIX.length + 1),
      wheels.map(([file, bytes]) => {
        const target = path.join(dir, name, path.basename(file));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, bytes);
        return inspectWheel(target);
      }),
    );
  }
  return found;
}

slow('build-wheels.yml with platforms: linux musllinux under act (CPython 3.13)', () => {
  it('plans all ten Linux legs, builds each in its stand-in, tests the six glibc wheels on their architecture, and types the musl rows; the run is green', async () => {
    const builds: BuildStandIn[] = [];
    // One at a time: each is cached, and a cold machine would otherwise build ten images at once.
    for (const { leg } of BUILD_LEGS) builds.push(await buildStandIn(leg));
    const tests = new Map<string, TestImage>();
    for (const { leg, arch } of GLIBC_LEGS) {
      if (arch !== 'x86_64') tests.set(leg, await testImage(arch, PYTHON));
    }
    const { run, artifacts } = await runCaller(
      'all-legs',
      {
        'working-directory': 'examples/setup',
        platforms: 'linux musllinux',
        'python-versions': PYTHON,
        // act serves only x86_64 labels here: aarch64 is cross-built and emulated, as without arm runners.
        'arm-runners': false,
        // -s: the machine test's line reaches the log.
        'pytest-args': '-s',
        'build-images': builds.map((b) => `${b.leg.leg}=${b.name}`).join('\n'),
        'test-images': [...tests].map(([leg, image]) => `${leg} ${PYTHON}=${image.name}`).join('\n'),
        'not-tested-here': `*-musllinux_*: ${NO_MUSL_CPYTHON}`,
        'artifact-prefix': PREFIX,
      },
      (dir) => {
        writeFileSync(
          path.join(dir, 'examples', 'setup', 'sample', 'tests', 'test_machine.py'),
          MACHINE_TEST,
        );
      },
    );
    noteTimes(run);

    // Every leg was planned, and built in the stand-in this test built (by name and id).
    const wheels = builtWheels(artifacts);
    for (const build of builds) {
      const platform = build.leg.leg;
      expect(stepResults(run, `Build ${platform}`, { platform })).toMatchObject({
        'Build wheels': 'success',
        'Upload wheels': 'success',
      });
      expect(jobOutput(run, `Build ${platform}`, { platform })).toContain(`where: container ${build.name}`);
      expect((await assertStandIn(build.name, build.recipe)).id).toBe(build.id);
      // The wheel is what its tag says: the leg's architecture and C library, read from its bytes.
      const arch = archNames(build.leg.arch);
      const [wheel, ...others] = wheels.get(platform) ?? [];
      expect(others).toEqual([]);
      const level = build.leg.libc === 'gnu' ? 'manylinux_2_\\d+' : 'musllinux_1_2';
      expect(wheel?.filename).toMatch(
        new RegExp(`^setup-0\\.1\\.0-cp313-cp313-${level}_${tagArch(build.leg.arch)}\\.whl$`),
      );
      expect(wheel!.extensions.map((e) => [e.elf.machine, e.libc])).toEqual([
        [arch.elfMachine, build.leg.libc === 'gnu' ? 'glibc' : 'musl'],
      ]);
      // The default audit (error) passes every wheel; a musl wheel's libc.so is musl's own libc,
      // which the audit accepts as maturin's does (kit audit/manylinux.ts).
      const log = jobOutput(run, `Build ${platform}`, { platform });
      expect(log).toContain(`audit: ${wheel!.filename}: every rule passed`);
    }

    // Each glibc wheel's tests ran on its own architecture; the stand-in test image, by its id.
    for (const { leg } of GLIBC_LEGS) {
      const matrix = { platform: leg, python: PYTHON };
      const job = `Test ${leg} · Python ${PYTHON}`;
      expect(stepResults(run, job, matrix)).toMatchObject({ 'Test the wheel': 'success' });
      const log = jobOutput(run, job, matrix);
      expect(log).toContain(MACHINES[leg]);
      expect(log).toMatch(/\b2 passed\b/);
      expect(log).not.toContain('[command]docker pull');
      const image = tests.get(leg);
      if (image !== undefined) {
        const { dockerPlatform, qemu } = archNames(image.arch);
        const emulated = qemu ? ', under QEMU' : '';
        expect(log).toContain(`Testing in ${image.name} (${dockerPlatform}${emulated}): image ${image.id}`);
      }
    }

    // The summary: one row per leg and the sdist, each with its outcome or its typed reason.
    const summary = jobOutput(run, 'Summary');
    const rows = summaryRows(summary);
    expect([...rows.keys()].sort()).toEqual([...BUILD_LEGS.map((l) => `${l.leg} ${PYTHON}`), 'sdist'].sort());
    for (const { leg, arch, libc } of BUILD_LEGS) {
      const row = rows.get(`${leg} ${PYTHON}`)!;
      expect(row.build).toBe('built');
      expect(row.file).toBe(wheels.get(leg)?.[0]?.filename);
      const image = tests.get(leg);
      const mode = arch === 'i686' ? 'container' : 'emulated';
      const expected =
        libc === 'musl'
          ? `not tested here: ${NO_MUSL_CPYTHON}`
          : image === undefined
            ? 'tested (native)'
            : `tested (${mode}, ${image.name} ${archNames(arch).dockerPlatform})`;
      expect(row.test).toBe(expected);
    }
    expect(rows.get('sdist')?.build).toBe('built');
    expect(summary).toContain('Every planned leg succeeded.');
    expect(stepResults(run, 'Summary')).toMatchObject({ 'One table for the whole matrix': 'success' });
    expect(run.code).toBe(0);
  }, 5_400_000);
});
