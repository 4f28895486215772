import { UserError } from '@ferrowheel/kit/errors';
import { installCommand, venvCommand, venvScript } from '@ferrowheel/kit/python-installer';
import { describe, expect, it } from '@jest/globals';
import { chooseInstaller } from '../src/installer.js';

describe('chooseInstaller', () => {
  it('auto prefers uv on PATH and falls back to pip', () => {
    expect(chooseInstaller('auto', '/usr/bin/uv')).toEqual({ kind: 'uv', uv: '/usr/bin/uv' });
    expect(chooseInstaller('auto', undefined)).toEqual({ kind: 'pip' });
    expect(chooseInstaller('pip', '/usr/bin/uv')).toEqual({ kind: 'pip' });
  });

  it('fails with the fix when uv is asked for and missing', () => {
    expect(() => chooseInstaller('uv', undefined)).toThrow(UserError);
    expect(() => chooseInstaller('uv', undefined)).toThrow(
      "Input 'installer' is 'uv', but uv is not on PATH. Install it first (astral-sh/setup-uv), or set 'installer' to 'auto' or 'pip'.",
    );
  });
});

describe('venvCommand', () => {
  it('uses uv venv --python, or the interpreter itself with -m venv', () => {
    expect(venvCommand({ kind: 'uv', uv: 'uv' }, { python: '/py/bin/python3', venv: '/t/venv' })).toEqual({
      program: 'uv',
      args: ['venv', '--python', '/py/bin/python3', '/t/venv'],
    });
    expect(venvCommand({ kind: 'pip' }, { python: 'C:\\Py\\python.exe', venv: 'D:\\t\\venv' })).toEqual({
      program: 'C:\\Py\\python.exe',
      args: ['-m', 'venv', 'D:\\t\\venv'],
    });
  });
});

describe('installCommand', () => {
  const requirements = ['/dist/setup-0.1.0-cp312-cp312-win_amd64.whl'];

  it('pip: the venv python (bin/ or Scripts\\python.exe) -m pip, flags before requirements', () => {
    expect(
      installCommand(
        { kind: 'pip' },
        { os: 'linux', venv: '/t/venv', requirements, noIndex: true, noDeps: true },
      ),
    ).toEqual({
      program: '/t/venv/bin/python',
      args: [
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--no-input',
        '--no-index',
        '--no-deps',
        ...requirements,
      ],
    });
    expect(installCommand({ kind: 'pip' }, { os: 'windows', venv: 'D:\\t\\venv', requirements })).toEqual({
      program: 'D:\\t\\venv\\Scripts\\python.exe',
      args: ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', ...requirements],
    });
    expect(installCommand({ kind: 'pip' }, { os: 'macos', venv: '/t/venv', requirements }).program).toBe(
      '/t/venv/bin/python',
    );
  });

  it('uv: uv pip install --python pointing into the venv', () => {
    expect(
      installCommand(
        { kind: 'uv', uv: '/bin/uv' },
        { os: 'windows', venv: 'D:\\t\\venv', requirements, noIndex: true },
      ),
    ).toEqual({
      program: '/bin/uv',
      args: ['pip', 'install', '--python', 'D:\\t\\venv\\Scripts\\python.exe', '--no-index', ...requirements],
    });
    expect(
      installCommand({ kind: 'uv', uv: 'uv' }, { os: 'linux', venv: '/t/v', requirements: ['pytest'] }).args,
    ).toEqual(['pip', 'install', '--python', '/t/v/bin/python', 'pytest']);
  });

  it("findLinks: only that wheelhouse, never an index (a container's), with uv and pip alike", () => {
    const options = {
      os: 'linux',
      venv: '/t/v',
      requirements: ['pytest'],
      findLinks: '/w/wheelhouse',
    } as const;
    expect(installCommand({ kind: 'uv', uv: 'uv' }, options).args).toEqual([
      'pip',
      'install',
      '--python',
      '/t/v/bin/python',
      '--no-index',
      '--find-links',
      '/w/wheelhouse',
      'pytest',
    ]);
    expect(installCommand({ kind: 'pip' }, { ...options, noIndex: true, noDeps: true }).args).toEqual([
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--no-index',
      '--find-links',
      '/w/wheelhouse',
      '--no-deps',
      'pytest',
    ]);
  });
});

describe('venvScript', () => {
  it('finds console scripts in bin/ or Scripts\\ with .exe', () => {
    expect(venvScript('linux', '/t/venv', 'pytest')).toBe('/t/venv/bin/pytest');
    expect(venvScript('macos', '/t/venv', 'pytest')).toBe('/t/venv/bin/pytest');
    expect(venvScript('windows', 'D:\\t\\venv', 'pytest')).toBe('D:\\t\\venv\\Scripts\\pytest.exe');
  });
});
