/**
 * The orchestration with a recorded exec: the container path (docker cannot run here), where
 * what matters is the commands issued — the build argv, and the chown that must follow even a
 * failed build.
 */

import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeZip } from '@ferrowheel/harness/zip-fixture';
import { runnerContext } from '@ferrowheel/kit/context';
import type { Exec, ExecOptions } from '@ferrowheel/kit/exec';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { MATURIN_STARTS, NO_CPYTHON } from '../src/container.js';
import { readInputs } from '../src/inputs.js';
import { type Deps, run } from '../src/run.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

interface Call {
  program: string;
  args: readonly string[];
  options: ExecOptions | undefined;
}

/** What maturin (or, with `beforeMaturin`, the container script before it) prints for one call. */
type BuildOutput = (
  outDir: string,
  argv: readonly string[],
) => { exitCode: number; lines: string[]; beforeMaturin?: boolean };

/**
 * What the container script does with the calls after its path (`<count> <argv…>` each):
 * once it reaches maturin, each call's exit code follows it, and a failed first call stops the
 * rest when FERROWHEEL_FIRST_CALL_GATES=1. An output marked `beforeMaturin` is the script's own
 * failure (docker, the image, before-build): no call runs.
 */
function containerScript(
  outDir: string,
  args: readonly string[],
  buildOutput: BuildOutput,
): { exitCode: number; lines: string[] } {
  const words = args.slice(args.indexOf('/opt/ferrowheel/build.sh') + 1);
  const lines = [MATURIN_STARTS];
  let status = 0;
  for (let i = 0, call = 1; i < words.length; call++) {
    const count = Number(words[i]);
    const argv = words.slice(i + 1, i + 1 + count);
    i += 1 + count;
    const result = buildOutput(outDir, argv);
    if (
      result.exitCode !== 0 &&
      !result.lines.includes(MATURIN_STARTS) &&
      call === 1 &&
      result.lines.length <= 1
    ) {
      return result;
    }
    lines.push(
      `ferrowheel-container: maturin call ${call} starts`,
      ...result.lines.filter((l) => l !== MATURIN_STARTS),
    );
    lines.push(`ferrowheel-container: maturin call ${call} exited ${result.exitCode}`);
    if (result.exitCode !== 0 && status === 0) status = result.exitCode;
    if (result.exitCode !== 0 && call === 1 && args.includes('FERROWHEEL_FIRST_CALL_GATES=1')) break;
  }
  return { exitCode: status, lines };
}

