/**
 * The Actions OIDC token endpoint: `GET ACTIONS_ID_TOKEN_REQUEST_URL&audience=A` with
 * `Authorization: Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN` → `{ value: <jwt> }`. The JWT carries
 * GitHub's claims for the repository; its signature is not real (nothing here checks it: the index
 * stand-in accepts the tokens it saw issued, the Sigstore mock reads claims without verifying).
 */
import { json, type Service } from './stand-in.js';

export interface OidcOptions {
  /** The repository the token speaks for. */
  repository: string;
  /** Claims merged into every token's payload (e.g. a reusable workflow's `job_workflow_ref`). */
  claims?: Record<string, unknown>;
}

export interface OidcService {
  service: Service;
  /** For ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestToken: string;
  /** Path of the endpoint, with the query GitHub's URL has. */
  path: string;
  /** The JWTs issued so far (to check they never reach a log). */
  issuedTokens: string[];
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** The claims GitHub puts in a token of a job run on a tag's push. */
export function githubClaims(
  repository: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://token.actions.githubusercontent.com',
    sub: `repo:${repository}:ref:refs/tags/v1.0.0`,
    repository,
    repository_owner: repository.split('/')[0],
    workflow_ref: `${repository}/.github/workflows/release.yml@refs/tags/v1.0.0`,
    job_workflow_ref: `${repository}/.github/workflows/release.yml@refs/tags/v1.0.0`,
    ref: 'refs/tags/v1.0.0',
    sha: '0000000000000000000000000000000000000000',
    event_name: 'push',
    runner_environment: 'github-hosted',
    iat: now,
    nbf: now,
    exp: now + 300,
    ...extra,
  };
}

/** Decodes a JWT's payload without verifying it. */
export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

export function createOidcService(options: OidcOptions): OidcService {
  const requestToken = `oidc-request-${Math.random().toString(36).slice(2)}`;
  const issuedTokens: string[] = [];
  const service: Service = ({ req, res, url }) => {
    if (url.pathname !== '/_actions/oidc/token') return undefined;
    if (req.headers.authorization !== `Bearer ${requestToken}`)
      return json(res, 401, { message: 'Bad credentials' });
    const payload = {
      ...githubClaims(options.repository, options.claims),
      aud: url.searchParams.get('audience') ?? options.repository,
    };
    const jwt = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'local' }))}.${b64url(
      JSON.stringify(payload),
    )}.${b64url('not-a-real-signature')}`;
    issuedTokens.push(jwt);
    return json(res, 200, { value: jwt });
  };
  return { service, requestToken, path: '/_actions/oidc/token?api-version=2.0', issuedTokens };
}
