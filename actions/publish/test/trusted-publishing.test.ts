/** How a refused token exchange is explained, from the index's answer and the token's claims. */
import { describe, expect, it } from '@jest/globals';
import { explainExchangeFailure, jwtClaims, reusableWorkflow } from '../src/trusted-publishing.js';

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
