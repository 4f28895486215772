/**
 * PEP 740 through publish's bundle: trusted publishing against the index front (in front of a
 * real pypiserver), signing against the local Sigstore with the job's OIDC token. The front checks
 * each upload's `attestations` field as Warehouse does — including the signature, against the
 * local Sigstore's trust root — and serves it back through the integrity API, which the action
 * then checks.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startGithubServer } from '@ferrowheel/harness/github-server';
import { startPypiServer } from '@ferrowheel/harness/pypi-server';
import { runAction } from '@ferrowheel/harness/run-action';
import { startSigstoreServer } from '@ferrowheel/harness/sigstore-server';
import { tool } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { everything, listOutput, masked, rebuild, setupPackages, workspaceWith } from './helpers.js';

let packages: string[];
const servers: { stop(): Promise<void> }[] = [];

beforeAll(() => {
  packages = setupPackages();
}, 600_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

it('signs each file, sends its attestation with the upload, writes it beside the file and finds it in the integrity API', async () => {
  const pypi = await startPypiServer({ username: '__token__' });
  servers.push(pypi);
  const sigstore = await startSigstoreServer();
  servers.push(sigstore);
  const identity = {
    subjectAlternativeName: 'repo:ferrowheel/ferrowheel:ref:refs/tags/v1.0.0',
    extensions: { issuer: 'https://token.actions.githubusercontent.com' },
  };
  const github = await startGithubServer({
    indexTarget: pypi.url,
    mintedToken: pypi.password,
    verifyAttestation: (bundle) => sigstore.verify(bundle, { identity }),
  });
  servers.push(github);
  const inputs = {
    'repository-url': `${github.url}/`,
    attestations: 'true',
    'sigstore-fulcio-url': sigstore.fulcioUrl,
    'sigstore-rekor-url': sigstore.rekorUrl,
    'retry-delay-ms': '20',
  };
  const env = {
    ACTIONS_ID_TOKEN_REQUEST_URL: github.oidcRequestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.oidcRequestToken,
  };
  const workspace = workspaceWith(packages);
  const run = await runAction('publish', {
    workspace,
    inputs,
    env,
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(listOutput(run, 'published')).toHaveLength(2);

  // Every upload carried one attestation, which the front verified and the index accepted.
  const uploads = github.index!.uploads;
  expect(uploads.map((u) => u.filename).sort()).toEqual(packages.map((p) => path.basename(p)).sort());
  for (const upload of uploads) {
    expect(upload.status).toBe(200);
    expect(upload.attestations).toHaveLength(1);
    const file = path.join(workspace, 'dist', `${upload.filename}.publish.attestation`);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(upload.attestations![0]);
    expect(github.index!.provenance.get(upload.filename)?.attestation_bundles[0]?.attestations).toEqual(
      upload.attestations,
    );
    // PyPI's own library reads the file back and matches it to the distribution.
    const check = path.join(import.meta.dirname, '..', 'check_attestation.py');
    const dist = path.join(workspace, 'dist', upload.filename);
    expect(execFileSync(tool('python'), [check, dist, file], { encoding: 'utf8' })).toContain(
      `subject ok: ${upload.filename}`,
    );
  }
  const outputs = JSON.parse(run.outputs.attestations ?? '[]') as { file: string; path: string }[];
  expect(outputs.map((o) => o.path).sort()).toEqual(
    packages.map((p) => path.join(workspace, 'dist', `${path.basename(p)}.publish.attestation`)).sort(),
  );
  for (const o of outputs)
    expect(run.summary).toContain(`\`${o.path}\` — served by the index's integrity API`);
  expect(run.stdout).toContain('the index serves its attestation');

  // One OIDC token for PyPI's exchange, one for Sigstore (shared by both signatures).
  const audiences = github.requests
    .filter((r) => r.path.startsWith('/_actions/oidc/token'))
    .map((r) => new URL(r.path, github.url).searchParams.get('audience'));
  expect(audiences.sort()).toEqual(['pypi', 'sigstore']);
  expect(sigstore.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
    '/api/v2/signingCert 201',
    '/api/v1/log/entries 201',
    '/api/v2/signingCert 201',
    '/api/v1/log/entries 201',
  ]);
  for (const token of github.issuedTokens) {
    expect(masked(run)).toContain(token);
    expect(everything(run)).not.toContain(token);
  }

  // A re-run with a rebuilt wheel (other bytes, same name) and skip-existing: the index keeps
  // both files, so nothing is signed, sent or written, and no attestation is listed.
  const [wheel, sdist] = packages as [string, string];
  const again = workspaceWith([rebuild(wheel), sdist]);
  const signed = sigstore.requests.length;
  const rerun = await runAction('publish', {
    workspace: again,
    inputs: { ...inputs, 'skip-existing': 'true' },
    env,
  });
  expect(rerun.errors).toEqual([]);
  expect(rerun.exitCode).toBe(0);
  expect(listOutput(rerun, 'published')).toEqual([]);
  expect(listOutput(rerun, 'skipped').map((s) => s.file)).toEqual(
    packages.map((p) => path.basename(p)).sort(),
  );
  expect(JSON.parse(rerun.outputs.attestations ?? 'null')).toEqual([]);
  expect(sigstore.requests.length).toBe(signed);
  expect(github.index!.uploads).toHaveLength(2);
  for (const p of packages)
    expect(existsSync(path.join(again, 'dist', `${path.basename(p)}.publish.attestation`))).toBe(false);
}, 180_000);
