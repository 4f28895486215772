import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../src/errors.js';
import {
  envInputSource,
  getBoolean,
  getEnum,
  getInteger,
  getList,
  getProgram,
  getString,
  getUrlInput,
  getVersionConstraint,
  getWorkspacePath,
  hasControlCharacter,
  MAX_INPUT_LENGTH,
  mapInputSource,
  maskedUrlText,
  splitList,
} from '../src/inputs.js';

const source = (values: Record<string, string>) => mapInputSource(values);

/** Runs `fn`, expects an InputError, returns its message. */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(InputError);
    return thrown as InputError;
  }
  throw new Error('expected an InputError');
}

describe('envInputSource', () => {
  it('reads INPUT_ variables the way the runner names them', () => {
    const read = envInputSource({ 'INPUT_WORKING-DIRECTORY': 'x', INPUT_PYTEST_ARGS: 'y' });
    expect(read('working-directory')).toBe('x');
    expect(read('pytest args')).toBe('y');
    expect(read('missing')).toBeUndefined();
  });
});

describe('getString', () => {
  it('trims, and gives the default for empty', () => {
    expect(getString(source({ a: '  v \n' }), 'a')).toBe('v');
    expect(getString(source({ a: '   ' }), 'a', { default: 'd' })).toBe('d');
  });
  it('names the input when a required one is missing', () => {
    const error = inputError(() => getString(source({}), 'token', { required: true }));
    expect(error.message).toBe(`Input 'token' is required: got "". Set 'token' in the step's 'with:'.`);
  });
  it("refuses a value past the input's length, showing its start and length", () => {
    const long = 'x'.repeat(MAX_INPUT_LENGTH + 1);
    expect(inputError(() => getString(source({ a: long }), 'a')).message).toBe(
      `Input 'a' is ${long.length} characters long, more than the ${MAX_INPUT_LENGTH} it takes: got "${'x'.repeat(60)}"… (${long.length} characters). Give a shorter value; check that a file's content or a whole step output did not end up here.`,
    );
    expect(getString(source({ a: 'x'.repeat(MAX_INPUT_LENGTH) }), 'a')).toHaveLength(MAX_INPUT_LENGTH);
    const key = inputError(() =>
      getString(source({ k: 'k'.repeat(11) }), 'k', { maxLength: 10, maxLengthReason: 'a reason' }),
    );
    expect(key.message).toMatch(
      /^Input 'k' is 11 characters long, more than the 10 it takes \(a reason\): got "k{11}"\. /,
    );
  });
});

describe('getBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['1', true],
    ['false', false],
    ['Off', false],
    ['0', false],
  ])('reads %s as %s', (raw, expected) => {
    expect(getBoolean(source({ b: raw }), 'b', !expected)).toBe(expected);
  });
  it('gives the default when empty', () => {
    expect(getBoolean(source({}), 'b', true)).toBe(true);
    expect(getBoolean(source({ b: '' }), 'b', false)).toBe(false);
  });
  it('rejects other words, naming input, value and the allowed values', () => {
    const error = inputError(() => getBoolean(source({ sdist: 'maybe' }), 'sdist', false));
    expect(error.message).toBe(`Input 'sdist' is not a boolean: got "maybe". Use 'true' or 'false'.`);
    expect(error.input).toBe('sdist');
    expect(error.value).toBe('maybe');
  });
});

describe('getEnum', () => {
  const allowed = ['auto', 'uv', 'pip'] as const;
  it('matches case-insensitively and returns the canonical word', () => {
    expect(getEnum(source({ installer: 'UV' }), 'installer', allowed, 'auto')).toBe('uv');
    expect(getEnum(source({}), 'installer', allowed, 'auto')).toBe('auto');
  });
  it('fails on an unknown word instead of falling back silently', () => {
    const error = inputError(() => getEnum(source({ installer: 'poetry' }), 'installer', allowed, 'auto'));
    expect(error.message).toBe(
      `Input 'installer' is not one of the allowed values: got "poetry". Use one of: auto, uv, pip.`,
    );
  });
});

