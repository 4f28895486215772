/**
 * A local stand-in for GitHub's Actions cache service, speaking the v1 protocol that
 * @actions/cache 6 uses when `ACTIONS_CACHE_URL` is set and `ACTIONS_CACHE_SERVICE_V2` is not
 * (see its lib/internal/cacheHttpClient.js):
 *
 * - `GET  _apis/artifactcache/cache?keys=k1,k2&version=V` → 200 `{cacheKey, archiveLocation, ...}`
 *   for the first key with a committed entry of that version (exact match, then the newest entry
 *   the key is a prefix of), or 204 when none;
 * - `GET  _apis/artifactcache/caches?key=K` → `{totalCount, artifactCaches}` (debug listing);
 * - `POST _apis/artifactcache/caches` `{key, version, cacheSize}` → 201 `{cacheId}`, or 409 when that
 *   key and version already exist;
 * - `PATCH _apis/artifactcache/caches/{id}` with `Content-Range: bytes S-E/*` → 204 (one chunk);
 * - `POST _apis/artifactcache/caches/{id}` `{size}` → 204 once the chunks add up to `size`;
 * - `GET  _apis/artifactcache/artifacts/{id}` → the archive (the `archiveLocation` given out).
 *
 * Every API call needs `Authorization: Bearer <token>`. Archives live in a temp directory.
 * `fail()` makes it answer with an error status or drop connections, to test that a broken cache
 * service never fails a job.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  /** Size announced when reserving. */
  reservedSize: number | undefined;
  committed: boolean;
  /** Bytes received so far (the highest chunk end + 1). */
  received: number;
  created: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, without the server's origin. */
  url: string;
}

/** Which calls a simulated failure hits. */
export type FailureScope = 'all' | 'restore' | 'save';

export interface Failure {
  /** An HTTP status to answer with (e.g. 500), or 'refuse' to destroy the connection unanswered. */
  status: number | 'refuse';
  scope?: FailureScope;
}

export interface CacheServer {
  /** Base URL for ACTIONS_CACHE_URL, ending in `/`. */
  url: string;
  token: string;
  /** ACTIONS_CACHE_URL and ACTIONS_RUNTIME_TOKEN, with ACTIONS_CACHE_SERVICE_V2 removed. */
  env: Record<string, string | undefined>;
  /** Entries, committed or not, oldest first. */
  entries(): CacheEntry[];
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Makes later calls fail (until `recover()`). */
  fail(failure: Failure): void;
  recover(): void;
  /** Stores a committed entry directly (to test restores without a save first). */
  put(key: string, version: string, archive: Buffer): CacheEntry;
  /** The archive bytes of an entry. */
  archive(id: number): Buffer;
  close(): Promise<void>;
}

const API = '/_apis/artifactcache/';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Reads (lookups, downloads) belong to a restore; everything that writes to a save. */
function scopeOf(method: string): FailureScope {
  return method === 'GET' ? 'restore' : 'save';
}

