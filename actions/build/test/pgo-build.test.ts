/**
 * The order and data of the PGO phases, with a recorded strategy and exec (the real builds are in
 * integration/pgo.test.ts): which rustflags each build gets, that only the training's profiles
 * are merged (build scripts write some during the instrumented build), and that pgo-measure's
 * gain reaches the report.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Exec, ExecOptions } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import type { Inputs } from '../src/inputs.js';
import type { MaturinCall } from '../src/maturin-calls.js';
import type { PgoPlan } from '../src/pgo.js';
import { compileWithPgo } from '../src/pgo-build.js';
import type { BuildStrategy, Compiled, CompileRequest } from '../src/strategy.js';
import { maturinBuild } from './maturin-build.js';

const WHEEL = 'demo-0.1.0-cp311-cp311-linux_x86_64.whl';

function setup(options: { measure: boolean; calls?: MaturinCall[] }) {
  const root = mkdtempSync(path.join(tmpdir(), 'pgo-build-'));
  const inputs = {
    ...maturinBuild({ outDir: path.join(root, 'demo', 'dist') }),
    workingDirectory: path.join(root, 'demo'),
    runner: {
      workspace: root,
      runnerTemp: path.join(root, 'temp'),
      platform: { os: 'linux', arch: 'x86_64' },
      env: {},
      mask: () => {},
    },
    pgoMeasure: options.measure,
  } as unknown as Inputs;
  const builds: { argv: readonly string[]; flags: string[] }[] = [];
  const strategy: BuildStrategy = {
    kind: 'host',
    where: 'on the host',
    probes: async () => ({}),
    explainFailure: () => undefined,
    // compileWithPgo gets its exec from the caller (run.ts: strategy.runner).
    runner: () => {
      throw new Error('not used');
    },
    async compile(request: CompileRequest): Promise<Compiled> {
      const flags = request.env.CARGO_ENCODED_RUSTFLAGS!.split('\x1f');
      const ran = request.calls.map((call) => {
        builds.push({ argv: call.argv, flags });
        const out = call.argv[call.argv.indexOf('--out') + 1]!;
        mkdirSync(out, { recursive: true });
        writeFileSync(path.join(out, WHEEL), 'wheel');
        // A build script run instrumented writes a profile of its own into the profile dir.
        const generate = flags.find((f) => f.startsWith('-Cprofile-generate='));
        if (generate) writeFileSync(path.join(generate.split('=')[1]!, 'default_build_script.profraw'), 'x');
        return { call, exitCode: 0, log: `📦 Built wheel for CPython 3.11 to ${path.join(out, WHEEL)}` };
      });
      const log = ran.map((r) => r.log).join('\n');
      return { ran, run: { exitCode: 0, stdout: '', stderr: log }, log };
    },
  };
  const calls: string[] = [];
  const exec: Exec = async (program, args, opts?: ExecOptions) => {
    calls.push([path.basename(program), ...args.map((a) => path.basename(a))].join(' '));
    const profile = opts?.env?.LLVM_PROFILE_FILE;
    if (profile) writeFileSync(profile.replace('%m_%p', 'training_1'), 'x');
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  const plan: PgoPlan & { kind: 'on' } = {
    kind: 'on',
    training: { kind: 'pyproject', command: 'python train.py' },
    python: 'python3',
    profdata: { program: 'llvm-profdata-22', version: '22.1.8', via: 'PATH' },
    dir: path.join(root, 'temp', 'ferrowheel-pgo', 'x86_64-unknown-linux-gnu'),
  };
  const request = {
    inputs,
    env: { PATH: '/usr/bin' },
    calls: options.calls ?? [
      { kind: 'any', interpreters: [], argv: ['build', '--out', inputs.outDir, '--release'] },
    ],
    hookEnv: {},
    cargoHome: '/h',
    targetDir: '/t',
    rustcVerbose: undefined,
    onLine: () => {},
    relative: (f: string) => f,
  } as CompileRequest;
  const rustflags = {
    effective: { flags: ['-Ctarget-cpu=x86-64-v2'], source: 'RUSTFLAGS' },
    added: ['--remap-path-prefix=/h=/cargo'],
    crate: ['--remap-path-prefix=/w=.'],
  };
  return {
    run: () => compileWithPgo({ plan, inputs, strategy, request, rustflags, exec }),
    builds,
    calls,
    plan,
  };
}

describe('compileWithPgo', () => {
  it('builds instrumented, trains, merges only the training profiles, then builds with the profile', async () => {
    const { run, builds, calls, plan } = setup({ measure: false });
    const outcome = await run();
    expect(builds.map((b) => b.argv.slice(1))).toEqual([
      [
        '--out',
        path.join(plan.dir, 'instrumented'),
        '--release',
        '--interpreter',
        'python3',
        '--',
        '--remap-path-prefix=/w=.',
      ],
      ['--out', expect.stringMatching(/demo\/dist$/), '--release'],
    ]);
    // The user's flags first, the remapping, then PGO's.
    expect(builds[0]!.flags).toEqual([
      '-Ctarget-cpu=x86-64-v2',
      '--remap-path-prefix=/h=/cargo',
      `-Cprofile-generate=${path.join(plan.dir, 'profiles')}`,
    ]);
    expect(builds[1]!.flags.at(-1)).toBe(`-Cprofile-use=${path.join(plan.dir, 'merged.profdata')}`);
    expect(calls).toEqual([
      `python3 -m venv training-venv`,
      `python -m pip install --disable-pip-version-check --quiet ${WHEEL}`,
      'sh -c python train.py',
      'llvm-profdata-22 merge -o merged.profdata training_1.profraw',
    ]);
    expect(outcome.gain).toBeUndefined();
    expect(outcome.summary[0]).toBe(
      'PGO: trained with `python train.py ([tool.maturin] pgo-command)` on `python3`; 1 profile(s) merged by `llvm-profdata-22` (LLVM 22.1.8, from PATH).',
    );
    expect(outcome.summary[1]).toMatch(/not measured/);
  });

  it('with pgo-measure, builds a plain wheel and times the training with each, into the report', async () => {
    const { run, builds, calls } = setup({ measure: true });
    const outcome = await run();
    expect(builds).toHaveLength(3);
    expect(builds[2]!.flags).toEqual(['-Ctarget-cpu=x86-64-v2', '--remap-path-prefix=/h=/cargo']);
    expect(calls.filter((c) => c === 'sh -c python train.py')).toHaveLength(1 + 2 * 5);
    expect(outcome.gain).toMatchObject({ plainMs: expect.any(Array), pgoMs: expect.any(Array) });
    expect(outcome.gain!.plainMs).toHaveLength(5);
    expect(outcome.summary[1]).toMatch(/^PGO\/plain \d+\.\d\d× on the training command/);
  });
  it("runs the optimised build as the step's own list of maturin calls, each with the profile; the instrumented one as one call", async () => {
    const argv = (items: string[]) => [
      'build',
      '--out',
      'dist',
      '--release',
      ...items.flatMap((i) => ['--interpreter', i]),
    ];
    const stepCalls: MaturinCall[] = [
      { kind: 'gil', interpreters: ['3.11', '3.12'], argv: argv(['python3.11', 'python3.12']) },
      { kind: 'free-threaded', interpreters: ['3.14t'], argv: argv(['python3.14t']) },
    ];
    const { run, builds, plan } = setup({ measure: false, calls: stepCalls });
    const outcome = await run();
    expect(builds.map((b) => b.argv)).toEqual([
      expect.arrayContaining(['--out', path.join(plan.dir, 'instrumented'), '--interpreter', 'python3']),
      stepCalls[0]!.argv,
      stepCalls[1]!.argv,
    ]);
    const use = `-Cprofile-use=${path.join(plan.dir, 'merged.profdata')}`;
    expect(builds.slice(1).map((b) => b.flags.at(-1))).toEqual([use, use]);
    expect(outcome.compiled.ran.map((r) => r.call.kind)).toEqual(['gil', 'free-threaded']);
  });
});
