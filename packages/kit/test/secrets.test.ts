import { afterEach, describe, expect, it } from '@jest/globals';
import { InputError } from '../src/errors.js';
import { getSecret, mapInputSource } from '../src/inputs.js';
import { escapeLogValue, logText } from '../src/log-text.js';
import {
  clearSecretRegistry,
  looksLikeToken,
  maskUrl,
  redactSecrets,
  registerSecret,
  rememberUrlPath,
  secretForms,
} from '../src/secrets.js';

afterEach(() => clearSecretRegistry());

describe('maskUrl', () => {
  it.each([
    [
      'user info',
      'https://ci:s3cr3t@mirror.example/pypi',
      'https://***:***@mirror.example/pypi',
      ['ci', 's3cr3t'],
    ],
    [
      'a token as user name (Gemfury push)',
      'https://AbC123dEf456gHi@push.fury.io/acct/',
      'https://***@push.fury.io/***/',
      ['AbC123dEf456gHi', 'push.fury.io/acct'],
    ],
    [
      '__token__ and its password',
      'https://__token__:pypi-AgEIcHlwaS5vcmc@upload.example/legacy/',
      'https://__token__:***@upload.example/legacy/',
      ['pypi-AgEIcHlwaS5vcmc'],
    ],
    [
      'a path token (Gemfury): the whole path of a private index, and the token alone',
      'https://pypi.fury.io/1a2B3c4D5e6F7g8H/acct/',
      'https://pypi.fury.io/***/',
      ['1a2B3c4D5e6F7g8H', 'pypi.fury.io/1a2B3c4D5e6F7g8H/acct'],
    ],
    [
      'a path token that does not look like one',
      'https://pkgs.example/mycompanykey/acct/simple/',
      'https://pkgs.example/***/',
      ['pkgs.example/mycompanykey/acct/simple'],
    ],
    [
      'a query token',
      'https://idx.example/simple/?token=abc&x=1',
      'https://idx.example/simple/?token=***&x=***',
      ['abc', '1'],
    ],
    ['a fragment', 'https://idx.example/simple/#k=v', 'https://idx.example/simple/#***', ['k=v']],
    [
      'a long random path segment',
      `https://idx.example/${'a'.repeat(40)}/simple/`,
      'https://idx.example/***/',
      ['a'.repeat(40), `idx.example/${'a'.repeat(40)}/simple`],
    ],
  ])('masks %s', (_, raw, display, secrets) => {
    expect(maskUrl(raw)).toMatchObject({ display, secrets });
  });
  it("keeps PyPI's URLs, and paths of index words only, as they are", () => {
    for (const raw of [
      'https://pypi.org',
      'https://upload.pypi.org/legacy/',
      'https://test.pypi.org/legacy/',
      'https://my-index-2024.example/repository/pypi/simple/',
      'http://127.0.0.1:8080/simple/',
      'https://devpi.example/root/pypi/',
    ]) {
      expect(maskUrl(raw)).toEqual({
        display: raw,
        secrets: [],
      });
    }
  });
  it('masks token-like pieces of text that is not a URL', () => {
    expect(maskUrl('pypi.fury.io/1a2B3c4D5e6F7g8H/acct')).toEqual({
      display: 'pypi.fury.io/***/acct',
      secrets: ['1a2B3c4D5e6F7g8H'],
    });
  });
});

describe('a private index path in messages', () => {
  it('is redacted wherever a message quotes it, keeping the host and what follows', () => {
    const masked = maskUrl('https://pkgs.example/mycompanykey/html/');
    expect(masked.privatePath).toEqual({ host: 'pkgs.example', path: '/mycompanykey/html' });
    // The runner masks the host-qualified form wherever it appears, e.g. in a tool's own output.
    expect(masked.secrets).toEqual(['pkgs.example/mycompanykey/html']);
    for (const secret of masked.secrets) registerSecret(secret, () => {});
    rememberUrlPath(masked.privatePath!);
    expect(
      redactSecrets(
        'https://pkgs.example/mycompanykey/html/pypi/maturin/json answered HTTP 404: GET "/mycompanykey/html/pypi/maturin/json" not found (text/html)',
      ),
    ).toBe(
      'https://pkgs.example/***/pypi/maturin/json answered HTTP 404: GET "/***/pypi/maturin/json" not found (text/html)',
    );
  });
});

