import { describe, expect, it } from '@jest/globals';
import {
  constraintFromRequirement,
  maxSatisfying,
  normaliseConstraint,
  satisfies,
  sortVersions,
} from '../src/pep440.js';

const releases = ['1.5.1', '1.6.0', '1.8.7', '1.9.0rc1', '1.10.0', '1.16.0', '2.0.0a1'];

describe('pep440', () => {
  it('normalises exact versions to == constraints', () => {
    expect(normaliseConstraint('v1.16.0')).toBe('==1.16.0');
    expect(normaliseConstraint(' >= 1.6 , < 2 ')).toBe('>=1.6,<2');
  });
  it('picks the highest satisfying final release', () => {
    expect(maxSatisfying(releases, '>=1.6,<2')).toBe('1.16.0');
    expect(maxSatisfying(releases, '~=1.8.0')).toBe('1.8.7');
    expect(maxSatisfying(releases, 'latest')).toBe('1.16.0');
    expect(maxSatisfying(releases, '')).toBe('1.16.0');
    expect(maxSatisfying(releases, '>=3')).toBeUndefined();
  });
  it('orders versions as PEP 440 does, not lexically', () => {
    expect(sortVersions(['1.10.0', '1.9.0', '1.9.0rc1'])).toEqual(['1.9.0rc1', '1.9.0', '1.10.0']);
    expect(satisfies('1.10.0', '>1.9')).toBe(true);
  });
  it('reads the constraint of a requirement', () => {
    expect(constraintFromRequirement('maturin>=1.6,<2.0', 'maturin')).toBe('>=1.6,<2.0');
    expect(constraintFromRequirement('Maturin[zig] >= 1.8 ; python_version >= "3.8"', 'maturin')).toBe(
      '>=1.8',
    );
    expect(constraintFromRequirement('maturin', 'maturin')).toBe('');
    expect(constraintFromRequirement('setuptools>=61', 'maturin')).toBeUndefined();
  });
});
