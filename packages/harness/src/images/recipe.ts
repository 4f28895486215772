/**
 * Image recipes as data, and the keys they are cached under. An image is a parent image's layers
 * (shared in the engine) plus its own; a layer is one of:
 * - `debootstrap`: a Debian root (make-root.sh), native with an optional chroot step, or foreign;
 * - `chroot-step`: what a chroot step adds to a debootstrap root (make-layer.sh, an overlay diff);
 * - `links`: symbolic links (made here, no root needed);
 * - `host-toolchain`: the host's rustc and cargo (the container tests' image; see host-toolchain.ts);
 * - `rust-dist`: Rust's official toolchain from pinned, hash-checked dist tarballs (rust-dist.ts).
 * A key hashes everything that goes in: the recipe, the mirror, the helper files' contents and
 * RECIPE_VERSION; a changed recipe is a new key, so nothing stale is ever reused.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '@ferrowheel/kit/files';
import type { ImageConfig } from './archive.js';
import { aptMirror } from './debian-mirror.js';
import { helpersDir } from './privileged.js';
import type { RustDistLayer } from './rust-dist.js';

/** Bumped when what a recipe makes changes in a way its data does not show. */
export const RECIPE_VERSION = 1;

/** What in-chroot.sh does (see its header). */
export interface ChrootStep {
  aptArches?: string[];
  aptPackages?: string[];
  pipPackages?: string[];
  optPythons?: string[];
  muslStd?: string[];
  zigcc?: boolean;
}

export interface DebootstrapLayer {
  kind: 'debootstrap';
  release: string;
  /** Debian's architecture (amd64, arm64, …). */
  debianArch: string;
  include: string[];
  /** debootstrap --foreign + dpkg -x (nothing runs); otherwise native, amd64 only. */
  foreign: boolean;
  step?: ChrootStep;
}

export type LayerRecipe =
  | DebootstrapLayer
  | { kind: 'chroot-step'; base: DebootstrapLayer; step: ChrootStep }
  | { kind: 'links'; links: Record<string, string> }
  | { kind: 'host-toolchain' }
  | RustDistLayer;

export interface ImageRecipe {
  /** The image name without the tag: `ferrowheel-stand-in/build`. */
  repository: string;
  /** The tag before the key: `linux-aarch64`. */
  tag: string;
  /** Which stand-in it is, for its label: `build/linux-aarch64`. */
  standIn: string;
  /** The registry image it stands in for, when it does. */
  standsInFor?: string;
  parent?: ImageRecipe;
  layers: LayerRecipe[];
  config: Omit<ImageConfig, 'labels'> & { labels?: Record<string, string> };
}

/** The helper files a layer's build runs: a changed file changes the keys of those layers only. */
function helperFiles(layer: LayerRecipe): string[] {
  const step = layer.kind === 'debootstrap' || layer.kind === 'chroot-step' ? layer.step : undefined;
  const stepFiles = step
    ? [
        'in-chroot.sh',
        'dpkg-excludes',
        ...(step.zigcc ? ['zigcc'] : []),
        ...(step.muslStd?.length ? ['musl-std.sh', 'std-crate'] : []),
      ]
    : [];
  switch (layer.kind) {
    case 'debootstrap':
      return ['make-root.sh', 'lib.sh', ...stepFiles];
    case 'chroot-step':
      return ['make-layer.sh', 'lib.sh', 'overlay-whiteouts.py', ...stepFiles];
    default:
      return [];
  }
}

/** One hash of the contents of helper files (directories: every file under them). */
function hashHelpers(names: string[]): string {
  const texts: string[] = [];
  const add = (full: string) => {
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) add(path.join(full, entry));
    } else texts.push(`${path.relative(helpersDir, full)}\n${readFileSync(full, 'utf8')}`);
  };
  for (const name of names) add(path.join(helpersDir, name));
  return sha256(texts.join('\0'));
}

/** The key of a layer: 16 hex digits. `extra` is what the recipe cannot see (the host toolchain). */
export function layerKey(layer: LayerRecipe, extra = ''): string {
  const data = {
    RECIPE_VERSION,
    layer,
    // A step's layer is the difference it makes to its base: a changed base is a changed layer.
    base: layer.kind === 'chroot-step' ? layerKey(layer.base) : '',
    mirror: aptMirror(),
    helpers: hashHelpers(helperFiles(layer)),
    extra,
  };
  return sha256(JSON.stringify(data)).slice(0, 16);
}

/** The key of an image: its own layers' keys, its parent's key ('' for none) and its config. */
export function imageKey(recipe: ImageRecipe, layerKeys: string[], parent: string): string {
  const { parent: _, layers: __, ...own } = recipe;
  return sha256(JSON.stringify({ RECIPE_VERSION, own, layerKeys, parent })).slice(0, 16);
}

/** What made a layer, for the image's history. */
export function describeLayer(layer: LayerRecipe): string {
  switch (layer.kind) {
    case 'debootstrap':
      return `ferrowheel: debootstrap${layer.foreign ? ' --foreign + dpkg -x' : ''} --arch=${layer.debianArch} ${layer.release} (${layer.include.join(',')})${layer.step ? ` + ${describeStep(layer.step)}` : ''}`;
    case 'chroot-step':
      return `ferrowheel: ${describeStep(layer.step)}`;
    case 'links':
      return `ferrowheel: links ${Object.keys(layer.links).join(' ')}`;
    case 'host-toolchain':
      return "ferrowheel: the host's rustc and cargo";
    case 'rust-dist':
      return `ferrowheel: Rust ${layer.version} from ${layer.files.map((f) => path.posix.basename(f.path)).join(', ')}`;
  }
}

function describeStep(step: ChrootStep): string {
  const parts = [
    step.aptPackages?.length ? `apt-get install ${step.aptPackages.join(' ')}` : '',
    step.pipPackages?.length ? `pip install ${step.pipPackages.join(' ')}` : '',
    step.optPythons?.length ? `/opt/python for ${step.optPythons.join(' ')}` : '',
    step.muslStd?.length ? `Rust std for ${step.muslStd.join(' ')}` : '',
  ];
  return parts.filter((p) => p !== '').join('; ');
}

/** in-chroot.sh's variables for a step. */
export function stepEnv(step: ChrootStep | undefined): Record<string, string> {
  return {
    FW_APT_ARCHES: (step?.aptArches ?? []).join(' '),
    FW_APT_PACKAGES: (step?.aptPackages ?? []).join(' '),
    FW_PIP_PACKAGES: (step?.pipPackages ?? []).join(' '),
    FW_OPT_PYTHONS: (step?.optPythons ?? []).join(' '),
    FW_MUSL_STD: (step?.muslStd ?? []).join(' '),
    FW_ZIGCC: step?.zigcc ? '1' : '',
  };
}
