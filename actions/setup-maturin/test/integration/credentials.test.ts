/**
 * A token in index-url's path or query (issue 9, class 2), through the bundle: an index stand-in
 * that echoes the request (path, query, headers) in its error page must not get the token into
 * the log, the error or an output; the runner is asked to mask each part first.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAction } from '@ferrowheel/harness/run-action';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const PATH_TOKEN = '1a2B3c4D5e6F7g8H9i0J';
const QUERY_TOKEN = 'q5-query-secret';

let server: Server;
let base: string;

beforeAll(async () => {
  // Refuses everything, quoting the request back over several lines, as careless servers do.
  server = createServer((req, res) => {
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end(`forbidden\nrequested: ${req.url}\nheaders: ${JSON.stringify(req.headers)}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('setup-maturin with a token in index-url', () => {
  it('masks the path and query tokens, and no line of the run shows them', async () => {
    const run = await runAction('setup-maturin', {
      workspace: freshDir('setup-maturin-creds'),
      toolCache: freshDir('empty-tc'),
      inputs: { 'index-url': `${base}/${PATH_TOKEN}/acct/?token=${QUERY_TOKEN}`, version: '1.16.0' },
    });
    expect(run.exitCode).toBe(1);
    const masks = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => l.slice('::add-mask::'.length));
    expect(masks).toEqual(expect.arrayContaining([PATH_TOKEN, QUERY_TOKEN]));
    // The runner consumes ::add-mask:: lines; everything else must be clean.
    const shown = [
      ...run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')),
      run.stderr,
      run.summary,
      JSON.stringify(run.outputs),
    ].join('\n');
    expect(shown).not.toContain(PATH_TOKEN);
    expect(shown).not.toContain(QUERY_TOKEN);
    // The error still says what happened, with the credentials as ***.
    expect(run.errors.join('\n')).toContain('answered HTTP 403');
    expect(run.errors.join('\n')).toContain('/***/?token=***');
    expect(run.errors.join('\n')).not.toContain('acct');
  }, 60_000);
});