describe('getInteger', () => {
  const bounds = { min: 1, max: 10, default: 3 };
  it('reads numbers within bounds', () => {
    expect(getInteger(source({ n: '7' }), 'n', bounds)).toBe(7);
    expect(getInteger(source({}), 'n', bounds)).toBe(3);
  });
  it('rejects non-numbers and out-of-range values', () => {
    expect(inputError(() => getInteger(source({ n: 'seven' }), 'n', bounds)).message).toBe(
      `Input 'n' is not a whole number: got "seven". Use a number from 1 to 10.`,
    );
    expect(inputError(() => getInteger(source({ n: '11' }), 'n', bounds)).message).toBe(
      `Input 'n' is out of range: got "11". Use a number from 1 to 10.`,
    );
  });
});

describe('lists', () => {
  it('splits on commas, spaces and newlines, drops comments and duplicates', () => {
    expect(splitList('3.9, 3.13\n 3.12 # newest stable\n3.9')).toEqual(['3.9', '3.13', '3.12']);
    expect(splitList('')).toEqual([]);
  });
  it('validates each item and names the bad one', () => {
    const validate = (item: string) => (/^3\.\d+$/.test(item) ? undefined : 'is not a Python version');
    expect(getList(source({ v: '3.9 3.13' }), 'v', { validate })).toEqual(['3.9', '3.13']);
    const error = inputError(() =>
      getList(source({ v: '3.9 python3' }), 'v', { validate, allowed: 'Use versions like 3.12.' }),
    );
    expect(error.message).toBe(`Input 'v' is not a Python version: got "python3". Use versions like 3.12.`);
  });
});

describe('getWorkspacePath', () => {
  const exists = (p: string) =>
    p === '/ws/examples/setup' ? 'directory' : p === '/ws/README.md' ? 'file' : undefined;
  it('resolves inside the workspace, defaulting to its root', () => {
    expect(getWorkspacePath(source({ wd: 'examples/setup' }), 'wd', { workspace: '/ws' })).toBe(
      '/ws/examples/setup',
    );
    expect(getWorkspacePath(source({}), 'wd', { workspace: '/ws' })).toBe('/ws');
    // A directory whose name starts with two dots is still inside.
    expect(getWorkspacePath(source({ wd: '..cache/wheels' }), 'wd', { workspace: '/ws' })).toBe(
      '/ws/..cache/wheels',
    );
  });
  it('refuses a path that leaves the workspace', () => {
    const error = inputError(() =>
      getWorkspacePath(source({ wd: '../elsewhere' }), 'wd', { workspace: '/ws' }),
    );
    expect(error.message).toBe(
      `Input 'wd' points outside the workspace (/ws): got "../elsewhere". Use a path relative to the repository root, inside the checkout.`,
    );
    expect(() => getWorkspacePath(source({ wd: '/etc' }), 'wd', { workspace: '/ws' })).toThrow(InputError);
  });
  it('resolves against a base inside the workspace, with the fix the input gives', () => {
    const options = { workspace: '/ws', base: '/ws/examples/setup', outsideFix: 'Stay inside.' };
    expect(getWorkspacePath(source({ out: 'dist' }), 'out', options)).toBe('/ws/examples/setup/dist');
    expect(getWorkspacePath(source({ out: '../../wheels' }), 'out', options)).toBe('/ws/wheels');
    expect(inputError(() => getWorkspacePath(source({ out: '../../../x' }), 'out', options)).message).toBe(
      `Input 'out' points outside the workspace (/ws): got "../../../x". Stay inside.`,
    );
  });
  it('checks existence and kind when asked', () => {
    expect(
      getWorkspacePath(source({ wd: 'examples/setup' }), 'wd', {
        workspace: '/ws',
        mustExist: 'directory',
        exists,
      }),
    ).toBe('/ws/examples/setup');
    expect(
      inputError(() =>
        getWorkspacePath(source({ wd: 'nope' }), 'wd', { workspace: '/ws', mustExist: 'directory', exists }),
      ).message,
    ).toBe(
      `Input 'wd' does not exist (looked for /ws/nope): got "nope". Check the path; did an earlier step check out the repository?`,
    );
    expect(
      inputError(() =>
        getWorkspacePath(source({ wd: 'README.md' }), 'wd', {
          workspace: '/ws',
          mustExist: 'directory',
          exists,
        }),
      ).message,
    ).toBe(`Input 'wd' is a file, not a directory: got "README.md". Give the path of a directory.`);
  });
});

