/**
 * A failed hash-checked install is told apart once, from pip's or uv's words, into a kind the
 * message is chosen by: the lock does not cover the wheel's needs, or something else (the index).
 */
import { describe, expect, it } from '@jest/globals';
import { lockedInstallFailure } from '../src/test-venv.js';

describe('lockedInstallFailure', () => {
  it.each([
    // pip 24, a requirement the lock does not pin.
    'ERROR: In --require-hashes mode, all requirements must have their versions pinned with ==. These do not:\n    iniconfig from https://… (from pytest==8.3.4)',
    // pip, a file whose hash is not the lock's.
    'ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.',
    // uv 0.9
    'error: In `--require-hashes` mode, all requirements must have a hash, but none were provided for: iniconfig',
  ])('a package the lock does not pin, or pins otherwise: %s', (output) => {
    expect(lockedInstallFailure(output)).toBe('not-in-lock');
  });

  it.each([
    'ERROR: Could not find a version that satisfies the requirement pytest==8.3.4 (from versions: none)',
    'error: Failed to fetch: `http://127.0.0.1:9/simple/pytest/`\n  Caused by: Connection refused (os error 111)',
  ])('anything else: %s', (output) => {
    expect(lockedInstallFailure(output)).toBe('other');
  });
});
