/**
 * `npm run matrix`: every Linux leg built in its stand-in by the build action's bundle, each wheel
 * read back (tags, ELF machine, C library) and tested where this machine can: glibc wheels in a
 * container of their architecture on every CPython the images have (tests/images data), the
 * x86_64 leg's others on a host CPython through the test action; musl wheels are built and
 * inspected only (no musl CPython can be had here). Each phase is a function below.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findHostPython, hostGlibc, installsOnHost } from '../../packages/harness/src/host-python.js';
import { archNames } from '../../packages/harness/src/images/architectures.js';
import { imageCacheDir } from '../../packages/harness/src/images/cache.js';
import { type PythonSource, pythonSource, RELEASES } from '../../packages/harness/src/images/pythons.js';
import { testImage } from '../../packages/harness/src/images/test-images.js';
import { buildLeg, type LegBuild } from '../../packages/harness/src/linux-legs.js';
import { runAction } from '../../packages/harness/src/run-action.js';
import { testWheelInImage } from '../../packages/harness/src/wheel-in-image.js';
import type { WheelInspection } from '../../packages/harness/src/wheel-inspection.js';
import { sharedDir, toolsBin } from '../../packages/harness/src/workdirs.js';
import type { MatrixOptions } from './options.js';
import { allGood, type LegRow, renderTable, type TestOutcome, type WheelRow } from './rows.js';

type Wheel = WheelInspection & { path: string };

const NO_MUSL_PYTHON =
  'no musl CPython on this machine (Debian packages none, and python.org is not reachable)';

/** `cp311` → `3.11`, `cp314t` (abi tag) → `3.14t`. */
export function pythonOfWheel(wheel: Wheel): string {
  const [tag = ''] = wheel.pythonTags;
  const version = `${tag.slice(2, 3)}.${tag.slice(3)}`;
  return wheel.abiTags.some((abi) => abi.endsWith('t')) ? `${version}t` : version;
}

/** The wheel's tests in a test image of its architecture, through the test action's container mode. */
async function testInImage(build: LegBuild, wheel: Wheel, python: string): Promise<TestOutcome> {
  const image = await testImage(build.image.leg.arch, python);
  const run = await testWheelInImage(wheel, image, build.project);
  const emulated = archNames(build.image.leg.arch).qemu ? ' under QEMU' : '';
  const where = `CPython ${python} ${image.platform}${emulated}`;
  return run.passed
    ? { kind: 'passed', seconds: run.seconds, where }
    : { kind: 'failed', seconds: run.seconds, where, output: run.output };
}

/** The wheel's tests on a host CPython, through the test action's bundle (native, as on GitHub). */
async function testOnHost(build: LegBuild, python: string, interpreter: string): Promise<TestOutcome> {
  const run = await runAction('test', {
    workspace: path.dirname(build.project),
    inputs: { 'working-directory': 'setup', wheels: 'dist', python: interpreter },
    env: { PATH: `${toolsBin}${path.delimiter}${process.env.PATH}` },
  });
  const where = `host CPython ${run.outputs['python-version'] ?? python} (${interpreter})`;
  const seconds = run.durationMs / 1000;
  return run.exitCode === 0
    ? { kind: 'passed', seconds, where }
    : { kind: 'failed', seconds, where, output: `${run.stdout}\n${run.stderr}` };
}

/**
 * Why a glibc wheel cannot install in the only image of its CPython here, if it cannot: its
 * manylinux level is above that release's glibc (the ppc64le stand-in's std links two weak
 * GLIBC_2.39 symbols, so its wheels are manylinux_2_39 and bookworm's 3.11 has glibc 2.36).
 */
export function glibcTooOld(
  wheel: Pick<Wheel, 'platformTags'>,
  arch: string,
  source: Extract<PythonSource, { kind: 'image' }>,
): string | undefined {
  const { glibc } = RELEASES[source.release];
  if (installsOnHost(wheel.platformTags, glibc)) return undefined;
  return `the wheel is ${wheel.platformTags.join('.')}, and CPython ${source.python} for ${arch} can be had here only from Debian ${source.release}, whose glibc is ${glibc}`;
}

