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
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { messageOf } from '@ferrowheel/kit/errors';
import { answerRoute, empty, json, listen, type Route, readBody, type ServiceRequest } from './stand-in.js';

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

/** Reads (lookups, downloads) belong to a restore; everything that writes to a save. */
function scopeOf(method: string): FailureScope {
  return method === 'GET' ? 'restore' : 'save';
}

/** The entries and their archives (files in a temp directory). */
class CacheStore {
  readonly entries: CacheEntry[] = [];
  readonly dir = mkdtempSync(path.join(tmpdir(), 'ferrowheel-cache-server-'));
  /** The server's base URL, once it listens. */
  base = '';
  private nextId = 1;

  blob(id: number): string {
    return path.join(this.dir, `${id}.bin`);
  }

  describe(e: CacheEntry) {
    return {
      scope: 'refs/heads/main',
      cacheKey: e.key,
      cacheVersion: e.version,
      creationTime: new Date(e.created).toISOString(),
      archiveLocation: `${this.base}_apis/artifactcache/artifacts/${e.id}`,
    };
  }

  /** The first key with a committed entry of `version`: exact match, then the newest it prefixes. */
  find(keys: string[], version: string): CacheEntry | undefined {
    const committed = this.entries.filter((e) => e.committed && e.version === version);
    for (const key of keys) {
      const exact = committed.find((e) => e.key === key);
      if (exact) return exact;
      const prefixed = committed.filter((e) => e.key.startsWith(key)).sort((a, b) => b.created - a.created);
      if (prefixed[0]) return prefixed[0];
    }
    return undefined;
  }

