/**
 * A lock across processes (jest's workers, several clones sharing a cache): a directory, since
 * mkdir is atomic, holding the holder's pid. A lock whose process has died is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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

/** Takes `lock` if it is free or its holder died; false while a live process holds it. */
export function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch {
    const pid = holder(lock);
    if (pid !== undefined && !alive(pid)) rmSync(lock, { recursive: true, force: true });
    return false;
  }
  writeFileSync(path.join(lock, 'pid'), String(process.pid));
  return true;
}

export function unlock(lock: string): void {
  rmSync(lock, { recursive: true, force: true });
}

/** Runs `body` holding `lock`, polling every `pollMs` while another process (or promise) holds it. */
export async function withLock<T>(lock: string, body: () => Promise<T>, pollMs = 1000): Promise<T> {
  while (!tryLock(lock)) await new Promise((r) => setTimeout(r, pollMs));
  try {
    return await body();
  } finally {
    unlock(lock);
  }
}

/**
 * Runs `body` holding `lock`, waiting synchronously (for code that cannot be async). This process
 * holding it already is an error, not a wait: nothing could release it while this thread blocks.
 */
export function withLockSync<T>(lock: string, body: () => T): T {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!tryLock(lock)) {
    if (holder(lock) === process.pid) throw new Error(`${lock} is held by this process already`);
    Atomics.wait(pause, 0, 0, 200);
  }
  try {
    return body();
  } finally {
    unlock(lock);
  }
}

/**
 * Runs `body` (a maturin or a build script run) alone among those sharing the cargo target dir
 * `dir`: cargo locks its own compile, but maturin then moves target/<profile>/lib<name>.so into
 * target/maturin/ outside that lock, where a concurrent build of the same crate name takes it away.
 */
export function withTargetDirSync<T>(dir: string, body: () => T): T {
  return withLockSync(`${dir}.lock`, body);
}

/** withTargetDirSync for async work (the build action's bundle, run by runAction). */
export function withTargetDir<T>(dir: string, body: () => Promise<T>): Promise<T> {
  return withLock(`${dir}.lock`, body, 250);
}
