import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';

const workspace = mkdtempSync(path.join(tmpdir(), 'setup-maturin-inputs-'));
mkdirSync(path.join(workspace, 'py'));
writeFileSync(path.join(workspace, 'file.txt'), '');

const read = (values: Record<string, string>) =>
  readInputs(mapInputSource(values), runnerContext({ workspace, mask: () => {} }));

function inputError(values: Record<string, string>): string {
  try {
    read(values);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(InputError);
    return (thrown as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('readInputs', () => {
  it('gives the documented defaults', () => {
    expect(read({})).toEqual({
      version: '',
      workingDirectory: workspace,
      checkLatest: false,
      indexUrl: 'https://pypi.org',
      method: 'auto',
      zig: false,
      zigVersion: '',
      sccache: false,
      sccacheVersion: '',
      runner: expect.objectContaining({ workspace }),
    });
  });

  it('normalises versions and reads every input', () => {
    expect(
      read({
        version: 'v1.16.0',
        'working-directory': 'py',
        'check-latest': 'true',
        'index-url': 'http://127.0.0.1:8080/',
        method: 'VENV',
        zig: 'yes',
        'zig-version': '>=0.13, <0.18',
        sccache: 'true',
        'sccache-version': 'latest',
      }),
    ).toEqual({
      version: '==1.16.0',
      workingDirectory: path.join(workspace, 'py'),
      checkLatest: true,
      indexUrl: 'http://127.0.0.1:8080',
      method: 'venv',
      zig: true,
      zigVersion: '>=0.13,<0.18',
      sccache: true,
      sccacheVersion: 'latest',
      runner: expect.objectContaining({ workspace }),
    });
    expect(read({ version: '~=1.8' }).version).toBe('~=1.8');
    expect(read({ version: 'LATEST' }).version).toBe('latest');
  });

  it('rejects a malformed version constraint', () => {
    expect(inputError({ version: '>=1.6,<<2' })).toBe(
      "Input 'version' is not a version or a PEP 440 version constraint: got \">=1.6,<<2\". Use an exact version such as '1.16.0', a constraint such as '>=1.6,<2' or '~=1.8', or 'latest'.",
    );
    expect(inputError({ 'zig-version': 'newest' })).toMatch(/^Input 'zig-version' is not a version/);
  });

  it('rejects a working-directory that does not exist', () => {
    expect(inputError({ 'working-directory': 'nope' })).toBe(
      `Input 'working-directory' does not exist (looked for ${path.join(workspace, 'nope')}): got "nope". Check the path; did an earlier step check out the repository?`,
    );
  });

  it('rejects a working-directory outside the workspace', () => {
    expect(inputError({ 'working-directory': '../elsewhere' })).toBe(
      `Input 'working-directory' points outside the workspace (${workspace}): got "../elsewhere". Use a path relative to the repository root, inside the checkout.`,
    );
  });

  it('rejects a working-directory that is a file', () => {
    expect(inputError({ 'working-directory': 'file.txt' })).toBe(
      `Input 'working-directory' is a file, not a directory: got "file.txt". Give the path of a directory.`,
    );
  });

  it('rejects an unknown method, a bad boolean and a bad index URL', () => {
    expect(inputError({ method: 'conda' })).toBe(
      `Input 'method' is not one of the allowed values: got "conda". Use one of: auto, wheel, venv.`,
    );
    expect(inputError({ 'check-latest': 'maybe' })).toBe(
      `Input 'check-latest' is not a boolean: got "maybe". Use 'true' or 'false'.`,
    );
    expect(inputError({ 'index-url': 'pypi.org' })).toBe(
      `Input 'index-url' is not a URL: got "pypi.org". Use the base URL of a PyPI-compatible index, e.g. https://pypi.org.`,
    );
    const withToken = inputError({ 'index-url': 'https://ci:s3cr3t-token@mirror.example/pypi' });
    expect(withToken).toBe(
      `Input 'index-url' has a user name or password in it, which the index lookup cannot send: got "https://***:***@mirror.example/pypi". Use an index that serves its JSON API without credentials (a devpi or proxy mirror), and keep tokens out of workflow inputs.`,
    );
    expect(withToken).not.toContain('s3cr3t');
    expect(inputError({ 'index-url': 'ftp://mirror/' })).toBe(
      `Input 'index-url' is not an http(s) URL: got "ftp://mirror/". Use the base URL of a PyPI-compatible index, e.g. https://pypi.org.`,
    );
  });

  it('masks a token in the path or query of index-url before anything can log it', () => {
    const masked: string[] = [];
    const inputs = readInputs(
      mapInputSource({ 'index-url': 'https://pypi.fury.io/1a2B3c4D5e6F7g8H/acct/?token=zz9' }),
      runnerContext({ workspace, mask: (s) => masked.push(s) }),
    );
    expect(masked).toEqual(['1a2B3c4D5e6F7g8H', 'pypi.fury.io/1a2B3c4D5e6F7g8H/acct', 'zz9']);
    expect(inputs.indexUrl).toBe('https://pypi.fury.io/1a2B3c4D5e6F7g8H/acct/?token=zz9');
    const error = inputError({ 'index-url': 'ftp://pypi.fury.io/1a2B3c4D5e6F7g8H/acct/' });
    expect(error).toContain('got "ftp://pypi.fury.io/***/"');
    expect(error).not.toContain('1a2B3c4D5e6F7g8H');
  });

  it('refuses a line break in a single-line input', () => {
    expect(inputError({ version: '1.16.0\n::add-path::/tmp/evil' })).toContain(
      "Input 'version' holds a line break",
    );
    expect(inputError({ 'index-url': 'https://pypi.org\n::error::x' })).toContain(
      "Input 'index-url' holds a line break",
    );
  });
});
