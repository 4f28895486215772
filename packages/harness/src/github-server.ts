/**
 * A local stand-in for the GitHub services a publish job talks to, speaking their documented
 * protocols so the real client code runs in tests:
 * - the Actions OIDC token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`, bearer
 *   `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, `&audience=` → `{ value: <jwt> }`);
 * - a package index front with PyPI's trusted-publishing endpoints (`/_/oidc/audience`,
 *   `/_/oidc/mint-token`) that forwards every other request to a real index (pypiserver), and mints
 *   a token that index accepts (its htpasswd user's password);
 * - the releases REST API: release by tag, create, list/upload/delete assets.
 * Every request is recorded for assertions.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward } from './pypi-server.js';

export interface GithubRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body as text (JSON requests) or a note of its size (uploads). */
  body: string;
  status: number;
}

export interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  /** `sha256:<hex>`, as the API has reported since 2025 (omitted with `assetDigests: false`). */
  digest?: string;
  content_type: string;
  state: 'uploaded';
  browser_download_url: string;
  /** Not part of the API: the uploaded bytes, for assertions. */
  data: Buffer;
}

export interface Release {
  id: number;
  tag_name: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  upload_url: string;
  assets: ReleaseAsset[];
}

export interface GithubServerOptions {
  /** The repository the OIDC token and API speak for. Default `ferrowheel/ferrowheel`. */
  repository?: string;
  /** Claims merged into the OIDC token's payload (e.g. a reusable workflow's `job_workflow_ref`). */
  claims?: Record<string, unknown>;
  /** The audience the index announces. Default `pypi`. */
  audience?: string;
  /** The index behind the front: requests other than `/_/oidc/*` are forwarded there. */
  indexTarget?: string;
  /** The API token `/_/oidc/mint-token` hands out (the index user's password). */
  mintedToken?: string;
  /**
   * Which `job_workflow_ref` the "publisher" registered on the index accepts; any other gets
   * PyPI's `invalid-publisher` error. Default: any.
   */
  trustedWorkflowRef?: string;
  /** The token the releases API requires (`Authorization: Bearer|token <it>`). */
  githubToken?: string;
  /** Whether assets carry a `digest` field. Default true. */
  assetDigests?: boolean;
}

