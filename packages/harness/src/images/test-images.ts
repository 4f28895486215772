/**
 * Test images: a CPython of one architecture and libc (glibc) in a container, standing in for the
 * official `python` image of that platform (Docker Hub's per-architecture `arm64v8/python:3.11-slim`
 * and the like). Made without running anything foreign: `debootstrap --foreign` of the pinned
 * Debian release that packages the CPython (pythons.ts) and `dpkg -x` of its packages; the image
 * records its real platform (archive.ts). One root per (release, architecture) is the parent image;
 * each CPython adds a layer of two links, so `python` and `python3` are that CPython, as in the
 * official images.
 */
import { fail, ok, type Result } from '@ferrowheel/kit/result';
import { ARCHITECTURES, type ArchNames, archNames, type LinuxArch } from './architectures.js';
import { ensureImage, type StandInImage } from './builder.js';
import { type DebianRelease, pythonSource, RELEASES } from './pythons.js';
import { runnablePlatform } from './qemu.js';
import type { ImageRecipe } from './recipe.js';

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The label with the CPython version (`3.11`) of a test image. */
export const PYTHON_LABEL = 'dev.ferrowheel.python';

/** The root of a release for an architecture, with every CPython the release packages. */
export function releaseRootRecipe(release: DebianRelease, arch: ArchNames): ImageRecipe {
  const pythons = RELEASES[release].pythons;
  return {
    repository: 'ferrowheel-stand-in/debian',
    tag: `${release}-${arch.arch}`,
    standIn: `test-root/${release}-${arch.arch}`,
    layers: [
      {
        kind: 'debootstrap',
        release,
        debianArch: arch.debian,
        include: [
          'ca-certificates',
          'python3',
          'python3-venv',
          ...pythons.flatMap((p) => [`python${p}`, `python${p}-venv`]),
        ],
        foreign: true,
      },
    ],
    config: { platform: arch.dockerPlatform, env: [PATH], cmd: ['python3'] },
  };
}

/** The test image recipe of a CPython for an architecture, or why there can be none here. */
export function testImageRecipe(arch: LinuxArch, python: string): Result<ImageRecipe> {
  const source = pythonSource(arch, python);
  if (source.kind === 'none') return fail(source.reason);
  const names = archNames(arch);
  const interpreter = `/usr/bin/python${python}`;
  return ok({
    repository: 'ferrowheel-stand-in/python',
    tag: `${python}-${source.release}-${arch}`,
    standIn: `test/python${python}-${source.release}-${arch}`,
    standsInFor: `${names.dockerHubNamespace}/python:${python}-slim`,
    parent: releaseRootRecipe(source.release, names),
    layers: [
      { kind: 'links', links: { 'usr/local/bin/python': interpreter, 'usr/local/bin/python3': interpreter } },
    ],
    config: {
      platform: names.dockerPlatform,
      env: [PATH],
      cmd: ['python3'],
      labels: { [PYTHON_LABEL]: python },
    },
  });
}

export interface TestImage extends StandInImage {
  arch: LinuxArch;
  python: string;
}

/** The test image of a CPython for an architecture, built on first use (see builder.ts). */
export async function testImage(arch: LinuxArch, python: string): Promise<TestImage> {
  const recipe = testImageRecipe(arch, python);
  if (!recipe.ok)
    throw new Error(`There is no test image of CPython ${python} for ${arch}: ${recipe.problem}.`);
  return { ...(await ensureImage(recipe.value)), arch, python };
}

/**
 * The test image for a docker platform (`linux/arm/v7`), when this machine can run it: a bad
 * platform, a CPython there can be none of, and an unregistered QEMU each stop here with the fix.
 */
export async function testImageForPlatform(platform: string, python: string): Promise<TestImage> {
  const arch = runnablePlatform(platform);
  if (!arch.ok) throw new Error(arch.problem);
  return testImage(arch.value.arch, python);
}

/** Every architecture's test images' recipes (for the matrix). */
export function everyTestImageRecipe(): { arch: LinuxArch; python: string; recipe: Result<ImageRecipe> }[] {
  return ARCHITECTURES.flatMap((a) =>
    Object.values(RELEASES)
      .flatMap((r) => r.pythons)
      .map((python) => ({ arch: a.arch, python, recipe: testImageRecipe(a.arch, python) })),
  );
}
