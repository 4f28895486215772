import { UserError } from '@ferrowheel/kit/errors';
import { parseProjectJson } from '@ferrowheel/kit/package-index';
import { describe, expect, it } from '@jest/globals';
import { chooseVersion, describeConstraint, type Requested } from '../src/version-choice.js';
import { maturinReleases } from './fixture.js';

const releases = maturinReleases();
const ask = (constraint: string): Requested => ({
  constraint,
  origin: "input 'version'",
  fix: "Change the 'version' input.",
});
const choose = (constraint: string) => chooseVersion('maturin', releases, ask(constraint)).version;

describe('chooseVersion against the recorded PyPI release list', () => {
  it('picks the newest release satisfying a range', () => {
    expect(choose('>=1.6,<2')).toBe('1.16.0');
    expect(choose('~=1.8')).toBe('1.16.0');
    expect(choose('~=1.8.0')).toBe('1.8.7');
    expect(choose('>=1.0,<1.1')).toBe('1.0.1');
  });

  it('picks an exact version', () => {
    expect(choose('==1.0.0')).toBe('1.0.0');
    expect(choose('==1.9.6')).toBe('1.9.6');
  });

  it('takes the newest final release for any version and latest, never a pre-release', () => {
    expect(choose('')).toBe('1.16.0');
    expect(choose('latest')).toBe('1.16.0');
    expect(releases.some((r) => /b|rc/.test(r.version))).toBe(true);
  });

  it('skips yanked releases unless pinned exactly (PEP 592)', () => {
    // 1.11.0 is yanked on PyPI.
    expect(releases.find((r) => r.version === '1.11.0')?.yanked).toBe(true);
    expect(choose('<1.11.1,>=1.10')).toBe('1.10.2');
    expect(() => choose('>=1.11.0,<1.11.1')).toThrow("No maturin release satisfies '>=1.11.0,<1.11.1'");
    expect(choose('==1.11.0')).toBe('1.11.0');
  });

  it('names the constraint, its origin and the newest releases when nothing satisfies', () => {
    let error: unknown;
    try {
      choose('>=9');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      "No maturin release satisfies '>=9' (from input 'version'): the newest are 1.16.0, 1.15.0, 1.14.1, 1.14.0, 1.13.3. Change the 'version' input.",
    );
  });

  it('says so when the index lists nothing', () => {
    expect(() => chooseVersion('maturin', [], ask(''))).toThrow(
      "No maturin release satisfies any version (from input 'version'): the index lists no releases.",
    );
  });

  it('describes constraints in words', () => {
    expect(describeConstraint('')).toBe('any version');
    expect(describeConstraint('latest')).toBe('the latest release');
    expect(describeConstraint('~=1.8')).toBe("'~=1.8'");
  });
});

describe('parseProjectJson', () => {
  it('resolves relative file URLs against the JSON URL and keeps absolute ones', () => {
    const parsed = parseProjectJson(
      {
        releases: {
          '1.0': [
            { filename: 'a-1.0-py3-none-any.whl', url: '../../packages/x/a.whl', digests: { sha256: 'AB' } },
            {
              filename: 'a-1.0.tar.gz',
              url: 'https://files.example/a.tar.gz',
              digests: { sha256: 'cd' },
              yanked: true,
            },
          ],
        },
      },
      'http://127.0.0.1:9/pypi/a/json',
    );
    expect(parsed).toEqual([
      {
        version: '1.0',
        yanked: false,
        files: [
          {
            filename: 'a-1.0-py3-none-any.whl',
            url: 'http://127.0.0.1:9/packages/x/a.whl',
            sha256: 'ab',
            yanked: false,
          },
          { filename: 'a-1.0.tar.gz', url: 'https://files.example/a.tar.gz', sha256: 'cd', yanked: true },
        ],
      },
    ]);
  });

  it('refuses an answer that is not the JSON API', () => {
    expect(() => parseProjectJson({ info: {} }, 'http://x/pypi/a/json')).toThrow(
      'http://x/pypi/a/json answered JSON that is not a PyPI JSON API answer (no "releases")',
    );
  });
});