describe('looksLikeToken', () => {
  it.each([
    '1a2B3c4D5e6F7g8H',
    'pypi-AgEIcHlwaS5vcmc',
    'ghp_0123456789abcdefghij',
    'f'.repeat(32),
    '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  ])('takes %s for a token', (s) => expect(looksLikeToken(s)).toBe(true));
  it.each([
    'simple',
    'legacy',
    'pypi-internal',
    'pypi',
    'my-index-2024',
    'repository',
    'acct',
    'v1',
    '1.2.3',
    'manylinux2014',
  ])('takes %s for a name', (s) => expect(looksLikeToken(s)).toBe(false));
});

describe('registerSecret and redactSecrets', () => {
  it('masks the secret, each of its lines and its URL forms with the runner, and redacts them', () => {
    const masked: string[] = [];
    registerSecret('line-one-xyz\nline-two-xyz', (s) => masked.push(s));
    expect(masked).toEqual(
      expect.arrayContaining(['line-one-xyz\nline-two-xyz', 'line-one-xyz', 'line-two-xyz']),
    );
    expect(redactSecrets('server says: line-one-xyz line-two-xyz')).toBe('server says: *** ***');
  });
  it('redacts percent-encoded forms and extra secrets given by the caller', () => {
    registerSecret('a b/c', () => {});
    expect(redactSecrets('GET /simple?t=a%20b%2Fc')).toBe('GET /simple?t=***');
    expect(redactSecrets('echo: tok-123456', ['tok-123456'])).toBe('echo: ***');
  });
  it('masks a short secret with the runner, but keeps it out of the redaction registry', () => {
    const masked: string[] = [];
    registerSecret('ab', (s) => masked.push(s));
    expect(masked).toEqual(['ab']);
    expect(redactSecrets('a cab b')).toBe('a cab b');
  });
  it('ignores pieces too short to redact safely', () => {
    expect(secretForms('ab\nlong-enough')).toEqual(['ab\nlong-enough', 'long-enough', 'ab%0Along-enough']);
  });
  it('applies to every value logText and the runner print', () => {
    registerSecret('s3cr3t-value', () => {});
    expect(logText`index said: ${'bad token s3cr3t-value'}`).toBe('index said: bad token ***');
    expect(escapeLogValue('s3cr3t-value')).toBe('s3cr3t-value');
  });
});

describe('getSecret', () => {
  it('masks the token before anything else and refuses a line break without showing it', () => {
    const masked: string[] = [];
    const source = mapInputSource({ token: ' pypi-first\npypi-second ' });
    let error: unknown;
    try {
      getSecret(source, 'token', (s) => masked.push(s));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toContain('Input \'token\' holds a line break, and a token is one line: got "***"');
    expect(message).not.toContain('pypi-first');
    expect(masked).toEqual(['pypi-first\npypi-second']);
  });
  it('refuses a token past the length limit without showing any part of it', () => {
    const masked: string[] = [];
    const token = `pypi-${'s'.repeat(40 * 1024)}`;
    expect(() => getSecret(mapInputSource({ token }), 'token', (s) => masked.push(s))).toThrow(
      `Input 'token' is ${token.length} characters long, more than the 32768 a token takes: got "***".`,
    );
    expect(masked).toEqual([token]);
  });
  it('returns a one-line token trimmed, masked', () => {
    const masked: string[] = [];
    expect(getSecret(mapInputSource({ token: ' pypi-x ' }), 'token', (s) => masked.push(s))).toBe('pypi-x');
    expect(masked).toEqual(['pypi-x']);
  });
});