  /** A new entry, with its archive file written (`data`) or empty, to be filled by chunks. */
  add(fields: { key: string; version: string; reservedSize: number | undefined }, data?: Buffer): CacheEntry {
    const entry: CacheEntry = {
      id: this.nextId++,
      ...fields,
      committed: data !== undefined,
      received: data?.length ?? 0,
      created: Date.now(),
    };
    const fd = openSync(this.blob(entry.id), 'w');
    try {
      if (data !== undefined) writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    this.entries.push(entry);
    return entry;
  }
}

type Handler = (store: CacheStore, request: ServiceRequest, params: string[]) => number;

function bodyJson<T>(body: Buffer): T {
  return JSON.parse(body.toString('utf8') || '{}') as T;
}

/** `GET artifacts/{id}`: the archive. Its URL is pre-authorised (on GitHub a signed blob URL). */
const download: Handler = (store, { res }, [id]) => {
  const entry = store.entries.find((e) => e.id === Number(id) && e.committed);
  if (!entry) return json(res, 404, { message: 'no such archive' });
  const data = readFileSync(store.blob(entry.id));
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': data.length });
  res.end(data);
  return 200;
};

/** `GET cache?keys=k1,k2&version=V`: the entry a restore gets, or 204. */
const lookup: Handler = (store, { res, url }) => {
  const keys = (url.searchParams.get('keys') ?? '').split(',').filter((k) => k !== '');
  const version = url.searchParams.get('version') ?? '';
  if (keys.length === 0 || version === '')
    return json(res, 400, { message: 'keys and version are required' });
  const entry = store.find(keys, version);
  return entry ? json(res, 200, store.describe(entry)) : empty(res, 204);
};

/** `GET caches?key=K`: the committed entries of a key (a debug listing). */
const list: Handler = (store, { res, url }) => {
  const key = url.searchParams.get('key') ?? '';
  const matching = store.entries.filter((e) => e.committed && e.key === key);
  return json(res, 200, {
    totalCount: matching.length,
    artifactCaches: matching.map((e) => store.describe(e)),
  });
};

/** `POST caches {key, version, cacheSize}`: reserves an entry; 409 when key and version exist. */
const reserve: Handler = (store, { res, body }) => {
  const fields = bodyJson<{ key?: string; version?: string; cacheSize?: number }>(body);
  if (!fields.key || !fields.version) return json(res, 400, { message: 'key and version are required' });
  if (store.entries.some((e) => e.key === fields.key && e.version === fields.version)) {
    return json(res, 409, { message: `Cache already exists. Scope: refs/heads/main, Key: ${fields.key}` });
  }
  const entry = store.add({ key: fields.key, version: fields.version, reservedSize: fields.cacheSize });
  return json(res, 201, { cacheId: entry.id });
};

/** `PATCH caches/{id}` with `Content-Range: bytes S-E/*`: one chunk of the archive. */
const uploadChunk: Handler = (store, { req, res, body }, [id]) => {
  const entry = store.entries.find((e) => e.id === Number(id));
  if (!entry) return json(res, 404, { message: `no reserved cache ${id}` });
  if (entry.committed) return json(res, 409, { message: 'cache already committed' });
  const range = /^bytes (\d+)-(\d+)\/\*$/.exec(req.headers['content-range'] ?? '');
  if (!range) return json(res, 400, { message: 'Content-Range bytes S-E/* is required' });
  const start = Number(range[1]);
  const end = Number(range[2]);
  if (body.length !== end - start + 1) {
    return json(res, 400, { message: `chunk is ${body.length} bytes, range says ${end - start + 1}` });
  }
  const fd = openSync(store.blob(entry.id), 'r+');
  try {
    writeSync(fd, body, 0, body.length, start);
  } finally {
    closeSync(fd);
  }
  entry.received = Math.max(entry.received, end + 1);
  return empty(res, 204);
};

/** `POST caches/{id} {size}`: commits the entry once the chunks add up to `size`. */
const commit: Handler = (store, { res, body }, [id]) => {
  const entry = store.entries.find((e) => e.id === Number(id));
  if (!entry) return json(res, 404, { message: `no reserved cache ${id}` });
  const { size: said } = bodyJson<{ size?: number }>(body);
  const size = statSync(store.blob(entry.id)).size;
  if (said !== size) return json(res, 400, { message: `commit says ${said} bytes, ${size} were uploaded` });
  entry.committed = true;
  return empty(res, 204);
};

/** The routes that need the bearer token (paths relative to `_apis/artifactcache/`). */
function apiRoutes(store: CacheStore): Route[] {
  const on = (method: string, path: RegExp, handler: Handler): Route => ({
    method,
    path,
    handle: (request, params) => handler(store, request, params),
  });
  return [
    on('GET', /^cache$/, lookup),
    on('GET', /^caches$/, list),
    on('POST', /^caches$/, reserve),
    on('PATCH', /^caches\/(\d+)$/, uploadChunk),
    on('POST', /^caches\/(\d+)$/, commit),
  ];
}

/** A simulated failure: an error status, or the connection destroyed unanswered. */
function simulateFailure(f: Failure, res: ServiceRequest['res']): number {
  if (f.status === 'refuse') {
    res.socket?.destroy();
    return 0;
  }
  return json(res, f.status, { message: `simulated cache service failure (${f.status})` });
}

/** What the server answers with: the store, the token, and the failure to simulate, if any. */
interface CacheService {
  store: CacheStore;
  token: string;
  requests: RecordedRequest[];
  failure: Failure | undefined;
}

/** Records the request; a simulated failure, else the download route, else the token and the API routes. */
function answer(
  service: CacheService,
  routes: readonly Route[],
  request: ServiceRequest,
): Promise<number> | number {
  const { url, method, res } = request;
  const { failure, store } = service;
  service.requests.push({ method, url: `${url.pathname}${url.search}` });
  if (!url.pathname.startsWith(API)) return json(res, 404, { message: 'not found' });
  const route = url.pathname.slice(API.length);
  const scope = failure?.scope ?? 'all';
  if (failure && (scope === 'all' || scope === scopeOf(method))) return simulateFailure(failure, res);
  const artifact = /^artifacts\/(\d+)$/.exec(route);
  if (method === 'GET' && artifact) return download(store, request, [artifact[1]!]);
  if (request.req.headers.authorization !== `Bearer ${service.token}`) {
    return json(res, 401, { message: 'missing or wrong bearer token' });
  }
  return answerRoute(routes, request, route) ?? json(res, 404, { message: `no route ${method} ${route}` });
}

/** Starts the server on 127.0.0.1 at a free port. */
export async function startCacheServer(options: { token?: string } = {}): Promise<CacheServer> {
  const service: CacheService = {
    store: new CacheStore(),
    token: options.token ?? 'ferrowheel-test-token',
    requests: [],
    failure: undefined,
  };
  const { store, token } = service;
  const routes = apiRoutes(store);
  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        return answer(service, routes, { req, res, url, method: req.method ?? 'GET', body });
      })
      .catch((thrown: unknown) => {
        if (!res.headersSent) json(res, 500, { message: messageOf(thrown) });
        else res.destroy();
      });
  });
  const listening = await listen(server);
  store.base = `${listening.url}/`;

  return {
    url: store.base,
    token,
    env: { ACTIONS_CACHE_URL: store.base, ACTIONS_RUNTIME_TOKEN: token, ACTIONS_CACHE_SERVICE_V2: undefined },
    entries: () => [...store.entries],
    requests: service.requests,
    fail(f) {
      service.failure = f;
    },
    recover() {
      service.failure = undefined;
    },
    put: (key, version, archive) => store.add({ key, version, reservedSize: archive.length }, archive),
    archive: (id) => readFileSync(store.blob(id)),
    close: async () => {
      await listening.stop();
      rmSync(store.dir, { recursive: true, force: true });
    },
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
