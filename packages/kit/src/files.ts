/** Small file-system facts the actions need: kinds, digests, upward searches. */
import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * node:crypto on first use, not at start-up: it loads node's whole stream stack, a good part of
 * an action's start-up, and an action that stops on a bad input never hashes anything.
 */
const requireBuiltin = createRequire(import.meta.url);
const createHash: typeof import('node:crypto').createHash = (...args) =>
  (requireBuiltin('node:crypto') as typeof import('node:crypto')).createHash(...args);

/** 'file', 'directory', or undefined when nothing is there. */
export function pathKind(p: string): 'file' | 'directory' | undefined {
  try {
    const stat = statSync(p);
    if (stat.isDirectory()) return 'directory';
    return 'file';
  } catch {
    return undefined;
  }
}

/** SHA-256 of a file, hex-encoded, streamed (wheels can be large). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** SHA-256 of a string or buffer, hex-encoded. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The first of `names` found in `start` or a parent directory, stopping at `stop` (inclusive)
 * or the file-system root.
 */
export function findUp(start: string, names: readonly string[], stop?: string): string | undefined {
  let dir = path.resolve(start);
  const end = stop ? path.resolve(stop) : undefined;
  for (;;) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (pathKind(candidate) === 'file') return candidate;
    }
    const parent = path.dirname(dir);
    if (dir === end || parent === dir) return undefined;
    dir = parent;
  }
}

/** Human-readable byte size: 1.2 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
