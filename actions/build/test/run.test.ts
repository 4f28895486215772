/**
 * The orchestration with a recorded exec: the container path (docker cannot run here), where
 * what matters is the commands issued — the build argv, and the chown that must follow even a
 * failed build.
 */

import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runnerContext } from '@ferrowheel/kit/context';
import type { Exec, ExecOptions } from '@ferrowheel/kit/exec';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';
import { type Deps, run } from '../src/run.js';
import { writeZip } from './zip-fixture.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

interface Call {
  program: string;
  args: readonly string[];
  options: ExecOptions | undefined;
}

/** A workspace holding a copy of examples/setup, and a fake exec for a Linux runner with docker. */
function setup(
  buildOutput: (outDir: string) => { exitCode: number; lines: string[] },
  interpreters?: string,
) {
  const workspace = mkdtempSync(path.join(tmpdir(), 'build-run-'));
  cpSync(path.join(repoRoot, 'examples', 'setup'), path.join(workspace, 'setup'), { recursive: true });
  const calls: Call[] = [];
  const exec: Exec = async (program, args, options) => {
    calls.push({ program, args, options });
    const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
    if (program === 'docker' && args[0] === 'version') return ok('27.3.1');
    if (program === 'rustc')
      return ok(
        'rustc 1.95.0 (abc 2026-10-01)\nbinary: rustc\nrelease: 1.95.0\nhost: x86_64-unknown-linux-gnu',
      );
    if (program === 'maturin') return ok('maturin 1.16.0');
    if (program === 'cargo') return { exitCode: 101, stdout: '', stderr: 'no cargo here' };
    if (program === 'docker' && args.includes('bash')) {
      const outDir = path.join(workspace, 'setup', 'dist');
      const result = buildOutput(outDir);
      for (const line of result.lines) options?.onLine?.(line, 'stderr');
      return { exitCode: result.exitCode, stdout: '', stderr: result.lines.join('\n') };
    }
    if (program === 'docker') return ok('');
    throw new Error(`unexpected command ${program} ${args.join(' ')}`);
  };
  const deps: Deps = {
    exec,
    env: {
      PATH: '/usr/bin',
      HOME: path.join(workspace, 'home'),
      RUSTFLAGS: '-C target-cpu=x86-64-v2',
      SECRET_THING: 'x',
    },
    owner: () => ({ uid: 1001, gid: 118 }),
  };
  const inputs = readInputs(
    mapInputSource({
      'working-directory': 'setup',
      manylinux: '2_28',
      interpreters: interpreters ?? '3.11 3.12',
    }),
    runnerContext({ workspace, platform: { os: 'linux', arch: 'x86_64' } }),
  );
  return { workspace, calls, deps, inputs };
}

