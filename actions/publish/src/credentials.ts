/** The credentials phase: trusted publishing (the job's OIDC token exchanged) or the given token. */
import * as core from '@actions/core';
import { UserError } from '@ferrowheel/kit/errors';
import { logText } from '@ferrowheel/kit/log-text';
import { githubEnv } from './github-env.js';
import type { Credentials } from './legacy-upload.js';
import { type Publish, retryOptions } from './publishing.js';
import { mintUploadToken } from './trusted-publishing.js';

/** Trusted publishing when asked, or by default when there is no token and OIDC is available. */
function usesTrustedPublishing({ inputs }: Publish, oidcAvailable: boolean): boolean {
  return (
    inputs.trustedPublishing === 'true' ||
    (inputs.trustedPublishing === 'auto' && inputs.token === '' && oidcAvailable)
  );
}

async function trustedPublishing(publish: Publish): Promise<Credentials> {
  const { inputs } = publish;
  const github = githubEnv(inputs.runner.env);
  if (inputs.token !== '')
    core.info("Both 'token' and 'trusted-publishing: true' given: using trusted publishing.");
  core.info(logText`Trusted publishing: exchanging this job's GitHub OIDC token at ${inputs.index.oidcBase}`);
  const token = await mintUploadToken({
    oidcBase: inputs.index.oidcBase,
    label: inputs.index.label,
    requestUrl: github.oidcRequestUrl,
    requestToken: github.oidcRequestToken,
    workflowRef: github.workflowRef,
    project: publish.dists[0]!.name,
    retry: retryOptions(publish, { what: 'trusted publishing' }),
    mask: inputs.runner.mask,
  });
  core.info('Trusted publishing: got a short-lived upload token.');
  return { username: '__token__', password: token };
}

/** The upload credentials: from trusted publishing, or the given username and token. */
export async function credentials(publish: Publish): Promise<Credentials> {
  const { inputs } = publish;
  const oidcAvailable = githubEnv(inputs.runner.env).oidcRequestUrl !== undefined;
  if (usesTrustedPublishing(publish, oidcAvailable)) return trustedPublishing(publish);
  if (inputs.token === '') {
    throw new UserError(
      `No credentials to upload to ${inputs.index.label}: 'token' is empty and ${
        inputs.trustedPublishing === 'false'
          ? "'trusted-publishing' is false"
          : 'trusted publishing is not available (ACTIONS_ID_TOKEN_REQUEST_URL is not set)'
      }. Either register this workflow as a trusted publisher on the index and give the job 'permissions: id-token: write', or pass an API token: 'token: \${{ secrets.PYPI_API_TOKEN }}'.`,
    );
  }
  core.info(logText`Authenticating as '${inputs.username}' with the given token.`);
  return { username: inputs.username, password: inputs.token };
}
