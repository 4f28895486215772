/**
 * The stand-ins publish's tests rely on hold the line GitHub and PyPI do: immutable releases
 * answer 422 once published, drafts are invisible by tag, the index front refuses attestations
 * that do not name the uploaded file, and the local Sigstore only verifies what it signed.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { startGithubServer } from '../src/github-server.js';
import { attestationProblem, parseMultipart } from '../src/index-stand-in.js';
import { canonicalDsseEntry } from '../src/sigstore-server.js';

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
});

describe('releases stand-in with immutable releases', () => {
  it('keeps drafts editable and hidden by tag, then locks assets and tag once published (422)', async () => {
    const github = await startGithubServer({ githubToken: 't', immutableReleases: true });
    stops.push(github.stop);
    const auth = { Authorization: 'Bearer t' };
    const api = `${github.url}/repos/ferrowheel/ferrowheel/releases`;
    const call = (url: string, method = 'GET', body?: string) =>
      fetch(url, { method, headers: auth, ...(body !== undefined ? { body } : {}) });

    const created = await call(api, 'POST', JSON.stringify({ tag_name: 'v1', draft: true }));
    const draft = (await created.json()) as {
      id: number;
      upload_url: string;
      html_url: string;
      immutable: boolean;
    };
    expect(draft).toMatchObject({ immutable: false });
    expect(draft.html_url).toContain('/releases/tag/untagged-');
    expect((await call(`${api}/tags/v1`)).status).toBe(404);
    const listed = (await (await call(`${api}?per_page=100`)).json()) as { id: number; draft: boolean }[];
    expect(listed).toEqual([expect.objectContaining({ id: draft.id, draft: true })]);

    const upload = (name: string) =>
      call(`${draft.upload_url.replace(/\{.*$/, '')}?name=${name}`, 'POST', name);
    const asset = (await (await upload('a.txt')).json()) as { id: number };
    expect((await call(`${api}/assets/${asset.id}`, 'DELETE')).status).toBe(204);
    expect((await upload('a.txt')).status).toBe(201);

    const published = await call(`${api}/${draft.id}`, 'PATCH', JSON.stringify({ draft: false }));
    expect(await published.json()).toMatchObject({
      draft: false,
      immutable: true,
      html_url: expect.stringContaining('/tag/v1'),
    });
    expect((await call(`${api}/tags/v1`)).status).toBe(200);
    expect((await upload('b.txt')).status).toBe(422);
    const [kept] = github.releases[0]!.assets;
    expect((await call(`${api}/assets/${kept!.id}`, 'DELETE')).status).toBe(422);
    expect((await call(`${api}/${draft.id}`, 'PATCH', JSON.stringify({ tag_name: 'v2' }))).status).toBe(422);
    expect(github.releases[0]!.assets.map((a) => a.name)).toEqual(['a.txt']);
  }, 30_000);
});

describe('GitHub stand-in tokens', () => {
  it('every API takes the token one way: Bearer or token, nothing else, and no token lets nothing in', async () => {
    const github = await startGithubServer({ githubToken: 't' });
    const tokenless = await startGithubServer({ githubToken: '' });
    stops.push(github.stop, tokenless.stop);
    const repo = '/repos/ferrowheel/ferrowheel';
    const paths = [`${repo}/releases`, `${repo}/pulls`, `${repo}/actions/workflows/ci.yml/runs`];
    const status = async (base: string, route: string, authorization?: string) =>
      (await fetch(`${base}${route}`, authorization ? { headers: { authorization } } : {})).status;
    for (const route of paths) {
      expect(await status(github.url, route, 'Bearer t')).not.toBe(401);
      expect(await status(github.url, route, 'token t')).not.toBe(401);
      for (const refused of [undefined, 'Bearer u', 'Basic t', 'Bearer', 'Bearer  t'])
        expect([route, refused, await status(github.url, route, refused)]).toEqual([route, refused, 401]);
      expect([route, await status(tokenless.url, route, 'Bearer ')]).toEqual([route, 401]);
    }
  });
});

describe('index front', () => {
  const statement = (
    name: string,
    sha256: string,
    predicateType = 'https://docs.pypi.org/attestations/publish/v1',
  ) =>
    Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name, digest: { sha256 } }],
        predicateType,
      }),
    ).toString('base64');
  const attestation = (s: string) => ({
    version: 1,
    verification_material: { certificate: 'Y2VydA==', transparency_entries: [{}] },
    envelope: { statement: s, signature: 'c2ln' },
  });
  const file = { filename: 'demo-1.0.tar.gz', sha256: 'a'.repeat(64) };

  it('refuses attestations as Warehouse does: wrong name, wrong digest, unknown predicate, not one', () => {
    expect(attestationProblem([attestation(statement(file.filename, file.sha256))], file)).toBeUndefined();
    expect(attestationProblem([attestation(statement('demo-1.1.tar.gz', file.sha256))], file)).toContain(
      'subject does not match distribution name',
    );
    expect(attestationProblem([attestation(statement(file.filename, 'b'.repeat(64)))], file)).toBe(
      'subject does not match distribution digest',
    );
    expect(
      attestationProblem([attestation(statement(file.filename, file.sha256, 'https://x/y'))], file),
    ).toContain('unknown attestation type');
    expect(attestationProblem([], file)).toBe('expected one attestation, got 0');
    expect(
      attestationProblem([attestation(statement(file.filename, file.sha256))], file, () => {
        throw new Error('bad signature');
      }),
    ).toBe('the signature does not verify: bad signature');
  });

  it('reads the multipart form of an upload', () => {
    const body = Buffer.from(
      '--B\r\nContent-Disposition: form-data; name="name"\r\n\r\ndemo\r\n--B\r\nContent-Disposition: form-data; name="content"; filename="demo-1.0.tar.gz"\r\n\r\nxy\r\n--B--\r\n',
    );
    expect(parseMultipart(body, 'multipart/form-data; boundary=B')).toEqual([
      { name: 'name', data: Buffer.from('demo') },
      { name: 'content', filename: 'demo-1.0.tar.gz', data: Buffer.from('xy') },
    ]);
  });
});

it('logs a DSSE entry as Rekor stores it: hashes and signatures, not the proposal', () => {
  const envelope = JSON.stringify({
    payload: Buffer.from('{}').toString('base64'),
    payloadType: 't',
    signatures: [{ sig: 'c2ln' }],
  });
  const stored = JSON.parse(
    canonicalDsseEntry(
      JSON.stringify({
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: { proposedContent: { envelope, verifiers: ['cGVt'] } },
      }),
    ),
  );
  expect(stored.spec).toEqual({
    envelopeHash: { algorithm: 'sha256', value: createHash('sha256').update(envelope).digest('hex') },
    payloadHash: { algorithm: 'sha256', value: createHash('sha256').update('{}').digest('hex') },
    signatures: [{ signature: 'c2ln', verifier: 'cGVt' }],
  });
});
