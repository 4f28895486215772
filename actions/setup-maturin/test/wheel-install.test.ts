import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writePythonZip } from '@ferrowheel/harness/python-archives';
import type { ReleaseFile } from '@ferrowheel/kit/package-index';
import { installFromWheel } from '@ferrowheel/kit/wheel-install';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WHEEL_ADVICE } from '../src/install-tool.js';
import { TOOLS, wheelLayout } from '../src/tools.js';

const dir = mkdtempSync(path.join(tmpdir(), 'setup-maturin-wheel-'));

/** A real zip shaped like maturin's wheel (the binary is a small shell script here). */
function makeWheel(name: string, members: Record<string, string>): Buffer {
  const file = path.join(dir, name);
  writePythonZip(file, {
    compression: 'deflated',
    entries: Object.entries(members).map(([name, text]) => ({ name, text })),
  });
  return readFileSync(file);
}

const good = makeWheel('good.whl', {
  'maturin/__init__.py': '',
  'maturin-1.16.0.data/scripts/maturin': '#!/bin/sh\necho "maturin 1.16.0"\n',
  'maturin-1.16.0.dist-info/RECORD': '',
});
const empty = makeWheel('empty.whl', { 'maturin/__init__.py': '' });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let base = '';
const server = createServer((req, res) => {
  const body = req.url === '/good.whl' ? good : req.url === '/empty.whl' ? empty : undefined;
  if (body) res.writeHead(200).end(body);
  else res.writeHead(404).end();
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const file = (name: string, sha256: string): ReleaseFile => ({
  filename: 'maturin-1.16.0-py3-none-manylinux_2_12_x86_64.whl',
  url: `${base}/${name}`,
  sha256,
  yanked: false,
});
const layout = wheelLayout(TOOLS.maturin, 'linux');
const install = (f: ReleaseFile) => {
  const target = mkdtempSync(path.join(dir, 'install-'));
  return {
    target,
    done: installFromWheel(
      f,
      layout,
      { downloadDir: path.join(target, 'dl'), installDir: path.join(target, 'out') },
      { log: () => {}, advice: WHEEL_ADVICE, retry: { attempts: 1 } },
    ),
  };
};

describe('installFromWheel', () => {
  it('downloads, verifies and extracts only the executable binary', async () => {
    const { target, done } = install(file('good.whl', sha(good)));
    expect(await done).toBe(1);
    const program = path.join(target, 'out', 'maturin');
    expect(statSync(program).mode & 0o111).not.toBe(0);
    expect(execFileSync(program, ['--version'], { encoding: 'utf8' })).toBe('maturin 1.16.0\n');
    expect(existsSync(path.join(target, 'dl', file('good.whl', '').filename))).toBe(false);
  });

  it('refuses a download whose SHA256 differs, and extracts nothing', async () => {
    const wrong = '0'.repeat(64);
    const { target, done } = install(file('good.whl', wrong));
    await expect(done).rejects.toThrow(
      `SHA256 mismatch for maturin-1.16.0-py3-none-manylinux_2_12_x86_64.whl from ${base}/good.whl: the index published ${wrong}, the download is ${sha(good)}. The file was not installed.`,
    );
    expect(existsSync(path.join(target, 'out'))).toBe(false);
  });

  it('refuses a file the index published no digest for', async () => {
    await expect(install(file('good.whl', '')).done).rejects.toThrow(
      'The index published no SHA256 digest for maturin-1.16.0-py3-none-manylinux_2_12_x86_64.whl, so it cannot be verified and was not installed.',
    );
  });

  it('says so when the wheel lacks the binary', async () => {
    await expect(install(file('empty.whl', sha(empty))).done).rejects.toThrow(
      "maturin-1.16.0-py3-none-manylinux_2_12_x86_64.whl does not contain maturin where expected; it cannot be installed from its wheel. Set 'method: venv' to install it with pip instead.",
    );
  });

  it('reports an HTTP error', async () => {
    await expect(install(file('missing.whl', 'x')).done).rejects.toThrow(
      `${base}/missing.whl answered HTTP 404`,
    );
  });
});
