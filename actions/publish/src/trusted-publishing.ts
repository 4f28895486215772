/**
 * PyPI trusted publishing: GitHub's OIDC token for the index's audience, exchanged at the index
 * for a short-lived API token. When the exchange fails, the token's claims say why more often
 * than the index does — above all when the job runs in a reusable workflow, which PyPI cannot
 * match to a publisher (pypi/warehouse#11096).
 */
import { UserError } from '@ferrowheel/kit/errors';
import { fetchWithRetry, HttpError, type RetryOptions } from '@ferrowheel/kit/http';
import { NO_ID_TOKEN, requestIdToken } from './github-oidc.js';

export interface TrustedPublishingOptions {
  /** Where the index serves `/_/oidc/...`. */
  oidcBase: string;
  label: string;
  requestUrl: string | undefined;
  requestToken: string | undefined;
  /** GITHUB_WORKFLOW_REF: the workflow the run started from (the caller). */
  workflowRef: string | undefined;
  /** The project being published, for the settings link in errors. */
  project: string;
  retry: RetryOptions;
  mask: (secret: string) => void;
}

/** The claims of a JWT, decoded without verifying it (only to explain a failure). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

/** `owner/repo/.github/workflows/x.yml@ref` → `owner/repo/.github/workflows/x.yml`. */
const workflowPath = (ref: unknown) => (typeof ref === 'string' ? ref.replace(/@.*$/, '') : undefined);

/**
 * When the token was issued to a job of a reusable workflow: the workflow the job is defined in
 * (`job_workflow_ref`) differs from the one the run started from (`workflow_ref`, GITHUB_WORKFLOW_REF).
 */
export function reusableWorkflow(
  claims: Record<string, unknown>,
  workflowRef: string | undefined,
): { called: string; caller: string } | undefined {
  const called = workflowPath(claims.job_workflow_ref);
  const caller = workflowPath(claims.workflow_ref) ?? workflowPath(workflowRef);
  if (!called || !caller || called === caller) return undefined;
  return { called: String(claims.job_workflow_ref), caller: String(claims.workflow_ref ?? workflowRef) };
}

/** Explains a refused exchange: the index's words, the token's claims, the likely causes. */
export function explainExchangeFailure(
  options: Pick<TrustedPublishingOptions, 'label' | 'oidcBase' | 'workflowRef' | 'project'>,
  status: number,
  body: string,
  claims: Record<string, unknown>,
): string {
  let reason = body.slice(0, 300);
  try {
    const parsed = JSON.parse(body) as {
      message?: string;
      errors?: { code?: string; description?: string }[];
    };
    const errors = (parsed.errors ?? []).map((e) => `${e.code ?? 'error'}: ${e.description ?? ''}`);
    reason = [parsed.message, ...errors].filter(Boolean).join('; ');
  } catch {
    // Not JSON: keep the text.
  }
  const seen = ['repository', 'job_workflow_ref', 'environment', 'ref']
    .filter((k) => claims[k] !== undefined)
    .map((k) => `${k}=${String(claims[k])}`)
    .join(', ');
  const lines = [
    `Trusted publishing failed: ${options.label} refused to exchange the GitHub OIDC token (HTTP ${status}: ${reason}).`,
    `The token says: ${seen || '(no claims readable)'}.`,
  ];
  const reusable = reusableWorkflow(claims, options.workflowRef);
  if (reusable) {
    lines.push(
      `This job is defined in the reusable workflow ${reusable.called}, called from ${reusable.caller}. PyPI does not accept trusted publishing from reusable workflows (https://github.com/pypi/warehouse/issues/11096): move the publish job into the calling workflow (${workflowPath(reusable.caller)}) itself — build in the reusable workflow, download its artifacts in a job of the caller that has 'permissions: id-token: write' and runs this action.`,
    );
  }
  const settings = `${options.oidcBase}/manage/project/${options.project}/settings/publishing/`;
  lines.push(
    `Common causes: no trusted publisher is registered for this repository and workflow file (add one at ${settings}, or a pending publisher for a new project); the publisher names an environment and the job runs in another (or none) — set 'environment:' on the job to match; the workflow file was renamed or the repository moved; or the index does not trust GitHub tokens (use 'token' instead).`,
  );
  return lines.join('\n');
}

