/**
 * Reading zip archives (wheels are zips, PEP 427) with node's own zlib: list the entries from the
 * central directory (ZIP64 included), read one entry's bytes into memory, or extract the entries
 * wanted to disk. No `unzip`/PowerShell process and no library, so it behaves the same on every
 * runner OS, and a wheel's METADATA or its one binary can be taken without unpacking the rest.
 * An archive is a file path (read through one open file, only the parts needed) or its bytes
 * already in memory.
 */
import {
  closeSync,
  createReadStream,
  createWriteStream,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * node:zlib and node:stream/promises on first use, not at start-up (with node's stream stack they
 * are a good part of an action's start-up; only actions that open a wheel need them).
 */
const requireBuiltin = createRequire(import.meta.url);
const zlib = () => requireBuiltin('node:zlib') as typeof import('node:zlib');
const pipeline: typeof import('node:stream/promises').pipeline = (...args: unknown[]) =>
  (requireBuiltin('node:stream/promises') as { pipeline: (...a: unknown[]) => Promise<void> }).pipeline(
    ...args,
  );

/** A zip archive: the path of a file, or its bytes already in memory. */
export type ZipSource = string | Buffer;

export interface ZipEntry {
  /** The entry's path inside the archive, `/`-separated. */
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  /** The CRC-32 of the uncompressed data, as the central directory records it. */
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
  /** Unix mode bits when the archive recorded them (creator "Unix"), else undefined. */
  mode?: number;
}

/**
 * What is wrong with an archive. `problem` reads after a subject ("is not a zip file (...)"), for
 * callers that name the archive their own way; the message names it by its path.
 */
export class ZipError extends Error {
  override name = 'ZipError';
  constructor(
    readonly archive: string | undefined,
    readonly problem: string,
  ) {
    super(`${archive ?? 'The archive'} ${problem}`);
  }
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

/** Random access to an archive's bytes; a read past the end returns fewer bytes. */
interface Bytes {
  archive: string | undefined;
  size: number;
  read(position: number, length: number): Buffer;
}

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

function fileBytes(file: string, fd: number): Bytes {
  return {
    archive: file,
    size: fstatSync(fd).size,
    read: (position, length) => readAt(fd, position, length),
  };
}

function withBytes<T>(source: ZipSource, use: (bytes: Bytes) => T): T {
  if (typeof source !== 'string') {
    return use({
      archive: undefined,
      size: source.length,
      read: (position, length) => source.subarray(position, position + length),
    });
  }
  const fd = openSync(source, 'r');
  try {
    return use(fileBytes(source, fd));
  } finally {
    closeSync(fd);
  }
}

/** Where the central directory is and how many entries it holds, from the end records. */
function findCentralDirectory(bytes: Bytes): { count: number; offset: number; size: number } {
  const fail = (problem: string) => new ZipError(bytes.archive, problem);
  if (bytes.size < 22) throw fail('is too small to be a zip file');
  // The end record is 22 bytes plus a comment of up to 65535 bytes, at the very end.
  const tailStart = Math.max(0, bytes.size - 22 - MAX16);
  const tail = bytes.read(tailStart, bytes.size - tailStart);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw fail('is not a zip file (no end of central directory record)');
  const count = tail.readUInt16LE(end + 10);
  const size = tail.readUInt32LE(end + 12);
  const offset = tail.readUInt32LE(end + 16);
  if (count !== MAX16 && size !== MAX32 && offset !== MAX32) return { count, offset, size };
  // ZIP64: a locator just before the end record points at the 64-bit end record.
  const endAt = tailStart + end;
  const locator = endAt >= 20 ? bytes.read(endAt - 20, 20) : Buffer.alloc(0);
  if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR) {
    // Exactly 65535 entries is a plain count that happens to equal the marker (Python writes it so).
    if (size !== MAX32 && offset !== MAX32) return { count, offset, size };
    throw fail('has a ZIP64 marker but no ZIP64 locator');
  }
  const record = bytes.read(Number(locator.readBigUInt64LE(8)), 56);
  if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_END) throw fail('has a broken ZIP64 record');
  return {
    count: Number(record.readBigUInt64LE(32)),
    size: Number(record.readBigUInt64LE(40)),
    offset: Number(record.readBigUInt64LE(48)),
  };
}

function readEntries(bytes: Bytes): ZipEntry[] {
  const { count, offset, size } = findCentralDirectory(bytes);
  const directory = bytes.read(offset, size);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_HEADER) {
      throw new ZipError(bytes.archive, 'has a broken central directory');
    }
    const creator = directory.readUInt8(at + 5);
    const method = directory.readUInt16LE(at + 10);
    const crc32 = directory.readUInt32LE(at + 16);
    let compressedSize = directory.readUInt32LE(at + 20);
    let entrySize = directory.readUInt32LE(at + 24);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const external = directory.readUInt32LE(at + 38);
    let headerOffset = directory.readUInt32LE(at + 42);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
    // ZIP64 extra field: the 64-bit values, in this order, of those marked 0xffffffff.
    let e = at + 46 + nameLength;
    const extraEnd = Math.min(e + extraLength, directory.length);
    while (e + 4 <= extraEnd) {
      const id = directory.readUInt16LE(e);
      const length = directory.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const next = () => {
          if (q + 8 > extraEnd)
            throw new ZipError(bytes.archive, `has a broken ZIP64 extra field for ${name}`);
          const value = Number(directory.readBigUInt64LE(q));
          q += 8;
          return value;
        };
        if (entrySize === MAX32) entrySize = next();
        if (compressedSize === MAX32) compressedSize = next();
        if (headerOffset === MAX32) headerOffset = next();
      }
      e += 4 + length;
    }
    const unixMode = external >>> 16;
    entries.push({
      name,
      method,
      crc32,
      compressedSize,
      size: entrySize,
      headerOffset,
      ...(creator === 3 && unixMode !== 0 ? { mode: unixMode & 0o7777 } : {}),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The entries of a zip archive, in central-directory order. Throws a ZipError on a broken one. */
export function listZipEntries(source: ZipSource): ZipEntry[] {
  return withBytes(source, readEntries);
}

/** The names of every entry of a zip archive, in central-directory order. */
export function zipEntryNames(source: ZipSource): string[] {
  return listZipEntries(source).map((entry) => entry.name);
}

/** Where an entry's data starts, after checking it is stored or deflated. */
function dataOffset(bytes: Bytes, entry: ZipEntry): number {
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ZipError(
      bytes.archive,
      `stores ${entry.name} with compression method ${entry.method} (only stored and deflate are allowed in wheels)`,
    );
  }
  const header = bytes.read(entry.headerOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) {
    throw new ZipError(bytes.archive, `has a broken local header for ${entry.name}`);
  }
  return entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

function readData(bytes: Bytes, entry: ZipEntry, start: number): Buffer {
  const raw = bytes.read(start, entry.compressedSize);
  return entry.method === 8 ? zlib().inflateRawSync(raw) : raw;
}

/** The (uncompressed) bytes of one entry, in memory: for small files such as METADATA. */
export function readZipEntry(source: ZipSource, entry: ZipEntry): Buffer {
  const data = withBytes(source, (bytes) => readData(bytes, entry, dataOffset(bytes, entry)));
  // A stored entry of an in-memory archive is a view of it: copy, so as not to pin the archive.
  return entry.method === 0 && typeof source !== 'string' ? Buffer.from(data) : data;
}

/**
 * The bytes of one entry as the archive stores them (deflated or not), for copying an entry into
 * another archive without inflating and deflating it again (zip-write.ts).
 */
export function readZipEntryRaw(source: ZipSource, entry: ZipEntry): Buffer {
  return Buffer.from(
    withBytes(source, (bytes) => bytes.read(dataOffset(bytes, entry), entry.compressedSize)),
  );
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
  const bytes = fileBytes(file, fd);
  const made = new Set<string>();
  try {
    for (const { entry, destination, mode } of items) {
      const start = dataOffset(bytes, entry);
      const parent = path.dirname(destination);
      if (!made.has(parent)) {
        mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      const fileMode = mode ?? entry.mode ?? 0o644;
      if (entry.compressedSize < STREAM_THRESHOLD) {
        writeFileSync(destination, readData(bytes, entry, start), { mode: fileMode });
        continue;
      }
      const source = createReadStream(file, { start, end: start + entry.compressedSize - 1 });
      const sink = createWriteStream(destination, { mode: fileMode });
      if (entry.method === 8) await pipeline(source, zlib().createInflateRaw(), sink);
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
