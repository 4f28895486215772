/** Verification through the simple index: its error says which 'index-url' was looked at and why. */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { runnerContext } from '@ferrowheel/kit/context';
import { UserError } from '@ferrowheel/kit/errors';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';
import { run } from '../src/run.js';
import { fakeWheel } from './integration/helpers.js';

/** An index that accepts every upload and lists nothing: the upload "went through" but is not served. */
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') res.writeHead(200).end('OK');
      else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body></body></html>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function inputs(values: Record<string, string>) {
  const workspace = freshDir('publish-verify');
  fakeWheel(workspace, 'demo-1.0-py3-none-any.whl', 'demo', '1.0');
  return readInputs(
    mapInputSource({ 'packages-dir': '.', token: 'secret', retries: '0', 'retry-delay-ms': '0', ...values }),
    runnerContext({ env: { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: workspace }, mask: () => {} }),
  );
}

describe('verify', () => {
  const deps = { sleep: async () => {} };

  it("names a derived index URL as derived from 'repository-url', and the fix", async () => {
    const publishing = run(inputs({ 'repository-url': `${base}/legacy/` }), deps);
    await expect(publishing).rejects.toThrow(UserError);
    await expect(publishing).rejects.toThrow(
      `Verification failed at ${base}/simple/: demo-1.0-py3-none-any.whl is not listed. The upload was accepted but the index does not serve the files as uploaded; 'index-url' is not set, so this URL was derived from 'repository-url': set 'index-url' to the simple API of that index (or set 'verify: false' for an index without one).`,
    );
  });

  it("points at the given 'index-url' when there is one", async () => {
    const publishing = run(
      inputs({ 'repository-url': `${base}/legacy/`, 'index-url': `${base}/pypi/` }),
      deps,
    );
    await expect(publishing).rejects.toThrow(
      "does not serve the files as uploaded; check 'index-url' points at the simple API of the index given in 'repository-url' (or set 'verify: false'",
    );
  });
});
