/**
 * A real package index for tests and the local pipeline: pypiserver from `.venv-tools` on
 * 127.0.0.1 at a free port, with an htpasswd file so uploads need the right credentials (as on
 * PyPI). Plus a fault-injecting HTTP proxy to put in front of it: it answers an error status a
 * given number of times, or drops connections like a host that is down, so retry and resume
 * behaviour is tested against the real index.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDir, tool } from './workdirs.js';

export interface PypiServer {
  /** Base URL, ending in `/`: http://127.0.0.1:PORT/ */
  url: string;
  /** Where the legacy upload API takes POSTs (pypiserver: the root). */
  uploadUrl: string;
  /** The PEP 503 simple index: http://127.0.0.1:PORT/simple/ */
  simpleUrl: string;
  /** The directory pypiserver stores uploads in. */
  packagesDir: string;
  username: string;
  password: string;
  /** pypiserver's own log (stderr), for diagnosing a failed test. */
  log(): string;
  stop(): Promise<void>;
}

export interface PypiServerOptions {
  /** Where packages are stored; a fresh directory by default. */
  packagesDir?: string;
  username?: string;
  password?: string;
  /**
   * What needs credentials (pypiserver's `--authenticate`): uploads by default; add `list` and
   * `download` for a private index.
   */
  authenticate?: ('update' | 'list' | 'download')[];
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The script that writes an htpasswd file (a real file beside this one). */
export const WRITE_HTPASSWD_SCRIPT = fileURLToPath(new URL('./write-htpasswd.py', import.meta.url));

/** Writes an Apache htpasswd file (apr1 hashes) with passlib, as pypiserver reads it. */
export function writeHtpasswd(file: string, users: Record<string, string>): void {
  // The passwords travel on stdin, never on a command line other processes can read.
  execFileSync(tool('python'), [WRITE_HTPASSWD_SCRIPT, file], { input: JSON.stringify(users) });
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`pypi-server exited with code ${child.exitCode}:\n${log()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pypi-server did not answer ${url} within 20 s:\n${log()}`);
}

/** Starts pypiserver with upload authentication; resolves once it answers its health endpoint. */
export async function startPypiServer(options: PypiServerOptions = {}): Promise<PypiServer> {
  const dir = freshDir('pypiserver');
  const packagesDir = options.packagesDir ?? path.join(dir, 'packages');
  mkdirSync(packagesDir, { recursive: true });
  const username = options.username ?? 'uploader';
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2)}`;
  const htpasswd = path.join(dir, 'htpasswd');
  writeHtpasswd(htpasswd, { [username]: password });

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      tool('pypi-server'),
      [
        'run',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--passwords',
        htpasswd,
        '--authenticate',
        (options.authenticate ?? ['update']).join(','),
        // Never redirect an unknown project to pypi.org: tests must see only this index.
        '--disable-fallback',
        '--hash-algo',
        'sha256',
        '--server',
        'wsgiref',
        packagesDir,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const url = `http://127.0.0.1:${port}/`;
    try {
      await waitUntilUp(`${url}health`, child, () => stderr);
    } catch (thrown) {
      child.kill();
      // Another process may have taken the port between freePort and the bind; try another.
      if (attempt < 3 && /in use/i.test(stderr)) continue;
      throw thrown;
    }
    return {
      url,
      uploadUrl: url,
      simpleUrl: `${url}simple/`,
      packagesDir,
      username,
      password,
      log: () => stderr,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill();
        }),
    };
  }
}

export interface RecordedRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The status answered; 0 when the connection was dropped. */
  status: number;
}

/** Which requests a fault applies to; all when omitted. */
export type RequestMatcher = (request: { method: string; path: string }) => boolean;

export interface FaultProxy {
  /** Base URL of the proxy, ending in `/`; paths are forwarded to the target unchanged. */
  url: string;
  requests: RecordedRequest[];
  /**
   * The next `times` matching requests are answered `status` (default 500) without forwarding —
   * or, with `lostAnswer`, forwarded (the index acts on them) and their answer replaced, as when
   * a gateway times out after the upload went through.
   */
  failNext(times: number, options?: { status?: number; match?: RequestMatcher; lostAnswer?: boolean }): void;
  /**
   * Drops every connection (as a host that is down) — after letting `after` more matching
   * requests through, when given.
   */
  down(options?: { after?: number; match?: RequestMatcher }): void;
  up(): void;
  stop(): Promise<void>;
}

/**
 * Forwards one request to `target` (a base URL) and streams the answer back (or drops it, without
 * `res`); resolves to the target's status, 0 when it could not be reached.
 */
export function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse | undefined,
  target: string,
): Promise<number> {
  const base = new URL(target);
  return new Promise((resolve) => {
    const upstream = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: base.host },
      },
      (answer) => {
        if (res) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        } else {
          answer.resume();
        }
        answer.on('end', () => resolve(answer.statusCode ?? 502));
      },
    );
    upstream.on('error', () => {
      req.socket.destroy();
      resolve(0);
    });
    req.pipe(upstream);
  });
}

/** Starts a proxy on 127.0.0.1 that forwards to `target` and injects the faults it is told to. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const requests: RecordedRequest[] = [];
  let failures: { left: number; status: number; match: RequestMatcher; lostAnswer: boolean }[] = [];
  let downState: { passLeft: number; match: RequestMatcher } | undefined;
  const all: RequestMatcher = () => true;

  const server = http.createServer((req, res) => {
    const request = { method: req.method ?? 'GET', path: req.url ?? '/' };
    const record = (status: number) => requests.push({ ...request, headers: req.headers, status });
    if (downState?.match(request)) {
      if (downState.passLeft > 0) {
        downState.passLeft--;
      } else {
        record(0);
        req.socket.destroy();
        return;
      }
    }
    const failure = failures.find((f) => f.left > 0 && f.match(request));
    if (failure) {
      failure.left--;
      record(failure.status);
      if (failure.lostAnswer) {
        void forward(req, undefined, target).then(() => {
          res.writeHead(failure.status, { 'content-type': 'text/plain' });
          res.end(`injected fault: HTTP ${failure.status} (the request did reach the index)\n`);
        });
        return;
      }
      // Drain the body first so the client sees the answer, not a reset.
      req.resume();
      req.on('end', () => {
        res.writeHead(failure.status, { 'content-type': 'text/plain' });
        res.end(`injected fault: HTTP ${failure.status}\n`);
      });
      return;
    }
    void forward(req, res, target).then(record);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    failNext(times, options = {}) {
      failures = failures.filter((f) => f.left > 0);
      failures.push({
        left: times,
        status: options.status ?? 500,
        match: options.match ?? all,
        lostAnswer: options.lostAnswer ?? false,
      });
    },
    down(options = {}) {
      downState = { passLeft: options.after ?? 0, match: options.match ?? all };
    },
    up() {
      downState = undefined;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
