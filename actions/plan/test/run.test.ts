/** The plan mode over the real examples, and the summary mode's failure. */

import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freshDir, repoRoot } from '@ferrowheel/harness/workdirs';
import { runnerContext } from '@ferrowheel/kit/context';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';
import type { Plan } from '../src/matrix.js';
import { type Deps, run } from '../src/run.js';
import { notBuiltText, notTestedText } from '../src/summary-text.js';

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
/** The plan file goes into a fresh directory under .work, never into the repository's tree. */
const inputs = (values: Record<string, string>) =>
  readInputs(
    mapInputSource({ 'records-dir': path.relative(repoRoot, freshDir('plan-records')), ...values }),
    runnerContext({ workspace: repoRoot }),
  );

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
    // The plan for the summary job, as a file in an artifact the records pattern matches.
    expect(outputs['plan-artifact']).toBe('records-wheels-plan');
    expect(JSON.parse(readFileSync(outputs['plan-path']!, 'utf8'))).toEqual(JSON.parse(outputs.plan!));
    expect(path.basename(outputs['plan-path']!)).toBe('plan.json');
  });
  it('plans test-skip, image overrides and what the runners cannot do, typed', async () => {
    const { outputs, deps } = recorder();
    await run(
      inputs({
        'working-directory': 'examples/setup',
        platforms: 'linux-x86_64 linux-aarch64 musllinux-x86_64',
        'python-versions': '3.10 3.13 3.14t',
        'arm-runners': 'false',
        'test-skip': 'cp313-manylinux_*_x86_64',
        'build-images': 'musllinux-x86_64=stand-in/musl-build:1',
        'test-images': 'linux-aarch64=stand-in/py-arm64:{python}\nlinux-aarch64 3.13=stand-in/sid-arm64:3.13',
        'not-built-here': 'cp314t-*: no free-threaded CPython here',
        'not-tested-here':
          '*-musllinux_*: no musl CPython here\ncp310-*_aarch64: no CPython 3.10 for arm64 here',
      }),
      deps,
    );
    const build = JSON.parse(outputs['build-matrix']!).include;
    expect(
      build.map((b: { platform: string; runner: string; interpreters: string; container: string }) => [
        b.platform,
        b.runner,
        b.interpreters,
        b.container,
      ]),
    ).toEqual([
      ['linux-x86_64', 'ubuntu-latest', '3.10 3.13', ''],
      ['linux-aarch64', 'ubuntu-latest', '3.10 3.13', ''],
      ['musllinux-x86_64', 'ubuntu-latest', '3.10 3.13', 'stand-in/musl-build:1'],
    ]);
    const test = JSON.parse(outputs['test-matrix']!).include;
    expect(
      test.map(
        (t: { platform: string; python: string; mode: string; image: string }) =>
          `${t.platform} ${t.python} ${t.mode} ${t.image}`,
      ),
    ).toEqual(['linux-x86_64 3.10 native ', 'linux-aarch64 3.13 emulated stand-in/sid-arm64:3.13']);
    const rows = (JSON.parse(outputs.plan!) as Plan).rows.map(
      (r) =>
        `${r.platform} ${r.python}: ${r.build.kind === 'not-built' ? notBuiltText(r.build.reason) : r.test.kind === 'not-tested' ? notTestedText(r.test.reason) : 'tested'}`,
    );
    expect(rows).toEqual([
      'linux-x86_64 3.14t: not built here: no free-threaded CPython here',
      'linux-x86_64 3.10: tested',
      "linux-x86_64 3.13: not tested: skipped by test-skip ('cp313-manylinux_*_x86_64')",
      'linux-aarch64 3.14t: not built here: no free-threaded CPython here',
      'linux-aarch64 3.10: not tested here: no CPython 3.10 for arm64 here',
      'linux-aarch64 3.13: tested',
      'musllinux-x86_64 3.14t: not built here: no free-threaded CPython here',
      'musllinux-x86_64 3.10: not tested here: no musl CPython here',
      'musllinux-x86_64 3.13: not tested here: no musl CPython here',
    ]);
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
  it('hands the largest plan (15 platforms × every CPython) over as a file in the records, not as an input', async () => {
    const planned = recorder();
    await run(inputs({ 'working-directory': 'examples/setup' }), planned.deps);
    const json = planned.outputs.plan!;
    // Past what an input takes (kit's 32 KiB; an input is one environment variable): a file.
    expect(json.length).toBeGreaterThan(32 * 1024);
    const workspace = freshDir('plan-summary-largest');
    // As download-artifact leaves the records pattern's artifacts: one directory per artifact.
    const records = path.join(workspace, 'records');
    mkdirSync(path.join(records, planned.outputs['plan-artifact']!), { recursive: true });
    cpSync(planned.outputs['plan-path']!, path.join(records, planned.outputs['plan-artifact']!, 'plan.json'));
    const { summaries, deps } = recorder();
    await expect(
      run(
        readInputs(
          mapInputSource({ mode: 'summary', 'artifacts-dir': 'artifacts', 'records-dir': 'records' }),
          runnerContext({ workspace }),
        ),
        deps,
      ),
    ).rejects.toThrow('15 leg(s) failed or did not run: Build linux-x86_64: did not run');
    const plan = JSON.parse(json) as Plan;
    const tableRows = summaries[0]!
      .split('\n')
      .filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| Platform'));
    // Every planned row, and the sdist's.
    expect(plan.rows.length).toBe(15 * 8);
    expect(tableRows).toHaveLength(plan.rows.length + 1);
  });

  it('says where the plan should have come from when there is none', async () => {
    const { deps } = recorder();
    await expect(
      run(
        readInputs(
          mapInputSource({ mode: 'summary', 'records-dir': 'records' }),
          runnerContext({ workspace: freshDir('plan-none') }),
        ),
        deps,
      ),
    ).rejects.toThrow("No plan: 'plan' is empty and");
  });

  it('rejects a plan that is not one', async () => {
    const { deps } = recorder();
    await expect(run(inputs({ mode: 'summary', plan: '{"include": []}' }), deps)).rejects.toThrow(
      "Input 'plan' is not the plan JSON of this action's plan mode.",
    );
  });
});
