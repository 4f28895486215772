import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  BadAnswerError,
  fetchWithRetry,
  getJson,
  HttpError,
  isLoopbackHost,
  UnreachableError,
} from '../src/http.js';

describe('fetchWithRetry against a real local server', () => {
  let server: Server;
  let base: string;
  const failuresLeft = new Map<string, number>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      const left = failuresLeft.get(path) ?? 0;
      if (left > 0) {
        failuresLeft.set(path, left - 1);
        res.writeHead(503).end('busy');
        return;
      }
      if (path === '/missing') return void res.writeHead(404).end('no such thing');
      if (path === '/html')
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>\n  <p>mirror</p></html>');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: path }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const noWait = { sleep: async () => {}, initialDelayMs: 1 };

  it('retries 5xx answers and returns the first good one', async () => {
    failuresLeft.set('/flaky', 2);
    const retries: string[] = [];
    const body = await getJson<{ ok: string }>(
      `${base}/flaky`,
      {},
      { ...noWait, onRetry: (n, reason) => retries.push(`${n}:${reason}`) },
    );
    expect(body).toEqual({ ok: '/flaky' });
    expect(retries).toEqual(['1:HTTP 503', '2:HTTP 503']);
  });
  it('does not retry a 4xx; getJson raises an HttpError with status and body', async () => {
    const retries: number[] = [];
    const error = await getJson(`${base}/missing`, {}, { ...noWait, onRetry: (n) => retries.push(n) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(404);
    expect((error as HttpError).message).toContain('answered HTTP 404: no such thing');
    expect(retries).toEqual([]);
  });
  it('getJson tells an answer that is not JSON from an unreachable server', async () => {
    const error = await getJson(`${base}/html`, {}, noWait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadAnswerError);
    expect((error as Error).message).toBe(
      `${base}/html answered HTTP 200 with text/html, not JSON (it starts "<html> <p>mirror</p></html>")`,
    );
  });
  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['pypi.org', '128.0.0.1', '127.0.0.1.example.com', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
  });
  it('returns the last 5xx answer when every attempt failed', async () => {
    failuresLeft.set('/down', 10);
    const response = await fetchWithRetry(`${base}/down`, () => ({}), { ...noWait, attempts: 3 });
    expect(response.status).toBe(503);
    expect(failuresLeft.get('/down')).toBe(7);
  });
  it('gives up on a refused connection after bounded attempts, naming the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    let attempts = 0;
    await expect(
      fetchWithRetry(
        `http://127.0.0.1:${port}/x`,
        () => {
          attempts++;
          return {};
        },
        { ...noWait, attempts: 3 },
      ),
    ).rejects.toThrow(`http://127.0.0.1:${port}/x could not be reached after 3 attempts`);
    expect(attempts).toBe(3);
    const refused = await fetchWithRetry(`http://127.0.0.1:${port}/x`, () => ({}), noWait).catch((e) => e);
    expect(refused).toBeInstanceOf(UnreachableError);
    expect((refused as UnreachableError).connectionCut).toBe(false);
  });
  it('tells a connection the server cut mid-request by its error code, not its words', async () => {
    // The server reads part of the body, then drops the connection without an answer.
    const cutting = createServer((req) => req.once('data', () => req.socket.destroy()));
    await new Promise<void>((resolve) => cutting.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(cutting.address() as AddressInfo).port}/upload`;
    try {
      const error = await fetchWithRetry(url, () => ({ method: 'POST', body: 'x'.repeat(1 << 20) }), {
        ...noWait,
        attempts: 2,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableError);
      expect((error as UnreachableError).connectionCut).toBe(true);
      expect((error as Error).message).toContain(`${url} could not be reached after 2 attempts`);
    } finally {
      await new Promise<void>((resolve) => cutting.close(() => resolve()));
    }
  });
});
