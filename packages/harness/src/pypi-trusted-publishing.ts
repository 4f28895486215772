/**
 * An index's trusted-publishing endpoints, as PyPI serves them: `GET /_/oidc/audience` →
 * `{audience}`, and `POST /_/oidc/mint-token` `{token}` → `{success, token, expires}` for a GitHub
 * OIDC token of that audience from a registered publisher, else 422 with PyPI's error codes.
 */
import { jwtPayload } from './github-oidc.js';
import { json, type Service } from './stand-in.js';

export interface TrustedPublishingOptions {
  /** The audience the index announces. Default `pypi`. */
  audience?: string;
  /** Whether a token is one the OIDC stand-in issued (the only "signature check" here). */
  issued: (token: string) => boolean;
  /** The API token handed out (the real index's user's password). */
  mintedToken?: string;
  /** Which `job_workflow_ref` the registered publisher accepts. Default: any. */
  trustedWorkflowRef?: string;
}

const refused = (code: string, description: string) => ({
  message: 'Token request failed',
  errors: [{ code, description }],
});

export function trustedPublishingService(options: TrustedPublishingOptions): Service {
  const audience = options.audience ?? 'pypi';
  return ({ res, url, method, body }) => {
    if (url.pathname === '/_/oidc/audience' && method === 'GET') return json(res, 200, { audience });
    if (url.pathname !== '/_/oidc/mint-token' || method !== 'POST') return undefined;
    let token = '';
    try {
      token = String((JSON.parse(body.toString('utf8')) as { token?: unknown }).token ?? '');
    } catch {
      return json(res, 422, refused('invalid-payload', 'malformed JSON'));
    }
    if (!options.issued(token)) return json(res, 422, refused('invalid-token', 'malformed or invalid token'));
    const payload = jwtPayload(token);
    if (payload.aud !== audience)
      return json(res, 422, refused('invalid-token', `token has the wrong audience ${String(payload.aud)}`));
    if (options.trustedWorkflowRef !== undefined && payload.job_workflow_ref !== options.trustedWorkflowRef) {
      return json(
        res,
        422,
        refused(
          'invalid-publisher',
          'valid token, but no corresponding publisher (All lookup strategies exhausted)',
        ),
      );
    }
    return json(res, 200, { success: true, token: options.mintedToken ?? 'pypi-minted-token', expires: 0 });
  };
}
