import { describe, expect, it } from '@jest/globals';
import { limitFor, parseHereLine } from '../src/here.js';
import { plannedSkipNames } from '../src/wheel-tags.js';

describe('not-built-here / not-tested-here lines', () => {
  it('parse patterns and a reason', () => {
    expect(
      parseHereLine('cp310-*_aarch64 cp312-*_aarch64: Debian packages no CPython 3.10 or 3.12 for arm64'),
    ).toEqual({
      ok: true,
      value: {
        patterns: ['cp310-*_aarch64', 'cp312-*_aarch64'],
        reason: 'Debian packages no CPython 3.10 or 3.12 for arm64',
      },
    });
  });

  it('say what is wrong with a line', () => {
    const problem = (line: string) => {
      const parsed = parseHereLine(line);
      return parsed.ok ? undefined : parsed.problem;
    };
    expect(problem('*-musllinux_*')).toBe('holds a line that is not <patterns>: <reason>');
    expect(problem('*-musllinux_*:  ')).toBe('gives patterns without a reason');
    expect(problem('dist/*.whl: no')).toContain("holds the pattern 'dist/*.whl'");
    expect(problem('*-musllinux_*: a | b')).toContain('a backquote or a |');
  });

  it('match a planned row by its identifiers, the first limit that does', () => {
    const limits = [
      { patterns: ['*-musllinux_*'], reason: 'no musl CPython on this machine' },
      { patterns: ['cp310-*_aarch64'], reason: 'no CPython 3.10 for arm64' },
    ];
    expect(limitFor(limits, plannedSkipNames('3.13', 'x86_64-unknown-linux-musl'))?.reason).toBe(
      'no musl CPython on this machine',
    );
    expect(limitFor(limits, plannedSkipNames('3.10', 'aarch64-unknown-linux-gnu'))?.reason).toBe(
      'no CPython 3.10 for arm64',
    );
    expect(limitFor(limits, plannedSkipNames('3.11', 'aarch64-unknown-linux-gnu'))).toBeUndefined();
  });
});