/** Starts the server on 127.0.0.1 at a free port. */
export async function startCacheServer(options: { token?: string } = {}): Promise<CacheServer> {
  const token = options.token ?? 'ferrowheel-test-token';
  const dir = mkdtempSync(path.join(tmpdir(), 'ferrowheel-cache-server-'));
  const entries: CacheEntry[] = [];
  const requests: RecordedRequest[] = [];
  let failure: Failure | undefined;
  let nextId = 1;
  let base = '';

  const blob = (id: number) => path.join(dir, `${id}.bin`);
  const describe = (e: CacheEntry) => ({
    scope: 'refs/heads/main',
    cacheKey: e.key,
    cacheVersion: e.version,
    creationTime: new Date(e.created).toISOString(),
    archiveLocation: `${base}_apis/artifactcache/artifacts/${e.id}`,
  });

  const find = (keys: string[], version: string): CacheEntry | undefined => {
    const committed = entries.filter((e) => e.committed && e.version === version);
    for (const key of keys) {
      const exact = committed.find((e) => e.key === key);
      if (exact) return exact;
      const prefixed = committed.filter((e) => e.key.startsWith(key)).sort((a, b) => b.created - a.created);
      if (prefixed[0]) return prefixed[0];
    }
    return undefined;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ method, url: `${url.pathname}${url.search}` });
    if (!url.pathname.startsWith(API)) return sendJson(res, 404, { message: 'not found' });
    const route = url.pathname.slice(API.length);

    const scope = failure?.scope ?? 'all';
    if (failure && (scope === 'all' || scope === scopeOf(method))) return fail(failure, res);

    // The download URL is pre-authorised (on GitHub it is a signed blob URL): no bearer token.
    const artifact = /^artifacts\/(\d+)$/.exec(route);
    if (method === 'GET' && artifact) {
      const entry = entries.find((e) => e.id === Number(artifact[1]) && e.committed);
      if (!entry) return sendJson(res, 404, { message: 'no such archive' });
      const data = readFileSync(blob(entry.id));
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': data.length });
      res.end(data);
      return;
    }

    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendJson(res, 401, { message: 'missing or wrong bearer token' });
    }

    if (method === 'GET' && route === 'cache') {
      const keys = (url.searchParams.get('keys') ?? '').split(',').filter((k) => k !== '');
      const version = url.searchParams.get('version') ?? '';
      if (keys.length === 0 || version === '') {
        return sendJson(res, 400, { message: 'keys and version are required' });
      }
      const entry = find(keys, version);
      if (!entry) {
        res.writeHead(204);
        res.end();
        return;
      }
      return sendJson(res, 200, describe(entry));
    }

    if (method === 'GET' && route === 'caches') {
      const key = url.searchParams.get('key') ?? '';
      const matching = entries.filter((e) => e.committed && e.key === key);
      return sendJson(res, 200, { totalCount: matching.length, artifactCaches: matching.map(describe) });
    }

    if (method === 'POST' && route === 'caches') {
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as {
        key?: string;
        version?: string;
        cacheSize?: number;
      };
      if (!body.key || !body.version) return sendJson(res, 400, { message: 'key and version are required' });
      if (entries.some((e) => e.key === body.key && e.version === body.version)) {
        return sendJson(res, 409, {
          message: `Cache already exists. Scope: refs/heads/main, Key: ${body.key}`,
        });
      }
      const entry: CacheEntry = {
        id: nextId++,
        key: body.key,
        version: body.version,
        reservedSize: body.cacheSize,
        committed: false,
        received: 0,
        created: Date.now(),
      };
      closeSync(openSync(blob(entry.id), 'w'));
      entries.push(entry);
      return sendJson(res, 201, { cacheId: entry.id });
    }

    const cacheId = /^caches\/(\d+)$/.exec(route);
    const entry = cacheId ? entries.find((e) => e.id === Number(cacheId[1])) : undefined;
    if (cacheId && !entry) return sendJson(res, 404, { message: `no reserved cache ${cacheId[1]}` });

    if (method === 'PATCH' && entry) {
      if (entry.committed) return sendJson(res, 409, { message: 'cache already committed' });
      const range = /^bytes (\d+)-(\d+)\/\*$/.exec(req.headers['content-range'] ?? '');
      if (!range) return sendJson(res, 400, { message: 'Content-Range bytes S-E/* is required' });
      const start = Number(range[1]);
      const end = Number(range[2]);
      const data = await readBody(req);
      if (data.length !== end - start + 1) {
        return sendJson(res, 400, {
          message: `chunk is ${data.length} bytes, range says ${end - start + 1}`,
        });
      }
      const fd = openSync(blob(entry.id), 'r+');
      try {
        writeSync(fd, data, 0, data.length, start);
      } finally {
        closeSync(fd);
      }
      entry.received = Math.max(entry.received, end + 1);
      res.writeHead(204);
      res.end();
      return;
    }

    if (method === 'POST' && entry) {
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { size?: number };
      const size = statSync(blob(entry.id)).size;
      if (body.size !== size) {
        return sendJson(res, 400, { message: `commit says ${body.size} bytes, ${size} were uploaded` });
      }
      entry.committed = true;
      res.writeHead(204);
      res.end();
      return;
    }

    return sendJson(res, 404, { message: `no route ${method} ${route}` });
  }

  function fail(f: Failure, res: ServerResponse): void {
    if (f.status === 'refuse') {
      res.socket?.destroy();
      return;
    }
    sendJson(res, f.status, { message: `simulated cache service failure (${f.status})` });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((thrown: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: String(thrown) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/`;

  return {
    url: base,
    token,
    env: { ACTIONS_CACHE_URL: base, ACTIONS_RUNTIME_TOKEN: token, ACTIONS_CACHE_SERVICE_V2: undefined },
    entries: () => [...entries],
    requests,
    fail(f) {
      failure = f;
    },
    recover() {
      failure = undefined;
    },
    put(key, version, archive) {
      const entry: CacheEntry = {
        id: nextId++,
        key,
        version,
        reservedSize: archive.length,
        committed: true,
        received: archive.length,
        created: Date.now(),
      };
      const fd = openSync(blob(entry.id), 'w');
      try {
        writeSync(fd, archive);
      } finally {
        closeSync(fd);
      }
      entries.push(entry);
      return entry;
    },
    archive: (id) => readFileSync(blob(id)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port taken and released), for "service down" tests. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
