import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../src/errors.js';
import type { Os } from '../src/platform.js';
import { checkScriptInput, scriptCommand } from '../src/scripts.js';

const OSES: Os[] = ['linux', 'macos', 'windows'];
const dir = (os: Os) => (os === 'windows' ? 'D:\\a\\repo\\ci\\' : '/w/repo/ci/');

describe('scriptCommand', () => {
  describe.each(OSES)('on %s', (os) => {
    const at = (name: string) => `${dir(os)}${name}`;
    it.each([
      ['hook.sh', (s: string) => ({ program: 'bash', args: [s] })],
      ['hook.bash', (s: string) => ({ program: 'bash', args: [s] })],
      ['HOOK.SH', (s: string) => ({ program: 'bash', args: [s] })],
      ['hook.py', (s: string) => ({ program: os === 'windows' ? 'python' : 'python3', args: [s] })],
      ['hook.ps1', (s: string) => ({ program: 'pwsh', args: ['-NoProfile', '-NonInteractive', '-File', s] })],
      // Unquoted: one argv element, quoted (if at all) by the runner's argv quoting, once.
      ['hook.cmd', (s: string) => ({ program: 'cmd.exe', args: ['/d', '/c', s] })],
      ['hook.BAT', (s: string) => ({ program: 'cmd.exe', args: ['/d', '/c', s] })],
      ['hook', (s: string) => ({ program: s, args: [] })],
      ['hook.txt', (s: string) => ({ program: s, args: [] })],
      ['.hidden', (s: string) => ({ program: s, args: [] })],
    ])('%s', (name, want) => {
      expect(scriptCommand(at(name), os)).toEqual(want(at(name)));
    });

    it('runs a .py script with the Python given (the test venv), and only a .py script', () => {
      const python = os === 'windows' ? 'C:\\v\\Scripts\\python.exe' : '/v/bin/python';
      expect(scriptCommand(at('hook.py'), os, { python })).toEqual({
        program: python,
        args: [at('hook.py')],
      });
      expect(scriptCommand(at('hook.sh'), os, { python }).program).toBe('bash');
    });

    it('takes the extension of the last component only, with spaces in the path', () => {
      const odd = os === 'windows' ? 'D:\\a\\my.repo\\ci\\hook' : '/w/my.repo/ci/hook';
      expect(scriptCommand(odd, os)).toEqual({ program: odd, args: [] });
      const spaced = `${dir(os)}my hook.cmd`;
      expect(scriptCommand(spaced, os).args).toEqual(['/d', '/c', spaced]);
    });
  });
});

describe('checkScriptInput', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-scripts-'));
  const plain = path.join(root, 'prepare');
  const executable = path.join(root, 'prepare-x');
  const batch = path.join(root, 'hook.bat');
  const shell = path.join(root, 'hook.sh');
  writeFileSync(plain, 'echo\n');
  writeFileSync(executable, '#!/bin/sh\necho\n');
  chmodSync(executable, 0o755);
  writeFileSync(batch, 'echo\r\n');
  writeFileSync(shell, 'echo\n');

  const problem = (script: string, os: Os): string | undefined => {
    try {
      checkScriptInput('before-x', 'raw/value', script, os);
      return undefined;
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(InputError);
      return (thrown as Error).message;
    }
  };

  it('refuses a file without a known extension that is not executable (not on Windows)', () => {
    for (const os of ['linux', 'macos'] as const) {
      expect(problem(plain, os)).toBe(
        `Input 'before-x' names a file that is not executable and has no known extension (${plain}): got "raw/value". Make it executable (chmod +x, with a #! line), or name a .sh, .bash, .py, .ps1, .cmd or .bat script; give one path, no arguments.`,
      );
      expect(problem(executable, os)).toBeUndefined();
      expect(problem(shell, os)).toBeUndefined();
    }
    expect(problem(plain, 'windows')).toBeUndefined();
  });

  it('refuses a batch file except on Windows', () => {
    expect(problem(batch, 'windows')).toBeUndefined();
    for (const os of ['linux', 'macos'] as const) {
      expect(problem(batch, os)).toBe(
        `Input 'before-x' is a Windows batch file, which cannot run on ${os}: got "raw/value". Use a .sh, .bash, .py or .ps1 script, or run this step on Windows only.`,
      );
    }
  });
});
