/** The local index and GitHub stand-ins hold the line a real service would: auth, faults, protocol. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { startGithubServer } from '../src/github-server.js';
import { startFaultProxy, startPypiServer } from '../src/pypi-server.js';

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
});

// One buffer, not a streamed FormData: pypiserver answers a refused upload without reading the body.
const BOUNDARY = 'b0undary';
function uploadForm(): Uint8Array {
  const part = (name: string, extra: string, value: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n${value}\r\n`;
  return Buffer.from(
    `${part(':action', '', 'file_upload')}${part('content', '; filename="demo-1.0.tar.gz"', 'x')}--${BOUNDARY}--\r\n`,
  );
}
const FORM = { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` };

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('startPypiServer', () => {
  it('serves a simple index and takes uploads only with the htpasswd credentials', async () => {
    const server = await startPypiServer();
    stops.push(server.stop);
    expect((await fetch(server.simpleUrl)).status).toBe(200);
    expect(
      (await fetch(server.uploadUrl, { method: 'POST', body: uploadForm(), headers: FORM })).status,
    ).toBe(401);
    const wrong = await fetch(server.uploadUrl, {
      method: 'POST',
      body: uploadForm(),
      headers: { ...FORM, Authorization: basic(server.username, 'wrong') },
    });
    expect(wrong.status).toBe(403);
    const right = await fetch(server.uploadUrl, {
      method: 'POST',
      body: uploadForm(),
      headers: { ...FORM, Authorization: basic(server.username, server.password) },
    });
    expect(right.status).toBe(200);
    expect(await (await fetch(`${server.simpleUrl}demo/`)).text()).toContain('demo-1.0.tar.gz#sha256=');

    const proxy = await startFaultProxy(server.url);
    stops.push(proxy.stop);
    proxy.failNext(1, { status: 503 });
    expect((await fetch(`${proxy.url}simple/`)).status).toBe(503);
    expect((await fetch(`${proxy.url}simple/`)).status).toBe(200);
    proxy.down();
    await expect(fetch(`${proxy.url}simple/`)).rejects.toThrow('fetch failed');
    proxy.up();
    expect((await fetch(`${proxy.url}simple/`)).status).toBe(200);
    expect(proxy.requests.map((r) => r.status)).toEqual([503, 200, 0, 200]);
  }, 60_000);
});

describe('startGithubServer', () => {
  it('issues OIDC tokens only for the request token, mints only for tokens it issued, guards the releases API', async () => {
    const github = await startGithubServer({ githubToken: 'ght', mintedToken: 'minted' });
    stops.push(github.stop);
    expect((await fetch(`${github.oidcRequestUrl}&audience=pypi`)).status).toBe(401);
    const issued = await fetch(`${github.oidcRequestUrl}&audience=pypi`, {
      headers: { Authorization: `Bearer ${github.oidcRequestToken}` },
    });
    const { value } = (await issued.json()) as { value: string };
    expect(JSON.parse(Buffer.from(value.split('.')[1]!, 'base64url').toString()).aud).toBe('pypi');
    const mint = (token: string) =>
      fetch(`${github.url}/_/oidc/mint-token`, { method: 'POST', body: JSON.stringify({ token }) });
    expect((await mint('forged.token.x')).status).toBe(422);
    expect(await (await mint(value)).json()).toMatchObject({ success: true, token: 'minted' });

    const releases = `${github.url}/repos/ferrowheel/ferrowheel/releases`;
    expect((await fetch(`${releases}/tags/v1`)).status).toBe(401);
    const auth = { Authorization: 'Bearer ght' };
    expect((await fetch(`${releases}/tags/v1`, { headers: auth })).status).toBe(404);
    const created = await fetch(releases, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ tag_name: 'v1' }),
    });
    expect(created.status).toBe(201);
    const { upload_url } = (await created.json()) as { upload_url: string };
    const upload = await fetch(`${upload_url.replace(/\{.*$/, '')}?name=a.txt`, {
      method: 'POST',
      headers: auth,
      body: 'abc',
    });
    expect(await upload.json()).toMatchObject({
      name: 'a.txt',
      size: 3,
      digest: 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    expect(github.requests.map((r) => r.status)).toEqual([401, 200, 422, 200, 401, 404, 201, 201]);
  }, 60_000);
});
