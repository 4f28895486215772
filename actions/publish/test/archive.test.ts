/** The tar.gz reader against archives Python's own tarfile writes. (Zips: packages/kit/test/zip.test.ts.) */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freshDir, tool } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';
import { walkTarGz } from '../src/archive.js';

function python(script: string, ...args: string[]): void {
  execFileSync(tool('python'), ['-c', script, ...args]);
}

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
