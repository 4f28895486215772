/**
 * The rustup installer path for real: the installer is downloaded over HTTP (from a local server
 * standing in for sh.rustup.rs) and run with an argv, as on a runner without rustup.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import { childEnv, exec } from '@ferrowheel/kit/exec';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { installRustup, rustupInstallPlan } from '../src/rustup.js';

// Stands in for rustup-init: records its arguments where CARGO_HOME says.
const SCRIPT = '#!/bin/sh\nmkdir -p "$CARGO_HOME/bin"\necho "$@" > "$CARGO_HOME/bin/rustup-args"\n';

let url: string;
const server = createServer((req, res) => {
  if (req.url === '/rustup-init.sh') {
    res.writeHead(200, { 'Content-Type': 'text/x-sh' });
    res.end(SCRIPT);
  } else {
    res.writeHead(404);
    res.end('not found');
  }
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('installRustup', () => {
  it('downloads the installer and runs it with the plan argv', async () => {
    const temp = mkdtempSync(path.join(tmpdir(), 'rustup-init-'));
    const cargoHome = path.join(temp, 'cargo');
    const plan = { ...rustupInstallPlan({ os: 'linux', arch: 'x86_64' }, { tempDir: temp, host: 'x' }) };
    plan.url = `${url}/rustup-init.sh`;
    await installRustup(plan, { exec, env: childEnv({ CARGO_HOME: cargoHome }) });
    expect(existsSync(plan.file)).toBe(true);
    expect(readFileSync(path.join(cargoHome, 'bin', 'rustup-args'), 'utf8').trim()).toBe(
      '-y --no-modify-path --default-toolchain none --profile minimal',
    );
  });

  it('explains a download that fails', async () => {
    const temp = mkdtempSync(path.join(tmpdir(), 'rustup-init-'));
    const plan = { ...rustupInstallPlan({ os: 'linux', arch: 'x86_64' }, { tempDir: temp, host: 'x' }) };
    plan.url = `${url}/missing.sh`;
    await expect(installRustup(plan, { exec, env: childEnv() })).rejects.toThrow(UserError);
    await expect(installRustup(plan, { exec, env: childEnv() })).rejects.toThrow(
      /^rustup is not installed and its installer could not be downloaded from http:\/\/127\.0\.0\.1:\d+\/missing\.sh \(HTTP 404\)\. A runner that cannot reach static\.rust-lang\.org/,
    );
  });
});
