/**
 * Trusted publishing and GitHub release assets, through publish's bundle, against local servers
 * speaking GitHub's OIDC and releases protocols and PyPI's token exchange, in front of a real
 * pypiserver.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startGithubServer } from '@ferrowheel/harness/github-server';
import { type PypiServer, startPypiServer } from '@ferrowheel/harness/pypi-server';
import { runAction } from '@ferrowheel/harness/run-action';
import { sha256 } from '@ferrowheel/kit/files';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { everything, listOutput, masked, setupPackages, workspaceWith } from './helpers.js';

const CALLER = 'ferrowheel/ferrowheel/.github/workflows/release.yml@refs/tags/v0.1.0';
const GITHUB_TOKEN = 'ghs_localTestToken123';

let packages: string[];
const servers: { stop(): Promise<void> }[] = [];

beforeAll(() => {
  packages = setupPackages();
}, 600_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

/** An index whose account is `__token__`, as PyPI's for minted tokens. */
async function index(): Promise<PypiServer> {
  const server = await startPypiServer({ username: '__token__' });
  servers.push(server);
  return server;
}

describe('trusted publishing and GitHub release', () => {
  it('exchanges the OIDC token, uploads, verifies and attaches every file + SHA256SUMS to the release; a re-run changes nothing', async () => {
    const pypi = await index();
    const github = await startGithubServer({
      indexTarget: pypi.url,
      mintedToken: pypi.password,
      trustedWorkflowRef: CALLER,
      claims: { workflow_ref: CALLER, job_workflow_ref: CALLER },
      githubToken: GITHUB_TOKEN,
    });
    servers.push(github);
    const workspace = workspaceWith(packages);
    const options = {
      workspace,
      inputs: {
        'repository-url': `${github.url}/`,
        'github-release': 'v0.1.0',
        'github-token': GITHUB_TOKEN,
        'retry-delay-ms': '20',
      },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: github.oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.oidcRequestToken,
        GITHUB_API_URL: github.url,
        GITHUB_WORKFLOW_REF: CALLER,
      },
    };
    const run = await runAction('publish', options);
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(listOutput(run, 'published')).toHaveLength(2);
    expect(readdirSync(pypi.packagesDir).sort()).toEqual(packages.map((p) => path.basename(p)).sort());

    const paths = github.requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`);
    expect(paths.slice(0, 3)).toEqual([
      'GET /_/oidc/audience',
      'GET /_actions/oidc/token',
      'POST /_/oidc/mint-token',
    ]);
    expect(github.requests[1]!.path).toContain('audience=pypi');
    expect(github.issuedTokens).toHaveLength(1);
    // Attestations default to PyPI and TestPyPI only: this index got none.
    expect(github.index!.uploads.map((u) => u.attestations)).toEqual([undefined, undefined]);

    const [release] = github.releases;
    expect(release?.tag_name).toBe('v0.1.0');
    expect(run.outputs['release-url']).toBe(release!.html_url);
    const sums = path.join(workspace, 'dist', 'SHA256SUMS');
    const expected = [...packages, sums].map((f) => ({
      name: path.basename(f),
      digest: `sha256:${sha256(readFileSync(f))}`,
    }));
    expect(
      release!.assets
        .map((a) => ({ name: a.name, digest: a.digest }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
    expect(run.summary).toContain(release!.html_url);

    // None of the three secrets reaches the log; each was masked.
    const secrets = [github.issuedTokens[0]!, pypi.password, GITHUB_TOKEN];
    for (const secret of secrets) {
      expect(everything(run)).not.toContain(secret);
      expect(masked(run)).toContain(secret);
    }

    const before = github.requests.length;
    const again = await runAction('publish', {
      ...options,
      inputs: { ...options.inputs, 'skip-existing': 'true' },
    });
    expect(again.errors).toEqual([]);
    expect(again.exitCode).toBe(0);
    expect(listOutput(again, 'skipped')).toHaveLength(2);
    const uploads = github.requests
      .slice(before)
      .filter((r) => r.method === 'POST' && r.path.startsWith('/uploads/'));
    expect(uploads).toEqual([]);
    expect(github.releases).toHaveLength(1);
    expect(release!.assets).toHaveLength(3);
    for (const secret of [...github.issuedTokens, pypi.password, GITHUB_TOKEN])
      expect(everything(again)).not.toContain(secret);
  }, 120_000);

  it('replaces a stale release asset (compared by size when the API gives no digest) and keeps the same one', async () => {
    const pypi = await index();
    const github = await startGithubServer({ githubToken: GITHUB_TOKEN, assetDigests: false });
    servers.push(github);
    const [wheel] = packages as [string];
    github.addRelease('v0.1.0', [
      { name: path.basename(wheel), data: readFileSync(wheel) },
      { name: 'SHA256SUMS', data: Buffer.from('stale\n') },
    ]);
    const run = await runAction('publish', {
      workspace: workspaceWith(packages),
      inputs: {
        'repository-url': pypi.uploadUrl,
        username: pypi.username,
        token: pypi.password,
        'trusted-publishing': 'false',
        'github-release': 'v0.1.0',
        'github-token': GITHUB_TOKEN,
      },
      env: { GITHUB_API_URL: github.url },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`${path.basename(wheel)}: unchanged`);
    expect(run.stdout).toContain('SHA256SUMS: replaced');
    expect(run.stdout).toContain('setup-0.1.0.tar.gz: uploaded');
    expect(github.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    const assets = github.releases[0]!.assets;
    expect(assets.find((a) => a.name === 'SHA256SUMS')?.data.toString()).toContain(
      `  ${path.basename(wheel)}\n`,
    );
    expect(assets).toHaveLength(3);
  }, 120_000);

  it('explains a refused exchange from a reusable workflow (pypi/warehouse#11096), and uploads nothing', async () => {
    const pypi = await index();
    const reusable = 'other-org/shared-ci/.github/workflows/publish.yml@refs/heads/main';
    const github = await startGithubServer({
      indexTarget: pypi.url,
      mintedToken: pypi.password,
      trustedWorkflowRef: CALLER,
      claims: { workflow_ref: CALLER, job_workflow_ref: reusable },
    });
    servers.push(github);
    const run = await runAction('publish', {
      workspace: workspaceWith(packages),
      inputs: { 'repository-url': `${github.url}/`, 'trusted-publishing': 'true', 'retry-delay-ms': '20' },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: github.oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.oidcRequestToken,
        GITHUB_WORKFLOW_REF: CALLER,
      },
    });
    expect(run.exitCode).toBe(1);
    const error = run.errors[0]!;
    expect(error).toContain('Trusted publishing failed');
    expect(error).toContain('invalid-publisher');
    expect(error).toContain(`defined in the reusable workflow ${reusable}, called from ${CALLER}`);
    expect(error).toContain('https://github.com/pypi/warehouse/issues/11096');
    expect(error).toContain(
      'move the publish job into the calling workflow (ferrowheel/ferrowheel/.github/workflows/release.yml)',
    );
    expect(readdirSync(pypi.packagesDir)).toEqual([]);
    expect(everything(run)).not.toContain(github.issuedTokens[0]!);
  }, 120_000);
});
