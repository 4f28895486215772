/**
 * Reads single members out of the two archive formats Python packages come in, with node's zlib
 * alone: a wheel is a zip (read through its central directory, ZIP64 included), an sdist a
 * gzipped tar (ustar, with GNU long names and pax `path` records).
 */
import { gunzipSync, inflateRawSync } from 'node:zlib';

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--) {
    if (zip.readUInt32LE(i) === EOCD) return i;
  }
  throw new ArchiveError('is not a zip file (no end of central directory record)');
}

/** Lists a zip's entries from its central directory. */
export function zipEntries(zip: Buffer): ZipEntry[] {
  if (zip.length < 22) throw new ArchiveError('is too small to be a zip file');
  const eocd = findEndOfCentralDirectory(zip);
  let count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (offset === MAX32 || count === 0xffff) {
    const locator = eocd - 20;
    if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_LOCATOR) {
      throw new ArchiveError('has a ZIP64 marker but no ZIP64 locator');
    }
    const record = Number(zip.readBigUInt64LE(locator + 8));
    if (zip.readUInt32LE(record) !== ZIP64_EOCD) throw new ArchiveError('has a broken ZIP64 record');
    count = Number(zip.readBigUInt64LE(record + 32));
    offset = Number(zip.readBigUInt64LE(record + 48));
  }
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) {
      throw new ArchiveError('has a broken central directory');
    }
    const method = zip.readUInt16LE(p + 10);
    let compressedSize = zip.readUInt32LE(p + 20);
    let uncompressedSize = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    let localHeaderOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    // ZIP64 extra field: the 64-bit values, in this order, for those marked 0xffffffff.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = zip.readUInt16LE(e);
      const size = zip.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === MAX32) {
          uncompressedSize = Number(zip.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === MAX32) {
          compressedSize = Number(zip.readBigUInt64LE(q));
          q += 8;
        }
        if (localHeaderOffset === MAX32) localHeaderOffset = Number(zip.readBigUInt64LE(q));
      }
      e += 4 + size;
    }
    entries.push({ name, method, compressedSize, localHeaderOffset });
    p = extraEnd + commentLength;
  }
  return entries;
}

/** The bytes of one zip entry. */
export function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const p = entry.localHeaderOffset;
  if (zip.readUInt32LE(p) !== LOCAL) throw new ArchiveError(`has a broken local header for ${entry.name}`);
  const start = p + 30 + zip.readUInt16LE(p + 26) + zip.readUInt16LE(p + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new ArchiveError(
    `stores ${entry.name} with compression method ${entry.method} (only stored and deflate are allowed in wheels)`,
  );
}

export interface TarMember {
  name: string;
  data: Buffer;
}

function tarString(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.toString('utf8', 0, end === -1 ? raw.length : end);
}

function tarSize(block: Buffer): number {
  // Sizes over 8 GiB use base-256 (high bit set); no sdist is that large.
  if ((block[124]! & 0x80) !== 0) throw new ArchiveError('has a member larger than 8 GiB');
  const octal = tarString(block, 124, 12).trim();
  return octal === '' ? 0 : Number.parseInt(octal, 8);
}

/** Calls `visit` for each regular file of a .tar.gz until it returns true. */
export function walkTarGz(tgz: Buffer, visit: (member: TarMember) => boolean): void {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz);
  } catch (thrown) {
    throw new ArchiveError(
      `is not a gzip file (${thrown instanceof Error ? thrown.message : String(thrown)})`,
    );
  }
  let p = 0;
  let longName: string | undefined;
  while (p + 512 <= tar.length) {
    const header = tar.subarray(p, p + 512);
    if (header.every((b) => b === 0)) return;
    const size = tarSize(header);
    const type = String.fromCharCode(header[156]!);
    const data = tar.subarray(p + 512, p + 512 + size);
    p += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = tarString(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (match) longName = match[1];
      continue;
    }
    if (type === 'g') continue;
    const prefix = tarString(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${tarString(header, 0, 100)}` : tarString(header, 0, 100));
    longName = undefined;
    if ((type === '0' || type === '\0') && visit({ name, data: Buffer.from(data) })) return;
  }
  if (p === 0) throw new ArchiveError('is an empty tar archive');
}
