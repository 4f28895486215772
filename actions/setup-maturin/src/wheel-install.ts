/**
 * Installing a tool from its platform wheel without Python: download the wheel, check its SHA256
 * against the digest the index published (a mismatch stops everything: nothing is extracted or
 * cached), and take the program (or, for zig, its directory) out of the zip.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import { formatBytes } from '@ferrowheel/kit/files';
import { fetchWithRetry, HttpError, type RetryOptions } from '@ferrowheel/kit/http';
import { extractZipEntries, listZipEntries, safeEntryPath, type ZipExtraction } from '@ferrowheel/kit/zip';
import type { ReleaseFile } from './package-index.js';
import type { WheelLayout } from './tools.js';

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

/** Fails (and deletes the file) when the digest differs from the index's, or the index gave none. */
export function checkDigest(file: ReleaseFile, actual: string, downloaded: string): void {
  if (file.sha256 === '') {
    rmSync(downloaded, { force: true });
    throw new UserError(
      `The index published no SHA256 digest for ${file.filename}, so it cannot be verified and was not installed. Use an index that publishes digests (pypi.org does), or set 'method: venv'.`,
    );
  }
  if (actual !== file.sha256) {
    rmSync(downloaded, { force: true });
    throw new UserError(
      `SHA256 mismatch for ${file.filename} from ${file.url}: the index published ${file.sha256}, the download is ${actual}. The file was not installed. The download was altered in transit or the index is serving a different file; check 'index-url' and any proxy between the runner and the index, then retry.`,
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
  log: (line: string) => void,
  retry: RetryOptions = {},
): Promise<number> {
  const wheelPath = path.join(dirs.downloadDir, file.filename);
  const started = performance.now();
  const actual = await download(file.url, wheelPath, retry);
  log(
    `Downloaded ${file.filename}${file.size ? ` (${formatBytes(file.size)})` : ''} in ${Math.round(performance.now() - started)} ms`,
  );
  checkDigest(file, actual, wheelPath);
  log(`SHA256 ${actual} matches the index`);
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
      `${file.filename} does not contain ${layout.program} where expected; it cannot be installed from its wheel. Set 'method: venv' to install it with pip instead.`,
    );
  }
  return items.length;
}
