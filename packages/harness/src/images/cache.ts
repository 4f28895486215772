/**
 * Where the images' root filesystems and layers are kept, and the lock that makes one process
 * build each while the others wait: jest's workers, and several worktrees or clones sharing one
 * cache. `FERROWHEEL_IMAGE_CACHE` moves the cache (like FERROWHEEL_CARGO_TARGET_DIR moves the cargo
 * target dirs); by default it is the repository's `.work/images`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

function holder(lock: string): number | undefined {
  try {
    return Number(readFileSync(path.join(lock, 'pid'), 'utf8')) || undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    // EPERM: the process exists but belongs to another user.
    return (thrown as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `body` holding the lock `name` (a directory in the cache: mkdir is atomic). A lock whose
 * process has died is taken over.
 */
export async function withLock<T>(name: string, body: () => Promise<T>): Promise<T> {
  const lock = path.join(imageCacheDir(), `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const pid = holder(lock);
      if (pid !== undefined && !alive(pid)) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