/** A workspace holding a copy of examples/setup, and a fake exec for a Linux runner with docker. */
function setup(
  buildOutput: BuildOutput,
  interpreters?: string,
  docker: { engine?: boolean; image?: 'local' | 'pullable' | 'missing'; container?: string } = {},
) {
  const workspace = mkdtempSync(path.join(tmpdir(), 'build-run-'));
  cpSync(path.join(repoRoot, 'examples', 'setup'), path.join(workspace, 'setup'), { recursive: true });
  const calls: Call[] = [];
  const exec: Exec = async (program, args, options) => {
    calls.push({ program, args, options });
    const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
    if (program === 'docker' && args[0] === 'version') {
      return docker.engine === false
        ? {
            exitCode: 1,
            stdout: '',
            stderr:
              'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
          }
        : ok('27.3.1');
    }
    if (program === 'docker' && args[0] === 'image') {
      return (docker.image ?? 'local') === 'local'
        ? ok('sha256:1')
        : { exitCode: 1, stdout: '', stderr: 'No such image' };
    }
    if (program === 'docker' && args[0] === 'pull') {
      return docker.image === 'missing'
        ? {
            exitCode: 1,
            stdout: '',
            stderr:
              'Error response from daemon: Get "https://quay.io/v2/": dial tcp: lookup quay.io: no such host',
          }
        : ok('pulled');
    }
    if (program === 'rustc')
      return ok(
        'rustc 1.95.0 (abc 2026-10-01)\nbinary: rustc\nrelease: 1.95.0\nhost: x86_64-unknown-linux-gnu',
      );
    if (program === 'maturin' && args[0] === '--version') return ok('maturin 1.16.0');
    if (program === 'maturin') {
      const result = buildOutput(path.join(workspace, 'setup', 'dist'), args);
      return { exitCode: result.exitCode, stdout: '', stderr: result.lines.join('\n') };
    }
    if (program === 'cargo') return { exitCode: 101, stdout: '', stderr: 'no cargo here' };
    if (program === 'docker' && args.includes('bash')) {
      const result = containerScript(path.join(workspace, 'setup', 'dist'), args, buildOutput);
      for (const line of result.lines) options?.onLine?.(line, 'stderr');
      return { exitCode: result.exitCode, stdout: '', stderr: result.lines.join('\n') };
    }
    if (program === 'docker') return ok('');
    throw new Error(`unexpected command ${program} ${args.join(' ')}`);
  };
  const deps: Deps = { exec, owner: () => ({ uid: 1001, gid: 118 }) };
  const env = {
    PATH: '/usr/bin',
    HOME: path.join(workspace, 'home'),
    RUSTFLAGS: '-C target-cpu=x86-64-v2',
    SECRET_THING: 'x',
  };
  const inputs = readInputs(
    mapInputSource({
      'working-directory': 'setup',
      manylinux: '2_28',
      interpreters: interpreters ?? '3.11',
      ...(docker.container ? { container: docker.container } : {}),
    }),
    runnerContext({ workspace, platform: { os: 'linux', arch: 'x86_64' }, env }),
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
    // One call: its length, then its argv (the script's "$@").
    const maturinArgv = buildRun.args.slice(buildRun.args.indexOf('/opt/ferrowheel/build.sh') + 1);
    expect(maturinArgv).toEqual([
      '8',
      'build',
      '--out',
      path.join(workspace, 'setup', 'dist'),
      '--release',
      '--interpreter',
      'python3.11',
      '--compatibility',
      'manylinux_2_28',
    ]);
    expect(chownRun.args.slice(-6, -4)).toEqual(['/opt/ferrowheel/chown.sh', '1001:118']);
    expect(Number(chownRun.args.at(-4))).toBeLessThanOrEqual(Date.now() / 1000);
    expect(chownRun.args.slice(-3)).toEqual([workspace, '/root/.cargo/registry', '/root/.cargo/git']);
    // No host preflight probes for the container's own interpreters and targets.
    expect(calls.some((c) => c.program === 'rustup' || c.program === 'python3')).toBe(false);
  });

  it('mounts a relative CARGO_TARGET_DIR by its absolute path, as cargo resolves it', async () => {
    const wheel = 'setup-0.1.0-cp311-cp311-manylinux_2_28_x86_64.whl';
    const { workspace, calls, deps, inputs } = setup((outDir) => {
      writeZip(path.join(outDir, wheel), ['setup/setup.cpython-311-x86_64-linux-gnu.so']);
      return { exitCode: 0, lines: [`📦 Built wheel for CPython 3.11 to ${path.join(outDir, wheel)}`] };
    });
    inputs.runner.env.CARGO_TARGET_DIR = 'build-target';
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
      lines: [
        MATURIN_STARTS,
        '💥 maturin failed',
        "  Caused by: Couldn't find any python interpreters from 'python3.12'.",
      ],
    }));
    await expect(run(inputs, deps)).rejects.toThrow(
      'maturin build failed with exit code 1. The cause and fix are in the error annotation(s) above.',
    );
    const last = calls.at(-1)!;
    expect(last.program).toBe('docker');
    expect(last.args).toContain('/opt/ferrowheel/chown.sh');
  });
});

