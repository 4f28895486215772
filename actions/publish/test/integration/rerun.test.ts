/**
 * A re-run of a release whose build is not byte-for-byte reproducible (maturin 1.16 writes a
 * CycloneDX SBOM with a random serial number and a timestamp into every wheel): the rebuilt wheel
 * has the name of the published one and other bytes. Against a real pypiserver and the releases
 * stand-in: with skip-existing the index's copy stands (skipped, with a warning, never counted as
 * published, never attested), and an immutable release holding that same earlier build is kept;
 * a release asset that disagrees with the index, or no skip-existing, fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type GithubServer, startGithubServer } from '@ferrowheel/harness/github-server';
import { type PypiServer, startPypiServer } from '@ferrowheel/harness/pypi-server';
import { runAction } from '@ferrowheel/harness/run-action';
import { sha256 } from '@ferrowheel/kit/files';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { listOutput, rebuild, setupPackages, workspaceWith } from './helpers.js';

const GITHUB_TOKEN = 'ghs_rerunTestToken';
let packages: string[];
/** The same wheel rebuilt: same name, an SBOM with another serial number inside. */
let rebuilt: string[];
let pypi: PypiServer;
const servers: { stop(): Promise<void> }[] = [];
const name = (file: string) => path.basename(file);
const digest = (file: string) => sha256(readFileSync(file));

function publishInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'repository-url': pypi.uploadUrl,
    username: pypi.username,
    token: pypi.password,
    'skip-existing': 'true',
    'retry-delay-ms': '20',
    retries: '1',
    ...extra,
  };
}

/** A publish of `files` (skip-existing) that also attaches them to the release v0.1.0. */
function withRelease(server: GithubServer, files: readonly string[]) {
  return runAction('publish', {
    workspace: workspaceWith(files),
    inputs: publishInputs({ 'github-release': 'v0.1.0', 'github-token': GITHUB_TOKEN }),
    env: { GITHUB_API_URL: server.url },
  });
}

async function github(): Promise<GithubServer> {
  const server = await startGithubServer({ githubToken: GITHUB_TOKEN, immutableReleases: true });
  servers.push(server);
  return server;
}

const onIndex = () =>
  readdirSync(pypi.packagesDir)
    .sort()
    .map((f) => `${f} ${digest(path.join(pypi.packagesDir, f))}`);