describe('getVersionConstraint', () => {
  it.each([
    ['1.16.0', '==1.16.0'],
    ['v1.16.0', '==1.16.0'],
    ['>=1.6,<2', '>=1.6,<2'],
    ['>= 1.6, < 2', '>=1.6,<2'],
    ['~=1.8', '~=1.8'],
    ['==1.16.*', '==1.16.*'],
    ['latest', 'latest'],
    ['LATEST', 'latest'],
    ['', ''],
  ])('reads %j as %j', (raw, expected) => {
    expect(getVersionConstraint(source({ version: raw }), 'version')).toBe(expected);
  });
  it.each(['>=', 'one.two', '>>1.0', '1.6 2.0'])('rejects %j with the fix', (raw) => {
    const error = inputError(() => getVersionConstraint(source({ version: raw }), 'version'));
    expect(error.message).toContain(
      `Input 'version' is not a version or a PEP 440 version constraint: got ${JSON.stringify(raw)}.`,
    );
    expect(error.message).toContain("'>=1.6,<2'");
  });
});

describe('getString and line breaks', () => {
  it('refuses a line break in a single-line input, naming the input and the value', () => {
    for (const value of ['dist\n::add-path::/tmp/evil', 'a\rb', 'x\r\n::error::y']) {
      const error = inputError(() => getString(source({ 'out-dir': value }), 'out-dir'));
      expect(error.message).toContain("Input 'out-dir' holds a line break");
      expect(error.message).toContain(JSON.stringify(value.trim()));
      expect(error.message).toContain('on one line');
    }
  });
  it('keeps line breaks where the input takes several lines, and around the value', () => {
    expect(getString(source({ r: 'a\nb' }), 'r', { multiLine: true })).toBe('a\nb');
    expect(getString(source({ v: '\n  x \n' }), 'v')).toBe('x');
    expect(getList(source({ l: 'a\nb' }), 'l')).toEqual(['a', 'b']);
  });
  it('refuses a line break in every single-line helper', () => {
    const bad = source({ b: 'true\n::error::x', e: 'a\nb', n: '1\n2', v: '1.0\n' + '::x' });
    expect(() => getBoolean(bad, 'b', false)).toThrow(InputError);
    expect(() => getEnum(bad, 'e', ['a'], 'a')).toThrow(InputError);
    expect(() => getInteger(bad, 'n', { min: 0, max: 9, default: 1 })).toThrow(InputError);
    expect(() => getVersionConstraint(bad, 'v')).toThrow(InputError);
  });
});

