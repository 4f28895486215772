/**
 * Reading zip archives (wheels are zips, PEP 427) with node's own zlib: list the entries from the
 * central directory and extract the ones wanted. No `unzip`/PowerShell process and no library, so
 * it behaves the same on every runner OS, and a wheel's one binary can be taken without unpacking
 * the rest. ZIP64 archives (over 4 GiB) are refused: no wheel a setup step downloads is that big.
 */
import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** The entry's path inside the archive, `/`-separated. */
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
  /** Unix mode bits when the archive recorded them (creator "Unix"), else undefined. */
  mode?: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/** The entries of a zip archive, in central-directory order. Throws on a file that is not a zip. */
export function listZipEntries(file: string): ZipEntry[] {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    // The end record is 22 bytes plus a comment of up to 65535 bytes.
    const tailLength = Math.min(size, 22 + 65_535);
    const tail = readAt(fd, size - tailLength, tailLength);
    let end = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
        end = i;
        break;
      }
    }
    if (end < 0) throw new Error(`${file} is not a zip archive (no end of central directory)`);
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || directoryOffset === 0xffffffff) {
      throw new Error(`${file} is a ZIP64 archive, which is not supported`);
    }
    const directory = readAt(fd, directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (directory.readUInt32LE(at) !== CENTRAL_HEADER) {
        throw new Error(`${file}: corrupt central directory at entry ${i}`);
      }
      const creator = directory.readUInt8(at + 5);
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const entrySize = directory.readUInt32LE(at + 24);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const external = directory.readUInt32LE(at + 38);
      const headerOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      const unixMode = external >>> 16;
      entries.push({
        name,
        method,
        compressedSize,
        size: entrySize,
        headerOffset,
        ...(creator === 3 && unixMode !== 0 ? { mode: unixMode & 0o7777 } : {}),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** Entries above this size are streamed; smaller ones are inflated in memory (much faster). */
const STREAM_THRESHOLD = 4 * 1024 * 1024;

export interface ZipExtraction {
  entry: ZipEntry;
  destination: string;
  /** Overrides the recorded mode (e.g. 0o755 for a binary, which wheels do not always record). */
  mode?: number;
}

/**
 * Writes entries to their destinations (parent directories created), reading the archive through
 * one open file: a zig wheel has ~20,000 entries, so per-entry overhead counts.
 */
export async function extractZipEntries(file: string, items: readonly ZipExtraction[]): Promise<void> {
  const fd = openSync(file, 'r');
  const made = new Set<string>();
  try {
    for (const { entry, destination, mode } of items) {
      if (entry.method !== 0 && entry.method !== 8) {
        throw new Error(
          `${file}: ${entry.name} uses compression method ${entry.method}, not stored or deflate`,
        );
      }
      const header = readAt(fd, entry.headerOffset, 30);
      if (header.readUInt32LE(0) !== LOCAL_HEADER)
        throw new Error(`${file}: corrupt local header of ${entry.name}`);
      const dataOffset = entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      const parent = path.dirname(destination);
      if (!made.has(parent)) {
        mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      const fileMode = mode ?? entry.mode ?? 0o644;
      if (entry.compressedSize < STREAM_THRESHOLD) {
        const raw = readAt(fd, dataOffset, entry.compressedSize);
        writeFileSync(destination, entry.method === 8 ? inflateRawSync(raw) : raw, { mode: fileMode });
        continue;
      }
      const source = createReadStream(file, {
        start: dataOffset,
        end: dataOffset + entry.compressedSize - 1,
      });
      const sink = createWriteStream(destination, { mode: fileMode });
      if (entry.method === 8) await pipeline(source, createInflateRaw(), sink);
      else await pipeline(source, sink);
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes one entry to `destination`; see {@link extractZipEntries}. */
export async function extractZipEntry(
  file: string,
  entry: ZipEntry,
  destination: string,
  options: { mode?: number } = {},
): Promise<void> {
  await extractZipEntries(file, [
    { entry, destination, ...(options.mode !== undefined ? { mode: options.mode } : {}) },
  ]);
}

/**
 * Where an entry lands under `root`, or undefined for a name that would escape it (`../`,
 * absolute paths, drive letters): a crafted archive must not write outside the target.
 */
export function safeEntryPath(root: string, name: string): string | undefined {
  if (name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name)) return undefined;
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) return undefined;
  return path.join(root, ...parts.filter((p) => p !== '' && p !== '.'));
}
