/**
 * The local v1 cache service, driven by the real @actions/cache 6 client: what the client sends is
 * what GitHub's service receives, so a round trip here is the protocol working end to end.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as cache from '@actions/cache';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type CacheServer, deadUrl, startCacheServer } from '../src/cache-server.js';
import { freshDir } from '../src/workdirs.js';

let server: CacheServer;
let workspace: string;
const saved: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!(key in saved)) saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

beforeAll(async () => {
  server = await startCacheServer();
  workspace = freshDir('cache-server');
  setEnv({
    ...server.env,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: path.join(workspace, '_temp'),
    GITHUB_SERVER_URL: 'https://github.com',
  });
  mkdirSync(path.join(workspace, '_temp'), { recursive: true });
});

afterEach(() => server.recover());

afterAll(async () => {
  await server.close();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** A directory in the workspace with a text file and an incompressible binary one. */
function makeTree(name: string, binaryBytes: number): { dir: string; text: string; binary: Buffer } {
  const dir = path.join(workspace, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'sub'), { recursive: true });
  const text = `hello from ${name}\n`;
  const binary = randomBytes(binaryBytes);
  writeFileSync(path.join(dir, 'a.txt'), text);
  writeFileSync(path.join(dir, 'sub', 'b.bin'), binary);
  return { dir, text, binary };
}

describe('cache server (v1) with the real @actions/cache client', () => {
  it('saves in several chunks and restores the same bytes', async () => {
    const tree = makeTree('roundtrip', 300_000);
    const id = await cache.saveCache([tree.dir], 'roundtrip-key-1', { uploadChunkSize: 64 * 1024 });
    expect(id).toBeGreaterThan(0);
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    expect(patches.length).toBeGreaterThan(1);
    expect(server.entries().find((e) => e.id === id)).toMatchObject({
      committed: true,
      key: 'roundtrip-key-1',
    });

    rmSync(tree.dir, { recursive: true, force: true });
    const hit = await cache.restoreCache([tree.dir], 'roundtrip-key-1');
    expect(hit).toBe('roundtrip-key-1');
    expect(readFileSync(path.join(tree.dir, 'a.txt'), 'utf8')).toBe(tree.text);
    expect(readFileSync(path.join(tree.dir, 'sub', 'b.bin')).equals(tree.binary)).toBe(true);
  }, 60_000);

  it('falls back to the newest entry a restore key is a prefix of, and misses cleanly', async () => {
    const tree = makeTree('prefix', 10);
    await cache.saveCache([tree.dir], 'prefix-aaa-old');
    await new Promise((r) => setTimeout(r, 5));
    const newer = makeTree('prefix', 10);
    await cache.saveCache([newer.dir], 'prefix-aaa-new');
    rmSync(tree.dir, { recursive: true, force: true });

    expect(await cache.restoreCache([tree.dir], 'prefix-zzz', ['prefix-aaa'])).toBe('prefix-aaa-new');
    expect(readFileSync(path.join(tree.dir, 'a.txt'), 'utf8')).toBe(newer.text);
    expect(await cache.restoreCache([tree.dir], 'prefix-none', ['nothing-'])).toBeUndefined();
    // The version is a hash of the paths: the same key for other paths is a different entry.
    expect(await cache.restoreCache([path.join(workspace, 'elsewhere')], 'prefix-aaa-new')).toBeUndefined();
  }, 60_000);

  it('refuses a second save under the same key (409), which the client reports, not throws', async () => {
    const tree = makeTree('twice', 10);
    expect(await cache.saveCache([tree.dir], 'twice-key')).toBeGreaterThan(0);
    expect(await cache.saveCache([tree.dir], 'twice-key')).toBe(-1);
    expect(server.entries().filter((e) => e.key === 'twice-key')).toHaveLength(1);
  }, 60_000);

  it('simulates a failing service: restores miss and saves do not commit, without throwing', async () => {
    const tree = makeTree('failing', 10);
    expect(await cache.saveCache([tree.dir], 'failing-ok')).toBeGreaterThan(0);

    server.fail({ status: 500, scope: 'restore' });
    expect(await cache.restoreCache([tree.dir], 'failing-ok')).toBeUndefined();

    server.fail({ status: 500, scope: 'save' });
    expect(await cache.saveCache([tree.dir], 'failing-new')).toBe(-1);
    expect(server.entries().some((e) => e.key === 'failing-new')).toBe(false);

    server.recover();
    expect(await cache.restoreCache([tree.dir], 'failing-ok')).toBe('failing-ok');
  }, 60_000);

  it('rejects calls without the runtime token', async () => {
    const tree = makeTree('token', 10);
    await cache.saveCache([tree.dir], 'token-key');
    setEnv({ ACTIONS_RUNTIME_TOKEN: 'wrong' });
    try {
      expect(await cache.restoreCache([tree.dir], 'token-key')).toBeUndefined();
    } finally {
      setEnv({ ACTIONS_RUNTIME_TOKEN: server.token });
    }
    const last = server.requests.filter((r) => r.url.includes('/cache?')).at(-1);
    expect(last?.url).toContain('keys=token-key');
  }, 60_000);

  it('answers the raw protocol as the client expects', async () => {
    const auth = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
    const api = `${server.url}_apis/artifactcache/`;
    const reserve = await fetch(`${api}caches`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ key: 'raw', version: 'v1', cacheSize: 6 }),
    });
    expect(reserve.status).toBe(201);
    const { cacheId } = (await reserve.json()) as { cacheId: number };
    const patch = (start: number, data: string) =>
      fetch(`${api}caches/${cacheId}`, {
        method: 'PATCH',
        headers: { ...auth, 'Content-Range': `bytes ${start}-${start + data.length - 1}/*` },
        body: data,
      });
    expect((await patch(3, 'def')).status).toBe(204);
    expect((await patch(0, 'abc')).status).toBe(204);
    const badCommit = await fetch(`${api}caches/${cacheId}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ size: 7 }),
    });
    expect(badCommit.status).toBe(400);
    const commit = await fetch(`${api}caches/${cacheId}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ size: 6 }),
    });
    expect(commit.status).toBe(204);
    const lookup = await fetch(`${api}cache?keys=raw&version=v1`, { headers: auth });
    const found = (await lookup.json()) as { archiveLocation: string; cacheKey: string };
    expect(found.cacheKey).toBe('raw');
    expect(await (await fetch(found.archiveLocation)).text()).toBe('abcdef');
    expect((await fetch(`${api}cache?keys=raw&version=v2`, { headers: auth })).status).toBe(204);
    expect((await fetch(`${api}cache?keys=raw&version=v1`)).status).toBe(401);
  });

  it('gives a dead URL where connections are refused', async () => {
    const url = await deadUrl();
    await expect(fetch(url)).rejects.toThrow();
  });
});
