/** Finding packages by pattern, the upload form, and SHA256SUMS. */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';
import { parseCoreMetadata } from '../src/core-metadata.js';
import {
  checksumsText,
  type Distribution,
  globFiles,
  listPackagesDir,
  writeChecksums,
} from '../src/distributions.js';
import { uploadBody } from '../src/legacy-upload.js';

function tree(files: string[]): string {
  const root = freshDir('glob');
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), f);
  }
  return root;
}

describe('globFiles', () => {
  it('matches *, ? and ** below the fixed part of each pattern', () => {
    const root = tree([
      'dist/a.whl',
      'dist/b.tar.gz',
      'wheels-linux/x/c.whl',
      'wheels-mac/d.whl',
      'other/e.whl',
    ]);
    const rel = (patterns: string[]) => globFiles(root, patterns).map((f) => path.relative(root, f));
    expect(rel(['dist/*.whl'])).toEqual(['dist/a.whl']);
    expect(rel(['wheels-*/**/*.whl'])).toEqual(['wheels-linux/x/c.whl', 'wheels-mac/d.whl']);
    expect(rel(['./dist/?.tar.gz', 'dist/a.whl'])).toEqual(['dist/a.whl', 'dist/b.tar.gz']);
    expect(rel(['**/*.whl'])).toHaveLength(4);
    expect(rel(['missing/*.whl'])).toEqual([]);
  });
});

describe('listPackagesDir', () => {
  it('takes wheels and sdists, and names the rest (but not its own SHA256SUMS and attestations)', () => {
    const root = tree([
      'a-1.0-py3-none-any.whl',
      'a-1.0.tar.gz',
      'notes.txt',
      'SHA256SUMS',
      'a-1.0.tar.gz.publish.attestation',
    ]);
    const { files, ignored } = listPackagesDir(root);
    expect(files.map((f) => path.basename(f))).toEqual(['a-1.0-py3-none-any.whl', 'a-1.0.tar.gz']);
    expect(ignored).toEqual(['notes.txt']);
  });
  it('names a file given as the directory, and a dangling wheel link, in words', () => {
    const root = tree(['a-1.0-py3-none-any.whl']);
    const wheel = path.join(root, 'a-1.0-py3-none-any.whl');
    expect(() => listPackagesDir(wheel)).toThrow(
      `'packages-dir' is ${wheel}, which is a file, not a directory.`,
    );
    symlinkSync(path.join(root, 'gone.whl'), path.join(root, 'b-1.0-py3-none-any.whl'));
    expect(() => listPackagesDir(root)).toThrow(
      `${path.join(root, 'b-1.0-py3-none-any.whl')} is a symbolic link to ${path.join(root, 'gone.whl')}, which does not exist. Nothing was uploaded.`,
    );
  });
});

const dist = (dir: string, filename: string, kind: 'wheel' | 'sdist'): Distribution => {
  const file = path.join(dir, filename);
  writeFileSync(file, `contents of ${filename}`);
  return {
    path: file,
    filename,
    kind,
    name: 'my_pkg',
    version: '1.0',
    pyversion: kind === 'wheel' ? 'cp311' : 'source',
    size: 10,
    sha256: 'b'.repeat(64),
    metadata: parseCoreMetadata('Metadata-Version: 2.4\nName: my_pkg\nVersion: 1.0\nSummary: s\n\nbody\n'),
  };
};

describe('uploadBody', () => {
  it('is multipart/form-data with the legacy upload fields once each, the metadata, and the file', async () => {
    const { body, contentType } = uploadBody(
      dist(freshDir('form'), 'my_pkg-1.0-cp311-cp311-linux_x86_64.whl', 'wheel'),
    );
    // Parsed back by undici's own multipart parser.
    const form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    }).formData();
    const fields = [...form.entries()].filter(([, v]) => typeof v === 'string');
    expect(fields).toEqual([
      [':action', 'file_upload'],
      ['protocol_version', '1'],
      ['summary', 's'],
      ['description', 'body'],
      ['metadata_version', '2.4'],
      ['name', 'my_pkg'],
      ['version', '1.0'],
      ['filetype', 'bdist_wheel'],
      ['pyversion', 'cp311'],
      ['sha256_digest', 'b'.repeat(64)],
    ]);
    const content = form.get('content') as File;
    expect(content.name).toBe('my_pkg-1.0-cp311-cp311-linux_x86_64.whl');
    expect(await content.text()).toBe('contents of my_pkg-1.0-cp311-cp311-linux_x86_64.whl');
  });
});

describe('SHA256SUMS', () => {
  it('is sha256sum format, next to the packages, or in the fallback dir when they are spread out', () => {
    const dir = freshDir('sums');
    const dists = [
      dist(dir, 'my_pkg-1.0-py3-none-any.whl', 'wheel'),
      dist(dir, 'my_pkg-1.0.tar.gz', 'sdist'),
    ];
    expect(checksumsText(dists)).toBe(
      `${'b'.repeat(64)}  my_pkg-1.0-py3-none-any.whl\n${'b'.repeat(64)}  my_pkg-1.0.tar.gz\n`,
    );
    expect(writeChecksums(dists, '/nowhere')).toBe(path.join(dir, 'SHA256SUMS'));
    const other = freshDir('sums-other');
    const spread = [dists[0]!, dist(other, 'my_pkg-1.0.tar.gz', 'sdist')];
    const fallback = freshDir('sums-fallback');
    expect(writeChecksums(spread, fallback)).toBe(path.join(fallback, 'SHA256SUMS'));
    expect(readFileSync(path.join(fallback, 'SHA256SUMS'), 'utf8').split('\n')).toHaveLength(3);
  });
});
