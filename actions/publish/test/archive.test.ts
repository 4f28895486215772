/** The tar.gz reader against archives Python's own tarfile writes. (Zips: packages/kit/test/zip.test.ts.) */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writePythonTarGz } from '@ferrowheel/harness/python-archives';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';
import { walkTarGz } from '../src/archive.js';

describe('tar.gz', () => {
  it('finds members, also behind pax and GNU long names', () => {
    const dir = freshDir('tgz');
    const long = `${'d'.repeat(120)}/PKG-INFO`;
    for (const format of ['PAX_FORMAT', 'GNU_FORMAT'] as const) {
      const file = path.join(dir, `${format}.tar.gz`);
      writePythonTarGz(file, format, { [long]: 'Name: long', 'p-1.0/PKG-INFO': 'Name: p' });
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
