import { describe, expect, it } from '@jest/globals';
import { type PythonBuild, parsePythonBuilds } from '../src/python-builds.js';

describe('python-builds records', () => {
  const builds: PythonBuild[] = [
    { python: '3.13', outcome: 'built', wheels: ['x-1-cp313-cp313-linux_x86_64.whl'] },
    {
      python: '3.14t',
      outcome: 'failed',
      failure: { kind: 'pyo3-unsupported', pyo3: '0.22.6', message: 'CPython 3.14t cannot be built …' },
    },
    {
      python: '3.15t',
      outcome: 'failed',
      failure: { kind: 'maturin-failed', exitCode: 1, known: ['pyo3-too-old'], message: 'maturin failed' },
    },
    { python: '3.12', outcome: 'failed', failure: { kind: 'no-wheel', message: 'no wheel' } },
    { python: '3.14', outcome: 'failed', failure: { kind: 'not-attempted', message: 'GIL call failed' } },
  ];

  it('round-trips every kind', () => {
    expect(parsePythonBuilds(JSON.stringify(builds))).toEqual({ ok: true, value: builds });
    expect(parsePythonBuilds('')).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['{', 'is not JSON'],
    ['{}', 'is not a JSON list'],
    ['[{"python":"3.13","outcome":"built"}]', 'has an entry (#1) that is not a python build record'],
    [
      '[{"python":"3.13","outcome":"built","wheels":[]},{"python":"3.14t","outcome":"failed","failure":{"kind":"oops","message":""}}]',
      'has an entry (#2) that is not a python build record',
    ],
    [
      '[{"python":"3.14t","outcome":"failed","failure":{"kind":"maturin-failed","message":"x","known":[]}}]',
      'has an entry (#1) that is not a python build record',
    ],
  ])('refuses %s: %s', (text, problem) => {
    expect(parsePythonBuilds(text)).toEqual({ ok: false, problem });
  });
});
