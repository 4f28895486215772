/**
 * What every local stand-in for a remote service shares: reading a request body, answering JSON,
 * listening on 127.0.0.1 at a free port, and a service as a function that answers the requests
 * it owns (and leaves the others to the next service).
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request, as a service sees it. */
export interface ServiceRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  method: string;
  body: Buffer;
}

/**
 * Answers a request it owns and resolves to the status it answered; resolves to undefined for a
 * request that is not its own.
 */
export type Service = (request: ServiceRequest) => Promise<number | undefined> | number | undefined;

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Answers `value` as JSON with `status`; returns the status, for the request log. */
export function json(res: http.ServerResponse, status: number, value: unknown): number {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
  return status;
}

/** Tries each service in turn; 404 when none owns the request. */
export async function dispatch(services: readonly Service[], request: ServiceRequest): Promise<number> {
  for (const service of services) {
    const status = await service(request);
    if (status !== undefined) return status;
  }
  return json(request.res, 404, { message: 'Not Found' });
}

/** Listens on 127.0.0.1 at a free port; returns the base URL (no trailing slash) and a stop. */
export async function listen(server: http.Server): Promise<{ url: string; stop: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether the request carries the token (`Authorization: Bearer <it>` or `token <it>`). */
export function hasToken(req: http.IncomingMessage, token: string | undefined): boolean {
  const [scheme, value] = (req.headers.authorization ?? '').split(' ');
  return token !== undefined && (scheme === 'Bearer' || scheme === 'token') && value === token;
}

/** One route: a method, a path pattern whose groups become the handler's arguments, a handler. */
export type Route = [
  method: string,
  pattern: RegExp,
  handler: (request: ServiceRequest, ...groups: string[]) => Promise<number> | number,
];

/**
 * A service from a table of routes, one handler each; requests matching no route are left to the
 * next service. With `token`, a matching request without it gets GitHub's 401.
 */
export function routes(table: readonly Route[], options: { token?: string } = {}): Service {
  return (request) => {
    for (const [method, pattern, handler] of table) {
      const match = pattern.exec(request.url.pathname);
      if (request.method !== method || !match) continue;
      if ('token' in options && !hasToken(request.req, options.token))
        return json(request.res, 401, { message: 'Bad credentials' });
      return handler(request, ...match.slice(1).map((g) => decodeURIComponent(g ?? '')));
    }
    return undefined;
  };
}
