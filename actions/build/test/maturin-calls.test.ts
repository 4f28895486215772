import { describe, expect, it } from '@jest/globals';
import type { MaturinBuild } from '../src/maturin-args.js';
import { isFreeThreadedSpec, maturinCalls, pythonLabel } from '../src/maturin-calls.js';
import { maturinBuild } from './maturin-build.js';

const build = (overrides: Partial<MaturinBuild> = {}) =>
  maturinBuild({ sdist: true, args: ['--locked'], ...overrides });

const list = (...items: string[]) => ({ interpreters: { kind: 'list' as const, items } });

describe('maturinCalls', () => {
  it('builds the GIL-enabled versions together and each free-threaded version on its own', () => {
    const calls = maturinCalls(build(list('3.10', '3.11', '3.14t', '3.12', '3.15t')));
    expect(calls.map((c) => [c.kind, c.interpreters])).toEqual([
      ['gil', ['3.10', '3.11', '3.12']],
      ['free-threaded', ['3.14t']],
      ['free-threaded', ['3.15t']],
    ]);
    expect(calls[0]!.argv).toEqual([
      'build',
      '--out',
      '/w/dist',
      '--release',
      '--interpreter',
      'python3.10',
      'python3.11',
      'python3.12',
      '--sdist',
      '--locked',
    ]);
    // The sdist once, every other option in each call.
    expect(calls[1]!.argv).toEqual([
      'build',
      '--out',
      '/w/dist',
      '--release',
      '--interpreter',
      'python3.14t',
      '--locked',
    ]);
    expect(calls[2]!.argv).toContain('python3.15t');
  });

  it('gives an abi3 project its own call for the free-threaded version (maturin builds it version-specific)', () => {
    const calls = maturinCalls(build(list('3.10', '3.14t')));
    expect(calls.map((c) => c.interpreters)).toEqual([['3.10'], ['3.14t']]);
  });

  it('builds the sdist with the first call when there are only free-threaded versions', () => {
    const calls = maturinCalls(build(list('3.14t', '3.15t')));
    expect(calls.map((c) => c.argv.includes('--sdist'))).toEqual([true, false]);
  });

  it('leaves default and find to one call', () => {
    expect(maturinCalls(build()).map((c) => [c.kind, c.argv])).toEqual([
      ['any', ['build', '--out', '/w/dist', '--release', '--sdist', '--locked']],
    ]);
    expect(maturinCalls(build({ interpreters: { kind: 'find' } }))[0]!.argv).toContain('--find-interpreter');
  });

  it('tells a free-threaded interpreter by its name', () => {
    for (const spec of ['3.14t', 'python3.14t', '/opt/py/bin/python3.15t', 'C:\\py\\python3.14t.exe']) {
      expect(isFreeThreadedSpec(spec)).toBe(true);
    }
    for (const spec of ['3.14', 'python3.13', 'pypy3.10', '/opt/python/cp314-cp314t/bin/python', 'python3']) {
      expect(isFreeThreadedSpec(spec)).toBe(false);
    }
    expect(pythonLabel('/opt/py/bin/python3.15t')).toBe('3.15t');
    expect(pythonLabel('python3.12')).toBe('3.12');
    expect(pythonLabel('/opt/py/bin/python')).toBe('/opt/py/bin/python');
  });
});
