/** The deterministic zip writer, read back by kit's reader and by Python's zipfile. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { viewPythonZip, writePythonZip } from '../../harness/src/python-archives.js';
import { listZipEntries, readZipEntry, readZipEntryRaw } from '../src/zip.js';
import { dosDateTime, normalisedMode, writeZipFile, type ZipWriteEntry, zipBytes } from '../src/zip-write.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kit-zip-write-'));
const EPOCH = 1_700_000_000; // 2023-11-14T22:13:20Z

const entries: ZipWriteEntry[] = [
  { name: 'pkg/__init__.py', mode: 0o664, content: { kind: 'data', data: Buffer.from('x = 1\n') } },
  { name: 'pkg/tool.so', mode: 0o700, content: { kind: 'data', data: Buffer.alloc(1000, 7) } },
  { name: 'pkg/données.txt', content: { kind: 'data', data: Buffer.from('é\n') } },
];

describe('zip-write', () => {
  it('writes the same bytes every time, which Python reads back entry by entry', () => {
    const a = zipBytes(entries, { epochSeconds: EPOCH });
    expect(zipBytes(entries, { epochSeconds: EPOCH }).equals(a)).toBe(true);
    const file = path.join(dir, 'a.whl');
    writeZipFile(file, entries, { epochSeconds: EPOCH });
    expect(readFileSync(file).equals(a)).toBe(true);
    expect(viewPythonZip(file)).toEqual([
      {
        name: 'pkg/__init__.py',
        date: [2023, 11, 14, 22, 13, 20],
        mode: 0o100644,
        stored: true,
        text: 'x = 1\n',
      },
      {
        name: 'pkg/tool.so',
        date: [2023, 11, 14, 22, 13, 20],
        mode: 0o100755,
        stored: true,
        text: '\u0007'.repeat(40),
      },
      {
        name: 'pkg/données.txt',
        date: [2023, 11, 14, 22, 13, 20],
        mode: 0o100644,
        stored: true,
        text: 'é\n',
      },
    ]);
    expect(listZipEntries(file).map((e) => [e.name, e.mode])).toEqual([
      ['pkg/__init__.py', 0o644],
      ['pkg/tool.so', 0o755],
      ['pkg/données.txt', 0o644],
    ]);
  });

  it('changes with the epoch and nothing else', () => {
    expect(
      zipBytes(entries, { epochSeconds: EPOCH + 2 }).equals(zipBytes(entries, { epochSeconds: EPOCH })),
    ).toBe(false);
  });

  it('copies a deflated entry of another archive byte for byte, without inflating it', () => {
    const source = path.join(dir, 'python.zip');
    writePythonZip(source, {
      compression: 'deflated',
      entries: [{ name: 'a/b.txt', text: 'hello '.repeat(500) }],
    });
    const [entry] = listZipEntries(source);
    const raw = readZipEntryRaw(source, entry!);
    expect(raw.length).toBe(entry!.compressedSize);
    const copy = path.join(dir, 'copy.zip');
    writeZipFile(
      copy,
      [
        {
          name: entry!.name,
          content: {
            kind: 'raw',
            method: entry!.method,
            crc32: entry!.crc32,
            size: entry!.size,
            compressed: raw,
          },
        },
      ],
      { epochSeconds: EPOCH },
    );
    const [copied] = listZipEntries(copy);
    expect(copied).toMatchObject({ method: 8, crc32: entry!.crc32, compressedSize: entry!.compressedSize });
    expect(readZipEntry(copy, copied!).toString()).toBe('hello '.repeat(500));
    expect(viewPythonZip(copy)[0]).toMatchObject({
      name: 'a/b.txt',
      stored: false,
      text: 'hello '.repeat(7).slice(0, 40),
    });
  });

  it('clamps dates to what DOS dates hold', () => {
    expect(dosDateTime(0)).toEqual(dosDateTime(Date.UTC(1980, 0, 1) / 1000));
    expect(dosDateTime(Date.UTC(1980, 0, 1) / 1000)).toEqual({ date: (1 << 5) | 1, time: 0 });
    expect(dosDateTime(1e12)).toEqual(dosDateTime(Date.UTC(2107, 11, 31, 23, 59, 58) / 1000));
  });

  it('keeps only whether an entry is executable', () => {
    expect([undefined, 0o600, 0o644, 0o666, 0o700, 0o744, 0o751].map(normalisedMode)).toEqual([
      0o644, 0o644, 0o644, 0o644, 0o755, 0o755, 0o755,
    ]);
  });

  it('is written through a temporary file, so a reader never sees half an archive', () => {
    const file = path.join(dir, 'b.whl');
    writeFileSync(file, 'old');
    writeZipFile(file, entries.slice(0, 1), { epochSeconds: EPOCH });
    expect(viewPythonZip(file).map((e) => e.name)).toEqual(['pkg/__init__.py']);
  });
});
