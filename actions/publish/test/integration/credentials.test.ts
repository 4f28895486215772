/**
 * Credentials and an index that echoes them (issue 9, class 2), through the bundle: the upload
 * endpoint answers 403 with a page quoting the request — path token, Authorization header, the
 * token itself over several lines — and none of it may reach the log, the error or an output.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runAction } from '@ferrowheel/harness/run-action';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { everything, fakeWheel, listOutput, masked } from './helpers.js';

const TOKEN = 'pypi-AgEIcHlwaS5vcmcCJDU2ZmQ3ZjM5LTFiYzYtNGQ';
const PATH_TOKEN = '1a2B3c4D5e6F7g8H9i0J';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8');
    if (req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end(`<pre>no page at ${req.url}</pre>`);
      return;
    }
    // The path, the user:token pair and the header it came in, over several lines.
    res.writeHead(403, { 'content-type': 'text/html' });
    res.end(
      `<html><body><pre>Invalid or non-existent authentication information.\n` +
        `url: ${req.url}\nuser:token = ${decoded}\nauthorization: ${auth}</pre></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function workspaceWithWheel(): string {
  const workspace = freshDir('publish-creds');
  mkdirSync(path.join(workspace, 'dist'));
  fakeWheel(path.join(workspace, 'dist'), 'demo-1.0-py3-none-any.whl', 'demo', '1.0');
  return workspace;
}

describe('publish with an index that echoes the credentials', () => {
  it('keeps the token, the Basic value and the path token out of everything shown', async () => {
    const run = await runAction('publish', {
      workspace: workspaceWithWheel(),
      inputs: {
        'repository-url': `${base}/${PATH_TOKEN}/legacy/`,
        token: TOKEN,
        verify: 'false',
        retries: '0',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(listOutput(run, 'published')).toEqual([]);
    const shown = everything(run);
    const basic = Buffer.from(`__token__:${TOKEN}`).toString('base64');
    for (const secret of [TOKEN, basic, PATH_TOKEN]) {
      expect(shown).not.toContain(secret);
    }
    expect(masked(run)).toEqual(expect.arrayContaining([TOKEN, PATH_TOKEN, basic]));
    // The error still quotes the index, redacted.
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain('refused the upload of demo-1.0-py3-none-any.whl with HTTP 403');
    expect(run.errors[0]).toContain('user:token = __token__:***');
  }, 60_000);

  it('refuses a token with a line break, before any request, without showing it', async () => {
    const run = await runAction('publish', {
      workspace: workspaceWithWheel(),
      inputs: { 'repository-url': `${base}/legacy/`, token: `${TOKEN}\nsecond-line-of-it` },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      "Input 'token' holds a line break, and a token is one line: got \"***\". Store the token in the secret on one line, with no line break inside it, and pass it as 'token: ${{ secrets.NAME }}'.",
    ]);
    expect(everything(run)).not.toContain(TOKEN);
    expect(everything(run)).not.toContain('second-line-of-it');
    expect(run.outputs).toEqual({});
  }, 30_000);
});
