/**
 * Start-up stays close to bare node: the signing stack (sigstore-js, make-fetch-happen and its
 * streams) is a lazy chunk loaded only when attesting, never part of the entry bundle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@ferrowheel/harness/workdirs';
import { expect, it } from '@jest/globals';

const dist = path.join(repoRoot, 'actions', 'publish', 'dist');
const HEAVY = ['DSSEBundleBuilder', 'FulcioSigner', 'make-fetch-happen', 'minipass'];

it('keeps sigstore-js and its HTTP stack out of the entry bundle, in a lazy chunk', () => {
  const entry = readFileSync(path.join(dist, 'index.js'), 'utf8');
  for (const marker of HEAVY)
    expect({ marker, inEntry: entry.includes(marker) }).toEqual({ marker, inEntry: false });
  const chunks = readdirSync(dist).filter((f) => /^\d+\.index\.js$/.test(f));
  const signing = chunks.filter((f) =>
    readFileSync(path.join(dist, f), 'utf8').includes('DSSEBundleBuilder'),
  );
  expect(signing.length).toBeGreaterThan(0);
});
