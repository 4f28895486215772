/**
 * A built wheel with its SBOMs normalised (sbom.ts) and its RECORD re-hashed to match, written
 * back by kit's deterministic zip writer. Every other entry is copied as maturin compressed it,
 * in maturin's order; the rewritten SBOM and RECORD are stored. A wheel whose SBOMs need nothing
 * is not touched.
 */
import { createHash } from 'node:crypto';
import { UserError } from '@ferrowheel/kit/errors';
import { listZipEntries, readZipEntry, readZipEntryRaw, type ZipEntry } from '@ferrowheel/kit/zip';
import { writeZipFile, type ZipWriteEntry } from '@ferrowheel/kit/zip-write';
import { normaliseSbom } from './sbom.js';

/** `<name>-<version>.dist-info/sboms/<file>.json` (PEP 770). */
const SBOM_ENTRY = /^[^/]+\.dist-info\/sboms\/[^/]+\.json$/;
const RECORD_ENTRY = /^[^/]+\.dist-info\/RECORD$/;

/** The RECORD hash of `data`: `sha256=` + urlsafe base64 without padding (PEP 376/427). */
export function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

/** The path field of a RECORD line (CSV: quoted when it holds a comma or a quote). */
function recordPath(line: string): string {
  if (line.startsWith('"')) {
    const end = /^"((?:[^"]|"")*)"/.exec(line);
    return end ? end[1]!.replaceAll('""', '"') : line;
  }
  const fields = line.split(',');
  return fields.slice(0, Math.max(1, fields.length - 2)).join(',');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** RECORD with the lines of `replaced` entries re-hashed; every other byte as it was. */
export function rehashRecord(record: string, replaced: ReadonlyMap<string, Buffer>, wheel: string): string {
  const seen = new Set<string>();
  const lines = record.split('\n').map((line) => {
    const cr = line.endsWith('\r') ? '\r' : '';
    const name = recordPath(cr ? line.slice(0, -1) : line);
    const data = replaced.get(name);
    if (data === undefined) return line;
    seen.add(name);
    return `${csvField(name)},${recordHash(data)},${data.length}${cr}`;
  });
  const missing = [...replaced.keys()].filter((name) => !seen.has(name));
  if (missing.length > 0) {
    throw new UserError(
      `${wheel}: its RECORD does not list ${missing.join(', ')}, so the wheel is broken as maturin wrote it. Report it to maturin, or set 'reproducible: false' to publish it as it is.`,
    );
  }
  return lines.join('\n');
}

export interface SbomRewrite {
  /** The SBOM entries that changed (none: the wheel was left as it was). */
  changed: string[];
}

function copied(file: string, entry: ZipEntry): ZipWriteEntry {
  const raw = readZipEntryRaw(file, entry);
  return {
    name: entry.name,
    ...(entry.mode !== undefined ? { mode: entry.mode } : {}),
    content: { kind: 'raw', method: entry.method, crc32: entry.crc32, size: entry.size, compressed: raw },
  };
}

/**
 * Normalises the SBOMs of the wheel at `file` in place (see the module comment). Without an
 * epoch (no SOURCE_DATE_EPOCH could be found), only the paths go; the entries are then dated now.
 */
export function normaliseWheelSboms(
  file: string,
  options: { epochSeconds: number | undefined },
): SbomRewrite {
  const entries = listZipEntries(file);
  const replaced = new Map<string, Buffer>();
  for (const entry of entries.filter((e) => SBOM_ENTRY.test(e.name))) {
    const sbom = normaliseSbom(readZipEntry(file, entry).toString('utf8'), options);
    if (sbom.changed) replaced.set(entry.name, Buffer.from(sbom.text, 'utf8'));
  }
  if (replaced.size === 0) return { changed: [] };
  const record = entries.find((e) => RECORD_ENTRY.test(e.name));
  if (record === undefined) {
    throw new UserError(`${file} has no RECORD, so it is not a wheel pip can install. Check the build log.`);
  }
  const recordText = rehashRecord(readZipEntry(file, record).toString('utf8'), replaced, file);
  const rewritten = entries.map((entry): ZipWriteEntry => {
    const data = entry === record ? Buffer.from(recordText, 'utf8') : replaced.get(entry.name);
    if (data === undefined) return copied(file, entry);
    return {
      name: entry.name,
      ...(entry.mode !== undefined ? { mode: entry.mode } : {}),
      content: { kind: 'data', data },
    };
  });
  writeZipFile(file, rewritten, { epochSeconds: options.epochSeconds ?? Math.floor(Date.now() / 1000) });
  return { changed: [...replaced.keys()] };
}
