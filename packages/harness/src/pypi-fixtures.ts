/**
 * Real wheels from PyPI as test fixtures: a macOS or Windows extension module cannot be built
 * here, so the binary readers are tested on published ones. Each is pinned by its URL on PyPI's
 * file host and its SHA256, downloaded once per machine into `.work/fixtures/pypi/`, and checked
 * against the digest on every use (a file that differs is an error, never a fixture).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '@ferrowheel/kit/files';
import { fetchWithRetry } from '@ferrowheel/kit/http';
import { sharedDir } from './workdirs.js';

export interface PinnedWheel {
  /** Where PyPI serves the file (files.pythonhosted.org); its last segment is the file name. */
  url: string;
  sha256: string;
}

function checked(pin: PinnedWheel, bytes: Buffer, where: string): Buffer {
  const digest = sha256(bytes);
  if (digest !== pin.sha256) throw new Error(`${where} has SHA256 ${digest}, pinned ${pin.sha256}`);
  return bytes;
}

/** The path of a pinned PyPI wheel, downloaded on first use and checked against its SHA256. */
export async function pinnedWheel(pin: PinnedWheel): Promise<string> {
  const filename = decodeURIComponent(new URL(pin.url).pathname.split('/').at(-1)!);
  const file = path.join(sharedDir('fixtures'), 'pypi', pin.sha256.slice(0, 16), filename);
  if (!existsSync(file)) {
    const response = await fetchWithRetry(pin.url, () => ({}), { timeoutMs: 60_000 });
    if (!response.ok) throw new Error(`${pin.url} answered HTTP ${response.status}`);
    const bytes = checked(pin, Buffer.from(await response.arrayBuffer()), pin.url);
    mkdirSync(path.dirname(file), { recursive: true });
    // Written beside and renamed, so a test running at the same time never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  }
  checked(pin, readFileSync(file), file);
  return file;
}
