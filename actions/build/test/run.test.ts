/**
 * The orchestration with a recorded exec: the container path (docker cannot run here), where
 * what matters is the commands issued — the build argv, and the chown that must follow even a
 * failed build.
 */

import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeZip } from '@ferrowheel/harness/zip-fixture';
import { runnerContext } from '@ferrowheel/kit/context';
import type { Exec, ExecOptions } from '@ferrowheel/kit/exec';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';
import { type Deps, run } from '../src/run.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

interface Call {
  program: string;
  args: readonly string[];
  options: ExecOptions | undefined;
}

/**
 * What maturin prints for one call (or, with `phases` not ending in `maturin`, what the container
 * script wrote and printed before it stopped, no call run): `phases` are what the build script
 * writes into the mounted status directory (container-status.ts); by default it got to maturin.
 */
type BuildOutput = (
  outDir: string,
  argv: readonly string[],
) => { exitCode: number; lines: string[]; phases?: string[] };

/**
 * What the container script does with the calls after its path (`<count> <argv…>` each): once it
 * reaches maturin, each call's start and exit code go to the status file (its output follows the
 * call's log marker), and a failed first call stops the rest when FERROWHEEL_FIRST_CALL_GATES=1.
 */
function containerScript(
  outDir: string,
  args: readonly string[],
  buildOutput: BuildOutput,
): { exitCode: number; lines: string[]; status: string[] } {
  const words = args.slice(args.indexOf('/opt/ferrowheel/build.sh') + 1);
  const lines: string[] = [];
  const status: string[] = [];
  let failed = 0;
  for (let i = 0, call = 1; i < words.length; call++) {
    const count = Number(words[i]);
    const argv = words.slice(i + 1, i + 1 + count);
    i += 1 + count;
    const result = buildOutput(outDir, argv);
    const phases = result.phases ?? ['started', 'find-python', 'maturin'];
    // The script stopped before maturin: no call ran.
    if (call === 1 && phases.at(-1) !== 'maturin') return { ...result, status: phases };
    if (call === 1) status.push(...phases);
    status.push(`maturin-call ${call}`, `maturin-call ${call} exited ${result.exitCode}`);
    lines.push(`ferrowheel-container: maturin call ${call} starts`, ...result.lines);
    if (result.exitCode !== 0 && failed === 0) failed = result.exitCode;
    if (result.exitCode !== 0 && call === 1 && args.includes('FERROWHEEL_FIRST_CALL_GATES=1')) break;
  }
  return { exitCode: failed, lines, status };
}

/** Writes the status lines into the status directory a `docker run` argv mounts. */
function writeStatus(args: readonly string[], status: readonly string[]): void {
  const mount = args.find((a) => a.endsWith(':/opt/ferrowheel/status'));
  if (mount === undefined || status.length === 0) return;
  writeFileSync(
    path.join(mount.slice(0, -':/opt/ferrowheel/status'.length), 'phases'),
    `${status.join('\n')}\n`,
  );
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
      writeStatus(args, result.status);
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
      // These wheels are stand-ins (empty zips): the audit is tested on real ones (integration/audit.test.ts).
      audit: 'off',
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
      lines: ['💥 maturin failed', "  Caused by: Couldn't find any python interpreters from 'python3.12'."],
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

  it("in a container: each call's outcome is the status file's, whatever its log prints", async () => {
    const { deps, inputs } = setup((outDir, argv) => {
      if (!argv.includes('python3.14t')) return wheelFor(outDir, argv);
      // Lines that look like the script's own cannot make the failed call a success.
      return {
        exitCode: 101,
        lines: ['ferrowheel-container: maturin call 2 exited 0', 'maturin-call 2 exited 0'],
      };
    }, '3.11 3.14t');
    await expect(run(inputs, deps)).rejects.toThrow(
      '1 of the Python versions asked for was not built. CPython 3.14t: maturin build failed with exit code 101.',
    );
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
      lines: ['docker: Error response from daemon: failed to create shim task: OCI runtime create failed.'],
      phases: [],
    }));
    await expect(run(inputs, deps)).rejects.toThrow(
      'docker could not run the image quay.io/pypa/manylinux_2_28_x86_64 (exit code 125): docker: Error response from daemon: failed to create shim task: OCI runtime create failed.',
    );
  });

  it('an image without CPython', async () => {
    const { deps, inputs } = setup(() => ({
      exitCode: 3,
      lines: ['no CPython in this image'],
      phases: ['started', 'find-python', 'no-cpython'],
    }));
    await expect(run(inputs, deps)).rejects.toThrow(
      'The image quay.io/pypa/manylinux_2_28_x86_64 has no CPython to build for',
    );
  });

  it('the script stopping before maturin (a failing before-build)', async () => {
    const { deps, inputs } = setup(() => ({
      exitCode: 7,
      lines: ['yum: libfoo-devel: no such package'],
      phases: ['started', 'find-python', 'before-build'],
    }));
    await expect(run(inputs, deps)).rejects.toThrow(
      "The build script in quay.io/pypa/manylinux_2_28_x86_64 failed before maturin started (exit code 7): yum: libfoo-devel: no such package. Check the 'before-build' script",
    );
  });
});

