/**
 * The container images of the plan's legs. Test legs that run in a container get the official
 * `python` image of their CPython and platform under Docker Hub's per-architecture namespace
 * (`arm64v8/python:3.13-slim`, `i386/python:3.13-alpine`): one name per platform, which
 * `docker pull --platform` resolves on GitHub, and which a docker engine that keeps one platform
 * per tag (Debian's 20.10, the tests' engine) can hold for every platform at once — the
 * multi-platform `python:3.13-slim` would be one tag for i686, armv7, s390x and ppc64le.
 *
 * `build-images` and `test-images` replace them (a registry mirror on GHES, locally built
 * stand-ins in the tests): `<platform>=<image>` lines, the test image's `{python}` replaced by
 * the leg's CPython, and `<platform> <python>=<image>` for one CPython only. A build image is
 * the build action's `container`, so `off` (build on the runner) and `auto` work there too.
 */
import { parseDockerImage } from '@ferrowheel/kit/docker-image';
import { fail, ok, type Result } from '@ferrowheel/kit/result';

/** Docker Hub's namespace of the official images for each docker platform. */
const NAMESPACES: Record<string, string> = {
  'linux/amd64': 'amd64',
  'linux/386': 'i386',
  'linux/arm64': 'arm64v8',
  'linux/arm/v7': 'arm32v7',
  'linux/s390x': 's390x',
  'linux/ppc64le': 'ppc64le',
  'linux/riscv64': 'riscv64',
};

/** The official python image of a CPython minor, platform and family: `arm64v8/python:3.13-slim`. */
export function officialPythonImage(
  python: string,
  dockerPlatform: string,
  family: 'slim' | 'alpine',
): string {
  const namespace = NAMESPACES[dockerPlatform];
  if (namespace === undefined) throw new Error(`no Docker Hub namespace for ${dockerPlatform}`);
  return `${namespace}/python:${python}-${family}`;
}

/** Overrides of the legs' images, by platform (`linux-aarch64`) and by platform and CPython. */
export interface ImageOverrides {
  /** Build images by platform. */
  build: ReadonlyMap<string, string>;
  /** Test images by `<platform>` (a template with `{python}`) or `<platform> <python>`. */
  test: ReadonlyMap<string, string>;
}

export const NO_OVERRIDES: ImageOverrides = { build: new Map(), test: new Map() };

/** One line of `build-images`/`test-images`, parsed: its key and image, or the problem. */
export function parseImageLine(
  line: string,
  options: { withPython: boolean; isPlatform: (id: string) => boolean; isPython: (v: string) => boolean },
): Result<{ key: string; image: string }> {
  const equals = line.indexOf('=');
  if (equals <= 0) return fail('holds a line that is not <platform>=<image>');
  const key = line.slice(0, equals).trim().split(/\s+/);
  const image = line.slice(equals + 1).trim();
  const [platform = '', python, ...rest] = key;
  if (!options.isPlatform(platform)) return fail(`names '${platform}', which is not a platform id`);
  if (python !== undefined && (!options.withPython || !options.isPython(python) || rest.length > 0)) {
    return fail(
      options.withPython
        ? `gives '${key.slice(1).join(' ')}' after the platform, which is not one CPython version`
        : `gives '${key.slice(1).join(' ')}' after the platform; build images are per platform`,
    );
  }
  const placeholders = image.match(/\{[^}]*\}/g) ?? [];
  if (placeholders.some((p) => p !== '{python}') || (placeholders.length > 0 && !options.withPython)) {
    return fail(
      `holds ${placeholders.find((p) => p !== '{python}') ?? '{python}'}, which this input does not replace`,
    );
  }
  const reference = parseDockerImage(image, { placeholders: options.withPython ? ['{python}'] : [] });
  if (!reference.ok)
    return fail(`gives '${image}', which is not a docker image reference (it ${reference.problem})`);
  return ok({ key: python === undefined ? platform : `${platform} ${python}`, image });
}

/** The image a test leg runs in: the override for its CPython, for its platform, or the official one. */
export function testImage(
  overrides: ImageOverrides,
  leg: { id: string; dockerPlatform: string; family: 'slim' | 'alpine' },
  python: string,
): string {
  const template = overrides.test.get(`${leg.id} ${python}`) ?? overrides.test.get(leg.id);
  return template !== undefined
    ? template.replace(/\{python\}/g, python)
    : officialPythonImage(python, leg.dockerPlatform, leg.family);
}
