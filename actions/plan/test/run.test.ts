/** The plan mode over the real examples, and the summary mode's failure. */

import { freshDir, repoRoot } from '@ferrowheel/harness/workdirs';
import { runnerContext } from '@ferrowheel/kit/context';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';
import { type Deps, run } from '../src/run.js';

function recorder() {
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const warnings: string[] = [];
  const deps: Deps = {
    setOutput: (name, value) => {
      outputs[name] = value;
    },
    info: () => {},
    warning: (message) => {
      warnings.push(message);
    },
    writeSummary: async (_heading, markdown) => {
      summaries.push(markdown);
    },
  };
  return { outputs, summaries, warnings, deps };
}
const inputs = (values: Record<string, string>) =>
  readInputs(mapInputSource(values), runnerContext({ workspace: repoRoot }));

describe('plan mode on the examples', () => {
  it('examples/setup (requires-python >=3.9, not abi3): 3.10–3.15 plus 3.14t/3.15t', async () => {
    const { outputs, deps } = recorder();
    await run(inputs({ 'working-directory': 'examples/setup', platforms: 'linux-x86_64' }), deps);
    expect(JSON.parse(outputs['build-matrix']!).include[0].interpreters).toBe(
      '3.10 3.11 3.12 3.13 3.14 3.14t 3.15 3.15t',
    );
    expect(JSON.parse(outputs['test-matrix']!).include.map((t: { python: string }) => t.python)).toEqual([
      '3.10',
      '3.11',
      '3.12',
      '3.13',
      '3.14',
      '3.14t',
      '3.15',
      '3.15t',
    ]);
    expect(outputs['test-count']).toBe('8');
    expect(outputs['artifact-pattern']).toBe('wheels-*');
    expect(outputs['package-name']).toBe('setup');
    expect(outputs['records-pattern']).toBe('records-wheels-*');
    expect(outputs['container-requirements']).toBe('');
    expect(outputs['container-extras']).toBe('');
  });
  it('gives the container legs the checked requirements and extras, and plans test-skip', async () => {
    const { outputs, deps } = recorder();
    await run(
      inputs({
        'working-directory': 'examples/setup',
        platforms: 'linux-x86_64 musllinux-x86_64',
        'python-versions': '3.13',
        'test-skip': '*-musllinux_*',
        'test-requirements': 'pytest-xdist>=3\nhypothesis[cli]',
        'test-extras': 'test,fast',
      }),
      deps,
    );
    expect(outputs['container-requirements']).toBe('pytest-xdist>=3 hypothesis[cli]');
    expect(outputs['container-extras']).toBe('test,fast');
    expect(JSON.parse(outputs['test-matrix']!).include.map((t: { platform: string }) => t.platform)).toEqual([
      'linux-x86_64',
    ]);
    expect(
      JSON.parse(outputs.plan!).rows.find((r: { platform: string }) => r.platform === 'musllinux-x86_64')
        .test,
    ).toEqual({ kind: 'not-tested', reason: { kind: 'test-skip', pattern: '*-musllinux_*' } });
  });
  it('examples/abi3 (abi3 and abi3t): the abi3 wheel with the oldest, each free-threaded version on its own', async () => {
    const { outputs, deps } = recorder();
    await run(inputs({ 'working-directory': 'examples/abi3', platforms: 'macos-arm64' }), deps);
    expect(JSON.parse(outputs['build-matrix']!).include[0].interpreters).toBe('3.10 3.14t 3.15t');
    // The abi3 wheel on the oldest and the newest that installs it; the cp314t wheel; the
    // abi3.abi3t wheel on both builds of 3.15.
    expect(JSON.parse(outputs['test-matrix']!).include.map((t: { python: string }) => t.python)).toEqual([
      '3.10',
      '3.14',
      '3.14t',
      '3.15',
      '3.15t',
    ]);
  });
  it('a project on PyO3 0.22 (Cargo.lock): the defaults it cannot build are left out with a warning each', async () => {
    const { outputs, warnings, deps } = recorder();
    const project = 'actions/build/test/fixtures/pyo3-0.22';
    await run(inputs({ 'working-directory': project, platforms: 'linux-x86_64' }), deps);
    expect(JSON.parse(outputs['build-matrix']!).include[0].interpreters).toBe('3.10 3.11 3.12 3.13');
    expect(warnings.map((w) => w.split('. ')[0])).toEqual([
      'Leaving CPython 3.14 out of the default versions',
      'Leaving CPython 3.14t out of the default versions',
      'Leaving CPython 3.15 out of the default versions',
      'Leaving CPython 3.15t out of the default versions',
    ]);
    expect(warnings[1]).toContain(`PyO3 0.22.6 (${project}/Cargo.lock)`);
    const rows = JSON.parse(outputs.plan!).rows as { python: string; build: unknown }[];
    expect(rows.find((r) => r.python === '3.14t')!.build).toEqual({
      kind: 'not-built',
      reason: { kind: 'pyo3-unsupported', pyo3: '0.22.6', needs: '0.25' },
    });
    // Listed by the user, a version PyO3 cannot build fails the plan before any leg starts.
    await expect(
      run(
        inputs({ 'working-directory': project, platforms: 'linux-x86_64', 'python-versions': '3.13 3.14t' }),
        deps,
      ),
    ).rejects.toThrow(
      `Input 'python-versions': CPython 3.14t cannot be built with PyO3 0.22.6 (${project}/Cargo.lock): CPython 3.14 needs PyO3 ≥ 0.25, and free-threaded CPython needs PyO3 ≥ 0.23. Either upgrade PyO3 to 0.25 or later`,
    );
  });
  it('fails clearly when no platform can build any version asked for', async () => {
    const { deps } = recorder();
    await expect(
      run(
        inputs({
          'working-directory': 'examples/setup',
          platforms: 'windows-arm64',
          'python-versions': '3.10',
        }),
        deps,
      ),
    ).rejects.toThrow(
      "Nothing to build: no platform in 'platforms' can build any of the Python versions asked for.",
    );
  });
  it('fails clearly on a directory without pyproject.toml', async () => {
    const { deps } = recorder();
    await expect(run(inputs({ 'working-directory': 'scripts' }), deps)).rejects.toThrow(
      "pyproject.toml: does not exist. Set 'working-directory' to the directory holding the project's pyproject.toml.",
    );
  });
});