async function testOutcome(build: LegBuild, wheel: Wheel): Promise<TestOutcome> {
  if (build.image.leg.libc === 'musl') return { kind: 'not-tested', reason: NO_MUSL_PYTHON };
  const python = pythonOfWheel(wheel);
  const source = pythonSource(build.image.leg.arch, python);
  if (source.kind === 'image') {
    const tooOld = glibcTooOld(wheel, build.image.leg.arch, source);
    return tooOld === undefined ? testInImage(build, wheel, python) : { kind: 'not-tested', reason: tooOld };
  }
  // A CPython no image here has (3.10, 3.12 from pyenv): on GitHub the x86_64 leg is tested on the
  // runner itself, so a host interpreter tests it as faithfully, if the host's glibc is new enough.
  const interpreter = build.image.leg.arch === 'x86_64' ? findHostPython(python)?.path : undefined;
  if (interpreter !== undefined && installsOnHost(wheel.platformTags, hostGlibc())) {
    return testOnHost(build, python, interpreter);
  }
  return { kind: 'not-tested', reason: source.reason };
}

async function wheelRow(build: LegBuild, wheel: Wheel): Promise<WheelRow> {
  const arch = archNames(build.image.leg.arch);
  const machines = new Set(wheel.extensions.map((e) => e.elf.machine));
  return {
    leg: build.image.leg.leg,
    wheel: path.basename(wheel.path),
    tags: [wheel.pythonTags, wheel.abiTags, wheel.platformTags].map((t) => t.join('.')).join('-'),
    elf: {
      name: `${arch.elfMachineName} (${[...machines].join(', ')})`,
      ok: machines.size === 1 && machines.has(arch.elfMachine),
    },
    libc: [...new Set(wheel.extensions.map((e) => e.libc))].join(', '),
    test: await testOutcome(build, wheel),
  };
}

async function legRow(leg: string, pythons: string[], write: (text: string) => void): Promise<LegRow> {
  write(`▶ ${leg}: building for ${pythons.join(' ')}\n`);
  let build: LegBuild;
  try {
    build = await buildLeg(leg, { pythons });
  } catch (thrown) {
    const problem = thrown instanceof Error ? thrown.message.split('\n')[0]! : String(thrown);
    write(`✗ ${leg}: ${problem}\n`);
    return { leg, standIn: '', build: { kind: 'failed', problem }, wheels: [] };
  }
  write(`  built ${build.wheels.length} wheel(s) in ${build.seconds.toFixed(1)} s in ${build.image.name}\n`);
  const wheels: WheelRow[] = [];
  for (const wheel of build.wheels) {
    const row = await wheelRow(build, wheel);
    write(`  ${row.wheel}: ${row.test.kind}\n`);
    wheels.push(row);
  }
  return { leg, standIn: build.image.name, build: { kind: 'built', seconds: build.seconds }, wheels };
}

/** The image builds this run did (from the cache's build-times.jsonl). */
function imageTimes(since: number): string[] {
  try {
    return readFileSync(path.join(imageCacheDir(), 'build-times.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { what: string; seconds: number; at: string })
      .filter((e) => Date.parse(e.at) >= since)
      .map((e) => `- ${e.what}: ${e.seconds} s`);
  } catch {
    return [];
  }
}

export async function runMatrix(
  options: MatrixOptions,
  io: { write: (text: string) => void },
): Promise<number> {
  const startedAt = Date.now();
  const legs: LegRow[] = [];
  for (const leg of options.legs) legs.push(await legRow(leg, options.pythons, io.write));
  const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
  const table = renderTable(legs);
  const images = imageTimes(startedAt);
  const report = [
    `# Linux legs (npm run matrix), ${new Date().toISOString()}: ${minutes} min`,
    '',
    table,
    '',
    `Images built during this run${images.length === 0 ? ': none (all cached)' : ':'}`,
    ...images,
  ].join('\n');
  const dir = sharedDir('matrix');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'matrix.md'), `${report}\n`);
  writeFileSync(path.join(dir, 'matrix.json'), `${JSON.stringify(legs, null, 2)}\n`);
  io.write(`\n${table}\n\nmatrix: ${minutes} min; report: ${path.join(dir, 'matrix.md')}\n`);
  return allGood(legs) ? 0 : 1;
}
