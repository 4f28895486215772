/**
 * Where the pipeline's build runs. The build action's `container: auto` means "a manylinux
 * container whenever a docker engine answers" — right on a GitHub runner, which pulls the image;
 * wrong on a machine that cannot reach quay.io, where it fails with docker's exit code 125.
 * Locally the pipeline therefore decides itself and passes build an explicit `off` or image:
 * - auto: the image build would use when that image is already present in a running engine,
 *   else the host (saying why);
 * - on: that image (the build fails clearly when docker cannot run it: it was asked for);
 * - off: the host; an image name: that image.
 */
import { execFile } from 'node:child_process';
import { defaultImage } from '../../packages/kit/src/build-images.js';
import { currentPlatform, type Platform } from '../../packages/kit/src/platform.js';
import { hostTriple, targetOfTriple } from '../../packages/kit/src/targets.js';
import type { ContainerChoice } from './options.js';

export interface Docker {
  /** The server version, or undefined when no engine answers (DOCKER_HOST included). */
  serverVersion(): Promise<string | undefined>;
  hasImage(image: string): Promise<boolean>;
}

export interface BuildPlace {
  /** The build action's `container` input. */
  input: string;
  /** Where, in a few words: `on the host`, `in the container IMAGE`. */
  where: string;
  /** One line for the log: where, and why. */
  reason: string;
}

function run(args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('docker', args, { timeout: 15_000, encoding: 'utf8' }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim()),
    );
  });
}

export const realDocker: Docker = {
  serverVersion: () => run(['version', '--format', '{{.Server.Version}}']),
  hasImage: async (image) => (await run(['image', 'inspect', '--format', '{{.Id}}', image])) !== undefined,
};

/** The image build's `container: auto` would pick for the host target, or a reason there is none. */
export function hostImage(platform: Platform = currentPlatform()): { image?: string; problem?: string } {
  if (platform.os !== 'linux') return { problem: `containers build Linux wheels; this is ${platform.os}` };
  const target = targetOfTriple(hostTriple(platform));
  if (!target) return { problem: `no known target for ${hostTriple(platform)}` };
  const image = defaultImage(target, { kind: 'auto' }, platform.arch);
  return image.ok ? { image: image.value } : { problem: image.problem };
}

export async function chooseBuildPlace(
  choice: ContainerChoice,
  docker: Docker = realDocker,
  platform: Platform = currentPlatform(),
): Promise<BuildPlace> {
  switch (choice.kind) {
    case 'off':
      return { input: 'off', where: 'on the host', reason: 'on the host (--container off)' };
    case 'image':
      return {
        input: choice.image,
        where: `in the container ${choice.image}`,
        reason: `in the container ${choice.image} (--container)`,
      };
    case 'on': {
      const { image, problem } = hostImage(platform);
      if (!image) throw new Error(`--container on: ${problem}. Use --container off, or name an image.`);
      return {
        input: image,
        where: `in the container ${image}`,
        reason: `in the container ${image} (--container on)`,
      };
    }
    case 'auto': {
      const { image, problem } = hostImage(platform);
      if (!image) return { input: 'off', where: 'on the host', reason: `on the host (${problem})` };
      const version = await docker.serverVersion();
      if (version === undefined)
        return { input: 'off', where: 'on the host', reason: 'on the host (no docker engine answers)' };
      if (!(await docker.hasImage(image))) {
        return {
          input: 'off',
          where: 'on the host',
          reason: `on the host (docker ${version} runs, but ${image} is not present; --container on pulls it)`,
        };
      }
      return {
        input: image,
        where: `in the container ${image}`,
        reason: `in the container ${image} (present in docker ${version})`,
      };
    }
  }
}
