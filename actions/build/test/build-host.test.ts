import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import { dockerEngineAvailable, resolveExecutable, rustcRelease } from '../src/build-host.js';

describe('resolveExecutable', () => {
  it('finds a command on PATH, takes a path as is, and says undefined otherwise', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'exe-'));
    const maturin = path.join(dir, 'maturin');
    writeFileSync(maturin, '');
    chmodSync(maturin, 0o755);
    const env = { PATH: ['/nonexistent', dir].join(path.delimiter) };
    expect(resolveExecutable('maturin', env)).toBe(maturin);
    expect(resolveExecutable(maturin, {})).toBe(maturin);
    expect(resolveExecutable('not-there', env)).toBeUndefined();
    expect(resolveExecutable(path.join(dir, 'nope'), env)).toBeUndefined();
  });
});

describe('rustcRelease', () => {
  it('reads the release line of rustc -vV', () => {
    expect(rustcRelease('rustc 1.95.0 (abc 2026-10-01)\nbinary: rustc\nrelease: 1.95.0\nhost: x')).toBe(
      '1.95.0',
    );
    expect(rustcRelease(undefined)).toBeUndefined();
  });
});

describe('dockerEngineAvailable', () => {
  it('needs a server, not only a client', async () => {
    const clientOnly: Exec = async () => ({
      exitCode: 1,
      stdout: '',
      stderr: 'Cannot connect to the Docker daemon',
    });
    const missing: Exec = async () => {
      throw new Error('docker: not found');
    };
    const engine: Exec = async () => ({ exitCode: 0, stdout: '27.3.1\n', stderr: '' });
    expect(await dockerEngineAvailable(clientOnly)).toBe(false);
    expect(await dockerEngineAvailable(missing)).toBe(false);
    expect(await dockerEngineAvailable(engine)).toBe(true);
  });
});
