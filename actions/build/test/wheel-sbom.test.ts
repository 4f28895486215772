/**
 * Normalising a wheel's SBOM in place: a wheel laid out as maturin lays it out (deflated entries,
 * RECORD last), with the SBOM maturin really wrote (test/fixtures), checked by kit's reader and by
 * Python's zipfile; RECORD must verify the way installers verify it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonZipDates, writePythonZip } from '@ferrowheel/harness/python-archives';
import { listZipEntries, readZipEntry, readZipEntryRaw } from '@ferrowheel/kit/zip';
import { describe, expect, it } from '@jest/globals';
import { normaliseWheelSboms, recordHash, rehashRecord } from '../src/wheel-sbom.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const sbom = readFileSync(path.join(fixtures, 'from-sdist.cyclonedx.json'));
const dir = mkdtempSync(path.join(tmpdir(), 'wheel-sbom-'));
const EPOCH = 1_700_000_000;
/** The extension module's stand-in: bytes 0..255, 400 times over. */
const binary = path.join(dir, 'setup.so');
writeFileSync(binary, Buffer.from(Array.from({ length: 256 * 400 }, (_, i) => i % 256)));

/** A wheel as maturin writes it, with `sbomText` as its SBOM; RECORD lists every entry. */
function makeWheel(name: string, sbomText: Buffer): string {
  const file = path.join(dir, name);
  const sbomFile = path.join(dir, `${name}.json`);
  writeFileSync(sbomFile, sbomText);
  const date = [2026, 12, 6, 18, 7, 38];
  writePythonZip(file, {
    compression: 'deflated',
    record: 'setup-0.1.0.dist-info/RECORD',
    entries: [
      { name: 'setup/__init__.py', text: 'from .setup import *\n', mode: 0o644, date },
      { name: 'setup/setup.cpython-311-x86_64-linux-gnu.so', file: binary, mode: 0o755, date },
      {
        name: 'setup-0.1.0.dist-info/METADATA',
        text: 'Metadata-Version: 2.4\nName: setup\nVersion: 0.1.0\n',
        mode: 0o644,
        date,
      },
      { name: 'setup-0.1.0.dist-info/WHEEL', text: 'Wheel-Version: 1.0\n', mode: 0o644, date },
      { name: 'setup-0.1.0.dist-info/sboms/setup.cyclonedx.json', file: sbomFile, mode: 0o644, date },
    ],
  });
  return file;
}

/** Every RECORD line checked against the entry's bytes, as installers check them. */
function verifyRecord(file: string): void {
  const entries = listZipEntries(file);
  const record = entries.find((e) => e.name.endsWith('/RECORD'))!;
  const lines = readZipEntry(file, record).toString('utf8').trim().split('\n');
  expect(lines.length).toBe(entries.length);
  for (const line of lines) {
    const [name, hash, size] = line.split(',');
    if (name === record.name) continue;
    const data = readZipEntry(file, entries.find((e) => e.name === name)!);
    expect([name, hash, size]).toEqual([name, recordHash(data), String(data.length)]);
  }
}

describe('normaliseWheelSboms', () => {
  it('rewrites the SBOM, re-hashes RECORD and copies every other entry as it was', () => {
    const file = makeWheel('a.whl', sbom);
    const before = listZipEntries(file);
    const binary = before.find((e) => e.name.endsWith('.so'))!;
    const rawBinary = readZipEntryRaw(file, binary);
    expect(normaliseWheelSboms(file, { epochSeconds: EPOCH })).toEqual({
      changed: ['setup-0.1.0.dist-info/sboms/setup.cyclonedx.json'],
    });
    const after = listZipEntries(file);
    expect(after.map((e) => e.name)).toEqual(before.map((e) => e.name));
    const binaryAfter = after.find((e) => e.name.endsWith('.so'))!;
    expect(readZipEntryRaw(file, binaryAfter).equals(rawBinary)).toBe(true);
    expect(binaryAfter.mode).toBe(0o755);
    const text = readZipEntry(file, after.find((e) => e.name.endsWith('.json'))!).toString('utf8');
    expect(text).not.toContain('/tmp/');
    verifyRecord(file);
    // Python's zipfile agrees: every CRC checks and every entry is dated at the epoch.
    expect(pythonZipDates(file)).toEqual(['2023-11-14 22:13:20']);
  });

  it('gives byte-identical wheels for the same build done in two places at two times', () => {
    const elsewhere = Buffer.from(
      sbom
        .toString('utf8')
        .replaceAll('/tmp/.tmpnzME21/', '/home/runner/work/_temp/.tmpAbCdEf/')
        .replace('2026-12-06T18:07:39.942216253Z', '2026-12-07T09:00:00.123456789Z'),
    );
    const a = makeWheel('one.whl', sbom);
    const b = makeWheel('two.whl', elsewhere);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(false);
    normaliseWheelSboms(a, { epochSeconds: EPOCH });
    normaliseWheelSboms(b, { epochSeconds: EPOCH });
    const digest = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(digest(a)).toBe(digest(b));
  });

  it('leaves a wheel whose SBOM needs nothing untouched', () => {
    const file = makeWheel('c.whl', sbom);
    normaliseWheelSboms(file, { epochSeconds: EPOCH });
    const bytes = readFileSync(file);
    expect(normaliseWheelSboms(file, { epochSeconds: EPOCH })).toEqual({ changed: [] });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});

describe('rehashRecord', () => {
  it('replaces only the lines of the rewritten entries, quoting and line ends kept', () => {
    const record = 'a,b/c.py,sha256=x,1\r\n"we,ird.json",sha256=y,2\r\nd/RECORD,,\r\n';
    const data = Buffer.from('{}');
    expect(rehashRecord(record, new Map([['we,ird.json', data]]), 'w.whl')).toBe(
      `a,b/c.py,sha256=x,1\r\n"we,ird.json",${recordHash(data)},2\r\nd/RECORD,,\r\n`,
    );
  });

  it('refuses a RECORD that does not list the SBOM', () => {
    expect(() => rehashRecord('x.py,sha256=a,1\n', new Map([['s.json', Buffer.from('')]]), 'w.whl')).toThrow(
      /w\.whl: its RECORD does not list s\.json/,
    );
  });
});
