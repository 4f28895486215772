/**
 * GitHub releases under immutable releases, through publish's bundle against the releases
 * stand-in (which answers 422 as GitHub does once a release is published): draft → assets →
 * publish; a re-run that only verifies; a draft left by an interrupted run; and an immutable
 * release published without all its files. The files themselves go to a real pypiserver once;
 * later runs skip them there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type GithubServer, startGithubServer } from '@ferrowheel/harness/github-server';
import { type PypiServer, startPypiServer } from '@ferrowheel/harness/pypi-server';
import { runAction } from '@ferrowheel/harness/run-action';
import { sha256 } from '@ferrowheel/kit/files';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { setupPackages, workspaceWith } from './helpers.js';

const GITHUB_TOKEN = 'ghs_releasesTestToken';
let packages: string[];
let pypi: PypiServer;
const servers: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  packages = setupPackages();
  pypi = await startPypiServer();
  servers.push(pypi);
}, 600_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function github(): Promise<GithubServer> {
  const server = await startGithubServer({ githubToken: GITHUB_TOKEN, immutableReleases: true });
  servers.push(server);
  return server;
}

function publish(server: GithubServer, workspace = workspaceWith(packages)) {
  return runAction('publish', {
    workspace,
    inputs: {
      'repository-url': pypi.uploadUrl,
      username: pypi.username,
      token: pypi.password,
      'skip-existing': 'true',
      'github-release': 'v0.1.0',
      'github-token': GITHUB_TOKEN,
      'retry-delay-ms': '20',
    },
    env: { GITHUB_API_URL: server.url },
  });
}

const calls = (server: GithubServer, from = 0) =>
  server.requests
    .slice(from)
    .map((r) => `${r.method} ${r.path.replace(/\?.*$/, '').replace(/\/\d+/g, '/N')} ${r.status}`);

it('drafts the release, uploads every asset + SHA256SUMS, then publishes it; a re-run only verifies by digest', async () => {
  const server = await github();
  const workspace = workspaceWith(packages);
  const run = await publish(server, workspace);
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const P = '/repos/ferrowheel/ferrowheel/releases';
  const U = `/uploads${P}/N/assets`;
  expect(calls(server)).toEqual([
    `GET ${P}/tags/v0.1.0 404`,
    `GET ${P} 200`,
    `POST ${P} 201`,
    `GET ${P}/N/assets 200`,
    `POST ${U} 201`,
    `POST ${U} 201`,
    `POST ${U} 201`,
    `PATCH ${P}/N 200`,
  ]);
  expect(JSON.parse(server.requests[2]!.body)).toMatchObject({ tag_name: 'v0.1.0', draft: true });
  const [release] = server.releases;
  expect(release).toMatchObject({ draft: false, immutable: true, tag_name: 'v0.1.0' });
  expect(run.outputs['release-url']).toBe(release!.html_url);
  const files = [...packages, path.join(workspace, 'dist', 'SHA256SUMS')];
  expect(release!.assets.map((a) => a.digest).sort()).toEqual(
    files.map((f) => `sha256:${sha256(readFileSync(f))}`).sort(),
  );

  const before = server.requests.length;
  const again = await publish(server, workspace);
  expect(again.errors).toEqual([]);
  expect(again.exitCode).toBe(0);
  expect(calls(server, before)).toEqual([`GET ${P}/tags/v0.1.0 200`, `GET ${P}/N/assets 200`]);
  for (const f of files) expect(again.stdout).toContain(`${path.basename(f)}: verified`);
  expect(again.stdout).toContain('(immutable)');
}, 180_000);

it('completes and publishes the draft an interrupted run left with some of the assets', async () => {
  const server = await github();
  const [wheel] = packages as [string];
  server.addRelease('v0.1.0', [{ name: path.basename(wheel), data: readFileSync(wheel) }], { draft: true });
  const run = await publish(server);
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(server.releases).toHaveLength(1);
  expect(server.releases[0]).toMatchObject({ draft: false, immutable: true });
  expect(server.releases[0]!.assets.map((a) => a.name).sort()).toEqual(
    [...packages.map((p) => path.basename(p)), 'SHA256SUMS'].sort(),
  );
  expect(run.stdout).toContain(`${path.basename(wheel)}: unchanged`);
  expect(server.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/uploads/'))).toHaveLength(
    2,
  );
}, 120_000);

it('fails, saying what to do, when an immutable published release lacks assets, and never tries to upload', async () => {
  const server = await github();
  const [wheel] = packages as [string];
  server.addRelease('v0.1.0', [{ name: path.basename(wheel), data: readFileSync(wheel) }], {
    immutable: true,
  });
  const run = await publish(server);
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toContain('The GitHub release v0.1.0 (');
  expect(run.errors[0]).toContain('is published and immutable, and lacks setup-0.1.0.tar.gz, SHA256SUMS');
  expect(run.errors[0]).toContain("or set 'github-release: false'");
  expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
}, 120_000);
