/**
 * The signing path for real: sigstore-js signs each distribution's publish statement against a
 * local Sigstore (Fulcio, Rekor, TSA from @sigstore/mock, with their own CA and keys) using a
 * GitHub OIDC token from the local OIDC stand-in; the result is checked by an independent
 * verifier (@sigstore/verify against the instance's trust root) and by PyPI's own library
 * (pypi-attestations converts it back and checks the subject). The code has no OS branches: it
 * runs with the Windows and macOS platform models' paths.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type GithubServer, startGithubServer } from '@ferrowheel/harness/github-server';
import { fromAttestation } from '@ferrowheel/harness/index-stand-in';
import { type SigstoreServer, startSigstoreServer } from '@ferrowheel/harness/sigstore-server';
import { freshDir, tool } from '@ferrowheel/harness/workdirs';
import { type Os, pathFor } from '@ferrowheel/kit/platform';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { attestationPath, attestDistributions } from '../src/attest.js';
import { requestIdToken } from '../src/github-oidc.js';
import { attestedStatement, PUBLISH_PREDICATE } from '../src/pep740.js';

let sigstore: SigstoreServer;
let github: GithubServer;

beforeAll(async () => {
  sigstore = await startSigstoreServer();
  github = await startGithubServer();
});
afterAll(async () => {
  await sigstore.stop();
  await github.stop();
});

const identityToken = () =>
  requestIdToken({
    requestUrl: github.oidcRequestUrl,
    requestToken: github.oidcRequestToken,
    audience: 'sigstore',
    retry: { attempts: 1, initialDelayMs: 0, timeoutMs: 10_000 },
    mask: () => {},
  });

// The mock Fulcio names the token's `sub` claim in the certificate (sigstore.dev names the
// workflow's URL for GitHub tokens); either way the identity comes from the job's OIDC token.
const IDENTITY = {
  subjectAlternativeName: 'repo:ferrowheel/ferrowheel:ref:refs/tags/v1.0.0',
  extensions: { issuer: 'https://token.actions.githubusercontent.com' },
};

describe.each<[Os, string]>([
  ['windows', 'C:\\a\\proj\\proj\\dist'],
  ['macos', '/Users/runner/work/proj/proj/dist'],
  ['linux', '/home/runner/work/proj/proj/dist'],
])('signing on %s', (os, dir) => {
  it('signs each file keylessly; the bundle verifies against the trust root and names the file and its SHA256', async () => {
    const p = pathFor(os);
    const files = [
      { filename: 'proj-1.0.0-cp39-abi3-win_amd64.whl', sha256: 'a'.repeat(64) },
      { filename: 'proj-1.0.0.tar.gz', sha256: 'b'.repeat(64) },
    ].map((f) => ({ ...f, path: p.join(dir, f.filename) }));
    const written = new Map<string, string>();
    const before = sigstore.requests.length;
    const attested = await attestDistributions({
      files,
      identityToken,
      urls: { fulcio: sigstore.fulcioUrl, rekor: sigstore.rekorUrl, tsa: sigstore.tsaUrl },
      write: (file, text) => written.set(file, text),
    });
    expect([...written.keys()]).toEqual(files.map((f) => p.join(dir, `${f.filename}.publish.attestation`)));
    expect(attestationPath(files[0]!.path)).toBe(p.join(dir, `${files[0]!.filename}.publish.attestation`));
    expect(sigstore.requests.slice(before).map((r) => `${r.path} ${r.status}`)).toEqual([
      '/api/v2/signingCert 201',
      '/api/v1/log/entries 201',
      '/api/v1/timestamp 201',
      '/api/v2/signingCert 201',
      '/api/v1/log/entries 201',
      '/api/v1/timestamp 201',
    ]);
    for (const [i, a] of attested.entries()) {
      expect(JSON.parse(written.get(a.path)!)).toEqual(a.attestation);
      const statement = attestedStatement(a.attestation);
      expect(statement.subject).toEqual([{ name: files[i]!.filename, digest: { sha256: files[i]!.sha256 } }]);
      expect(statement.predicateType).toBe(PUBLISH_PREDICATE);
      // Both the bundle as signed and the one rebuilt from the PEP 740 object verify.
      sigstore.verify(a.bundle, { identity: IDENTITY, timestamps: 2 });
      sigstore.verify(fromAttestation(a.attestation), { identity: IDENTITY });
    }
    // A tampered statement does not verify.
    const tampered = structuredClone(attested[0]!.attestation);
    tampered.envelope.statement = Buffer.from(
      Buffer.from(tampered.envelope.statement, 'base64').toString().replace('a'.repeat(64), 'c'.repeat(64)),
    ).toString('base64');
    expect(() => sigstore.verify(fromAttestation(tampered))).toThrow();
  }, 60_000);
});

it('PyPI`s pypi-attestations reads the attestation back, and checks its subject against the file', async () => {
  const dir = freshDir('attest-py');
  const file = path.join(dir, 'proj-1.0.0-py3-none-any.whl');
  writeFileSync(file, 'not really a wheel, but the digest is what is attested');
  const { sha256 } = await import('@ferrowheel/kit/files');
  const digest = sha256(Buffer.from('not really a wheel, but the digest is what is attested'));
  const [attested] = await attestDistributions({
    files: [{ filename: path.basename(file), sha256: digest, path: file }],
    identityToken,
    urls: { fulcio: sigstore.fulcioUrl, rekor: sigstore.rekorUrl, tsa: undefined },
    write: (f, text) => writeFileSync(f, text),
  });
  const script = path.join(import.meta.dirname, 'check_attestation.py');
  const out = execFileSync(tool('python'), [script, file, attested!.path], { encoding: 'utf8' });
  expect(out).toContain(`subject ok: ${path.basename(file)} ${digest}`);
  writeFileSync(file, 'other content');
  expect(() =>
    execFileSync(tool('python'), [script, file, attested!.path], { encoding: 'utf8', stdio: 'pipe' }),
  ).toThrow(/digest/);
}, 60_000);
