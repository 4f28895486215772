/**
 * Where the images' root filesystems and layers are kept, and the lock that makes one process
 * build each while the others wait: jest's workers, and several worktrees or clones sharing one
 * cache. `FERROWHEEL_IMAGE_CACHE` moves the cache (like FERROWHEEL_CARGO_TARGET_DIR moves the cargo
 * target dirs); by default it is the repository's `.work/images`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { withLock as withProcessLock } from '../process-lock.js';
import { sharedDir } from '../workdirs.js';

/** The cache directory, created on first use. */
export function imageCacheDir(): string {
  const override = process.env.FERROWHEEL_IMAGE_CACHE;
  if (override) {
    mkdirSync(override, { recursive: true });
    return path.resolve(override);
  }
  return sharedDir('images');
}

/**
 * Runs `body` holding the lock `name` (a directory in the cache: mkdir is atomic). A lock whose
 * process has died is taken over.
 */
export async function withLock<T>(name: string, body: () => Promise<T>): Promise<T> {
  const lock = path.join(imageCacheDir(), `${name}.lock`);
  return withProcessLock(lock, body);
}