/** The audiences of the public indexes, and where each may be sent. */
const PUBLIC_AUDIENCES: Record<string, { oidcBase: string; label: string }> = {
  pypi: { oidcBase: 'https://pypi.org', label: 'PyPI' },
  testpypi: { oidcBase: 'https://test.pypi.org', label: 'TestPyPI' },
};

/**
 * A GitHub OIDC token for PyPI's audience is a PyPI credential: whoever holds it can mint an
 * upload token for every project trusting this workflow. Another host asking for it gets nothing
 * (a loopback index runs on the runner itself, which can request such a token anyway).
 */
export function audienceProblem(audience: string, oidcBase: string, label: string): string | undefined {
  const owner = PUBLIC_AUDIENCES[audience];
  if (!owner || owner.oidcBase === oidcBase) return undefined;
  const { hostname } = new URL(oidcBase);
  if (hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname))
    return undefined;
  return `${label} (${oidcBase}) asked for a GitHub OIDC token with the audience '${audience}', which is ${owner.label}'s: with it, ${hostname} could publish to ${owner.label} as this workflow. Nothing was sent. Pass an API token for ${label} in 'token' (from a secret) and set 'trusted-publishing: false', or check 'repository-url'.`;
}

/** The audience the index wants in the OIDC token (its `/_/oidc/audience`), checked. */
async function indexAudience(options: TrustedPublishingOptions): Promise<string> {
  const audienceUrl = `${options.oidcBase}/_/oidc/audience`;
  const audienceResponse = await fetchWithRetry(
    audienceUrl,
    () => ({ headers: { Accept: 'application/json' } }),
    options.retry,
  );
  if (audienceResponse.status === 404) {
    throw new UserError(
      `${options.label} does not offer trusted publishing (${audienceUrl} answered 404). Pass an API token for it in 'token' (from a secret) and set 'trusted-publishing: false'.`,
    );
  }
  if (!audienceResponse.ok) {
    throw new HttpError(audienceUrl, audienceResponse.status, await audienceResponse.text().catch(() => ''));
  }
  const audience = String(((await audienceResponse.json()) as { audience?: unknown }).audience ?? '');
  if (audience === '')
    throw new UserError(
      `${audienceUrl} did not name an audience. Use 'token' instead of trusted publishing for this index.`,
    );

  const problem = audienceProblem(audience, options.oidcBase, options.label);
  if (problem) throw new UserError(problem);
  return audience;
}

/** Gets an upload token through trusted publishing; both tokens are masked as soon as they exist. */
export async function mintUploadToken(options: TrustedPublishingOptions): Promise<string> {
  if (!options.requestUrl || !options.requestToken) throw new UserError(NO_ID_TOKEN);
  const audience = await indexAudience(options);
  const idToken = await requestIdToken({
    requestUrl: options.requestUrl,
    requestToken: options.requestToken,
    audience,
    retry: options.retry,
    mask: options.mask,
  });

  const mintUrl = `${options.oidcBase}/_/oidc/mint-token`;
  const mintResponse = await fetchWithRetry(
    mintUrl,
    () => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token: idToken }),
    }),
    options.retry,
  );
  const body = await mintResponse.text().catch(() => '');
  if (!mintResponse.ok) {
    throw new UserError(explainExchangeFailure(options, mintResponse.status, body, jwtClaims(idToken)));
  }
  let token = '';
  try {
    token = String((JSON.parse(body) as { token?: unknown }).token ?? '');
  } catch {
    // Handled below.
  }
  if (token === '') {
    throw new UserError(
      `${mintUrl} answered without a token. Use 'token' instead of trusted publishing for this index.`,
    );
  }
  options.mask(token);
  return token;
}