describe('one maturin call per free-threaded version', () => {
  const wheelFor = (outDir: string, argv: readonly string[]) => {
    if (argv.includes('python3.14t')) {
      return { exitCode: 101, lines: ['error[E0425]: cannot find value `GIL_ONLY` in this scope'] };
    }
    const wheel = path.join(outDir, 'setup-0.1.0-cp311-cp311-manylinux_2_28_x86_64.whl');
    writeZip(wheel, ['setup/setup.cpython-311-x86_64-linux-gnu.so']);
    return { exitCode: 0, lines: [`📦 Built wheel for CPython 3.11 to ${wheel}`] };
  };

  it('on the host: the failed 3.14t call fails the step after the GIL wheel was built, each in its own call', async () => {
    const { calls, deps, inputs } = setup(wheelFor, '3.11 3.14t', { container: 'off' });
    await expect(run(inputs, deps)).rejects.toThrow(
      '1 of the Python versions asked for was not built. CPython 3.14t: maturin build failed with exit code 101. See the compiler errors above and the build log. The other wheels (3.11) were built and are in the outputs',
    );
    const maturinRuns = calls.filter((c) => c.program === 'maturin' && c.args[0] === 'build');
    expect(
      maturinRuns.map((c) =>
        c.args.slice(c.args.indexOf('--interpreter') + 1, c.args.indexOf('--interpreter') + 2),
      ),
    ).toEqual([['python3.11'], ['python3.14t']]);
  });

  it('on the host: a failed GIL call stops the free-threaded calls, which would fail the same way', async () => {
    const { calls, deps, inputs } = setup(
      () => ({ exitCode: 1, lines: ['error: could not compile `setup`'] }),
      '3.11 3.12 3.14t',
      {
        container: 'off',
      },
    );
    await expect(run(inputs, deps)).rejects.toThrow(
      '3 of the Python versions asked for were not built. CPython 3.11, 3.12: maturin build failed with exit code 1. See the compiler errors above and the build log. CPython 3.14t: not built: the maturin call of the GIL-enabled versions failed first',
    );
    expect(calls.filter((c) => c.program === 'maturin' && c.args[0] === 'build')).toHaveLength(1);
  });

  it('with no interpreters listed (maturin chooses), a failed call fails the step', async () => {
    const { deps, inputs } = setup(() => ({ exitCode: 3, lines: [] }), '', { container: 'off' });
    await expect(run(inputs, deps)).rejects.toThrow('maturin build failed with exit code 3.');
  });

  it('in a container: every call in one docker run, the first gating the rest', async () => {
    const { calls, deps, inputs } = setup(wheelFor, '3.11 3.14t');
    await expect(run(inputs, deps)).rejects.toThrow('CPython 3.14t: maturin build failed');
    const buildRun = calls.find((c) => c.program === 'docker' && c.args.includes('bash'))!;
    expect(buildRun.args).toContain('FERROWHEEL_FIRST_CALL_GATES=1');
    const words = buildRun.args.slice(buildRun.args.indexOf('/opt/ferrowheel/build.sh') + 1);
    expect(words.filter((w) => /^\d+$/.test(w))).toEqual(['8', '8']);
  });
});