describe('getProgram', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-program-'));
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const tool = path.join(bin, 'my tool');
  writeFileSync(tool, '#!/bin/sh\n');
  chmodSync(tool, 0o755);
  const plain = path.join(dir, 'plain.txt');
  writeFileSync(plain, '');
  writeFileSync(path.join(bin, 'fwtool'), '#!/bin/sh\n');
  chmodSync(path.join(bin, 'fwtool'), 0o755);
  const options = { base: dir, os: 'linux' as const, env: { PATH: bin }, default: 'dflt', what: 'the tool' };
  const program = (value: string) => getProgram(source({ p: value }), 'p', options);

  it('takes a path (relative to base, spaces and all) to an executable file, or a command on PATH', () => {
    expect(program(tool)).toBe(tool);
    expect(program('bin/my tool')).toBe(tool);
    expect(program('fwtool')).toBe('fwtool');
    expect(program('')).toBe('dflt');
  });
  it.each([
    ['/bin/sh -c "touch MARKER"', 'names no file'],
    ['sh -c "touch MARKER"', 'is not one program'],
    ["python3 -c 'import os'", 'is not one program'],
    ['fw-not-on-path', 'is not a command found on PATH'],
    ['bin', 'is not a command found on PATH'],
    ['./bin', 'names a directory'],
    ['plain.txt', 'is not a command found on PATH'],
    ['./plain.txt', 'names a file that is not executable'],
    ['bin/my tool --version', 'names no file'],
  ])('refuses %j: %s', (value, problem) => {
    const error = inputError(() => program(value));
    expect(error.message).toContain(`Input 'p' ${problem}`);
    expect(error.message).toContain(JSON.stringify(value));
    expect(error.message).toContain('Give the tool as one path to an executable file');
  });
  it('finds a command through PATHEXT and takes backslash paths on Windows', () => {
    const winBin = mkdtempSync(path.join(os.tmpdir(), 'fw-winbin-'));
    writeFileSync(path.join(winBin, 'python.EXE'), '');
    const win = { ...options, os: 'windows' as const, env: { Path: winBin, PATHEXT: '.COM;.EXE' } };
    expect(getProgram(source({ p: 'python' }), 'p', win)).toBe('python');
    expect(() => getProgram(source({ p: 'py -3.12' }), 'p', win)).toThrow('is not one program');
  });
});

describe('hasControlCharacter', () => {
  it('finds line breaks, tabs, escapes, NUL and DEL, and nothing in plain or unicode text', () => {
    for (const text of ['a\nb', 'a\rb', 'a\tb', '\u001b[31m', 'a\u0000', 'a\u007f']) {
      expect(hasControlCharacter(text)).toBe(true);
    }
    expect(hasControlCharacter('v1.2.0 naïve 🦀')).toBe(false);
  });
});

describe('getUrlInput', () => {
  const read = (value: string) => {
    const masked: string[] = [];
    const run = () => getUrlInput(source({ 'index-url': value }), 'index-url', (s) => masked.push(s));
    return { masked, run };
  };

  it('masks the credentials before a line break fails the value, and shows only the masked URL', () => {
    const { masked, run } = read('https://ci:S3cretPass@host.example/\nlegacy/');
    const error = inputError(run);
    expect(masked).toEqual(expect.arrayContaining(['ci', 'S3cretPass']));
    expect(error.message).toBe(
      "Input 'index-url' holds a line break, and it takes one line: got \"https://***:***@host.example/\\nlegacy/\". Give 'index-url' on one line (in YAML, a plain or quoted scalar, not a | block).",
    );
    expect(error.message).not.toContain('S3cretPass');
    expect(error.value).not.toContain('S3cretPass');
  });

  it('masks the credentials of each line, even when the whole is not a URL', () => {
    const { masked, run } = read('legacy\nhttps://u:pw-second-line@host.example/');
    expect(inputError(run).message).not.toContain('pw-second-line');
    expect(masked).toContain('pw-second-line');
  });

  it('masks the credentials before the length check fails a 40 KB value', () => {
    const { masked, run } = read(`https://ci:S3cretPass@host.example/${'a'.repeat(40 * 1024)}`);
    const error = inputError(run);
    expect(masked).toContain('S3cretPass');
    expect(error.message).toContain('got "https://***:***@host.example/***"');
    expect(error.message).toContain(`more than the ${MAX_INPUT_LENGTH} it takes`);
    expect(error.message).not.toContain('S3cretPass');
  });

  it('returns a good value as given, its credentials masked, and the default when empty', () => {
    const { masked, run } = read('  https://__token__:pypi-AgEIsecret@host.example/simple/?token=abc  ');
    expect(run()).toBe('https://__token__:pypi-AgEIsecret@host.example/simple/?token=abc');
    expect(masked).toEqual(expect.arrayContaining(['pypi-AgEIsecret', 'abc']));
    expect(getUrlInput(source({}), 'index-url', () => {}, { default: 'https://pypi.org' })).toBe(
      'https://pypi.org',
    );
    expect(maskedUrlText('https://a:b@h/\r\nx')).toBe('https://***:***@h/\r\nx');
  });
});