describe('summary mode', () => {
  it('writes the table and fails naming the legs that did not run', async () => {
    const planned = recorder();
    await run(
      inputs({ 'working-directory': 'examples/setup', platforms: 'linux-x86_64', 'python-versions': '3.13' }),
      planned.deps,
    );
    const { outputs, summaries, deps } = recorder();
    const empty = freshDir('plan-summary');
    await expect(
      run(
        readInputs(
          mapInputSource({
            mode: 'summary',
            plan: planned.outputs.plan!,
            'artifacts-dir': 'x',
            'records-dir': 'y',
          }),
          runnerContext({ workspace: empty }),
        ),
        deps,
      ),
    ).rejects.toThrow(
      '1 leg(s) failed or did not run: Build linux-x86_64: did not run (cancelled, or no runner took it).',
    );
    expect(summaries[0]).toContain(
      '| linux-x86_64 | x86_64-unknown-linux-gnu | 3.13 | not run | not tested: the build did not run |',
    );
    expect(outputs.failed).toBe('true');
    expect(outputs.wheels).toBe('[]');
  });
  it('rejects a plan that is not one', async () => {
    const { deps } = recorder();
    await expect(run(inputs({ mode: 'summary', plan: '{"include": []}' }), deps)).rejects.toThrow(
      "Input 'plan' is not the plan JSON of this action's plan mode.",
    );
  });
});
