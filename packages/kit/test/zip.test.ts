import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { extractZipEntry, listZipEntries, safeEntryPath } from '../src/zip.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kit-zip-'));
const archive = path.join(dir, 'tool-1.0-py3-none-any.whl');
// A real archive, written by Python's zipfile the way wheel builders write them: a deflated
// small file, a stored file, a large (streamed) executable with Unix mode bits.
const big = Buffer.alloc(6 * 1024 * 1024);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
writeFileSync(path.join(dir, 'big.bin'), big);
execFileSync('python3', [
  '-c',
  `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr(zipfile.ZipInfo('tool/__init__.py'), 'print("hi")\\n' * 100, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr('tool-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\n', compress_type=zipfile.ZIP_STORED)
    info = zipfile.ZipInfo('tool-1.0.data/scripts/tool')
    info.external_attr = 0o100755 << 16
    info.create_system = 3
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, open(sys.argv[2], 'rb').read())
`,
  archive,
  path.join(dir, 'big.bin'),
]);

describe('listZipEntries', () => {
  it('lists entries with sizes, methods and Unix modes', () => {
    const entries = listZipEntries(archive);
    expect(entries.map((e) => [e.name, e.method, e.size])).toEqual([
      ['tool/__init__.py', 8, 1200],
      ['tool-1.0.dist-info/WHEEL', 0, 19],
      ['tool-1.0.data/scripts/tool', 8, big.length],
    ]);
    expect(entries[2]?.mode).toBe(0o755);
  });

  it('refuses a file that is not a zip', () => {
    const bogus = path.join(dir, 'bogus.whl');
    writeFileSync(bogus, 'not a zip at all');
    expect(() => listZipEntries(bogus)).toThrow(
      `${bogus} is not a zip archive (no end of central directory)`,
    );
  });
});

describe('extractZipEntry', () => {
  const entries = listZipEntries(archive);

  it('extracts deflated and stored entries in memory', async () => {
    const out = path.join(dir, 'out');
    await extractZipEntry(archive, entries[0]!, path.join(out, 'a', 'init.py'));
    await extractZipEntry(archive, entries[1]!, path.join(out, 'WHEEL'));
    expect(readFileSync(path.join(out, 'a', 'init.py'), 'utf8')).toBe('print("hi")\n'.repeat(100));
    expect(readFileSync(path.join(out, 'WHEEL'), 'utf8')).toBe('Wheel-Version: 1.0\n');
  });

  it('streams a large entry and keeps or overrides its mode', async () => {
    const target = path.join(dir, 'out', 'tool');
    await extractZipEntry(archive, entries[2]!, target);
    expect(readFileSync(target).equals(big)).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o755);
    const plain = path.join(dir, 'out', 'init-exec');
    await extractZipEntry(archive, entries[0]!, plain, { mode: 0o700 });
    expect(statSync(plain).mode & 0o777).toBe(0o700);
  });
});

describe('safeEntryPath', () => {
  it('keeps names inside the root and refuses escapes', () => {
    expect(safeEntryPath('/r', 'a/b/c')).toBe(path.join('/r', 'a', 'b', 'c'));
    expect(safeEntryPath('/r', './a')).toBe(path.join('/r', 'a'));
    expect(safeEntryPath('/r', '../evil')).toBeUndefined();
    expect(safeEntryPath('/r', 'a/../../evil')).toBeUndefined();
    expect(safeEntryPath('/r', '/etc/passwd')).toBeUndefined();
    expect(safeEntryPath('/r', 'C:/x')).toBeUndefined();
    expect(safeEntryPath('/r', 'a\\..\\b')).toBeUndefined();
  });
});
