/**
 * Writing zip archives deterministically (reproducible wheels): the same entries give the same
 * bytes on every machine and at every time.
 * - Entries in the order given (the caller keeps the order the archive had).
 * - One timestamp for every entry, from SOURCE_DATE_EPOCH read as UTC (as maturin writes it),
 *   clamped to what a DOS date can hold (1980–2107).
 * - Permissions 0644, or 0755 when any execute bit was set; "made by Unix", no extra fields, no
 *   comment, no data descriptors.
 * - New content is stored, not deflated: deflate's output depends on the zlib build, stored bytes
 *   only on the content. An entry copied from another archive keeps its compressed bytes as they
 *   were (read with zip.ts `readZipEntryRaw`), so its bytes are the builder's, unchanged.
 * No ZIP64: an archive past 4 GiB or 65,535 entries is refused (no wheel comes near either).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ZipError } from './zip.js';

const requireBuiltin = createRequire(import.meta.url);
const zlib = () => requireBuiltin('node:zlib') as typeof import('node:zlib');

/** What an entry holds: new bytes (stored), or an entry of another archive copied as it is. */
export type ZipContent =
  | { kind: 'data'; data: Buffer }
  | { kind: 'raw'; method: number; crc32: number; size: number; compressed: Buffer };

export interface ZipWriteEntry {
  /** The path inside the archive, `/`-separated. */
  name: string;
  /** Unix mode bits the entry had; only "executable or not" survives. Default 0644. */
  mode?: number;
  content: ZipContent;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** Version 2.0: deflate; "made by" Unix (3) in the high byte, so readers take the mode bits. */
const VERSION_NEEDED = 20;
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
const UTF8_NAME = 0x0800;

/** The DOS date and time of `epochSeconds` in UTC, clamped to 1980-01-01 … 2107-12-31. */
export function dosDateTime(epochSeconds: number): { date: number; time: number } {
  const min = Date.UTC(1980, 0, 1) / 1000;
  const max = Date.UTC(2107, 11, 31, 23, 59, 58) / 1000;
  const d = new Date(Math.min(Math.max(epochSeconds, min), max) * 1000);
  return {
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
  };
}

/** 0755 when any execute bit is set, else 0644: the only permission difference a wheel keeps. */
export function normalisedMode(mode: number | undefined): number {
  return mode !== undefined && (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

interface Packed {
  name: Buffer;
  flags: number;
  method: number;
  crc32: number;
  size: number;
  compressed: Buffer;
  mode: number;
}

function pack(entry: ZipWriteEntry): Packed {
  const name = Buffer.from(entry.name, 'utf8');
  // A name with any non-ASCII character is flagged as UTF-8 (its UTF-8 form is then longer).
  const flags = name.length === entry.name.length ? 0 : UTF8_NAME;
  const mode = normalisedMode(entry.mode);
  const { content } = entry;
  if (content.kind === 'data') {
    const crc32 = zlib().crc32(content.data) >>> 0;
    return { name, flags, method: 0, crc32, size: content.data.length, compressed: content.data, mode };
  }
  return { name, flags, mode, ...content };
}

/** A local header (`central` undefined) or a central-directory header, followed by the name. */
function header(p: Packed, when: { date: number; time: number }, central: { offset: number } | undefined) {
  const h = Buffer.alloc(central ? 46 : 30);
  let at = 0;
  h.writeUInt32LE(central ? CENTRAL_HEADER : LOCAL_HEADER, at);
  at += 4;
  if (central) {
    h.writeUInt16LE(VERSION_MADE_BY, at);
    at += 2;
  }
  h.writeUInt16LE(VERSION_NEEDED, at);
  h.writeUInt16LE(p.flags, at + 2);
  h.writeUInt16LE(p.method, at + 4);
  h.writeUInt16LE(when.time, at + 6);
  h.writeUInt16LE(when.date, at + 8);
  h.writeUInt32LE(p.crc32, at + 10);
  h.writeUInt32LE(p.compressed.length, at + 14);
  h.writeUInt32LE(p.size, at + 18);
  h.writeUInt16LE(p.name.length, at + 22);
  // Extra field length 0; in the central header also comment, disk number, internal attributes 0.
  if (central) {
    h.writeUInt32LE(((0o100000 | p.mode) << 16) >>> 0, 38);
    h.writeUInt32LE(central.offset, 42);
  }
  return Buffer.concat([h, p.name]);
}

/** The archive's bytes: `entries` in order, every one dated `epochSeconds`. */
export function zipBytes(entries: readonly ZipWriteEntry[], options: { epochSeconds: number }): Buffer {
  if (entries.length > 0xffff)
    throw new ZipError(undefined, `would hold ${entries.length} entries (no ZIP64)`);
  const when = dosDateTime(options.epochSeconds);
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const packed = pack(entry);
    const local = header(packed, when, undefined);
    directory.push(header(packed, when, { offset }));
    parts.push(local, packed.compressed);
    offset += local.length + packed.compressed.length;
    if (offset >= 0xffffffff) throw new ZipError(undefined, 'would be larger than 4 GiB (no ZIP64)');
  }
  const central = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, central, end]);
}

/** Writes the archive to `file` (through a temporary file beside it, then renamed). */
export function writeZipFile(
  file: string,
  entries: readonly ZipWriteEntry[],
  options: { epochSeconds: number },
): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, zipBytes(entries, options));
  renameSync(partial, file);
}