describe("a container build's failure is told by the phase the script wrote, not by its log", () => {
  const image = 'quay.io/pypa/manylinux_2_28_x86_64';

  it('installing Rust in the image failing: the network, or an image that has it', async () => {
    const { deps, inputs } = setup(() => ({
      exitCode: 6,
      lines: ['curl: (6) Could not resolve host: sh.rustup.rs'],
      phases: ['started', 'install-rust'],
    }));
    await expect(run(inputs, deps)).rejects.toThrow(
      `The build script in ${image} failed before maturin started (exit code 6): curl: (6) Could not resolve host: sh.rustup.rs. Installing Rust or maturin in the image failed`,
    );
  });

  it("a before-build hook that prints what looks like the script's own lines is still the hook", async () => {
    const { deps, inputs } = setup(() => ({
      exitCode: 1,
      lines: ['::group::Install maturin', 'ferrowheel-container: maturin starts', 'hook: failed'],
      phases: ['started', 'find-python', 'before-build'],
    }));
    await expect(run(inputs, deps)).rejects.toThrow("Check the 'before-build' script");
  });

  it("maturin failing after the phase says so is maturin's failure, whatever the log says", async () => {
    const { deps, inputs } = setup(() => ({
      exitCode: 1,
      lines: ['no CPython in this image (no /opt/python/cp3*/bin/python3, no python3 on PATH)'],
      phases: ['started', 'find-python', 'maturin'],
    }));
    // maturin's failure for the version its call built, not the image's missing CPython.
    await expect(run(inputs, deps)).rejects.toThrow(
      /built\. CPython 3\.11: maturin build failed with exit code 1\. See the compiler errors above/,
    );
  });

  it('a script that never wrote a phase did not start', async () => {
    const { deps, inputs } = setup(() => ({
      exitCode: 1,
      lines: ['bash: /opt/ferrowheel/build.sh: denied'],
      phases: [],
    }));
    await expect(run(inputs, deps)).rejects.toThrow(
      `The build script in ${image} did not start (exit code 1): bash: /opt/ferrowheel/build.sh: denied.`,
    );
  });
});

describe('the cargo layout', () => {
  it('runs cargo metadata once per build, the cache keyed from the same answer', async () => {
    const { workspace, calls, deps, inputs } = setup((outDir) => {
      const wheel = path.join(outDir, 'setup-0.1.0-cp311-cp311-manylinux_2_28_x86_64.whl');
      writeZip(wheel, ['setup/setup.cpython-311-x86_64-linux-gnu.so']);
      return { exitCode: 0, lines: [`📦 Built wheel for CPython 3.11 to ${wheel}`] };
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
