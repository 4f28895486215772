/**
 * The images' data: architectures, which CPython each can have here (and the reasons for the
 * others), the build stand-ins' table against the build action's own image tables, and the keys
 * recipes are cached under.
 */

import { defaultImage } from '@ferrowheel/kit/build-images';
import { unwrap } from '@ferrowheel/kit/result';
import { targetOfTriple } from '@ferrowheel/kit/targets';
import { describe, expect, it } from '@jest/globals';
import { parseCompatibility } from '../../../../actions/build/src/compatibility.js';
import { ARCHITECTURES, archOfPlatform, imagePlatform } from '../../src/images/architectures.js';
import {
  BUILD_LEGS,
  buildBaseRecipe,
  buildLeg,
  buildStandInRecipe,
  everyStandInRecipe,
  legTarget,
  pinnedTool,
  RUST_DIST_LABEL,
} from '../../src/images/build-stand-ins.js';
import { imagePythons, pythonSource } from '../../src/images/pythons.js';
import { imageKey, layerKey } from '../../src/images/recipe.js';
import { testImageRecipe } from '../../src/images/test-images.js';

describe('architectures', () => {
  it('reads every docker platform, and names the ones there are for any other', () => {
    expect(ARCHITECTURES.map((a) => unwrap(archOfPlatform(a.dockerPlatform)).arch)).toEqual([
      'x86_64',
      'i686',
      'aarch64',
      'armv7',
      's390x',
      'ppc64le',
    ]);
    expect(unwrap(archOfPlatform('linux/arm64/v8')).arch).toBe('aarch64');
    const bad = archOfPlatform('linux/riscv64');
    expect(bad).toEqual({
      ok: false,
      problem:
        'the docker platform "linux/riscv64" is not one ferrowheel has images for (linux/amd64, linux/386, linux/arm64, linux/arm/v7, linux/s390x, linux/ppc64le)',
    });
  });

  it("gives an image config docker's architecture and variant", () => {
    expect(imagePlatform('linux/arm/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(imagePlatform('linux/386')).toEqual({ os: 'linux', architecture: '386' });
  });
});

describe('which CPython each architecture can have here', () => {
  it('every architecture: 3.11 from bookworm, 3.13 to 3.15 from sid', () => {
    for (const a of ARCHITECTURES) {
      expect(imagePythons(a.arch)).toEqual(['3.11', '3.13', '3.14', '3.15']);
      expect(pythonSource(a.arch, '3.11')).toEqual({ kind: 'image', python: '3.11', release: 'bookworm' });
      expect(pythonSource(a.arch, '3.15')).toEqual({ kind: 'image', python: '3.15', release: 'sid' });
    }
  });

  it('3.10, 3.12 and the free-threaded builds: none, with the reason', () => {
    expect(pythonSource('aarch64', '3.12')).toEqual({
      kind: 'none',
      python: '3.12',
      reason:
        'no CPython 3.12 for aarch64 can be had on this machine (Debian packages only 3.11 (bookworm) and 3.13, 3.14, 3.15 (sid), and python.org is not reachable)',
    });
    expect(pythonSource('s390x', '3.14t')).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/^no free-threaded CPython 3\.14t for s390x can be had on this machine/),
    });
  });

  it('a test image recipe exists exactly for those', () => {
    expect(testImageRecipe('armv7', '3.10')).toMatchObject({ ok: false });
    const recipe = unwrap(testImageRecipe('armv7', '3.13'));
    expect(recipe.tag).toBe('3.13-sid-armv7');
    expect(recipe.standsInFor).toBe('arm32v7/python:3.13-slim');
    expect(recipe.config.platform).toBe('linux/arm/v7');
    expect(recipe.parent?.layers[0]).toMatchObject({
      kind: 'debootstrap',
      release: 'sid',
      debianArch: 'armhf',
      foreign: true,
    });
  });
});

