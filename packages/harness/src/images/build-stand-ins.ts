/**
 * Build stand-ins: one image per Linux leg of the plan, standing in for the pypa manylinux or
 * rust-cross image that leg builds in on GitHub (the build action's tables in
 * actions/build/src/container.ts; a test keeps the two in step). The build action runs in it with
 * the same container script and the same argv; only the image name differs (its `container`
 * input). No rustup: every stand-in is Debian sid (amd64) with Debian's rustc and cargo
 * (1.97.1), gcc, python3 and maturin (the parent image, shared), plus the leg's own layer:
 * - linux-x86_64: sid's CPythons 3.13–3.15 in pypa's /opt/python layout;
 * - the other glibc legs: Debian's std for the target (`libstd-rust-dev:<arch>`, Multi-Arch: same),
 *   the cross gcc and glibc headers; the linker given by CARGO_TARGET_<TRIPLE>_LINKER in the image,
 *   as rust-cross's images do. maturin builds for each CPython from its own sysconfig data;
 * - the musllinux legs: linked by zig (musl-gcc cannot: no libgcc_s for musl) through images/zigcc,
 *   with a musl std by one of two routes (musl-std-route.ts): Rust's official toolchain from
 *   rustup's server (rust-dist.ts), as rust-musl-cross has, or Debian's rustc with a std built once
 *   from Debian's rust-src (Debian ships none, and the containers have no network for
 *   `-Z build-std` to fetch the std's crates).
 * Wheels built in them are glibc 2.34+ (`manylinux_2_34`: sid's glibc, as far as the extension's
 * symbols need) and musl 1.2 (`musllinux_1_2`), not pypa's manylinux2014: see README.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../workdirs.js';
import { type ArchNames, archNames, type LinuxArch } from './architectures.js';
import { ensureImage, imageIdentity, type StandInImage } from './builder.js';
import { inspectImage, RECIPE_LABEL } from './engine.js';
import { chooseMuslStdRoute, MUSL_STD_ENV, type MuslStdRoute } from './musl-std-route.js';
import type { ImageRecipe, LayerRecipe } from './recipe.js';
import { distServerProblem, probeUrl, rustDistLayer } from './rust-dist.js';

export interface BuildLeg {
  /** The plan's leg id: `linux-aarch64`. */
  leg: string;
  arch: LinuxArch;
  libc: 'gnu' | 'musl';
  /** The image the build action picks for this leg on an x86_64 runner. */
  standsInFor: string;
}

const gnu = (arch: LinuxArch, standsInFor: string): BuildLeg => ({
  leg: `linux-${arch}`,
  arch,
  libc: 'gnu',
  standsInFor,
});
const musl = (arch: LinuxArch, tag: string): BuildLeg => ({
  leg: `musllinux-${arch}`,
  arch,
  libc: 'musl',
  standsInFor: `ghcr.io/rust-cross/rust-musl-cross:${tag}`,
});

/** The ten Linux legs, in the plan's order. */
export const BUILD_LEGS: readonly BuildLeg[] = [
  gnu('x86_64', 'quay.io/pypa/manylinux2014_x86_64'),
  gnu('i686', 'quay.io/pypa/manylinux2014_i686'),
  gnu('aarch64', 'ghcr.io/rust-cross/manylinux2014-cross:aarch64'),
  gnu('armv7', 'ghcr.io/rust-cross/manylinux2014-cross:armv7'),
  gnu('s390x', 'ghcr.io/rust-cross/manylinux2014-cross:s390x'),
  gnu('ppc64le', 'ghcr.io/rust-cross/manylinux2014-cross:ppc64le'),
  musl('x86_64', 'x86_64-musl'),
  musl('i686', 'i686-musl'),
  musl('aarch64', 'aarch64-musl'),
  musl('armv7', 'armv7-musleabihf'),
];

/** The Rust target a leg builds for. */
export function legTarget(leg: BuildLeg): string {
  const names = archNames(leg.arch);
  const target = leg.libc === 'gnu' ? names.rustGnu : names.rustMusl;
  if (target === undefined) throw new Error(`${leg.arch} has no musl target`);
  return target;
}