beforeAll(async () => {
  packages = setupPackages();
  const [wheel, sdist] = packages as [string, string];
  rebuilt = [rebuild(wheel), sdist];
  pypi = await startPypiServer();
  servers.push(pypi);
  // The first run: the original build is on the index.
  const first = await runAction('publish', { workspace: workspaceWith(packages), inputs: publishInputs() });
  expect(first.errors).toEqual([]);
  expect(digest(path.join(pypi.packagesDir, name(wheel)))).toBe(digest(wheel));
  expect(digest(rebuilt[0]!)).not.toBe(digest(wheel));
}, 600_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

it('with skip-existing, keeps the earlier upload of a rebuilt wheel and the immutable release that holds it', async () => {
  const [wheel, sdist] = packages as [string, string];
  const server = await github();
  // The first run's release: the original files and their SHA256SUMS.
  const first = await withRelease(server, packages);
  expect(first.errors).toEqual([]);
  const index = onIndex();
  const assets = () => server.releases[0]!.assets.map((a) => `${a.id} ${a.name} ${a.digest}`).sort();
  const before = assets();
  expect(before).toHaveLength(3);

  const run = await withRelease(server, rebuilt);
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const reason = `already on the index from an earlier build with different bytes (SHA256 ${digest(wheel)} vs ${digest(rebuilt[0]!)}); an index never replaces a file, so the earlier upload stands`;
  expect(run.warnings).toContain(`${name(wheel)}: ${reason}.`);
  expect(run.warnings).toContain(
    `${name(wheel)}: kept from the earlier run (different bytes): the release holds the same build as the index.`,
  );
  expect(run.warnings).toContain(
    'SHA256SUMS: kept from the earlier run (different bytes): the release holds the same build as the index.',
  );
  expect(run.stdout).toContain(`${name(sdist)}: verified`);
  // Never counted as published; the skipped list says why, with both digests.
  expect(listOutput(run, 'published')).toEqual([]);
  expect(JSON.parse(run.outputs.skipped!)).toEqual([
    { file: name(wheel), sha256: digest(rebuilt[0]!), indexSha256: digest(wheel), reason },
    { file: name(sdist), sha256: digest(sdist), reason: expect.stringContaining('same SHA256') },
  ]);
  expect(run.stdout).toContain(`${name(wheel)}: listed with the SHA256 of the earlier build the index kept`);
  expect(run.summary).toContain(`skipped: ${reason}`);
  // Nothing changed: not on the index, not on the release; nothing was even tried.
  expect(onIndex()).toEqual(index);
  expect(assets()).toEqual(before);
  const writes = server.requests.filter((r) => r.method !== 'GET');
  expect(writes.map((r) => r.method)).toEqual(['POST', 'POST', 'POST', 'POST', 'PATCH']);
}, 180_000);

it('without skip-existing, a rebuilt wheel the index has with other bytes fails, naming both fixes', async () => {
  const index = onIndex();
  const run = await runAction('publish', {
    workspace: workspaceWith(rebuilt),
    inputs: publishInputs({ 'skip-existing': 'false' }),
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toContain(`${name(packages[0]!)} is already on`);
  expect(run.errors[0]).toContain('with different content');
  expect(run.errors[0]).toContain("set 'skip-existing: true' to keep the earlier upload");
  expect(run.errors[0]).toContain('bump the version');
  expect(listOutput(run, 'published')).toEqual([]);
  expect(onIndex()).toEqual(index);
}, 120_000);

it('fails when the immutable release holds a build the index does not (they disagree), and uploads nothing', async () => {
  const server = await github();
  // A release whose wheel is the rebuilt one, while the index kept the original.
  server.addRelease(
    'v0.1.0',
    [
      ...rebuilt.map((f) => ({ name: name(f), data: readFileSync(f) })),
      {
        name: 'SHA256SUMS',
        data: Buffer.from(rebuilt.map((f) => `${digest(f)}  ${name(f)}\n`).join('')),
      },
    ],
    { immutable: true },
  );
  const run = await withRelease(server, rebuilt);
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toContain('is published and immutable, and disagrees with the index:');
  expect(run.errors[0]).toContain(
    `${name(packages[0]!)} (the release has sha256:${digest(rebuilt[0]!)}, the index sha256:${digest(packages[0]!)})`,
  );
  expect(run.errors[0]).toContain('SHA256SUMS (the release has');
  expect(run.errors[0]).toContain('new version and tag');
  expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
}, 120_000);

it("completes a draft from an interrupted run with the index's copy of the kept file, not the rebuild", async () => {
  const server = await github();
  server.addRelease('v0.1.0', [], { draft: true });
  const [wheel] = packages as [string];
  const run = await withRelease(server, rebuilt);
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const [release] = server.releases;
  expect(release).toMatchObject({ draft: false, immutable: true });
  const asset = (n: string) => release!.assets.find((a) => a.name === n)!;
  expect(asset(name(wheel)).data.equals(readFileSync(wheel))).toBe(true);
  expect(asset('SHA256SUMS').data.toString()).toBe(
    packages.map((f) => `${digest(f)}  ${name(f)}\n`).join(''),
  );
}, 120_000);

/** An immutable release holding the index's build of every file, with `sums` as its SHA256SUMS. */
async function releaseWithSums(sums: string): Promise<GithubServer> {
  const server = await github();
  server.addRelease(
    'v0.1.0',
    [
      ...packages.map((f) => ({ name: name(f), data: readFileSync(f) })),
      { name: 'SHA256SUMS', data: Buffer.from(sums) },
    ],
    { immutable: true },
  );
  return server;
}

it("keeps a release SHA256SUMS written another way (order, '*' markers) that lists the index's digests", async () => {
  const sums = [...packages]
    .reverse()
    .map((f) => `${digest(f)} *${name(f)}\r\n`)
    .join('');
  const server = await releaseWithSums(sums);
  const run = await withRelease(server, rebuilt);
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.warnings).toContain(
    'SHA256SUMS: kept from the earlier run (different bytes): the release holds the same build as the index.',
  );
  expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
}, 120_000);

it("fails when the release's SHA256SUMS lists the rebuild's digest, though its assets match the index", async () => {
  const server = await releaseWithSums(rebuilt.map((f) => `${digest(f)}  ${name(f)}\n`).join(''));
  const run = await withRelease(server, rebuilt);
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toContain('disagrees with the index: SHA256SUMS (the release has sha256:');
  expect(run.errors[0]).not.toContain(`${name(packages[0]!)} (the release has`);
}, 120_000);

it("replaces a mutable release's asset of a kept file with the index's copy", async () => {
  const server = await startGithubServer({ githubToken: GITHUB_TOKEN });
  servers.push(server);
  server.addRelease('v0.1.0', [{ name: name(rebuilt[0]!), data: readFileSync(rebuilt[0]!) }]);
  const run = await withRelease(server, rebuilt);
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const asset = server.releases[0]!.assets.find((a) => a.name === name(packages[0]!))!;
  expect(asset.data.equals(readFileSync(packages[0]!))).toBe(true);
  expect(run.stdout).toContain(`${name(packages[0]!)}: replaced`);
}, 120_000);
