/**
 * publish's bundle against a real pypiserver (started here), with pip installing what was
 * published; faults injected by a proxy in front of the index.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type PypiServer, startFaultProxy, startPypiServer } from '@ferrowheel/harness/pypi-server';
import { runAction } from '@ferrowheel/harness/run-action';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { everything, listOutput, masked, read, setupPackages, workspaceWith } from './helpers.js';

let packages: string[];
const servers: { stop(): Promise<void> }[] = [];

beforeAll(() => {
  packages = setupPackages();
}, 600_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function index(options: Parameters<typeof startPypiServer>[0] = {}): Promise<PypiServer> {
  const server = await startPypiServer(options);
  servers.push(server);
  return server;
}

function publishInputs(server: PypiServer, url = server.uploadUrl, extra: Record<string, string> = {}) {
  return {
    'repository-url': url,
    username: server.username,
    token: server.password,
    'retry-delay-ms': '20',
    retries: '3',
    ...extra,
  };
}

describe('publish to a real pypiserver', () => {
  it('publishes wheel + sdist that pip installs; a re-run with skip-existing converges, without it names the file', async () => {
    const server = await index();
    const workspace = workspaceWith(packages);
    const first = await runAction('publish', { workspace, inputs: publishInputs(server) });
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    const published = listOutput(first, 'published');
    expect(published.map((p) => p.file).sort()).toEqual(packages.map((p) => path.basename(p)).sort());
    const wheelName = path.basename(packages[0]!);
    // Verified through the simple index: the URL is the index's own link to the file.
    expect(published.find((p) => p.file === wheelName)?.url).toContain(`/packages/${wheelName}`);
    const sums = read(path.join(workspace, 'dist', 'SHA256SUMS'));
    expect(first.outputs.sha256sums).toBe(path.join(workspace, 'dist', 'SHA256SUMS'));
    for (const p of published) expect(sums).toContain(`${p.sha256}  ${p.file}\n`);
    execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: path.join(workspace, 'dist') });
    expect(first.summary).toContain(wheelName);
    expect(first.summary).toContain(published[0]!.sha256);
    expect(everything(first)).not.toContain(server.password);
    expect(masked(first)).toContain(server.password);

    // A fresh venv installs the project from the index, and the extension works.
    const venv = path.join(freshDir('publish-venv'), 'venv');
    execFileSync('python3', ['-m', 'venv', venv]);
    execFileSync(
      path.join(venv, 'bin', 'pip'),
      [
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-cache-dir',
        '--index-url',
        server.simpleUrl,
        'setup',
      ],
      { stdio: 'pipe' },
    );
    const works = execFileSync(
      path.join(venv, 'bin', 'python'),
      ['-c', 'import setup; print(setup.it_works())'],
      {
        cwd: venv,
      },
    );
    expect(works.toString().trim()).toBe('True');

    const again = await runAction('publish', {
      workspace,
      inputs: publishInputs(server, undefined, { 'skip-existing': 'true' }),
    });
    expect(again.errors).toEqual([]);
    expect(again.exitCode).toBe(0);
    expect(listOutput(again, 'published')).toEqual([]);
    expect(
      listOutput(again, 'skipped')
        .map((s) => s.file)
        .sort(),
    ).toEqual(published.map((p) => p.file).sort());
    // Nothing duplicated on the index, and the project page still lists exactly the two files.
    expect(readdirSync(server.packagesDir).sort()).toEqual(published.map((p) => p.file).sort());
    expect((await (await fetch(`${server.simpleUrl}setup/`)).text()).match(/<a /g)).toHaveLength(2);

    const strict = await runAction('publish', { workspace, inputs: publishInputs(server) });
    expect(strict.exitCode).toBe(1);
    expect(strict.errors[0]).toContain(`${wheelName} already exists on 127.0.0.1:`);
    expect(strict.errors[0]).toContain("set 'skip-existing: true'");
    expect(everything(again) + everything(strict)).not.toContain(server.password);
  }, 300_000);

  it('reads a private index (listing needs credentials) with the upload credentials, to verify and to skip', async () => {
    const server = await index({ authenticate: ['update', 'list', 'download'] });
    const anonymous = await fetch(`${server.simpleUrl}setup/`);
    expect(anonymous.status).toBe(401);
    const workspace = workspaceWith(packages);
    const inputs = publishInputs(server, undefined, { 'skip-existing': 'true' });
    const first = await runAction('publish', { workspace, inputs });
    expect(first.errors).toEqual([]);
    expect(first.stdout).toContain('listed with the right SHA256');
    const again = await runAction('publish', { workspace, inputs });
    expect(again.errors).toEqual([]);
    expect(again.stdout).toContain(
      'already on the index with the same SHA256 (an earlier run delivered it), skipped',
    );
    expect(everything(first) + everything(again)).not.toContain(server.password);
  }, 120_000);

  it('reports wrong credentials as such (not as an index that is down), without leaking them', async () => {
    const server = await index();
    const run = await runAction('publish', {
      workspace: workspaceWith(packages),
      inputs: publishInputs(server, undefined, { token: 'pypi-wrong-token-123' }),
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/refused the upload of setup-0\.1\.0-\S+\.whl with HTTP 403/);
    expect(run.errors[0]).toContain(
      "Pass the whole token (pypi-...) from a secret scoped to this project with 'username: __token__'",
    );
    expect(everything(run)).not.toContain('pypi-wrong-token-123');
    expect(run.stdout).not.toContain('retrying');
  }, 60_000);

  it('retries an index that answers 500 a few times, then publishes', async () => {
    const server = await index();
    const proxy = await startFaultProxy(server.url);
    servers.push(proxy);
    proxy.failNext(2, { match: (r) => r.method === 'POST' });
    const run = await runAction('publish', {
      workspace: workspaceWith(packages),
      inputs: publishInputs(server, proxy.url),
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(listOutput(run, 'published')).toHaveLength(2);
    expect(proxy.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([
      500, 500, 200, 200,
    ]);
    expect(run.stdout).toContain('failed (HTTP 500); retrying in 20 ms');
    expect(run.stdout).toContain('failed (HTTP 500); retrying in 40 ms');
  }, 120_000);

  it('counts an upload whose answer was lost (then "already exists" on retry) as uploaded, not as an error', async () => {
    const server = await index();
    const proxy = await startFaultProxy(server.url);
    servers.push(proxy);
    proxy.failNext(1, { match: (r) => r.method === 'POST', status: 504, lostAnswer: true });
    const run = await runAction('publish', {
      workspace: workspaceWith(packages),
      inputs: publishInputs(server, proxy.url),
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(proxy.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([504, 409, 200]);
    expect(listOutput(run, 'published')).toHaveLength(2);
    expect(listOutput(run, 'skipped')).toEqual([]);
    expect(run.stdout).toContain(
      'uploaded (an earlier attempt went through; the index has it with the same SHA256)',
    );
  }, 120_000);

  it('fails clearly after bounded retries when the index goes down, and a re-run publishes the rest', async () => {
    const server = await index();
    const proxy = await startFaultProxy(server.url);
    servers.push(proxy);
    // The first upload goes through; then the index is down.
    proxy.down({ after: 1, match: (r) => r.method === 'POST' });
    const workspace = workspaceWith(packages);
    const inputs = publishInputs(server, proxy.url, { retries: '2', 'skip-existing': 'true' });
    const down = await runAction('publish', { workspace, inputs });
    expect(down.exitCode).toBe(1);
    const [wheel, sdist] = packages.map((p) => path.basename(p)) as [string, string];
    expect(down.errors[0]).toContain(`Uploading ${sdist} to 127.0.0.1:`);
    expect(down.errors[0]).toContain('failed after 3 attempts');
    expect(down.errors[0]).toContain("run the job again with 'skip-existing: true'");
    expect(down.errors[0]).toContain(`Already done in this run: ${wheel}`);
    expect(listOutput(down, 'published').map((p) => p.file)).toEqual([wheel]);
    expect(proxy.requests.filter((r) => r.status === 0)).toHaveLength(3);

    proxy.up();
    const resumed = await runAction('publish', { workspace, inputs });
    expect(resumed.errors).toEqual([]);
    expect(resumed.exitCode).toBe(0);
    expect(listOutput(resumed, 'skipped').map((p) => p.file)).toEqual([wheel]);
    expect(listOutput(resumed, 'published').map((p) => p.file)).toEqual([sdist]);
    expect(everything(down) + everything(resumed)).not.toContain(server.password);
  }, 120_000);
});
