/**
 * Pinned tools (kit pinned-tool.ts) against a local PyPI stand-in serving a small tool wheel: the
 * first call downloads, verifies against the pinned digest and caches; the next needs no index;
 * an index or a download that disagrees with the pin is refused with nothing cached. And the uv
 * pin itself: the tools venv's version, one well-formed wheel digest per platform.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deadPort, type FakeIndex, startFakeIndex } from '../../harness/src/fake-index.js';
import { writeZip } from '../../harness/src/zip-fixture.js';
import { exec } from '../src/exec.js';
import { jsonApiIndex } from '../src/package-index.js';
import {
  ensurePinnedTool,
  findPinnedInCache,
  type PinnedTool,
  type PinnedToolContext,
} from '../src/pinned-tool.js';
import { cachedVersions } from '../src/tool-cache.js';
import { UV } from '../src/uv.js';
import { parseWheelFilename } from '../src/wheel.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fw-pinned-'));
const WHEEL = 'faketool-1.0.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl';

function wheelBytes(version: string): Buffer {
  const file = path.join(dir, `faketool-${version}.whl`);
  writeZip(file, {
    'faketool-1.0.0.data/scripts/faketool': `#!/bin/sh\necho "faketool ${version}"\n`,
    'faketool-1.0.0.dist-info/RECORD': '',
  });
  return readFileSync(file);
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const good = wheelBytes('1.0.0');
const other = wheelBytes('6.6.6');

const tool: PinnedTool = {
  name: 'faketool',
  version: '1.0.0',
  program: 'faketool',
  versionArgs: ['--version'],
  wheels: {
    [WHEEL]: sha(good),
    'faketool-1.0.0-py3-none-win_amd64.whl': '0'.repeat(64),
  },
};

let index: FakeIndex;
beforeAll(async () => {
  index = await startFakeIndex({
    faketool: { '1.0.0': [{ filename: WHEEL, sha256: sha(good), body: good }] },
    // The index publishes another file under the pinned name.
    swapped: {
      '1.0.0': [{ filename: WHEEL.replace('faketool', 'swapped'), sha256: sha(other), body: other }],
    },
    // The index publishes the pinned digest, but serves other bytes.
    altered: {
      '1.0.0': [{ filename: WHEEL.replace('faketool', 'altered'), sha256: sha(good), body: other }],
    },
  });
});
afterAll(() => index.close());

function context(overrides: Partial<PinnedToolContext> = {}): PinnedToolContext & { lines: string[] } {
  const lines: string[] = [];
  const indexUrl = overrides.indexUrl ?? index.url;
  return {
    platform: { os: 'linux', arch: 'x86_64' },
    toolCache: mkdtempSync(path.join(dir, 'tool-cache-')),
    cacheArch: 'x64',
    tempDir: dir,
    index: async () => jsonApiIndex(indexUrl, { attempts: 1 }),
    indexUrl,
    exec,
    log: (line) => lines.push(line),
    probe: { glibcVersion: () => '2.39', muslVersion: () => undefined, darwinRelease: () => '' },
    lines,
    ...overrides,
  };
}

describe('ensurePinnedTool', () => {
  it('downloads the pinned wheel for this runner, checks it, caches it; then needs no index', async () => {
    const ctx = context();
    const first = await ensurePinnedTool(tool, ctx);
    expect(first).toMatchObject({ version: '1.0.0', outcome: 'wheel' });
    expect(ctx.lines).toContain(`SHA256 ${sha(good)} matches ferrowheel's pin`);
    expect(cachedVersions(ctx.toolCache, tool, 'x64')).toEqual([
      expect.objectContaining({ version: '1.0.0', wheelSha256: sha(good), program: first.program }),
    ]);
    const offline = context({
      toolCache: ctx.toolCache,
      index: async () => {
        throw new Error('the index must not be asked');
      },
    });
    expect(await ensurePinnedTool(tool, offline)).toEqual({ ...first, outcome: 'tool-cache' });
  });

  it('never uses a cached entry that no pinned wheel made', async () => {
    const ctx = context();
    await ensurePinnedTool(tool, ctx);
    const manifest = path.join(ctx.toolCache, 'faketool', '1.0.0', 'x64', 'ferrowheel-tool.json');
    const saved = JSON.parse(readFileSync(manifest, 'utf8'));
    writeFileSync(manifest, JSON.stringify({ ...saved, wheelSha256: sha(other) }));
    expect(findPinnedInCache(tool, ctx)).toBeUndefined();
    expect((await ensurePinnedTool(tool, ctx)).outcome).toBe('wheel');
  });

  it('refuses an index that publishes another digest, and a download that is not the pinned file', async () => {
    const swapped = {
      ...tool,
      name: 'swapped',
      wheels: { [WHEEL.replace('faketool', 'swapped')]: sha(good) },
    };
    const ctx = context();
    await expect(ensurePinnedTool(swapped, ctx)).rejects.toThrow(
      `${index.url} publishes swapped-1.0.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl with SHA256 ${sha(other)}, but ferrowheel pins ${sha(good)}: the index serves a different file, so it was not downloaded.`,
    );
    const altered = {
      ...tool,
      name: 'altered',
      wheels: { [WHEEL.replace('faketool', 'altered')]: sha(good) },
    };
    await expect(ensurePinnedTool(altered, ctx)).rejects.toThrow(
      new RegExp(
        `SHA256 mismatch for altered-.*: ferrowheel pins ${sha(good)}, the download is ${sha(other)}\\. The file was not installed\\.`,
      ),
    );
    expect(cachedVersions(ctx.toolCache, swapped, 'x64')).toEqual([]);
    expect(cachedVersions(ctx.toolCache, altered, 'x64')).toEqual([]);
  });

  it('says what to do when no pinned wheel fits, or the index cannot be reached', async () => {
    await expect(
      ensurePinnedTool(tool, context({ platform: { os: 'macos', arch: 'aarch64' } })),
    ).rejects.toThrow('faketool 1.0.0 has no wheel for this runner (macos aarch64, best tag macosx_');
    const dead = `http://127.0.0.1:${await deadPort()}`;
    await expect(ensurePinnedTool(tool, context({ indexUrl: dead }))).rejects.toThrow(
      new RegExp(
        `^Could not look up faketool 1\\.0\\.0 on ${dead.replace(/\./g, '\\.')} \\(.*\\)\\. Retry when the index is reachable, or install faketool yourself and put it on PATH before this step\\.$`,
      ),
    );
  });
});

describe('the uv pin', () => {
  it('is the version the tools venv installs, with one SHA-256 per platform wheel of it', () => {
    const requirements = readFileSync(
      fileURLToPath(new URL('../../../scripts/requirements-tools.txt', import.meta.url)),
      'utf8',
    );
    expect(requirements).toContain(`\nuv==${UV.version}\n`);
    const files = Object.entries(UV.wheels);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const [filename, digest] of files) {
      const wheel = parseWheelFilename(filename);
      expect(wheel.ok && wheel.value).toMatchObject({
        name: 'uv',
        version: UV.version,
        pythonTags: ['py3'],
        abiTags: ['none'],
      });
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
    }
    const platforms = files.map(([f]) => f);
    for (const tag of [
      'manylinux_2_17_x86_64',
      'manylinux_2_17_aarch64',
      'macosx_11_0_arm64',
      'win_amd64',
      'musllinux_1_1_x86_64',
    ]) {
      expect(platforms.some((f) => f.includes(tag))).toBe(true);
    }
  });
});