/** A requirement pinned in scripts/requirements-tools.txt (`maturin==1.16.0`): one pin for host and images. */
export function pinnedTool(name: string): string {
  const text = readFileSync(path.join(repoRoot, 'scripts', 'requirements-tools.txt'), 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(`${name}==`));
  if (line === undefined) throw new Error(`scripts/requirements-tools.txt pins no ${name}`);
  return line.trim();
}

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/ferrowheel-tools/bin';

/** The parent of every build stand-in: sid with Rust, gcc, python3 and maturin. */
export function buildBaseRecipe(): ImageRecipe {
  return {
    repository: 'ferrowheel-stand-in/build-base',
    tag: 'sid-x86_64',
    standIn: 'build-base/sid-x86_64',
    layers: [
      {
        kind: 'debootstrap',
        release: 'sid',
        debianArch: 'amd64',
        include: ['ca-certificates'],
        foreign: false,
        step: {
          aptPackages: ['rustc', 'cargo', 'gcc', 'libc6-dev', 'python3', 'python3-venv'],
          pipPackages: [pinnedTool('maturin')],
        },
      },
    ],
    config: { platform: 'linux/amd64', env: [PATH], cmd: ['bash'] },
  };
}

/**
 * Linker arguments a sid stand-in needs so that its wheels load where GitHub's would: sid's
 * binutils (2.47) stamp an i386 object that uses TLS with a `GLIBC_ABI_GNU_TLS` version need,
 * which glibc before 2.42 does not have (`version 'GLIBC_ABI_GNU_TLS' not found` on bookworm), and
 * which leaves maturin no manylinux tag to give. The GNU TLS ABI itself is as old as i386 glibc.
 */
const STAND_IN_LINK_ARGS: Partial<Record<LinuxArch, string[]>> = {
  i686: ['-Wl,--no-gnu-tls-tag'],
};

/** `CARGO_TARGET_<TRIPLE>_LINKER`, `CC_<triple>`: the names cargo and cc-rs read. */
function targetEnv(
  triple: string,
  values: { linker: string; cc: string; ar?: string; linkArgs?: string[] },
): string[] {
  const upper = triple.toUpperCase().replace(/-/g, '_');
  const lower = triple.replace(/-/g, '_');
  const rustflags = (values.linkArgs ?? []).map((arg) => `-C link-arg=${arg}`).join(' ');
  return [
    `CARGO_TARGET_${upper}_LINKER=${values.linker}`,
    `CC_${lower}=${values.cc}`,
    ...(values.ar ? [`AR_${lower}=${values.ar}`] : []),
    ...(rustflags ? [`CARGO_TARGET_${upper}_RUSTFLAGS=${rustflags}`] : []),
  ];
}

/** The label that tells a musl stand-in of the fast route: the Rust it has. */
export const RUST_DIST_LABEL = 'dev.ferrowheel.rust-dist';

/** A musl leg's layers by route: zig and zigcc, and the std (see musl-std-route.ts). */
function muslLayers(leg: BuildLeg, base: DebootstrapBase, route: MuslStdRoute): LayerRecipe[] {
  const pip = [pinnedTool('ziglang')];
  if (route === 'build') {
    return [
      { kind: 'chroot-step', base, step: { pipPackages: pip, muslStd: [legTarget(leg)], zigcc: true } },
    ];
  }
  const dist = rustDistLayer(legTarget(leg));
  if (dist === undefined)
    throw new Error(`Rust ships no std for ${legTarget(leg)}: its stand-in has no fast route`);
  return [{ kind: 'chroot-step', base, step: { pipPackages: pip, zigcc: true } }, dist];
}

type DebootstrapBase = Extract<LayerRecipe, { kind: 'debootstrap' }>;

