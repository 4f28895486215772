/**
 * The images module on this machine's real engine and kernel: QEMU registered by the project's
 * script, the test images (what is in them, their platform and labels; the build stand-ins are
 * used by linux-legs.test.ts, and all of them by `npm run matrix`), and the errors for a bad platform, a CPython there can be none of, a missing image and
 * an image that is not ferrowheel's. Nothing is pulled: every `docker run` says `--pull never`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ARCHITECTURES } from '../../src/images/architectures.js';
import { loadImage } from '../../src/images/archive.js';
import { buildStandIn } from '../../src/images/build-stand-ins.js';
import { ensureLayer } from '../../src/images/builder.js';
import { assertStandIn, inspectImage, tagStandIn } from '../../src/images/engine.js';
import { MUSL_STD_ENV } from '../../src/images/musl-std-route.js';
import { qemuProblem } from '../../src/images/qemu.js';
import { testImage, testImageForPlatform } from '../../src/images/test-images.js';
import { repoRoot } from '../../src/workdirs.js';

const inImage = (image: string, platform: string, argv: string[]) =>
  execFileSync(
    'docker',
    ['run', '--rm', '--pull', 'never', '--network', 'none', '--platform', platform, image, ...argv],
    {
      encoding: 'utf8',
    },
  );

describe('QEMU (scripts/ensure-qemu.sh)', () => {
  it('registers every foreign architecture with the static emulator and the F flag, idempotently', () => {
    const script = path.join(repoRoot, 'scripts', 'ensure-qemu.sh');
    execFileSync('bash', [script], { stdio: 'pipe' });
    for (const arch of ARCHITECTURES) expect([arch.arch, qemuProblem(arch)]).toEqual([arch.arch, undefined]);
    // Registered already: nothing to do, nothing said.
    expect(execFileSync('bash', [script], { encoding: 'utf8', stdio: 'pipe' })).toBe('');
  });

  it('an architecture QEMU has no emulator for: the name and the names there are', () => {
    const run = spawnSync('bash', [path.join(repoRoot, 'scripts', 'ensure-qemu.sh'), 'mips128'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "qemu-user-static has no emulator for 'mips128' (QEMU's names: aarch64, arm, s390x, ppc64le, …).",
    );
  }, 120_000);
});

describe('test images', () => {
  it('amd64 CPython 3.14 and 3.15 from sid: python and venv work, the platform and labels are recorded', async () => {
    for (const python of ['3.14', '3.15']) {
      const image = await testImage('x86_64', python);
      expect(image.platform).toBe('linux/amd64');
      expect((await inspectImage(image.name))?.labels).toMatchObject({
        'dev.ferrowheel.stand-in': `test/python${python}-sid-x86_64`,
        'dev.ferrowheel.python': python,
        'dev.ferrowheel.stands-in-for': `amd64/python:${python}-slim`,
      });
      const out = inImage(image.id, image.platform, [
        'sh',
        '-c',
        'python --version && python -m venv /tmp/v && /tmp/v/bin/python -m pip --version',
      ]);
      expect(out).toMatch(new RegExp(`^Python ${python.replace('.', '\\.')}\\.\\d+\\npip \\d+`));
    }
  }, 900_000);

  it('a bad platform and a CPython this machine cannot have: the cause and the fix', async () => {
    await expect(testImageForPlatform('linux/mips64le', '3.11')).rejects.toThrow(
      /^the docker platform "linux\/mips64le" is not one ferrowheel has images for \(linux\/amd64, .*\)\. Use one of those, as docker writes them\.$/,
    );
    await expect(testImageForPlatform('linux/arm64', '3.12')).rejects.toThrow(
      'There is no test image of CPython 3.12 for aarch64: no CPython 3.12 for aarch64 can be had on this machine (Debian packages only 3.11 (bookworm) and 3.13, 3.14, 3.15 (sid), and python.org is not reachable).',
    );
  });
});

describe('an image that is not the stand-in is never used', () => {
  it('a stand-in under the name a workflow uses on GitHub (per-platform, like arm64v8/python:3.11-slim)', async () => {
    const image = await testImage('aarch64', '3.11');
    const alias = `ferrowheel-test/arm64v8-python:3.11-slim-${process.pid}`;
    try {
      const facts = await tagStandIn(image, alias);
      expect([facts.id, facts.platform]).toEqual([image.id, 'linux/arm64']);
      expect(
        inImage(alias, 'linux/arm64', ['python', '-c', 'import platform; print(platform.machine())']),
      ).toBe('aarch64\n');
    } finally {
      execFileSync('docker', ['rmi', alias], { stdio: 'pipe' });
    }
  }, 900_000);

  it('missing: says it is built locally, never pulled', async () => {
    await expect(assertStandIn('ferrowheel-stand-in/python:none', 'abc')).rejects.toThrow(
      /^The image ferrowheel-stand-in\/python:none is not in the docker engine: ferrowheel's stand-ins are built locally/,
    );
  });

  it("another image under the name (a registry's, no ferrowheel labels): named as such, with the fix", async () => {
    const name = `ferrowheel-test/impostor:${process.pid}`;
    const layer = await ensureLayer({ kind: 'links', links: { 'usr/local/bin/python': '/usr/bin/python3' } });
    await loadImage(name, [{ file: layer, createdBy: 'test' }], {
      config: { platform: 'linux/arm64', env: [], labels: {}, cmd: ['sh'] },
    });
    try {
      await expect(assertStandIn(name, 'abc')).rejects.toThrow(
        `is not a ferrowheel stand-in (no dev.ferrowheel.* labels: a registry image?), not the stand-in of recipe abc. Remove it ('docker rmi ${name}') and let the images module build it.`,
      );
    } finally {
      execFileSync('docker', ['rmi', name], { stdio: 'pipe' });
    }
  });
});

describe("a musllinux stand-in's route to its std (FERROWHEEL_MUSL_STD)", () => {
  const saved = process.env[MUSL_STD_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[MUSL_STD_ENV];
    else process.env[MUSL_STD_ENV] = saved;
  });

  it('a value that is not a route, and dist for a target Rust ships no std for: the cause and the fix, nothing built', async () => {
    process.env[MUSL_STD_ENV] = 'fast';
    await expect(buildStandIn('musllinux-x86_64')).rejects.toThrow(
      /^FERROWHEEL_MUSL_STD is "fast", which is not a route: set it to dist .* or build .*, or unset it/,
    );
    process.env[MUSL_STD_ENV] = 'dist';
    await expect(buildStandIn('musllinux-armv7')).rejects.toThrow(
      'FERROWHEEL_MUSL_STD=dist, but Rust ships no std for armv7-unknown-linux-musleabihf',
    );
  });
});
