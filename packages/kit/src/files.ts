/** Small file-system facts the actions need: kinds, digests, upward searches. */
import { accessSync, constants, createReadStream, lstatSync, readlinkSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Os, pathListSeparator } from './platform.js';

/**
 * node:crypto on first use, not at start-up: it loads node's whole stream stack, a good part of
 * an action's start-up, and an action that stops on a bad input never hashes anything.
 */
const requireBuiltin = createRequire(import.meta.url);
const createHash: typeof import('node:crypto').createHash = (...args) =>
  (requireBuiltin('node:crypto') as typeof import('node:crypto')).createHash(...args);

/**
 * The path of a file shipped beside a module, from `new URL('./file', import.meta.url)` written in
 * that module (ncc's asset relocator sees only that literal form): in a bundle ncc has copied the
 * file into dist/ and made the expression that copy's path, a string; from the sources it is a
 * file: URL.
 */
export function shippedFile(location: URL | string): string {
  if (typeof location === 'string') return location;
  // Only from the sources (tests): a bundle never loads node:url for this.
  return (requireBuiltin('node:url') as typeof import('node:url')).fileURLToPath(location);
}

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

const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'is not readable (permission denied)',
  EPERM: 'is not readable (operation not permitted)',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'has a file where a directory should be in its path',
  ELOOP: 'is a symbolic link loop',
  ENAMETOOLONG: 'has a name too long for the file system',
};

/**
 * What a file-system error means, in words (`is a directory, not a file`), for messages users
 * read; the raw `EISDIR: illegal operation on a directory, read` is no help to them.
 */
export function describeFsError(thrown: unknown): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && FS_PROBLEMS[code]) return FS_PROBLEMS[code];
  return `cannot be read (${typeof code === 'string' ? code : String((thrown as Error)?.message ?? thrown)})`;
}

/**
 * Where a symbolic link at `p` points when that target does not exist (a dangling link, say from
 * an artifact extracted without the files it linked to); undefined for anything else.
 */
export function danglingLinkTarget(p: string): string | undefined {
  try {
    if (!lstatSync(p).isSymbolicLink()) return undefined;
    const target = readlinkSync(p);
    return pathKind(p) === undefined ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What is at `file` as a program: an executable file, a file without the execute bit (POSIX; on
 * Windows every file counts as executable, as CreateProcess decides by extension), a directory,
 * or nothing (`undefined`).
 */
export function programKind(
  file: string,
  os: Os = process.platform === 'win32' ? 'windows' : 'linux',
): 'executable' | 'not-executable' | 'directory' | undefined {
  const kind = pathKind(file);
  if (kind !== 'file') return kind;
  if (os === 'windows') return 'executable';
  try {
    accessSync(file, constants.X_OK);
    return 'executable';
  } catch {
    return 'not-executable';
  }
}

/**
 * The executable file a command name resolves to on `PATH` (with `PATHEXT` on Windows), as a
 * child started with `env` would find it; undefined when there is none.
 */
export function findOnPath(name: string, env: NodeJS.ProcessEnv, os: Os): string | undefined {
  const pathValue = Object.entries(env).find(
    ([key]) => (os === 'windows' ? key.toUpperCase() : key) === 'PATH',
  )?.[1];
  const extensions =
    os === 'windows'
      ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((ext) => ext !== '')]
      : [''];
  for (const dir of (pathValue ?? '').split(pathListSeparator(os))) {
    if (dir === '') continue;
    for (const ext of extensions) {
      // The file system is the host's: join with its own path module.
      const candidate = path.join(dir, name + ext);
      if (programKind(candidate, os) === 'executable') return candidate;
    }
  }
  return undefined;
}
