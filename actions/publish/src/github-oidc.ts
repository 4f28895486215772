/** GitHub Actions OIDC tokens: requested for an audience, masked as soon as they exist. */
import { UserError } from '@ferrowheel/kit/errors';
import { fetchWithRetry, type RetryOptions } from '@ferrowheel/kit/http';

export const NO_ID_TOKEN =
  "The job cannot request an OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL is not set. Give the publish job 'permissions: id-token: write' (jobs from pull requests of forks never get it), or pass an API token in 'token' and set 'trusted-publishing: false'.";

export interface IdTokenRequest {
  /** ACTIONS_ID_TOKEN_REQUEST_URL */
  requestUrl: string | undefined;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN */
  requestToken: string | undefined;
  audience: string;
  retry: RetryOptions;
  mask: (secret: string) => void;
}

/** Asks GitHub for an OIDC token of the job, for `audience`. */
export async function requestIdToken(request: IdTokenRequest): Promise<string> {
  if (!request.requestUrl || !request.requestToken) throw new UserError(NO_ID_TOKEN);
  const url = new URL(request.requestUrl);
  url.searchParams.set('audience', request.audience);
  const response = await fetchWithRetry(
    url.href,
    () => ({ headers: { Authorization: `Bearer ${request.requestToken}`, Accept: 'application/json' } }),
    request.retry,
  );
  if (!response.ok) {
    throw new UserError(
      `GitHub refused the OIDC token request for the audience '${request.audience}' (HTTP ${response.status}). Give the job 'permissions: id-token: write', or use 'token' with 'trusted-publishing: false'.`,
    );
  }
  const token = String(((await response.json()) as { value?: unknown }).value ?? '');
  if (token === '') throw new UserError(`GitHub's OIDC endpoint returned no token. ${NO_ID_TOKEN}`);
  request.mask(token);
  return token;
}
