/**
 * What the runner's environment says about this job that publish needs: where to ask for an OIDC
 * token, which repository and API a release goes to, the commit it is for. Read from the runner
 * context (`inputs.runner.env`), never from process.env, so tests state it like any runner fact.
 */
export interface GithubEnv {
  oidcRequestUrl: string | undefined;
  oidcRequestToken: string | undefined;
  repository: string | undefined;
  /** Without a trailing slash; github.com's API when the runner names none. */
  apiUrl: string;
  sha: string | undefined;
  workflowRef: string | undefined;
}

export function githubEnv(env: NodeJS.ProcessEnv): GithubEnv {
  return {
    oidcRequestUrl: env.ACTIONS_ID_TOKEN_REQUEST_URL || undefined,
    oidcRequestToken: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN || undefined,
    repository: env.GITHUB_REPOSITORY || undefined,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    sha: env.GITHUB_SHA || undefined,
    workflowRef: env.GITHUB_WORKFLOW_REF || undefined,
  };
}
