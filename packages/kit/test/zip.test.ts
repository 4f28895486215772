/** The zip reader against archives Python's own zipfile writes (the module wheel tools use). */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { writePythonZip } from '../../harness/src/python-archives.js';
import {
  extractZipEntry,
  listZipEntries,
  readZipEntry,
  safeEntryPath,
  ZipError,
  zipEntryNames,
} from '../src/zip.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kit-zip-'));

const archive = path.join(dir, 'tool-1.0-py3-none-any.whl');
// A real archive, written the way wheel builders write them: a deflated small file, a stored
// file, a large (streamed) executable with Unix mode bits.
const big = Buffer.alloc(6 * 1024 * 1024);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
writeFileSync(path.join(dir, 'big.bin'), big);
writePythonZip(archive, {
  entries: [
    {
      name: 'tool/__init__.py',
      text: 'print("hi")\n'.repeat(100),
      compression: 'deflated',
      date: [1980, 1, 1, 0, 0, 0],
    },
    { name: 'tool-1.0.dist-info/WHEEL', text: 'Wheel-Version: 1.0\n', compression: 'stored' },
    {
      name: 'tool-1.0.data/scripts/tool',
      file: path.join(dir, 'big.bin'),
      compression: 'deflated',
      mode: 0o755,
    },
  ],
});

/** A zip of `names` (deflated, each holding "x" * 100), with an archive comment or ZIP64 entries. */
function makeZip(names: string[], options: { zip64?: boolean; comment?: string } = {}): string {
  const file = path.join(mkdtempSync(path.join(dir, 'names-')), 'x.whl');
  return writePythonZip(file, {
    compression: 'deflated',
    ...(options.comment === undefined ? {} : { comment: options.comment }),
    entries: names.map((name) =>
      options.zip64 ? { name, text: 'x', zip64: true } : { name, text: 'x'.repeat(100) },
    ),
  });
}

/** A zip of `count` empty entries f0, f1, … and then last.txt holding "found me". */
function manyEntries(count: number): string {
  const file = path.join(dir, `many-${count}.zip`);
  const entries = Array.from({ length: count }, (_, i) => ({ name: `f${i}` }));
  return writePythonZip(file, { entries: [...entries, { name: 'last.txt', text: 'found me' }] });
}

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

  it('reads the same entries from the bytes in memory as from the file', () => {
    expect(listZipEntries(readFileSync(archive))).toEqual(listZipEntries(archive));
  });

  it('lists names from the central directory, UTF-8 names and an archive comment included', () => {
    const names = [
      'setup/__init__.py',
      'setup/setup.cpython-312-x86_64-linux-gnu.so',
      'déjà/vu.py',
      'setup-0.1.0.dist-info/RECORD',
    ];
    expect(zipEntryNames(makeZip(names, { comment: 'c'.repeat(300) }))).toEqual(names);
  });

  it('reads entries written with ZIP64 extra fields', () => {
    expect(zipEntryNames(makeZip(['a.py', 'b/c.so'], { zip64: true }))).toEqual(['a.py', 'b/c.so']);
  });

  it('reads a ZIP64 archive (more than 65535 entries), from a file and from memory', () => {
    const file = manyEntries(65_600);
    for (const source of [file, readFileSync(file)]) {
      const entries = listZipEntries(source);
      expect(entries).toHaveLength(65_601);
      expect(readZipEntry(source, entries.at(-1)!).toString()).toBe('found me');
    }
  }, 60_000);

  it('reads an archive of exactly 65535 entries, whose count equals the ZIP64 marker', () => {
    // 65534 + last.txt: Python writes no ZIP64 records for it.
    const entries = listZipEntries(manyEntries(65_534));
    expect(entries).toHaveLength(65_535);
    expect(entries.at(-1)?.name).toBe('last.txt');
  }, 60_000);

  it('says what is wrong with a file that is not a zip, naming the file', () => {
    const bogus = path.join(dir, 'bogus.whl');
    writeFileSync(bogus, 'not a zip at all, just some text');
    expect(() => listZipEntries(bogus)).toThrow(
      `${bogus} is not a zip file (no end of central directory record)`,
    );
    const tiny = path.join(dir, 'tiny.whl');
    writeFileSync(tiny, 'tiny');
    expect(() => zipEntryNames(tiny)).toThrow(`${tiny} is too small to be a zip file`);
  });

  it('gives the problem apart, for bytes in memory that have no file name', () => {
    const problem = (zip: Buffer) => {
      try {
        listZipEntries(zip);
      } catch (thrown) {
        expect(thrown).toBeInstanceOf(ZipError);
        return [(thrown as ZipError).problem, (thrown as ZipError).message];
      }
      throw new Error('no error thrown');
    };
    expect(problem(Buffer.from('x'.repeat(100)))).toEqual([
      'is not a zip file (no end of central directory record)',
      'The archive is not a zip file (no end of central directory record)',
    ]);
    expect(problem(Buffer.from('tiny'))).toEqual([
      'is too small to be a zip file',
      'The archive is too small to be a zip file',
    ]);
  });

  it('refuses a broken central directory', () => {
    const zip = readFileSync(archive);
    // The end record's central-directory offset, pointed one byte off.
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    zip.writeUInt32LE(zip.readUInt32LE(end + 16) + 1, end + 16);
    expect(() => listZipEntries(zip)).toThrow(new ZipError(undefined, 'has a broken central directory'));
  });
});

describe('readZipEntry', () => {
  it('reads stored and deflated entries into memory', () => {
    const file = path.join(dir, 'a.zip');
    writePythonZip(file, {
      comment: 'a comment at the end',
      entries: [
        { name: 'stored.txt', text: 'plain', compression: 'stored' },
        { name: 'pkg-1.0.dist-info/METADATA', text: 'Name: pkg\n'.repeat(100), compression: 'deflated' },
      ],
    });
    for (const source of [file, readFileSync(file)]) {
      const entries = listZipEntries(source);
      expect(entries.map((e) => e.name)).toEqual(['stored.txt', 'pkg-1.0.dist-info/METADATA']);
      expect(readZipEntry(source, entries[0]!).toString()).toBe('plain');
      expect(readZipEntry(source, entries[1]!).toString()).toBe('Name: pkg\n'.repeat(100));
    }
  });

  it('refuses other compression methods and a broken local header', () => {
    const [entry] = listZipEntries(archive);
    expect(() => readZipEntry(archive, { ...entry!, method: 12 })).toThrow(
      `${archive} stores tool/__init__.py with compression method 12 (only stored and deflate are allowed in wheels)`,
    );
    expect(() => readZipEntry(archive, { ...entry!, headerOffset: 1 })).toThrow(
      `${archive} has a broken local header for tool/__init__.py`,
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

  it('refuses a broken local header before writing anything', async () => {
    const target = path.join(dir, 'never', 'x');
    await expect(extractZipEntry(archive, { ...entries[1]!, headerOffset: 1 }, target)).rejects.toThrow(
      `${archive} has a broken local header for tool-1.0.dist-info/WHEEL`,
    );
    expect(() => statSync(path.dirname(target))).toThrow();
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