export interface GithubServer {
  /** Base URL, no trailing slash. Serves as GITHUB_API_URL and as the index front. */
  url: string;
  /** For ACTIONS_ID_TOKEN_REQUEST_URL (already has a query, as on GitHub). */
  oidcRequestUrl: string;
  /** For ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  oidcRequestToken: string;
  /** The JWTs issued so far (to check they never reach a log). */
  issuedTokens: string[];
  requests: GithubRequest[];
  releases: Release[];
  /** Adds a release (with assets) as if made earlier. */
  addRelease(tag: string, assets?: { name: string; data: Buffer }[]): Release;
  stop(): Promise<void>;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the server on 127.0.0.1 at a free port. */
export async function startGithubServer(options: GithubServerOptions = {}): Promise<GithubServer> {
  const repository = options.repository ?? 'ferrowheel/ferrowheel';
  const audience = options.audience ?? 'pypi';
  const oidcRequestToken = `oidc-request-${Math.random().toString(36).slice(2)}`;
  const requests: GithubRequest[] = [];
  const releases: Release[] = [];
  const issuedTokens: string[] = [];
  let nextId = 1;
  let base = '';

  const json = (res: http.ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
    return status;
  };
  const makeAsset = (release: Release, name: string, data: Buffer, contentType: string): ReleaseAsset => ({
    id: nextId++,
    name,
    size: data.length,
    ...(options.assetDigests === false
      ? {}
      : { digest: `sha256:${createHash('sha256').update(data).digest('hex')}` }),
    content_type: contentType,
    state: 'uploaded',
    browser_download_url: `${base}/download/${repository}/releases/${release.tag_name}/${name}`,
    data,
  });
  const publicAsset = ({ data: _data, ...asset }: ReleaseAsset) => asset;
  const publicRelease = (release: Release) => ({ ...release, assets: release.assets.map(publicAsset) });
  const makeRelease = (tag: string, fields: Partial<Release> = {}): Release => {
    const id = nextId++;
    const release: Release = {
      id,
      tag_name: tag,
      name: fields.name ?? tag,
      body: fields.body ?? '',
      draft: fields.draft ?? false,
      prerelease: fields.prerelease ?? false,
      html_url: `${base}/${repository}/releases/tag/${tag}`,
      upload_url: `${base}/uploads/repos/${repository}/releases/${id}/assets{?name,label}`,
      assets: [],
    };
    releases.push(release);
    return release;
  };

  function claims(): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: 'https://token.actions.githubusercontent.com',
      sub: `repo:${repository}:ref:refs/tags/v1.0.0`,
      repository,
      repository_owner: repository.split('/')[0],
      workflow_ref: `${repository}/.github/workflows/release.yml@refs/tags/v1.0.0`,
      job_workflow_ref: `${repository}/.github/workflows/release.yml@refs/tags/v1.0.0`,
      ref: 'refs/tags/v1.0.0',
      iat: now,
      nbf: now,
      exp: now + 300,
      ...options.claims,
    };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<number> {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization ?? '';

    // --- Actions OIDC token request ------------------------------------------------------
    if (url.pathname === '/_actions/oidc/token') {
      if (auth !== `Bearer ${oidcRequestToken}`) return json(res, 401, { message: 'Bad credentials' });
      const payload = { ...claims(), aud: url.searchParams.get('audience') ?? repository };
      const jwt = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'local' }))}.${b64url(
        JSON.stringify(payload),
      )}.${b64url('not-a-real-signature')}`;
      issuedTokens.push(jwt);
      return json(res, 200, { value: jwt });
    }

    // --- the index's trusted-publishing endpoints ---------------------------------------------
    if (url.pathname === '/_/oidc/audience' && method === 'GET') return json(res, 200, { audience });
    if (url.pathname === '/_/oidc/mint-token' && method === 'POST') {
      let token = '';
      try {
        token = String((JSON.parse(body.toString('utf8')) as { token?: unknown }).token ?? '');
      } catch {
        return json(res, 422, {
          message: 'Token request failed',
          errors: [{ code: 'invalid-payload', description: 'malformed JSON' }],
        });
      }
      if (!issuedTokens.includes(token)) {
        return json(res, 422, {
          message: 'Token request failed',
          errors: [{ code: 'invalid-token', description: 'malformed or invalid token' }],
        });
      }
      const payload = JSON.parse(
        Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as Record<string, unknown>;
      if (payload.aud !== audience) {
        return json(res, 422, {
          message: 'Token request failed',
          errors: [
            { code: 'invalid-token', description: `token has the wrong audience ${String(payload.aud)}` },
          ],
        });
      }
      if (
        options.trustedWorkflowRef !== undefined &&
        payload.job_workflow_ref !== options.trustedWorkflowRef
      ) {
        return json(res, 422, {
          message: 'Token request failed',
          errors: [
            {
              code: 'invalid-publisher',
              description: 'valid token, but no corresponding publisher (All lookup strategies exhausted)',
            },
          ],
        });
      }
      return json(res, 200, { success: true, token: options.mintedToken ?? 'pypi-minted-token', expires: 0 });
    }

    // --- releases API -----------------------------------------------------------------------
    const isApi = url.pathname.startsWith('/repos/') || url.pathname.startsWith('/uploads/');
    if (!isApi) return json(res, 404, { message: 'Not Found' });
    if (
      !options.githubToken ||
      !/^(Bearer|token) /.test(auth) ||
      auth.split(' ')[1] !== options.githubToken
    ) {
      return json(res, 401, { message: 'Bad credentials' });
    }
    const prefix = `/repos/${repository}/releases`;
    const uploadPrefix = `/uploads${prefix}/`;
    const route = (verb: string, pattern: string) =>
      method === verb ? new RegExp(`^${pattern}$`).exec(url.pathname)?.[1] : undefined;
    const tag = route('GET', `${prefix}/tags/(.+)`);
    if (tag !== undefined) {
      const release = releases.find((r) => r.tag_name === decodeURIComponent(tag));
      return release ? json(res, 200, publicRelease(release)) : json(res, 404, { message: 'Not Found' });
    }
    if (url.pathname === prefix && method === 'POST') {
      const fields = JSON.parse(body.toString('utf8')) as Partial<Release>;
      if (!fields.tag_name)
        return json(res, 422, {
          message: 'Validation Failed',
          errors: [{ field: 'tag_name', code: 'missing_field' }],
        });
      if (releases.some((r) => r.tag_name === fields.tag_name)) {
        return json(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
        });
      }
      return json(res, 201, publicRelease(makeRelease(fields.tag_name, fields)));
    }
    const listId = route('GET', `${prefix}/(\\d+)/assets`);
    if (listId !== undefined) {
      const release = releases.find((r) => r.id === Number(listId));
      return release
        ? json(res, 200, release.assets.map(publicAsset))
        : json(res, 404, { message: 'Not Found' });
    }
    const assetId = route('DELETE', `${prefix}/assets/(\\d+)`);
    if (assetId !== undefined) {
      for (const release of releases) {
        const index = release.assets.findIndex((a) => a.id === Number(assetId));
        if (index >= 0) {
          release.assets.splice(index, 1);
          res.writeHead(204).end();
          return 204;
        }
      }
      return json(res, 404, { message: 'Not Found' });
    }
    if (url.pathname.startsWith(uploadPrefix) && method === 'POST') {
      const id = Number(url.pathname.slice(uploadPrefix.length).split('/')[0]);
      const release = releases.find((r) => r.id === id);
      const name = url.searchParams.get('name');
      if (!release) return json(res, 404, { message: 'Not Found' });
      if (!name)
        return json(res, 422, { message: 'Validation Failed', errors: [{ field: 'name', code: 'missing' }] });
      if (release.assets.some((a) => a.name === name)) {
        return json(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
        });
      }
      const asset = makeAsset(
        release,
        name,
        body,
        String(req.headers['content-type'] ?? 'application/octet-stream'),
      );
      release.assets.push(asset);
      return json(res, 201, publicAsset(asset));
    }
    return json(res, 404, { message: 'Not Found' });
  }

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const record = (status: number, body: string) =>
      requests.push({ method: req.method ?? 'GET', path: url, headers: req.headers, body, status });
    // Requests for the index behind the front stream through untouched.
    const ours = /^\/(_actions|_\/oidc|repos|uploads)\//.test(url);
    if (!ours && options.indexTarget) {
      void forward(req, res, options.indexTarget).then((status) => record(status, ''));
      return;
    }
    readBody(req)
      .then(async (body) => {
        const status = await handle(req, res, body);
        const text = url.startsWith('/uploads/') ? `<${body.length} bytes>` : body.toString('utf8');
        record(status, text);
      })
      .catch((thrown: unknown) => {
        res.writeHead(500).end(String(thrown));
        record(500, '');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    oidcRequestUrl: `${base}/_actions/oidc/token?api-version=2.0`,
    oidcRequestToken,
    issuedTokens,
    requests,
    releases,
    addRelease(tag, assets = []) {
      const release = makeRelease(tag);
      for (const a of assets)
        release.assets.push(makeAsset(release, a.name, a.data, 'application/octet-stream'));
      return release;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
