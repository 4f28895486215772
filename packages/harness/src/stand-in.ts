/**
 * What every local stand-in for a remote service shares: reading a request body, answering JSON,
 * listening on 127.0.0.1 at a free port, a service as a function that answers the requests it
 * owns (and leaves the others to the next service), and a service's routes as a table, one
 * handler per route.
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
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return status;
}

/** Answers `status` with no body (204, or a 201 without one). */
export function empty(res: http.ServerResponse, status: number): number {
  res.writeHead(status).end();
  return status;
}

/** One route: a method and a pattern of the whole path; the handler gets the pattern's groups. */
export interface Route {
  method: string;
  path: RegExp;
  handle: (request: ServiceRequest, params: string[]) => Promise<number> | number;
}

/**
 * Answers with the first route whose method and pattern match `path` (default: the request's
 * path); undefined when none does.
 */
export function answerRoute(
  routes: readonly Route[],
  request: ServiceRequest,
  path: string = request.url.pathname,
): Promise<number> | number | undefined {
  for (const route of routes) {
    if (route.method !== request.method) continue;
    const match = route.path.exec(path);
    if (match) return route.handle(request, match.slice(1));
  }
  return undefined;
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

/**
 * Whether the request carries the token (`Authorization: Bearer <it>` or `token <it>`), as every
 * GitHub API of the stand-in asks (releases, repository, runs, release notes). No token (undefined
 * or empty) lets nothing in.
 */
export function hasToken(req: http.IncomingMessage, token: string | undefined): boolean {
  const [scheme, value] = (req.headers.authorization ?? '').split(' ');
  return !!token && (scheme === 'Bearer' || scheme === 'token') && value === token;
}

/** A route as a row of a table: a method, a path pattern, a handler given its groups URL-decoded. */
export type RouteRow = [
  method: string,
  pattern: RegExp,
  handler: (request: ServiceRequest, ...groups: string[]) => Promise<number> | number,
];

/**
 * A service from a table of rows, answered by `answerRoute`; requests matching no row are left to
 * the next service. With `token`, a matching request without it gets GitHub's 401.
 */
export function routes(table: readonly RouteRow[], options: { token?: string | undefined } = {}): Service {
  const built: Route[] = table.map(([method, path, handler]) => ({
    method,
    path,
    handle: (request, params) =>
      'token' in options && !hasToken(request.req, options.token)
        ? json(request.res, 401, { message: 'Bad credentials' })
        : handler(request, ...params.map((g) => decodeURIComponent(g ?? ''))),
  }));
  return (request) => answerRoute(built, request);
}
