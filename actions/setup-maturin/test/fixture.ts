/** The recorded PyPI JSON answer for maturin (trimmed: files only for a few releases). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseProjectJson, type Release } from '@ferrowheel/kit/package-index';

export const FIXTURE_URL = 'https://pypi.org/pypi/maturin/json';

export function maturinReleases(): Release[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'pypi-maturin.json');
  return parseProjectJson(JSON.parse(readFileSync(file, 'utf8')), FIXTURE_URL);
}

export function release(releases: Release[], version: string): Release {
  const found = releases.find((r) => r.version === version);
  if (!found) throw new Error(`fixture has no ${version}`);
  return found;
}