describe('the build stand-ins', () => {
  it('one per Linux leg, each standing in for the image the build action picks for it on an x86_64 runner', () => {
    expect(BUILD_LEGS.map((l) => l.leg)).toEqual([
      'linux-x86_64',
      'linux-i686',
      'linux-aarch64',
      'linux-armv7',
      'linux-s390x',
      'linux-ppc64le',
      'musllinux-x86_64',
      'musllinux-i686',
      'musllinux-aarch64',
      'musllinux-armv7',
    ]);
    for (const leg of BUILD_LEGS) {
      const target = targetOfTriple(legTarget(leg))!;
      const compatibility = unwrap(parseCompatibility(leg.libc === 'musl' ? 'musllinux_1_2' : 'auto'));
      expect([leg.leg, unwrap(defaultImage(target, compatibility, 'x86_64'))]).toEqual([
        leg.leg,
        leg.standsInFor,
      ]);
    }
  });

  it('a cross leg: the std, gcc and glibc of its architecture, the linker in the image', () => {
    const recipe = buildStandInRecipe(buildLeg('linux-ppc64le'));
    expect(recipe.layers[0]).toMatchObject({
      kind: 'chroot-step',
      step: {
        aptArches: ['ppc64el'],
        aptPackages: ['libstd-rust-dev:ppc64el', 'gcc-powerpc64le-linux-gnu', 'libc6-dev-ppc64el-cross'],
      },
    });
    expect(recipe.config.env).toContain(
      'CARGO_TARGET_POWERPC64LE_UNKNOWN_LINUX_GNU_LINKER=powerpc64le-linux-gnu-gcc',
    );
  });

  it('the i686 stand-in links without the GLIBC_ABI_GNU_TLS version need (bookworm has none)', () => {
    expect(buildStandInRecipe(buildLeg('linux-i686')).config.env).toContain(
      'CARGO_TARGET_I686_UNKNOWN_LINUX_GNU_RUSTFLAGS=-C link-arg=-Wl,--no-gnu-tls-tag',
    );
    const others = BUILD_LEGS.filter((l) => l.leg !== 'linux-i686').map((l) => buildStandInRecipe(l));
    expect(others.flatMap((r) => r.config.env).filter((e) => e.includes('RUSTFLAGS'))).toEqual([]);
  });

  it('a musl leg, slow route (the default recipe): a std built from rust-src, zig as the linker', () => {
    const recipe = buildStandInRecipe(buildLeg('musllinux-armv7'));
    expect(recipe.layers).toHaveLength(1);
    expect(recipe.layers[0]).toMatchObject({
      kind: 'chroot-step',
      step: { muslStd: ['armv7-unknown-linux-musleabihf'], zigcc: true },
    });
    expect(recipe.config.env).toEqual(
      expect.arrayContaining([
        'CARGO_TARGET_ARMV7_UNKNOWN_LINUX_MUSLEABIHF_LINKER=ferrowheel-zigcc',
        'FERROWHEEL_ZIG_ARGS=-mcpu=generic+v7a+vfp3-d32+thumb2-neon -target arm-linux-musleabihf',
      ]),
    );
  });

  it("a musl leg, fast route: zig, then Rust's official toolchain from pinned tarballs; the same linker env", () => {
    const leg = buildLeg('musllinux-x86_64');
    const [slow, fast] = everyStandInRecipe(leg);
    expect(fast!.layers[0]).toEqual({
      kind: 'chroot-step',
      base: buildBaseRecipe().layers[0],
      step: { pipPackages: [pinnedTool('ziglang')], zigcc: true },
    });
    const dist = fast!.layers[1];
    expect(dist).toMatchObject({ kind: 'rust-dist', version: '1.97.1' });
    expect(dist?.kind === 'rust-dist' && dist.files.map((f) => [f.path, f.sha256.length])).toEqual([
      ['/dist/2026-07-16/rustc-1.97.1-x86_64-unknown-linux-gnu.tar.xz', 64],
      ['/dist/2026-07-16/cargo-1.97.1-x86_64-unknown-linux-gnu.tar.xz', 64],
      ['/dist/2026-07-16/rust-std-1.97.1-x86_64-unknown-linux-gnu.tar.xz', 64],
      ['/dist/2026-07-16/rust-std-1.97.1-x86_64-unknown-linux-musl.tar.xz', 64],
    ]);
    // Only the image differs: the same linker and zig arguments, so the same container script works.
    expect(fast!.config.env).toEqual(slow!.config.env);
    expect(fast!.config.labels).toEqual({ [RUST_DIST_LABEL]: '1.97.1' });
    expect(slow!.config.labels).toBeUndefined();
    // Another recipe, so another key: a machine may hold both.
    expect(
      imageKey(
        fast!,
        fast!.layers.map((l) => layerKey(l)),
        'p',
      ),
    ).not.toBe(
      imageKey(
        slow!,
        slow!.layers.map((l) => layerKey(l)),
        'p',
      ),
    );
  });

  it('the musl legs Rust 1.97.1 ships no std for have only the slow route', () => {
    expect(BUILD_LEGS.map((l) => [l.leg, everyStandInRecipe(l).length])).toEqual([
      ['linux-x86_64', 1],
      ['linux-i686', 1],
      ['linux-aarch64', 1],
      ['linux-armv7', 1],
      ['linux-s390x', 1],
      ['linux-ppc64le', 1],
      ['musllinux-x86_64', 2],
      ['musllinux-i686', 1],
      ['musllinux-aarch64', 2],
      ['musllinux-armv7', 1],
    ]);
    expect(() => buildStandInRecipe(buildLeg('musllinux-i686'), { muslStd: 'dist' })).toThrow(
      'Rust ships no std for i686-unknown-linux-musl: its stand-in has no fast route',
    );
  });

  it('an unknown leg names the legs there are', () => {
    expect(() => buildLeg('windows-x86_64')).toThrow(
      /^There is no build stand-in for "windows-x86_64": the legs are linux-x86_64, linux-i686, .*musllinux-armv7\.$/,
    );
  });

  it('pins maturin and ziglang as the tools venv does', () => {
    expect(pinnedTool('maturin')).toMatch(/^maturin==\d+\.\d+\.\d+$/);
    expect(pinnedTool('ziglang')).toMatch(/^ziglang==/);
  });
});

describe('recipe keys', () => {
  it('the same recipe gives the same key; any change gives another', () => {
    const recipe = buildStandInRecipe(buildLeg('linux-aarch64'));
    const layer = recipe.layers[0]!;
    expect(layerKey(layer)).toBe(layerKey(structuredClone(layer)));
    expect(layerKey(layer)).not.toBe(layerKey({ ...layer, kind: 'links', links: {} }));
    const key = imageKey(recipe, [layerKey(layer)], 'parent');
    expect(imageKey(recipe, [layerKey(layer)], 'parent')).toBe(key);
    expect(
      imageKey({ ...recipe, config: { ...recipe.config, env: [] } }, [layerKey(layer)], 'parent'),
    ).not.toBe(key);
    expect(imageKey(recipe, ['other'], 'parent')).not.toBe(key);
    // A changed parent (its layers, its config) is a changed image.
    expect(imageKey(recipe, [layerKey(layer)], 'another parent')).not.toBe(key);
  });
});
