/**
 * A wheel's tests in a container of its own architecture and libc (a test image, under QEMU when
 * the architecture is foreign), until the test action's container mode replaces this step. Only
 * pytest runs in the container: the wheel and pytest are installed on the host into a directory
 * (`pip install --target` for the image's platform and CPython, which pip supports without
 * running the target's interpreter), mounted read-only; pip never runs under emulation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { assertStandIn } from './images/engine.js';
import { runnablePlatform } from './images/qemu.js';
import type { TestImage } from './images/test-images.js';
import type { WheelInspection } from './wheel-inspection.js';
import { freshDir, tool } from './workdirs.js';

export interface WheelTestRun {
  passed: boolean;
  output: string;
  seconds: number;
}

/** Installs `wheel` and pytest for the image's platform and CPython into a fresh directory. */
function installForImage(wheel: WheelInspection & { path: string }, python: string): string {
  const site = freshDir('wheel-in-image');
  execFileSync(
    tool('python'),
    [
      ...['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', site],
      ...['--only-binary=:all:', '--implementation', 'cp', '--python-version', python],
      ...wheel.platformTags.flatMap((tag) => ['--platform', tag]),
      ...wheel.abiTags.flatMap((tag) => ['--abi', tag]),
      wheel.path,
      'pytest',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return site;
}

/**
 * Runs the tests in `testsDir` against `wheel` in `image` (by its id: the stand-in built, nothing
 * else under its name). Never pulls.
 */
export async function testWheelInImage(
  wheel: WheelInspection & { path: string },
  image: TestImage,
  testsDir: string,
): Promise<WheelTestRun> {
  const platform = runnablePlatform(image.platform);
  if (!platform.ok) throw new Error(platform.problem);
  const facts = await assertStandIn(image.name, image.recipe);
  const startedAt = Date.now();
  const site = installForImage(wheel, image.python);
  const result = spawnSync(
    'docker',
    [
      ...['run', '--rm', '--pull', 'never', '--network', 'none', '--platform', image.platform],
      ...['--volume', `${site}:/site:ro`, '--volume', `${testsDir}:/tests:ro`],
      ...['--env', 'PYTHONPATH=/site', '--env', 'PYTHONDONTWRITEBYTECODE=1', '--workdir', '/tmp'],
      facts.id,
      ...['python', '-m', 'pytest', '-p', 'no:cacheprovider', '-q', '/tests'],
    ],
    { encoding: 'utf8' },
  );
  return {
    passed: result.status === 0,
    output: `${result.stdout}${result.stderr}`,
    seconds: (Date.now() - startedAt) / 1000,
  };
}
