/**
 * Builds what a recipe describes, once per machine: each layer's tarball is kept in the cache
 * (cache.ts) under its key, each image in the engine under a tag ending in its key, and a process
 * builds one of them while the others wait for it (the lock). An image whose tag is there but
 * whose recipe label is not its key is not ferrowheel's and is never used.
 */

import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadImage } from './archive.js';
import { imageCacheDir, withLock } from './cache.js';
import { aptMirror } from './debian-mirror.js';
import {
  assertStandIn,
  inspectImage,
  RECIPE_LABEL,
  requireDockerEngine,
  STAND_IN_LABEL,
  STANDS_IN_FOR_LABEL,
} from './engine.js';
import { hostToolchainKey, makeHostToolchainLayer } from './host-toolchain.js';
import { tarLayer } from './layer-tar.js';
import { runHelperAsRoot } from './privileged.js';
import { describeLayer, type ImageRecipe, imageKey, type LayerRecipe, layerKey, stepEnv } from './recipe.js';
import { makeRustDistLayer } from './rust-dist.js';

const run = promisify(execFile);

/** An image built from a recipe. */
export interface StandInImage {
  /** `repository:tag-key`, what `docker run` gets. */
  name: string;
  id: string;
  platform: string;
  /** The recipe key (the image's dev.ferrowheel.recipe label). */
  recipe: string;
  /** Its dev.ferrowheel.stand-in label. */
  standIn: string;
  /** The registry image it stands in for (its dev.ferrowheel.stands-in-for label), if any. */
  standsInFor: string | undefined;
}

