/**
 * CPython 3.14 and 3.15, which this machine has only in Debian sid: the wheels are built by the
 * build action's bundle on the host — maturin builds for an interpreter it has no executable of
 * from its bundled sysconfig data, as it does for every cross build (pythons.test.ts proves the
 * same for cp314t) — and tested with the real CPython in a sid test image of this architecture
 * (images/test-images.ts), never pulled. `npm run matrix` also builds them with the real
 * interpreters, in the linux-x86_64 build stand-in. abi3: the abi3 wheel is tested on 3.14, the
 * newest that installs it when there is an abi3.abi3t wheel, which 3.15 installs (PEP 803).
 */
import path from 'node:path';
import { parsePythonBuilds } from '@ferrowheel/kit/python-builds';
import { checkCompatibility, parseWheelFilename, platformTags, supportedTags } from '@ferrowheel/kit/wheel';
import { describe, expect, it } from '@jest/globals';
import { copyExample } from '../../src/example-wheel.js';
import { hostPythonOf, pathWith } from '../../src/host-python.js';
import { testImage } from '../../src/images/test-images.js';
import { type ActionRun, runAction } from '../../src/run-action.js';
import { testWheelInImage } from '../../src/wheel-in-image.js';
import { inspectWheel } from '../../src/wheel-inspection.js';
import { cargoTargetDir, toolsBin } from '../../src/workdirs.js';

interface Wheel {
  path: string;
  filename: string;
}

async function buildOnHost(example: string, interpreters: string): Promise<{ run: ActionRun; dir: string }> {
  const dir = copyExample(example);
  const run = await runAction('build', {
    workspace: path.dirname(dir),
    inputs: { 'working-directory': path.basename(dir), interpreters, container: 'off', cache: 'false' },
    env: {
      PATH: pathWith([hostPythonOf('3.10')], `${toolsBin}${path.delimiter}${process.env.PATH}`),
      CARGO_TARGET_DIR: cargoTargetDir(),
      CARGO_TERM_COLOR: 'never',
    },
  });
  if (run.exitCode !== 0) throw new Error(`the build failed:\n${run.stdout}\n${run.stderr}`);
  return { run, dir };
}

const wheelsOf = (run: ActionRun) => JSON.parse(run.outputs.wheels!) as Wheel[];

/** The wheel an installer on CPython `python` (GIL-enabled, glibc x86_64) picks: the best ranked. */
function pickedBy(python: string, wheels: readonly Wheel[]): Wheel | undefined {
  const tags = supportedTags({
    implementation: 'cp',
    major: 3,
    minor: Number(python.split('.')[1]),
    abiFlags: '',
    platforms: platformTags({ os: 'linux', arch: 'x86_64', libc: { kind: 'glibc', major: 2, minor: 43 } }),
  });
  let best: { wheel: Wheel; rank: number } | undefined;
  for (const wheel of wheels) {
    const parsed = parseWheelFilename(wheel.filename);
    if (!parsed.ok) continue;
    const compatibility = checkCompatibility(parsed.value, tags);
    if (compatibility.compatible && (best === undefined || compatibility.rank < best.rank)) {
      best = { wheel, rank: compatibility.rank };
    }
  }
  return best?.wheel;
}

describe('CPython 3.14 and 3.15 (Debian sid) in a test image', () => {
  it('examples/setup: cp314 and cp315 wheels, each passing its tests on its CPython', async () => {
    const { run, dir } = await buildOnHost('setup', '3.14 3.15');
    const wheels = wheelsOf(run);
    expect(wheels.map((w) => w.filename.replace(/manylinux_2_\d+/, 'manylinux'))).toEqual([
      'setup-0.1.0-cp314-cp314-manylinux_x86_64.whl',
      'setup-0.1.0-cp315-cp315-manylinux_x86_64.whl',
    ]);
    for (const [python, wheel] of [
      ['3.14', wheels[0]!],
      ['3.15', wheels[1]!],
    ] as const) {
      const image = await testImage('x86_64', python);
      const tests = await testWheelInImage({ ...inspectWheel(wheel.path), path: wheel.path }, image, dir);
      expect([tests.passed, tests.output]).toEqual([true, expect.stringMatching(/\b1 passed\b/)]);
    }
  }, 1_800_000);

  it('examples/abi3: the abi3 wheel on 3.14, the abi3.abi3t wheel on 3.15, where installers prefer it', async () => {
    const { run, dir } = await buildOnHost('abi3', '3.10 3.15t');
    const wheels = wheelsOf(run);
    expect(parsePythonBuilds(run.outputs['python-builds']!)).toMatchObject({
      ok: true,
      value: [
        { python: '3.10', outcome: 'built' },
        { python: '3.15t', outcome: 'built' },
      ],
    });
    const abi3 = pickedBy('3.14', wheels)!;
    const abi3t = pickedBy('3.15', wheels)!;
    expect(abi3.filename).toMatch(/-cp39-abi3-/);
    expect(abi3t.filename).toMatch(/-cp315-abi3\.abi3t-/);
    for (const [python, wheel] of [
      ['3.14', abi3],
      ['3.15', abi3t],
    ] as const) {
      const image = await testImage('x86_64', python);
      const tests = await testWheelInImage({ ...inspectWheel(wheel.path), path: wheel.path }, image, dir);
      expect([tests.passed, tests.output]).toEqual([true, expect.stringMatching(/\b2 passed\b/)]);
    }
  }, 1_800_000);
});