function legLayers(
  leg: BuildLeg,
  names: ArchNames,
  route: MuslStdRoute,
): { layers: LayerRecipe[]; env: string[] } {
  const base = buildBaseRecipe().layers[0];
  if (base?.kind !== 'debootstrap') throw new Error('the build base is one debootstrap layer');
  if (leg.libc === 'musl') {
    return {
      layers: muslLayers(leg, base, route),
      env: [
        ...targetEnv(legTarget(leg), { linker: 'ferrowheel-zigcc', cc: 'ferrowheel-zigcc' }),
        `FERROWHEEL_ZIG_ARGS=${(names.zigMusl ?? []).join(' ')}`,
      ],
    };
  }
  if (leg.arch === 'x86_64') {
    const pythons = ['3.13', '3.14', '3.15'];
    return {
      layers: [
        {
          kind: 'chroot-step',
          base,
          step: {
            aptPackages: pythons.flatMap((p) => [`python${p}`, `python${p}-venv`]),
            optPythons: pythons,
          },
        },
      ],
      env: [],
    };
  }
  const tools = names.gnuTriplet;
  return {
    layers: [
      {
        kind: 'chroot-step',
        base,
        step: {
          aptArches: [names.debian],
          aptPackages: [`libstd-rust-dev:${names.debian}`, `gcc-${tools}`, `libc6-dev-${names.debian}-cross`],
        },
      },
    ],
    env: targetEnv(names.rustGnu, {
      linker: `${tools}-gcc`,
      cc: `${tools}-gcc`,
      ar: `${tools}-ar`,
      linkArgs: STAND_IN_LINK_ARGS[leg.arch] ?? [],
    }),
  };
}

/** The recipe of a leg's stand-in; `muslStd` is a musl leg's route (the fallback unless given). */
export function buildStandInRecipe(leg: BuildLeg, options: { muslStd?: MuslStdRoute } = {}): ImageRecipe {
  const names = archNames(leg.arch);
  const route = options.muslStd ?? 'build';
  const { layers, env } = legLayers(leg, names, route);
  const dist = layers.find((l) => l.kind === 'rust-dist');
  return {
    repository: 'ferrowheel-stand-in/build',
    tag: leg.leg,
    standIn: `build/${leg.leg}`,
    standsInFor: leg.standsInFor,
    parent: buildBaseRecipe(),
    layers,
    config: {
      platform: 'linux/amd64',
      env: [PATH, ...env],
      cmd: ['bash'],
      ...(dist ? { labels: { [RUST_DIST_LABEL]: dist.version } } : {}),
    },
  };
}

/** Every recipe of a leg: a musl leg's by each route it has. */
export function everyStandInRecipe(leg: BuildLeg): ImageRecipe[] {
  const fast = leg.libc === 'musl' && rustDistLayer(legTarget(leg)) !== undefined;
  return [buildStandInRecipe(leg), ...(fast ? [buildStandInRecipe(leg, { muslStd: 'dist' })] : [])];
}

/** The leg of an id, or an error naming the legs there are. */
export function buildLeg(id: string): BuildLeg {
  const leg = BUILD_LEGS.find((l) => l.leg === id);
  if (leg === undefined) {
    throw new Error(
      `There is no build stand-in for "${id}": the legs are ${BUILD_LEGS.map((l) => l.leg).join(', ')}.`,
    );
  }
  return leg;
}

export interface BuildStandIn extends StandInImage {
  leg: BuildLeg;
  target: string;
  /** A musl leg's route to its std. */
  muslStd?: MuslStdRoute;
}

/** A musl leg's route (musl-std-route.ts), said in the log; throws when a forced one cannot be taken. */
async function muslStdRoute(leg: BuildLeg): Promise<MuslStdRoute> {
  const target = legTarget(leg);
  const dist = rustDistLayer(target);
  const choice = await chooseMuslStdRoute({
    target,
    forced: process.env[MUSL_STD_ENV],
    distAvailable: dist !== undefined,
    cached: async (route) => {
      const { name, key } = await imageIdentity(buildStandInRecipe(leg, { muslStd: route }));
      return (await inspectImage(name))?.labels[RECIPE_LABEL] === key;
    },
    serverProblem: () => (dist ? distServerProblem(probeUrl(dist)) : Promise.resolve('no pinned file')),
  });
  if (!choice.ok) throw new Error(choice.problem);
  process.stderr.write(
    `images: ${leg.leg}: musl std by the ${choice.value.route} route (${choice.value.why})\n`,
  );
  return choice.value.route;
}

/** The stand-in of a leg (`linux-aarch64`), built on first use (see builder.ts). */
export async function buildStandIn(id: string): Promise<BuildStandIn> {
  const leg = buildLeg(id);
  if (leg.libc === 'gnu')
    return { ...(await ensureImage(buildStandInRecipe(leg))), leg, target: legTarget(leg) };
  const muslStd = await muslStdRoute(leg);
  const image = await ensureImage(buildStandInRecipe(leg, { muslStd }));
  return { ...image, leg, target: legTarget(leg), muslStd };
}
