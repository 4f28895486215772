/**
 * A publish killed (SIGKILL) in the middle of an upload to a real pypiserver, then run again with
 * skip-existing: the index ends with exactly one copy of each file, with the right hashes, and
 * the second run says which files the first had already delivered. The index front holds the
 * second upload, so the kill lands mid-upload every time: once the index has stored the file but
 * before its answer reaches the action (the first run never learns it delivered it), and once
 * halfway through the body.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startGithubServer } from '@ferrowheel/harness/github-server';
import { startPypiServer } from '@ferrowheel/harness/pypi-server';
import { runAction } from '@ferrowheel/harness/run-action';
import { sha256 } from '@ferrowheel/kit/files';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { listOutput, setupPackages, workspaceWith } from './helpers.js';

let packages: string[];
const servers: { stop(): Promise<void> }[] = [];

beforeAll(() => {
  packages = setupPackages();
}, 600_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function killedRun(at: 'body' | 'answer') {
  const pypi = await startPypiServer();
  servers.push(pypi);
  const front = await startGithubServer({ indexTarget: pypi.url });
  servers.push(front);
  const workspace = workspaceWith(packages);
  const inputs = {
    'repository-url': `${front.url}/`,
    username: pypi.username,
    token: pypi.password,
    'retry-delay-ms': '20',
  };
  let child: ChildProcess | undefined;
  let uploads = 0;
  const killed = front.index!.holdUpload(() => ++uploads === 2, at).then(() => child!.kill('SIGKILL'));
  const first = await runAction('publish', { workspace, inputs, onStart: (c) => (child = c) });
  await killed;
  expect(child!.signalCode).toBe('SIGKILL');
  expect(first.exitCode).not.toBe(0);
  const [delivered, cut] = front.index!.uploads.map((u) => u.filename) as [string, string];
  // Let the index finish with the dropped connection.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const second = await runAction('publish', { workspace, inputs: { ...inputs, 'skip-existing': 'true' } });
  return { pypi, front, delivered, cut, second };
}

it('converges after a SIGKILL while the last answer was on its way: one copy of each file, and the re-run names what the first delivered', async () => {
  const { pypi, front, delivered, cut, second } = await killedRun('answer');
  expect(front.index!.uploads.map((u) => u.status)).toEqual([200, 200]);
  expect(second.errors).toEqual([]);
  expect(second.exitCode).toBe(0);
  // Both files were delivered by the killed run, the second without it ever knowing.
  expect(listOutput(second, 'skipped').map((s) => s.file)).toEqual([delivered, cut]);
  expect(listOutput(second, 'published')).toEqual([]);
  expect(second.summary).toContain(
    `Already delivered by an earlier run (same SHA256 on the index): \`${delivered}\`, \`${cut}\``,
  );
  // Nothing was sent again; exactly one copy of each file, each with the local file's SHA256.
  expect(front.index!.uploads).toHaveLength(2);
  const stored = readdirSync(pypi.packagesDir).sort();
  expect(stored).toEqual(packages.map((p) => path.basename(p)).sort());
  for (const p of packages)
    expect(sha256(readFileSync(path.join(pypi.packagesDir, path.basename(p))))).toBe(sha256(readFileSync(p)));
  const listing = await (await fetch(`${pypi.simpleUrl}setup/`)).text();
  for (const p of packages) expect(listing.split(`>${path.basename(p)}<`).length - 1).toBe(1);
}, 180_000);

it('after a SIGKILL halfway through a body, pypiserver keeps a truncated file: the re-run recognises it and says to delete it, rather than calling it delivered', async () => {
  const { pypi, delivered, cut, second } = await killedRun('body');
  // pypiserver does not check sha256_digest (PyPI does), so the cut upload left a short file.
  const truncated = readFileSync(path.join(pypi.packagesDir, cut));
  const local = readFileSync(packages.find((p) => path.basename(p) === cut)!);
  expect(truncated.length).toBeLessThan(local.length);
  expect(second.exitCode).toBe(1);
  expect(second.errors[0]).toContain(`${cut} is already on 127.0.0.1:`);
  expect(second.errors[0]).toContain(
    `with different content (SHA256 ${sha256(truncated)}, the local file has ${sha256(local)})`,
  );
  expect(second.errors[0]).toContain(
    `The index's copy is the first ${truncated.length} of the file's ${local.length} bytes: an earlier upload was cut off`,
  );
  expect(second.errors[0]).toContain('Delete that file from the index');
  expect(listOutput(second, 'skipped').map((s) => s.file)).toEqual([delivered]);
}, 180_000);
