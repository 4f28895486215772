import { describe, expect, it } from '@jest/globals';
import {
  compareSemVer,
  formatRange,
  inRange,
  parseRequirement,
  parseSemVer,
  rangesOverlap,
  semver,
} from '../src/cargo-semver.js';

const range = (requirement: string) => {
  const parsed = parseRequirement(requirement);
  if (!parsed.ok) throw new Error(parsed.problem);
  return formatRange(parsed.value);
};

describe('cargo versions and requirements', () => {
  it('parses versions, pre-releases sorting before their release', () => {
    expect(parseSemVer('0.22.6')).toEqual({ major: 0, minor: 22, patch: 6, pre: '' });
    expect(parseSemVer('0.21.0-beta.0+build.1')).toEqual({ major: 0, minor: 21, patch: 0, pre: 'beta.0' });
    expect(parseSemVer('0.22')).toBeUndefined();
    expect(compareSemVer(parseSemVer('0.21.0-beta.0')!, semver('0.21.0'))).toBeLessThan(0);
    expect(compareSemVer(semver('0.9.0'), semver('0.10.0'))).toBeLessThan(0);
  });

  it.each([
    ['0.22', '≥ 0.22.0, < 0.23.0'],
    ['^0.22.6', '≥ 0.22.6, < 0.23.0'],
    ['0.0.3', '≥ 0.0.3, < 0.0.4'],
    ['^0.0', '≥ 0.0.0, < 0.1.0'],
    ['1.2', '≥ 1.2.0, < 2.0.0'],
    ['~0.23', '≥ 0.23.0, < 0.24.0'],
    ['~1', '≥ 1.0.0, < 2.0.0'],
    ['=0.25.1', '≥ 0.25.1, < 0.25.2'],
    ['=0.25', '≥ 0.25.0, < 0.26.0'],
    ['>0.22', '≥ 0.23.0'],
    ['>=0.20, <0.26', '≥ 0.20.0, < 0.26.0'],
    ['<=0.24', '< 0.25.0'],
    ['0.22.*', '≥ 0.22.0, < 0.23.0'],
    ['0.*', '≥ 0.0.0, < 1.0.0'],
    ['*', 'any version'],
  ])('reads %s as %s', (requirement, expected) => {
    expect(range(requirement)).toBe(expected);
  });

  it('names a requirement it cannot read', () => {
    expect(parseRequirement('latest')).toEqual({
      ok: false,
      problem: "'latest' is not a Cargo version requirement",
    });
  });

  it('tells whether versions and ranges meet', () => {
    const caret = parseRequirement('0.22');
    if (!caret.ok) throw new Error(caret.problem);
    expect(inRange(semver('0.22.6'), caret.value)).toBe(true);
    expect(inRange(semver('0.23.0'), caret.value)).toBe(false);
    expect(rangesOverlap(caret.value, { lower: semver('0.23') })).toBe(false);
    expect(rangesOverlap(caret.value, { lower: semver('0.22.3') })).toBe(true);
    expect(rangesOverlap({ lower: semver('0.20') }, { upper: semver('0.29') })).toBe(true);
    expect(rangesOverlap({ lower: semver('0.29') }, { upper: semver('0.29') })).toBe(false);
  });
});
