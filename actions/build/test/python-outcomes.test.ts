import type { PythonBuildFailure } from '@ferrowheel/kit/python-builds';
import { describe, expect, it } from '@jest/globals';
import { maturinCalls } from '../src/maturin-calls.js';
import { missingVersionsMessage, pythonOutcomes, wheelServesVersion } from '../src/python-outcomes.js';
import { maturinBuild } from './maturin-build.js';

const calls = (...items: string[]) =>
  maturinCalls(maturinBuild(items.length > 0 ? { interpreters: { kind: 'list', items } } : {}));
const failure: PythonBuildFailure = {
  kind: 'maturin-failed',
  exitCode: 1,
  known: [],
  message: 'maturin build failed with exit code 1. See the compiler errors above and the build log.',
};

describe("each interpreter's outcome", () => {
  it('gives each GIL version the wheel its tags serve, and a failed free-threaded call its failure', () => {
    const [gil, ft] = calls('3.12', '3.13', '3.14t');
    const outcomes = pythonOutcomes({
      calls: [gil!, ft!],
      ran: [
        {
          call: gil!,
          ok: true,
          wheels: ['x-1-cp312-cp312-manylinux_2_34_x86_64.whl', 'x-1-cp313-cp313-manylinux_2_34_x86_64.whl'],
        },
        { call: ft!, ok: false, failure },
      ],
      dropped: [],
    });
    expect(outcomes).toEqual([
      { python: '3.12', outcome: 'built', wheels: ['x-1-cp312-cp312-manylinux_2_34_x86_64.whl'] },
      { python: '3.13', outcome: 'built', wheels: ['x-1-cp313-cp313-manylinux_2_34_x86_64.whl'] },
      { python: '3.14t', outcome: 'failed', failure },
    ]);
    expect(missingVersionsMessage(outcomes)).toBe(
      '1 of the Python versions asked for was not built. CPython 3.14t: maturin build failed with exit code 1. See the compiler errors above and the build log. The other wheels (3.12, 3.13) were built and are in the outputs, so later steps can still upload and test them.',
    );
  });

  it('marks the free-threaded calls after a failed GIL call as not attempted, and names the call once', () => {
    const all = calls('3.11', '3.12', '3.14t', '3.15t');
    const outcomes = pythonOutcomes({
      calls: all,
      ran: [{ call: all[0]!, ok: false, failure }],
      dropped: [],
    });
    expect(
      outcomes.map((o) => (o.outcome === 'failed' ? `${o.python} ${o.failure.kind}` : o.python)),
    ).toEqual(['3.11 maturin-failed', '3.12 maturin-failed', '3.14t not-attempted', '3.15t not-attempted']);
    expect(missingVersionsMessage(outcomes)).toBe(
      '4 of the Python versions asked for were not built. CPython 3.11, 3.12: maturin build failed with exit code 1. See the compiler errors above and the build log. CPython 3.14t, 3.15t: not built: the maturin call of the GIL-enabled versions failed first (see its errors), so this free-threaded build was not attempted.',
    );
  });

  it('an abi3 wheel serves its one GIL interpreter; a call that made no wheel for a version fails it', () => {
    const all = calls('3.10', '3.14t');
    const outcomes = pythonOutcomes({
      calls: all,
      ran: [
        { call: all[0]!, ok: true, wheels: ['abi3-1-cp39-abi3-manylinux_2_34_x86_64.whl'] },
        { call: all[1]!, ok: true, wheels: ['abi3-1-cp39-abi3-manylinux_2_34_x86_64.whl'] },
      ],
      dropped: [
        {
          python: '3.15t',
          outcome: 'failed',
          failure: { kind: 'pyo3-unsupported', pyo3: '0.22.6', message: 'PyO3 too old' },
        },
      ],
    });
    expect(
      outcomes.map((o) => `${o.python} ${o.outcome === 'failed' ? o.failure.kind : o.wheels.join()}`),
    ).toEqual([
      '3.15t pyo3-unsupported',
      '3.10 abi3-1-cp39-abi3-manylinux_2_34_x86_64.whl',
      '3.14t no-wheel',
    ]);
  });

  it('says nothing per version when maturin chose the interpreters', () => {
    const all = calls();
    expect(
      pythonOutcomes({ calls: all, ran: [{ call: all[0]!, ok: true, wheels: [] }], dropped: [] }),
    ).toEqual([]);
  });

  it('reads versions from wheel tags, abi3t included', () => {
    expect(wheelServesVersion('x-1-cp314-cp314t-manylinux_2_34_x86_64.whl', '3.14t')).toBe(true);
    expect(wheelServesVersion('x-1-cp314-cp314t-manylinux_2_34_x86_64.whl', '3.14')).toBe(false);
    expect(wheelServesVersion('x-1-cp315-abi3.abi3t-manylinux_2_34_x86_64.whl', '3.15t')).toBe(true);
    expect(wheelServesVersion('x-1-cp39-abi3-win_amd64.whl', '3.13')).toBe(true);
    expect(wheelServesVersion('x-1.tar.gz', '3.13')).toBe(false);
  });
});