function owner(): string {
  return `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
}

/** Notes how long a build took, in the cache's build-times.jsonl (the README's numbers come from it). */
function recordTime(what: string, startedAt: number): void {
  const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
  process.stderr.write(`images: ${what} took ${seconds} s\n`);
  appendFileSync(
    path.join(imageCacheDir(), 'build-times.jsonl'),
    `${JSON.stringify({ what, seconds, at: new Date().toISOString() })}\n`,
  );
}

function layerFileName(layer: LayerRecipe, key: string): string {
  switch (layer.kind) {
    case 'debootstrap':
      return `root-${layer.release}-${layer.debianArch}-${key}.tar`;
    case 'chroot-step':
      return `layer-${key}.tar`;
    default:
      return `${layer.kind}-${key}.tar`;
  }
}

/** A layer's key (the host toolchain's includes `rustc -vV`). */
export async function layerKeyOf(layer: LayerRecipe): Promise<string> {
  return layer.kind === 'host-toolchain' ? layerKey(layer, await hostToolchainKey()) : layerKey(layer);
}

/** The tarball of `links` (symbolic links, owned by root). */
async function makeLinksLayer(out: string, links: Record<string, string>): Promise<void> {
  const staging = mkdtempSync(`${out}.staging-`);
  try {
    for (const [link, target] of Object.entries(links)) {
      mkdirSync(path.join(staging, path.dirname(link)), { recursive: true });
      symlinkSync(target, path.join(staging, link));
    }
    await tarLayer(staging, out);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function buildLayer(layer: LayerRecipe, out: string): Promise<void> {
  const log = `${out}.log`;
  switch (layer.kind) {
    case 'debootstrap':
      return runHelperAsRoot(
        'make-root.sh',
        {
          FW_OUT: out,
          FW_RELEASE: layer.release,
          FW_ARCH: layer.debianArch,
          FW_MIRROR: aptMirror(),
          FW_INCLUDE: layer.include.join(','),
          FW_FOREIGN: layer.foreign ? '1' : '',
          FW_OWNER: owner(),
          ...stepEnv(layer.step),
        },
        log,
      );
    case 'chroot-step':
      return runHelperAsRoot(
        'make-layer.sh',
        { FW_BASE: await ensureLayer(layer.base), FW_OUT: out, FW_OWNER: owner(), ...stepEnv(layer.step) },
        log,
      );
    case 'links':
      return makeLinksLayer(out, layer.links);
    case 'host-toolchain':
      return makeHostToolchainLayer(out);
    case 'rust-dist':
      return makeRustDistLayer(out, layer);
  }
}

/** The cached tarball of a layer, built first when the cache lacks it. */
export async function ensureLayer(layer: LayerRecipe): Promise<string> {
  const key = await layerKeyOf(layer);
  const file = path.join(imageCacheDir(), layerFileName(layer, key));
  if (existsSync(file)) return file;
  return withLock(`layer-${key}`, async () => {
    if (existsSync(file)) return file;
    const startedAt = Date.now();
    await buildLayer(layer, file);
    recordTime(`layer ${path.basename(file)} (${describeLayer(layer)})`, startedAt);
    return file;
  });
}

/** Every layer of an image, its ancestors' first. */
function allLayers(recipe: ImageRecipe): LayerRecipe[] {
  return [...(recipe.parent ? allLayers(recipe.parent) : []), ...recipe.layers];
}

async function layerDiffIds(name: string): Promise<string[]> {
  const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', name]);
  return JSON.parse(stdout) as string[];
}

/** An image recipe's key: its layers' and its ancestors' keys go into it. */
async function recipeKey(recipe: ImageRecipe): Promise<string> {
  const parent = recipe.parent ? await recipeKey(recipe.parent) : '';
  return imageKey(recipe, await Promise.all(recipe.layers.map(layerKeyOf)), parent);
}

/** The name, key and labels of an image recipe. */
export async function imageIdentity(
  recipe: ImageRecipe,
): Promise<{ name: string; key: string; labels: Record<string, string> }> {
  const key = await recipeKey(recipe);
  const labels: Record<string, string> = {
    ...recipe.config.labels,
    [STAND_IN_LABEL]: recipe.standIn,
    [RECIPE_LABEL]: key,
    ...(recipe.standsInFor ? { [STANDS_IN_FOR_LABEL]: recipe.standsInFor } : {}),
  };
  const tag = recipe.tag === '' ? key : `${recipe.tag}-${key}`;
  return { name: `${recipe.repository}:${tag}`, key, labels };
}

function standInOf(recipe: ImageRecipe): Pick<StandInImage, 'standIn' | 'standsInFor'> {
  return { standIn: recipe.standIn, standsInFor: recipe.standsInFor };
}

/**
 * The image of a recipe in the engine, built first when missing: its parent image, then its own
 * layers, then one `docker load` that sends only the layers the engine lacks.
 */
export async function ensureImage(recipe: ImageRecipe): Promise<StandInImage> {
  await requireDockerEngine();
  const { name, key, labels } = await imageIdentity(recipe);
  const found = await inspectImage(name);
  if (found?.labels[RECIPE_LABEL] === key) {
    return { name, id: found.id, platform: found.platform, recipe: key, ...standInOf(recipe) };
  }
  return withLock(`image-${key}`, async () => {
    const parent = recipe.parent ? await ensureImage(recipe.parent) : undefined;
    const again = await inspectImage(name);
    if (again?.labels[RECIPE_LABEL] !== key) {
      const startedAt = Date.now();
      const parentDiffIds = parent ? await layerDiffIds(parent.name) : [];
      const parentLayers = recipe.parent ? allLayers(recipe.parent).map(describeLayer) : [];
      const own = await Promise.all(
        recipe.layers.map(async (l) => ({ file: await ensureLayer(l), createdBy: describeLayer(l) })),
      );
      const loadStartedAt = Date.now();
      await loadImage(
        name,
        [
          ...parentDiffIds.map((diffId, i) => ({ diffId, createdBy: parentLayers[i] ?? 'ferrowheel' })),
          ...own,
        ],
        { config: { ...recipe.config, labels }, presentDiffIds: parentDiffIds },
      );
      recordTime(`docker load ${name}`, loadStartedAt);
      recordTime(`image ${name} (all its layers)`, startedAt);
    }
    const facts = await assertStandIn(name, key);
    return { name, id: facts.id, platform: facts.platform, recipe: key, ...standInOf(recipe) };
  });
}
