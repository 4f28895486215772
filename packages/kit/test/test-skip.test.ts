import { describe, expect, it } from '@jest/globals';
import { checkSkipPattern, skipNames, skipPatternFor } from '../src/test-skip.js';

describe('test-skip', () => {
  it('matches file names and cibuildwheel-style identifiers', () => {
    const linux = 'setup-0.1.0-cp311-cp311-manylinux_2_34_x86_64.whl';
    const musl = 'setup-0.1.0-cp312-cp312-musllinux_1_2_aarch64.whl';
    const ft = 'setup-0.1.0-cp313-cp313t-win_amd64.whl';
    expect(skipNames(linux)).toEqual([linux, 'cp311-manylinux_2_34_x86_64']);
    expect(skipNames(ft)).toEqual([ft, 'cp313t-win_amd64']);
    expect(skipPatternFor(linux, ['*-musllinux_*'])).toBeUndefined();
    expect(skipPatternFor(musl, ['*-musllinux_*'])).toBe('*-musllinux_*');
    expect(skipPatternFor(linux, ['cp39-*', 'cp311-*'])).toBe('cp311-*');
    expect(skipPatternFor(ft, ['cp313t-*'])).toBe('cp313t-*');
    expect(skipPatternFor(linux, ['cp313t-*'])).toBeUndefined();
    expect(skipPatternFor(linux, ['setup-*.whl'])).toBe('setup-*.whl');
    expect(skipPatternFor(linux, ['SETUP-0.1.0-*'])).toBe('SETUP-0.1.0-*');
    expect(skipPatternFor(linux, ['cp31?-*'])).toBe('cp31?-*');
    // '.' and '+' are literal, not regular-expression operators.
    expect(skipPatternFor('a-1.0-cp311-cp311-linux_x86_64.whl', ['a-1x0-*'])).toBeUndefined();
  });

  it('checks patterns', () => {
    expect(checkSkipPattern('*-win32')).toBeUndefined();
    expect(checkSkipPattern('dist/*.whl')).toMatch(/path/);
    expect(checkSkipPattern('cp3{9,10}-*')).toMatch(/characters/);
  });
});