describe('run in a container', () => {
  it('fails a built wheel that lacks its extension module', async () => {
    const wheel = 'setup-0.1.0-cp311-cp311-manylinux_2_28_x86_64.whl';
    const { deps, inputs } = setup((outDir) => {
      writeZip(path.join(outDir, wheel), ['setup/__init__.py']);
      return { exitCode: 0, lines: [`📦 Built wheel for CPython 3.11 to ${path.join(outDir, wheel)}`] };
    });
    await expect(run(inputs, deps)).rejects.toThrow('1 wheel(s) lack the extension module');
  });

  it('fails a build maturin only warns about when the module cannot be imported', async () => {
    const { deps, inputs } = setup(() => ({
      exitCode: 0,
      lines: [
        "⚠️  Warning: Couldn't find the symbol `PyInit_setup` or `PyModExport_setup` in the native library.",
      ],
    }));
    await expect(run(inputs, deps)).rejects.toThrow('maturin built a wheel that Python cannot import');
  });

  it('builds in the manylinux image with mounts and env, then gives the files back', async () => {
    const wheel = 'setup-0.1.0-cp311-cp311-manylinux_2_28_x86_64.whl';
    const { workspace, calls, deps, inputs } = setup((outDir) => {
      writeZip(path.join(outDir, wheel), ['setup/setup.cpython-311-x86_64-linux-gnu.so']);
      return { exitCode: 0, lines: [`📦 Built wheel for CPython 3.11 to ${path.join(outDir, wheel)}`] };
    });
    const result = await run(inputs, deps);
    expect(result.wheels.map((w) => w.filename)).toEqual([wheel]);
    expect(result.wheels[0]!.tags).toEqual(['cp311-cp311-manylinux_2_28_x86_64']);

    const dockerRuns = calls.filter((c) => c.program === 'docker' && c.args[0] === 'run');
    expect(dockerRuns).toHaveLength(2);
    const [buildRun, chownRun] = dockerRuns as [Call, Call];
    const targetDir = path.join(workspace, 'setup', 'target');
    expect(buildRun.args).toEqual(
      expect.arrayContaining([
        '--workdir',
        path.join(workspace, 'setup'),
        `${workspace}:${workspace}`,
        `${workspace}/home/.cargo/registry:/root/.cargo/registry`,
        `CARGO_TARGET_DIR=${targetDir}`,
        'FERROWHEEL_RUST_TOOLCHAIN=1.95.0',
        'FERROWHEEL_MATURIN_REQUIREMENT=maturin==1.16.0',
        'RUSTFLAGS',
        'quay.io/pypa/manylinux_2_28_x86_64',
      ]),
    );
    expect(buildRun.args).not.toContain('SECRET_THING');
    const maturinArgv = buildRun.args.slice(buildRun.args.indexOf('ferrowheel-build') + 1);
    expect(maturinArgv).toEqual([
      'build',
      '--out',
      path.join(workspace, 'setup', 'dist'),
      '--release',
      '--interpreter',
      'python3.11',
      'python3.12',
      '--compatibility',
      'manylinux_2_28',
    ]);
    expect(chownRun.args.slice(-5)).toEqual([
      '-R',
      '1001:118',
      workspace,
      '/root/.cargo/registry',
      '/root/.cargo/git',
    ]);
    // No host preflight probes for the container's own interpreters and targets.
    expect(calls.some((c) => c.program === 'rustup' || c.program === 'python3')).toBe(false);
  });

  it('mounts a relative CARGO_TARGET_DIR by its absolute path, as cargo resolves it', async () => {
    const wheel = 'setup-0.1.0-cp311-cp311-manylinux_2_28_x86_64.whl';
    const { workspace, calls, deps, inputs } = setup((outDir) => {
      writeZip(path.join(outDir, wheel), ['setup/setup.cpython-311-x86_64-linux-gnu.so']);
      return { exitCode: 0, lines: [`📦 Built wheel for CPython 3.11 to ${path.join(outDir, wheel)}`] };
    });
    deps.env.CARGO_TARGET_DIR = 'build-target';
    await run(inputs, deps);
    const buildRun = calls.find((c) => c.program === 'docker' && c.args.includes('bash'))!;
    expect(buildRun.args).toContain(`CARGO_TARGET_DIR=${path.join(workspace, 'setup', 'build-target')}`);
    expect(buildRun.args).not.toContain('build-target:build-target');
  });

  it('builds for every CPython of the image when no interpreters are given', async () => {
    const wheel = 'setup-0.1.0-cp39-cp39-manylinux_2_28_x86_64.whl';
    const { calls, deps, inputs } = setup((outDir) => {
      writeZip(path.join(outDir, wheel), ['setup.cpython-39-x86_64-linux-gnu.so']);
      return { exitCode: 0, lines: [`📦 Built wheel for CPython 3.9 to ${path.join(outDir, wheel)}`] };
    }, '');
    await run(inputs, deps);
    const buildRun = calls.find((c) => c.program === 'docker' && c.args.includes('bash'))!;
    expect(buildRun.args).toContain('--find-interpreter');
    expect(buildRun.args).not.toContain('--interpreter');
  });

  it('gives the files back and diagnoses the failure when the build fails', async () => {
    const { calls, deps, inputs } = setup(() => ({
      exitCode: 1,
      lines: ['💥 maturin failed', "  Caused by: Couldn't find any python interpreters from 'python3.12'."],
    }));
    await expect(run(inputs, deps)).rejects.toThrow(
      'maturin build failed with exit code 1. The cause and fix are in the error annotation(s) above.',
    );
    const last = calls.at(-1)!;
    expect(last.program).toBe('docker');
    expect(last.args).toContain('chown');
  });
});
