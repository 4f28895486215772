/**
 * SBOM normalisation on SBOMs maturin 1.16 really wrote (test/fixtures): one built from an
 * unpacked sdist without SOURCE_DATE_EPOCH (random serial, build time, maturin's temporary
 * directory), one with a path dependency outside the crate, built with SOURCE_DATE_EPOCH.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { contentUuid, normaliseSbom } from '../src/sbom.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fromSdist = readFileSync(path.join(fixtures, 'from-sdist.cyclonedx.json'), 'utf8');
const pathDep = readFileSync(path.join(fixtures, 'path-dep.cyclonedx.json'), 'utf8');
const EPOCH = 1_700_000_000;

/** The lines of `after` that are not in `before`. */
function addedLines(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((l) => !old.has(l));
}

describe('normaliseSbom', () => {
  it('takes the build directory, the build time and the random serial out of an sdist build', () => {
    const { text, changed } = normaliseSbom(fromSdist, { epochSeconds: EPOCH });
    expect(changed).toBe(true);
    expect(text).not.toMatch(/\/tmp|\.tmp/);
    expect(text).not.toContain('64288e9c-0cc0-4cb5-96f5-3d0045a316b8');
    const bom = JSON.parse(text);
    expect(Object.keys(bom).slice(0, 4)).toEqual(['bomFormat', 'specVersion', 'serialNumber', 'version']);
    expect(bom.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(bom.metadata.timestamp).toBe('2023-11-14T22:13:20.000Z');
    expect(bom.metadata.component['bom-ref']).toBe('path+file://.#setup@0.1.0');
    expect(bom.metadata.component.components[0]['bom-ref']).toBe('path+file://.#setup@0.1.0 bin-target-0');
    // Only the rewritten values changed: every component, hash and licence is still there.
    const original = JSON.parse(fromSdist);
    expect(bom.components).toEqual(original.components);
    expect(bom.dependencies.length).toBe(original.dependencies.length);
    expect(addedLines(fromSdist, text)).toEqual([
      `  "serialNumber": "${bom.serialNumber}",`,
      '    "timestamp": "2023-11-14T22:13:20.000Z",',
      '      "bom-ref": "path+file://.#setup@0.1.0",',
      '          "bom-ref": "path+file://.#setup@0.1.0 bin-target-0",',
      '      "ref": "path+file://.#setup@0.1.0",',
    ]);
  });

  it('gives the same document for the same crate built anywhere', () => {
    const elsewhere = fromSdist
      .replaceAll('/tmp/.tmpnzME21/setup-0.1.0', '/home/runner/work/_temp/.tmpQ8s7Lk/setup-0.1.0')
      .replace('64288e9c-0cc0-4cb5-96f5-3d0045a316b8', '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9')
      .replace('2026-12-06T18:07:39.942216253Z', '2027-01-02T03:04:05.678901234Z');
    expect(normaliseSbom(elsewhere, { epochSeconds: EPOCH }).text).toBe(
      normaliseSbom(fromSdist, { epochSeconds: EPOCH }).text,
    );
  });

  it('makes path dependencies relative to the crate, in ids and purls alike', () => {
    const { text } = normaliseSbom(pathDep, { epochSeconds: EPOCH });
    expect(text).not.toContain('/tmp/');
    const bom = JSON.parse(text);
    const dep = bom.components.find((c: { name: string }) => c.name === 'dep');
    expect(dep['bom-ref']).toBe('path+file://../dep#0.1.0');
    expect(dep.purl).toBe('pkg:cargo/dep@0.1.0?download_url=file://../dep');
    expect(
      bom.dependencies.find((d: { ref: string }) => d.ref === 'path+file://.#0.1.0').dependsOn,
    ).toContain('path+file://../dep#0.1.0');
    // cargo-cyclonedx already dated it at the epoch (SOURCE_DATE_EPOCH was set): kept as written.
    expect(bom.metadata.timestamp).toBe('2023-11-14T22:13:20.000000000Z');
  });

  it('is stable: a normalised SBOM stays as it is', () => {
    const once = normaliseSbom(pathDep, { epochSeconds: EPOCH });
    expect(normaliseSbom(once.text, { epochSeconds: EPOCH })).toEqual({ text: once.text, changed: false });
  });

  it('leaves files that are not CycloneDX JSON alone', () => {
    const spdx = '{"spdxVersion": "SPDX-2.3", "name": "/tmp/x"}';
    expect(normaliseSbom(spdx, { epochSeconds: EPOCH })).toEqual({ text: spdx, changed: false });
    expect(normaliseSbom('<bom/>', { epochSeconds: EPOCH })).toEqual({ text: '<bom/>', changed: false });
  });

  it('derives the serial from the content: RFC 9562 UUIDv8 bits', () => {
    expect(contentUuid('a')).toBe(contentUuid('a'));
    expect(contentUuid('a')).not.toBe(contentUuid('b'));
    expect(contentUuid('a')[14]).toBe('8');
  });
});

describe('normaliseSbom without an epoch', () => {
  it('still takes the build paths out, and leaves the build time and the serial as they were', () => {
    const bom = JSON.parse(normaliseSbom(fromSdist, { epochSeconds: undefined }).text);
    expect(JSON.stringify(bom)).not.toMatch(/\/tmp|\.tmp/);
    expect(bom.serialNumber).toBe('urn:uuid:64288e9c-0cc0-4cb5-96f5-3d0045a316b8');
    expect(bom.metadata.timestamp).toBe('2026-12-06T18:07:39.942216253Z');
  });
});
