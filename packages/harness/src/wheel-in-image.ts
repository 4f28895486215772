/**
 * A wheel's tests in a container of its own architecture and libc (a test image, under QEMU when
 * the architecture is foreign), run by the test action's bundle in its container mode — the same
 * step build-wheels.yml's container and emulated legs run: the runner downloads the requirements
 * for the image's CPython, the static uv installs them in the container, pytest runs there.
 */
import path from 'node:path';
import { assertStandIn } from './images/engine.js';
import { runnablePlatform } from './images/qemu.js';
import type { TestImage } from './images/test-images.js';
import { runAction } from './run-action.js';
import type { WheelInspection } from './wheel-inspection.js';
import { toolsBin } from './workdirs.js';

export interface WheelTestRun {
  passed: boolean;
  output: string;
  seconds: number;
}

/**
 * Runs the tests of `project` (the directory holding the wheel, under it) against `wheel` in
 * `image`, through the test action. Throws when the action did not run in the stand-in that was
 * built (by its image id): nothing else under its name, and nothing is pulled.
 */
export async function testWheelInImage(
  wheel: WheelInspection & { path: string },
  image: TestImage,
  project: string,
): Promise<WheelTestRun> {
  const platform = runnablePlatform(image.platform);
  if (!platform.ok) throw new Error(platform.problem);
  const facts = await assertStandIn(image.name, image.recipe);
  const run = await runAction('test', {
    workspace: path.dirname(project),
    inputs: {
      'working-directory': path.basename(project),
      wheels: path.relative(project, wheel.path),
      python: image.python,
      container: image.name,
      'docker-platform': image.platform,
    },
    env: { PATH: `${toolsBin}${path.delimiter}${process.env.PATH}` },
  });
  const output = `${run.stdout}\n${run.stderr}`;
  if (!run.stdout.includes(`: image ${facts.id}`)) {
    throw new Error(
      `the test action did not run in the stand-in ${image.name} (${facts.id}):\n${output.slice(-3000)}`,
    );
  }
  return { passed: run.exitCode === 0, output, seconds: run.durationMs / 1000 };
}