describe('a container build that fails before maturin names the real cause', () => {
  const noBuild = () => ({ exitCode: 0, lines: [] });
  const buildsWheel = (outDir: string) => {
    const wheel = path.join(outDir, 'setup-0.1.0-cp311-cp311-manylinux_2_28_x86_64.whl');
    writeZip(wheel, ['setup/setup.cpython-311-x86_64-linux-gnu.so']);
    return { exitCode: 0, lines: [`📦 Built wheel for CPython 3.11 to ${wheel}`] };
  };

  it('an image the user chose but no engine answers: the engine, and container: off', async () => {
    const { deps, inputs } = setup(noBuild, undefined, { engine: false, container: 'my/image:1' });
    await expect(run(inputs, deps)).rejects.toThrow(
      "Input 'container' asks for the image my/image:1, but no docker engine answers (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?). Start a docker engine on the runner, or build on the host with 'container: off'.",
    );
  });

  it('auto without an engine builds on the host', async () => {
    const { calls, deps, inputs } = setup(buildsWheel, undefined, { engine: false });
    await run(inputs, deps);
    expect(calls.some((c) => c.program === 'docker' && c.args[0] === 'run')).toBe(false);
    expect(calls.some((c) => c.program === 'maturin' && c.args[0] === 'build')).toBe(true);
  });

  it("an image that cannot be pulled: the image, the registry, docker's reason and how to go on", async () => {
    const { calls, deps, inputs } = setup(noBuild, undefined, {
      image: 'missing',
      container: 'quay.io/me/img:2',
    });
    await expect(run(inputs, deps)).rejects.toThrow(
      "Input 'container': the image quay.io/me/img:2 is not on this machine and cannot be pulled from quay.io (Error response from daemon: Get \"https://quay.io/v2/\": dial tcp: lookup quay.io: no such host). Pull or load it on the runner before this step (docker pull / docker load), choose another image with 'container', or build on the host with 'container: off'.",
    );
    expect(calls.some((c) => c.program === 'docker' && c.args[0] === 'run')).toBe(false);
  });

  it('auto with an image that cannot be pulled warns and builds on the host', async () => {
    const { calls, deps, inputs } = setup(buildsWheel, undefined, { image: 'missing' });
    await run(inputs, deps);
    expect(calls.some((c) => c.program === 'docker' && c.args[0] === 'pull')).toBe(true);
    expect(calls.some((c) => c.program === 'maturin' && c.args[0] === 'build')).toBe(true);
  });

  it("docker itself failing (exit 125) is docker's failure, not maturin's", async () => {
    const { deps, inputs } = setup(() => ({
      exitCode: 125,
      beforeMaturin: true,
      lines: ['docker: Error response from daemon: failed to create shim task: OCI runtime create failed.'],
    }));
    await expect(run(inputs, deps)).rejects.toThrow(
      'docker could not run the image quay.io/pypa/manylinux_2_28_x86_64 (exit code 125): docker: Error response from daemon: failed to create shim task: OCI runtime create failed.',
    );
  });

  it('an image without CPython', async () => {
    const { deps, inputs } = setup(() => ({ exitCode: 3, lines: [NO_CPYTHON], beforeMaturin: true }));
    await expect(run(inputs, deps)).rejects.toThrow(
      'The image quay.io/pypa/manylinux_2_28_x86_64 has no CPython to build for',
    );
  });

  it('the script stopping before maturin (a failing before-build)', async () => {
    const { deps, inputs } = setup(() => ({
      exitCode: 7,
      lines: ['yum: libfoo-devel: no such package'],
      beforeMaturin: true,
    }));
    await expect(run(inputs, deps)).rejects.toThrow(
      "The build script in quay.io/pypa/manylinux_2_28_x86_64 failed before maturin started (exit code 7): yum: libfoo-devel: no such package. Check the 'before-build' script",
    );
  });
});

describe('the cargo layout', () => {
  it('runs cargo metadata once per build, the cache keyed from the same answer', async () => {
    const { workspace, calls, deps, inputs } = setup((outDir) => {
      const wheel = path.join(outDir, 'setup-0.1.0-cp311-cp311-manylinux_2_28_x86_64.whl');
      writeZip(wheel, ['setup/setup.cpython-311-x86_64-linux-gnu.so']);
      return { exitCode: 0, lines: [MATURIN_STARTS, `📦 Built wheel for CPython 3.11 to ${wheel}`] };
    });
    const crate = path.join(workspace, 'setup');
    const metadata = JSON.stringify({
      workspace_root: crate,
      target_directory: path.join(crate, 'target'),
      packages: [
        { name: 'setup', manifest_path: path.join(crate, 'Cargo.toml'), targets: [{ name: 'setup' }] },
      ],
    });
    const inner = deps.exec;
    deps.exec = async (program, args, options) => {
      if (program === 'cargo') {
        calls.push({ program, args, options });
        return { exitCode: 0, stdout: metadata, stderr: '' };
      }
      return inner(program, args, options);
    };
    const keys: string[] = [];
    deps.cacheClient = {
      isFeatureAvailable: () => true,
      restoreCache: async (_paths, key) => {
        keys.push(key);
        return undefined;
      },
      saveCache: async () => 1,
    };
    await run(inputs, deps);
    expect(calls.filter((c) => c.program === 'cargo').map((c) => c.args[0])).toEqual(['metadata']);
    expect(keys).toEqual([
      expect.stringMatching(/^ferrowheel-cargo-v1-linux-x86_64-build-x86_64-unknown-linux-gnu-container-/),
    ]);
  });
});
