/** The zip and tar.gz readers against archives Python's own zipfile/tarfile write. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freshDir, tool } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';
import { ArchiveError, readZipEntry, walkTarGz, zipEntries } from '../src/archive.js';

function python(script: string, ...args: string[]): void {
  execFileSync(tool('python'), ['-c', script, ...args]);
}

describe('zip', () => {
  it('reads stored and deflated entries through the central directory', () => {
    const file = path.join(freshDir('zip'), 'a.zip');
    python(
      [
        'import sys, zipfile',
        "with zipfile.ZipFile(sys.argv[1], 'w') as z:",
        "    z.writestr('stored.txt', 'plain', compress_type=zipfile.ZIP_STORED)",
        "    z.writestr('pkg-1.0.dist-info/METADATA', 'Name: pkg\\n' * 100, compress_type=zipfile.ZIP_DEFLATED)",
        "    z.comment = b'a comment at the end'",
      ].join('\n'),
      file,
    );
    const zip = readFileSync(file);
    const entries = zipEntries(zip);
    expect(entries.map((e) => e.name)).toEqual(['stored.txt', 'pkg-1.0.dist-info/METADATA']);
    expect(readZipEntry(zip, entries[0]!).toString()).toBe('plain');
    expect(readZipEntry(zip, entries[1]!).toString()).toBe('Name: pkg\n'.repeat(100));
  });

  it('reads a ZIP64 archive (more than 65535 entries)', () => {
    const file = path.join(freshDir('zip64'), 'big.zip');
    python(
      [
        'import sys, zipfile',
        "with zipfile.ZipFile(sys.argv[1], 'w') as z:",
        '    for i in range(65600): z.writestr(f"f{i}", "")',
        "    z.writestr('last.txt', 'found me')",
      ].join('\n'),
      file,
    );
    const zip = readFileSync(file);
    const entries = zipEntries(zip);
    expect(entries).toHaveLength(65601);
    expect(readZipEntry(zip, entries.at(-1)!).toString()).toBe('found me');
  }, 60_000);

  it('says what is wrong with a file that is not a zip', () => {
    expect(() => zipEntries(Buffer.from('x'.repeat(100)))).toThrow(
      new ArchiveError('is not a zip file (no end of central directory record)'),
    );
    expect(() => zipEntries(Buffer.from('tiny'))).toThrow('is too small to be a zip file');
  });
});

describe('tar.gz', () => {
  it('finds members, also behind pax and GNU long names', () => {
    const dir = freshDir('tgz');
    const long = `${'d'.repeat(120)}/PKG-INFO`;
    for (const format of ['PAX_FORMAT', 'GNU_FORMAT']) {
      const file = path.join(dir, `${format}.tar.gz`);
      python(
        [
          'import io, sys, tarfile',
          `with tarfile.open(sys.argv[1], 'w:gz', format=tarfile.${format}) as t:`,
          '    for name, text in ((sys.argv[2], b"Name: long"), ("p-1.0/PKG-INFO", b"Name: p")):',
          '        info = tarfile.TarInfo(name); info.size = len(text); t.addfile(info, io.BytesIO(text))',
        ].join('\n'),
        file,
        long,
      );
      const seen: Record<string, string> = {};
      walkTarGz(readFileSync(file), (m) => {
        seen[m.name] = m.data.toString();
        return false;
      });
      expect(seen).toEqual({ [long]: 'Name: long', 'p-1.0/PKG-INFO': 'Name: p' });
    }
  });

  it('says what is wrong with a file that is not gzip', () => {
    expect(() => walkTarGz(Buffer.from('plain text'), () => true)).toThrow(/^is not a gzip file/);
  });
});
