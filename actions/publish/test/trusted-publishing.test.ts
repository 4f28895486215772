/** How a refused token exchange is explained, from the index's answer and the token's claims. */
import { UserError } from '@ferrowheel/kit/errors';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  explainExchangeFailure,
  jwtClaims,
  mintUploadToken,
  reusableWorkflow,
} from '../src/trusted-publishing.js';

const CALLER = 'me/app/.github/workflows/release.yml@refs/tags/v1';
const REUSABLE = 'org/ci/.github/workflows/publish.yml@refs/heads/main';
const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;

describe('reusableWorkflow', () => {
  it('is the job_workflow_ref when it differs from the workflow the run started from', () => {
    expect(reusableWorkflow({ job_workflow_ref: REUSABLE, workflow_ref: CALLER }, undefined)).toEqual({
      called: REUSABLE,
      caller: CALLER,
    });
    // Without a workflow_ref claim, GITHUB_WORKFLOW_REF names the caller.
    expect(reusableWorkflow({ job_workflow_ref: REUSABLE }, CALLER)).toEqual({
      called: REUSABLE,
      caller: CALLER,
    });
  });

  it('is undefined for a job of the caller itself (refs may differ only after the @)', () => {
    expect(
      reusableWorkflow({ job_workflow_ref: CALLER, workflow_ref: CALLER.replace('v1', 'v2') }, undefined),
    ).toBeUndefined();
    expect(reusableWorkflow({}, CALLER)).toBeUndefined();
  });
});

describe('explainExchangeFailure', () => {
  const options = { label: 'PyPI', oidcBase: 'https://pypi.org', workflowRef: CALLER, project: 'my-pkg' };
  const body = JSON.stringify({
    message: 'Token request failed',
    errors: [{ code: 'invalid-publisher', description: 'valid token, but no corresponding publisher' }],
  });

  it('names the reusable workflow, the issue and where to move the job', () => {
    const text = explainExchangeFailure(
      options,
      422,
      body,
      jwtClaims(jwt({ repository: 'me/app', job_workflow_ref: REUSABLE, workflow_ref: CALLER })),
    );
    expect(text).toContain(
      'PyPI refused to exchange the GitHub OIDC token (HTTP 422: Token request failed; invalid-publisher: valid token, but no corresponding publisher)',
    );
    expect(text).toContain(`The token says: repository=me/app, job_workflow_ref=${REUSABLE}.`);
    expect(text).toContain('https://github.com/pypi/warehouse/issues/11096');
    expect(text).toContain(
      'move the publish job into the calling workflow (me/app/.github/workflows/release.yml)',
    );
    expect(text).toContain('https://pypi.org/manage/project/my-pkg/settings/publishing/');
  });

  it('lists the common causes, without the reusable-workflow note, for a job of the caller', () => {
    const text = explainExchangeFailure(
      options,
      422,
      'not json',
      jwtClaims(jwt({ job_workflow_ref: CALLER, environment: 'pypi' })),
    );
    expect(text).toContain('(HTTP 422: not json)');
    expect(text).toContain('environment=pypi');
    expect(text).not.toContain('11096');
    expect(text).toContain('Common causes: no trusted publisher is registered');
  });

  it('survives a token that is not a JWT', () => {
    expect(jwtClaims('garbage')).toEqual({});
  });
});

describe('mintUploadToken', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  /** A network where every index announces `audience`; records every URL asked for. */
  function network(audience: string): string[] {
    const asked: string[] = [];
    globalThis.fetch = (async (input: string | URL | Request) => {
      const url = String(input);
      asked.push(url);
      if (url.endsWith('/_/oidc/audience')) return Response.json({ audience });
      if (url.startsWith('https://github.example/')) return Response.json({ value: jwt({ aud: audience }) });
      return Response.json({ token: 'pypi-minted' });
    }) as typeof fetch;
    return asked;
  }
  const options = (oidcBase: string, label: string) => ({
    oidcBase,
    label,
    requestUrl: 'https://github.example/token?api-version=2.0',
    requestToken: 'request-token',
    workflowRef: CALLER,
    project: 'app',
    retry: { attempts: 1 },
    mask: () => {},
  });

  it("never requests a token for PyPI's audience on behalf of another host", async () => {
    const asked = network('pypi');
    const minting = mintUploadToken(options('https://pkgs.example.com', 'pkgs.example.com'));
    await expect(minting).rejects.toThrow(UserError);
    await expect(minting).rejects.toThrow(
      "pkgs.example.com (https://pkgs.example.com) asked for a GitHub OIDC token with the audience 'pypi', which is PyPI's: with it, pkgs.example.com could publish to PyPI as this workflow. Nothing was sent.",
    );
    expect(asked).toEqual(['https://pkgs.example.com/_/oidc/audience']);
  });

  it('exchanges for PyPI itself, for an index with its own audience, and for a loopback stand-in', async () => {
    network('pypi');
    await expect(mintUploadToken(options('https://pypi.org', 'PyPI'))).resolves.toBe('pypi-minted');
    await expect(mintUploadToken(options('http://127.0.0.1:8080', '127.0.0.1:8080'))).resolves.toBe(
      'pypi-minted',
    );
    const asked = network('pkgs.example.com');
    await expect(mintUploadToken(options('https://pkgs.example.com', 'pkgs'))).resolves.toBe('pypi-minted');
    expect(asked).toHaveLength(3);
  });
});
