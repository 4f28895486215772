/**
 * Archives written and read by Python's own zipfile and tarfile (the modules wheel tools use), to
 * check ferrowheel's readers and writers against: archives.py run by path, what to write as JSON
 * on its stdin (see that file for the shapes).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tool } from './workdirs.js';

export const ARCHIVES_SCRIPT = fileURLToPath(new URL('./archives.py', import.meta.url));

export interface PythonZipEntry {
  name: string;
  /** The entry's text, or `file`: a path whose bytes it holds. Empty without either. */
  text?: string;
  file?: string;
  compression?: 'stored' | 'deflated';
  /** Unix permission bits: written from a ZipInfo as a Unix regular file. */
  mode?: number;
  /** [year, month, day, hour, minute, second]: written from a ZipInfo (1980-01-01 with a mode alone). */
  date?: number[];
  zip64?: boolean;
}

export interface PythonZipSpec {
  /** The archive's default compression: stored unless given. */
  compression?: 'stored' | 'deflated';
  comment?: string;
  /** A wheel RECORD of this name, listing every entry's sha256 and size, written last. */
  record?: string;
  entries: PythonZipEntry[];
}

export interface WheelEdits {
  /** Entries whose names end with one of these are left out. */
  drop?: string[];
  /** Entries given new text. */
  replace?: Record<string, string>;
  /** Entries added (before RECORD). */
  add?: Record<string, string>;
  /** In entries whose names contain `in`, `pattern` (a multi-line Python regex) becomes `repl`. */
  substitute?: { in: string; pattern: string; repl: string }[];
}

export interface PythonZipView {
  name: string;
  date: number[];
  mode: number;
  stored: boolean;
  /** The first 40 characters, decoded as UTF-8 (undecodable bytes replaced). */
  text: string;
}

function archives(args: string[], input?: unknown): string {
  return execFileSync(tool('python'), [ARCHIVES_SCRIPT, ...args], {
    input: input === undefined ? '' : JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Writes `file` with Python's zipfile, as `spec` says. */
export function writePythonZip(file: string, spec: PythonZipSpec): string {
  archives(['write-zip', file], spec);
  return file;
}

/**
 * Copies a wheel with edits, RECORD rewritten to match (as a broken build would leave it); every
 * other entry keeps its name, date, mode and compression.
 */
export function rewriteWheel(source: string, destination: string, edits: WheelEdits): string {
  archives(['rewrite-wheel', source, destination], edits);
  return destination;
}

/** Python's view of a zip, entry by entry; throws when an entry's CRC does not check. */
export function viewPythonZip(file: string): PythonZipView[] {
  return JSON.parse(archives(['view-zip', file])) as PythonZipView[];
}

/** The distinct dates of a zip's entries as Python reads them, `YYYY-MM-DD hh:mm:ss`, sorted. */
export function pythonZipDates(file: string): string[] {
  const two = (n: number) => String(n).padStart(2, '0');
  const dates = viewPythonZip(file).map(
    ({ date: [y, mo, d, h, mi, s] }) => `${y}-${two(mo!)}-${two(d!)} ${two(h!)}:${two(mi!)}:${two(s!)}`,
  );
  return [...new Set(dates)].sort();
}

/** Writes a gzipped tarball of `members` (name → text) with Python's tarfile in `format`. */
export function writePythonTarGz(
  file: string,
  format: 'PAX_FORMAT' | 'GNU_FORMAT',
  members: Record<string, string>,
): string {
  archives(['write-tar-gz', file, format], members);
  return file;
}
