/**
 * Every image recipe of the repository, and the cleaning of what no recipe makes any more: a
 * changed recipe is a new key, so old layer tarballs and images are left behind until pruned
 * (`npm run images -- --prune`). Only the images module's own images (labelled) and cache files are
 * touched; the recipes are this checkout's, so images another checkout's recipes made (another
 * revision, sharing the engine) are removed too, and rebuilt there on first use.
 */
import { execFile } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { manylinuxTestRecipe } from '../docker-images.js';
import { BUILD_LEGS, everyStandInRecipe } from './build-stand-ins.js';
import { imageIdentity, layerKeyOf } from './builder.js';
import { imageCacheDir } from './cache.js';
import { STAND_IN_LABEL } from './engine.js';
import type { ImageRecipe, LayerRecipe } from './recipe.js';
import { everyTestImageRecipe } from './test-images.js';

const run = promisify(execFile);

/** The repositories ferrowheel's images live in. */
export const REPOSITORIES = [
  'ferrowheel-stand-in/python',
  'ferrowheel-stand-in/debian',
  'ferrowheel-stand-in/build',
  'ferrowheel-stand-in/build-base',
  'ferrowheel-test/manylinux',
  'ferrowheel-test/no-python',
];

/** Every recipe: the test images, the build stand-ins (a musl leg's by both routes), the container tests' image. */
export function everyRecipe(): ImageRecipe[] {
  const tests = everyTestImageRecipe().flatMap((t) => (t.recipe.ok ? [t.recipe.value] : []));
  return [...tests, ...BUILD_LEGS.flatMap(everyStandInRecipe), manylinuxTestRecipe()];
}

function withAncestors(recipe: ImageRecipe): ImageRecipe[] {
  return [recipe, ...(recipe.parent ? withAncestors(recipe.parent) : [])];
}

function withBases(layer: LayerRecipe): LayerRecipe[] {
  return layer.kind === 'chroot-step' ? [layer, layer.base] : [layer];
}

/** Removes cache files and images no current recipe makes; returns what it removed. */
export async function prune(): Promise<string[]> {
  const recipes = everyRecipe().flatMap(withAncestors);
  const keys = new Set<string>();
  const names = new Set<string>();
  for (const recipe of recipes) {
    const identity = await imageIdentity(recipe);
    names.add(identity.name);
    names.add(identity.name.replace('/manylinux:', '/no-python:'));
    for (const layer of recipe.layers.flatMap(withBases)) keys.add(await layerKeyOf(layer));
  }
  const removed: string[] = [];
  const dir = imageCacheDir();
  for (const file of readdirSync(dir)) {
    const key = /^(?:root-[^-]+-[^-]+|layer|links|host-toolchain|rust-dist)-([0-9a-f]{16})\.tar/.exec(
      file,
    )?.[1];
    if (key !== undefined && !keys.has(key)) {
      rmSync(path.join(dir, file), { recursive: true, force: true });
      removed.push(file);
    }
  }
  // Only images the images module made (they carry its label): an unlabelled image of the same
  // repository belongs to older code another checkout may still run.
  const { stdout } = await run('docker', [
    ...['image', 'ls', '--filter', `label=${STAND_IN_LABEL}`, '--format', '{{.Repository}}:{{.Tag}}'],
  ]);
  for (const image of stdout.split('\n')) {
    if (REPOSITORIES.some((r) => image.startsWith(`${r}:`)) && !names.has(image)) {
      await run('docker', ['rmi', image]).catch(() => undefined);
      removed.push(image);
    }
  }
  return removed;
}
