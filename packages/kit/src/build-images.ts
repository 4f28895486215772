/**
 * Which image builds a Linux wheel in a container, by target and platform level: pypa's manylinux
 * images where the runner's architecture runs them, rust-cross's cross-compiling images where it
 * does not, and the musl cross images for musllinux. Data, and one lookup: the build action's
 * `container: auto` and the local pipeline (scripts/pipeline/container.ts) pick by the same table.
 */
import type { Arch } from './platform.js';
import { fail, ok, type Result } from './result.js';
import type { Target } from './targets.js';

/**
 * The platform level the wheel is built for, as far as the image depends on it (the build
 * action's Compatibility is one): auto and off mean the oldest level.
 */
export type ImageLevel =
  | { kind: 'auto' }
  | { kind: 'off' }
  | { kind: 'manylinux'; glibc: [number, number] }
  | { kind: 'musllinux' };

/** pypa images (native: the runner's arch runs them) by target triple and glibc level. */
const PYPA_MANYLINUX: Record<string, Record<string, string>> = {
  'x86_64-unknown-linux-gnu': {
    '2_17': 'quay.io/pypa/manylinux2014_x86_64',
    '2_28': 'quay.io/pypa/manylinux_2_28_x86_64',
    '2_34': 'quay.io/pypa/manylinux_2_34_x86_64',
  },
  'i686-unknown-linux-gnu': { '2_17': 'quay.io/pypa/manylinux2014_i686' },
  'aarch64-unknown-linux-gnu': {
    '2_17': 'quay.io/pypa/manylinux2014_aarch64',
    '2_28': 'quay.io/pypa/manylinux_2_28_aarch64',
    '2_34': 'quay.io/pypa/manylinux_2_34_aarch64',
  },
};

/** rust-cross images (cross-compilers with Rust inside) for targets the runner cannot run. */
const CROSS_MANYLINUX: Record<string, Record<string, string>> = {
  'aarch64-unknown-linux-gnu': {
    '2_17': 'ghcr.io/rust-cross/manylinux2014-cross:aarch64',
    '2_28': 'ghcr.io/rust-cross/manylinux_2_28-cross:aarch64',
  },
  'armv7-unknown-linux-gnueabihf': {
    '2_17': 'ghcr.io/rust-cross/manylinux2014-cross:armv7',
    '2_28': 'ghcr.io/rust-cross/manylinux_2_28-cross:armv7',
  },
  'powerpc64le-unknown-linux-gnu': {
    '2_17': 'ghcr.io/rust-cross/manylinux2014-cross:ppc64le',
    '2_28': 'ghcr.io/rust-cross/manylinux_2_28-cross:ppc64le',
  },
  's390x-unknown-linux-gnu': {
    '2_17': 'ghcr.io/rust-cross/manylinux2014-cross:s390x',
    '2_28': 'ghcr.io/rust-cross/manylinux_2_28-cross:s390x',
  },
};

/** musl cross images (they serve every musllinux_1_x level). */
const MUSL: Record<string, string> = {
  'x86_64-unknown-linux-musl': 'ghcr.io/rust-cross/rust-musl-cross:x86_64-musl',
  'aarch64-unknown-linux-musl': 'ghcr.io/rust-cross/rust-musl-cross:aarch64-musl',
  'armv7-unknown-linux-musleabihf': 'ghcr.io/rust-cross/rust-musl-cross:armv7-musleabihf',
  'i686-unknown-linux-musl': 'ghcr.io/rust-cross/rust-musl-cross:i686-musl',
};

/** The image for a target and level on a runner of `runnerArch`, or why there is none. */
export function defaultImage(target: Target, compatibility: ImageLevel, runnerArch: Arch): Result<string> {
  if (target.os !== 'linux') return fail(`containers build Linux wheels only, not ${target.triple}`);
  if (target.libc === 'musl') {
    const musl = MUSL[target.triple];
    return musl !== undefined ? ok(musl) : fail(`there is no musllinux image for ${target.triple}`);
  }
  if (compatibility.kind === 'musllinux') return fail(`musllinux needs a musl target, not ${target.triple}`);
  // auto/off: the oldest level, so the wheel installs on the most systems.
  const level = compatibility.kind === 'manylinux' ? `2_${compatibility.glibc[1]}` : '2_17';
  const native = target.arch === runnerArch || (target.arch === 'i686' && runnerArch === 'x86_64');
  const table = native ? PYPA_MANYLINUX : CROSS_MANYLINUX;
  const image =
    table[target.triple]?.[level] ?? (native ? CROSS_MANYLINUX : PYPA_MANYLINUX)[target.triple]?.[level];
  if (image !== undefined) return ok(image);
  const levels = Object.keys({ ...PYPA_MANYLINUX[target.triple], ...CROSS_MANYLINUX[target.triple] });
  return fail(
    levels.length === 0
      ? `there is no manylinux image for ${target.triple}`
      : `there is no manylinux_${level} image for ${target.triple} (known: ${levels.map((l) => `manylinux_${l}`).join(', ')})`,
  );
}
