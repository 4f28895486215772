/**
 * Two of the ten Linux legs, built for real by the build action's bundle on this x86_64 machine,
 * each in its stand-in for the image GitHub builds it in (same container script, same argv; only
 * the image name differs): linux-aarch64, whose wheel is then tested in an arm64 CPython under
 * QEMU, and musllinux-x86_64. `npm run matrix` builds all ten and tests every glibc wheel on every
 * CPython its architecture can have here. The images are ferrowheel's own (labels and ids are
 * checked), built once per machine; nothing is pulled.
 */
import { RUST_DIST_LABEL } from '@ferrowheel/harness/images/build-stand-ins';
import { assertStandIn, inspectImage } from '@ferrowheel/harness/images/engine';
import { testImage } from '@ferrowheel/harness/images/test-images';
import { buildLeg, expectedMachine, type LegBuild } from '@ferrowheel/harness/linux-legs';
import { testWheelInImage } from '@ferrowheel/harness/wheel-in-image';
import { describe, expect, it } from '@jest/globals';

/** The image the build ran in is still the stand-in that was built (nothing retagged it). */
async function ranInStandIn(build: LegBuild): Promise<void> {
  expect(build.run.stdout).toContain(`where: container ${build.image.name}`);
  expect((await assertStandIn(build.image.name, build.image.recipe)).id).toBe(build.image.id);
}

describe('Linux legs built in their stand-ins (through the bundle)', () => {
  it('linux-aarch64: a manylinux_2_34 aarch64 wheel, whose tests pass in an arm64 CPython 3.11 under QEMU', async () => {
    const [build, image] = await Promise.all([
      buildLeg('linux-aarch64', { pythons: ['3.11'] }),
      testImage('aarch64', '3.11'),
    ]);
    await ranInStandIn(build);
    expect(build.image.standsInFor).toBe('ghcr.io/rust-cross/manylinux2014-cross:aarch64');
    const [wheel, ...others] = build.wheels;
    expect(others).toEqual([]);
    // sid's glibc, as far as the extension's symbols reach: manylinux_2_34, not pypa's 2014 (README).
    expect(wheel!.filename).toBe('setup-0.1.0-cp311-cp311-manylinux_2_34_aarch64.whl');
    expect(wheel!.extensions.map((e) => [e.elf.machine, e.libc])).toEqual([
      [expectedMachine(build), 'glibc'],
    ]);

    expect(image.platform).toBe('linux/arm64');
    const tests = await testWheelInImage(wheel!, image, build.project);
    expect([tests.passed, tests.output]).toEqual([true, expect.stringMatching(/\b1 passed\b/)]);
  }, 1_800_000);

  it('musllinux-x86_64: a musllinux_1_2 x86_64 wheel whose extension links musl, not glibc', async () => {
    const build = await buildLeg('musllinux-x86_64', { pythons: ['3.13'] });
    await ranInStandIn(build);
    expect(build.image.standsInFor).toBe('ghcr.io/rust-cross/rust-musl-cross:x86_64-musl');
    // Either route's stand-in (the fast one when rustup's server answers): its label says which.
    const labels = (await inspectImage(build.image.name))?.labels ?? {};
    expect([build.image.muslStd, labels[RUST_DIST_LABEL]]).toEqual(
      build.image.muslStd === 'dist' ? ['dist', '1.97.1'] : ['build', undefined],
    );
    expect(build.wheels.map((w) => w.filename)).toEqual(['setup-0.1.0-cp313-cp313-musllinux_1_2_x86_64.whl']);
    const [extension] = build.wheels[0]!.extensions;
    expect(extension!.elf.machine).toBe(expectedMachine(build));
    expect(extension!.libc).toBe('musl');
    expect(extension!.elf.needed).toContain('libc.so');
    expect(extension!.elf.needed).not.toContain('libc.so.6');
  }, 1_800_000);
});
