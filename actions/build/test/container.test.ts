import { readFileSync } from 'node:fs';
import { defaultImage } from '@ferrowheel/kit/build-images';
import { fail, ok, unwrap } from '@ferrowheel/kit/result';
import { resolveTarget, type Target } from '@ferrowheel/kit/targets';
import { describe, expect, it } from '@jest/globals';
import { effectiveRustflags } from '../src/cargo-rustflags.js';
import { parseCompatibility } from '../src/compatibility.js';
import {
  beforeBuildArgv,
  CONTAINER_BUILD_SCRIPT,
  CONTAINER_CHOWN_SCRIPT,
  CONTAINER_RUN_SCRIPT,
  type ContainerBuild,
  containerBuildEnv,
  dockerBuildArgs,
  dockerChownArgs,
  dockerRunArgs,
  forwardedEnvNames,
  imageEnvOf,
  imageRegistry,
  maturinCallWords,
  splitCallLogs,
} from '../src/container.js';
import { CONTAINER_PHASES, parseStatus } from '../src/container-status.js';

function target(spec: string, musl = false): Target {
  return unwrap(resolveTarget(spec, { os: 'linux', musl }));
}

function level(raw: string) {
  return unwrap(parseCompatibility(raw));
}

describe('defaultImage', () => {
  it.each([
    ['x64', 'auto', 'x86_64', 'quay.io/pypa/manylinux2014_x86_64'],
    ['x64', '2014', 'x86_64', 'quay.io/pypa/manylinux2014_x86_64'],
    ['x64', '2_28', 'x86_64', 'quay.io/pypa/manylinux_2_28_x86_64'],
    ['x64', 'manylinux_2_34', 'x86_64', 'quay.io/pypa/manylinux_2_34_x86_64'],
    ['x86', '2014', 'x86_64', 'quay.io/pypa/manylinux2014_i686'],
    ['aarch64', 'auto', 'x86_64', 'ghcr.io/rust-cross/manylinux2014-cross:aarch64'],
    ['aarch64', '2_28', 'x86_64', 'ghcr.io/rust-cross/manylinux_2_28-cross:aarch64'],
    ['aarch64', '2_28', 'aarch64', 'quay.io/pypa/manylinux_2_28_aarch64'],
    ['armv7', '2014', 'x86_64', 'ghcr.io/rust-cross/manylinux2014-cross:armv7'],
    ['ppc64le', '2_28', 'x86_64', 'ghcr.io/rust-cross/manylinux_2_28-cross:ppc64le'],
  ] as const)('%s at %s on %s → %s', (spec, manylinux, runner, image) => {
    expect(defaultImage(target(spec), level(manylinux), runner)).toEqual(ok(image));
  });

  it('uses the musl cross images for musllinux', () => {
    expect(defaultImage(target('x64', true), level('musllinux_1_2'), 'x86_64')).toEqual(
      ok('ghcr.io/rust-cross/rust-musl-cross:x86_64-musl'),
    );
    expect(defaultImage(target('aarch64', true), level('musllinux_1_1'), 'x86_64')).toEqual(
      ok('ghcr.io/rust-cross/rust-musl-cross:aarch64-musl'),
    );
  });

  it('says when no image exists', () => {
    expect(defaultImage(target('s390x'), level('2_34'), 'x86_64')).toEqual(
      fail(
        'there is no manylinux_2_34 image for s390x-unknown-linux-gnu (known: manylinux_2_17, manylinux_2_28)',
      ),
    );
    const mac = unwrap(resolveTarget('aarch64', { os: 'macos' }));
    expect(defaultImage(mac, level('auto'), 'aarch64')).toEqual(
      fail('containers build Linux wheels only, not aarch64-apple-darwin'),
    );
  });
});

describe("the container's environment, for the user's rustflags", () => {
  const triple = 'i686-unknown-linux-gnu';
  const inspected = JSON.stringify([
    'PATH=/usr/local/bin:/usr/bin',
    'CARGO_TARGET_I686_UNKNOWN_LINUX_GNU_RUSTFLAGS=-C link-arg=-Wl,--no-gnu-tls-tag',
    'EMPTY=',
    'A=b=c',
  ]);

  it("reads an image's Config.Env, and nothing from what is not a list of NAME=value", () => {
    expect(imageEnvOf(inspected)).toEqual({
      PATH: '/usr/local/bin:/usr/bin',
      CARGO_TARGET_I686_UNKNOWN_LINUX_GNU_RUSTFLAGS: '-C link-arg=-Wl,--no-gnu-tls-tag',
      EMPTY: '',
      A: 'b=c',
    });
    expect(imageEnvOf('null')).toEqual({});
    expect(imageEnvOf('not json')).toEqual({});
  });

  it("keeps an image's own target rustflags, which a reproducible build's CARGO_ENCODED_RUSTFLAGS would otherwise replace", () => {
    const env = containerBuildEnv(imageEnvOf(inspected), { HOME: '/home/runner', CARGO_HOME: '/c' });
    expect(env).not.toHaveProperty('HOME');
    expect(env).not.toHaveProperty('CARGO_HOME');
    expect(effectiveRustflags({ env, triple, layers: [], cfgs: new Set() })).toEqual({
      flags: ['-C', 'link-arg=-Wl,--no-gnu-tls-tag'],
      source: 'target rustflags (CARGO_TARGET_I686_UNKNOWN_LINUX_GNU_RUSTFLAGS)',
    });
  });

  it("the runner's variables passed in win over the image's, as in the container", () => {
    const env = containerBuildEnv(imageEnvOf(inspected), { RUSTFLAGS: '-C opt-level=2' });
    expect(effectiveRustflags({ env, triple, layers: [], cfgs: new Set() })).toEqual({
      flags: ['-C', 'opt-level=2'],
      source: 'RUSTFLAGS',
    });
  });
});

describe('forwardedEnvNames', () => {
  it('passes build variables by name and keeps host paths, the host toolchain name and the runner token out', () => {
    const names = forwardedEnvNames({
      RUSTFLAGS: '-C x',
      CARGO_NET_GIT_FETCH_WITH_CLI: 'true',
      CARGO_HOME: '/home/runner/.cargo',
      CARGO_TARGET_DIR: '/t',
      RUSTUP_HOME: '/home/runner/.rustup',
      RUSTC_WRAPPER: 'sccache',
      RUSTUP_TOOLCHAIN: 'stable',
      PYO3_CROSS_LIB_DIR: '/x',
      OPENSSL_DIR: '/usr',
      CFLAGS: '-O2',
      ACTIONS_RUNTIME_TOKEN: 'secret',
      HOME: '/home/runner',
      PATH: '/usr/bin',
      GITHUB_TOKEN: 'secret',
      MATURIN_PYPI_TOKEN: undefined,
      // What the reproducible build adds: the commit's time and the remapping flags.
      SOURCE_DATE_EPOCH: '1700000000',
      CARGO_ENCODED_RUSTFLAGS: '--remap-path-prefix=/home/runner/work/proj/proj=.',
    });
    expect(names).toEqual([
      'CARGO_ENCODED_RUSTFLAGS',
      'CARGO_NET_GIT_FETCH_WITH_CLI',
      'CFLAGS',
      'OPENSSL_DIR',
      'PYO3_CROSS_LIB_DIR',
      'RUSTFLAGS',
      'SOURCE_DATE_EPOCH',
    ]);
  });
});

const containerBuild: ContainerBuild = {
  image: 'quay.io/pypa/manylinux_2_28_x86_64',
  workspace: '/home/runner/work/proj/proj',
  workingDirectory: '/home/runner/work/proj/proj/py',
  cargoHome: '/home/runner/.cargo',
  targetDir: '/home/runner/work/_temp/target',
  target: target('x64'),
  rustToolchain: '1.95.0',
  maturinRequirement: 'maturin==1.16.0',
  maturinBinary: '/opt/hostedtoolcache/maturin/1.16.0/x64/maturin',
  beforeBuild: '/home/runner/work/proj/proj/ci/deps.sh',
  envNames: ['OPENSSL_DIR', 'RUSTFLAGS'],
  extraEnv: { FERROWHEEL_TARGET: 'x86_64-unknown-linux-gnu' },
  maturinCalls: ['python3.13', 'python3.14t'].map((python) => [
    'build',
    '--out',
    '/home/runner/work/proj/proj/py/dist',
    '--release',
    '--compatibility',
    'manylinux_2_28',
    '--interpreter',
    python,
  ]),
  firstCallGates: true,
  statusDir: '/home/runner/work/_temp/ferrowheel-container-Ab12',
};

/** Both docker runs mount the same: workspace, a target dir outside it, the cached cargo paths. */
const MOUNTS = [
  '--volume',
  '/home/runner/work/proj/proj:/home/runner/work/proj/proj',
  '--volume',
  '/home/runner/work/_temp/target:/home/runner/work/_temp/target',
  '--volume',
  '/home/runner/.cargo/registry:/root/.cargo/registry',
  '--volume',
  '/home/runner/.cargo/git:/root/.cargo/git',
];

describe('dockerBuildArgs', () => {
  it('mounts the workspace, the target dir and the cached cargo paths, and passes env explicitly', () => {
    expect(dockerBuildArgs(containerBuild)).toEqual([
      'run',
      '--rm',
      '--workdir',
      '/home/runner/work/proj/proj/py',
      ...MOUNTS,
      '--env',
      'CARGO_TARGET_DIR=/home/runner/work/_temp/target',
      '--env',
      'FERROWHEEL_RUST_TOOLCHAIN=1.95.0',
      '--env',
      'FERROWHEEL_RUST_TARGETS=x86_64-unknown-linux-gnu',
      '--env',
      'FERROWHEEL_MATURIN_REQUIREMENT=maturin==1.16.0',
      '--env',
      'FERROWHEEL_BEFORE_BUILD_ARGV=bash\n/home/runner/work/proj/proj/ci/deps.sh',
      '--env',
      'FERROWHEEL_FIRST_CALL_GATES=1',
      '--env',
      'FERROWHEEL_STATUS_FILE=/opt/ferrowheel/status/phases',
      '--env',
      'FERROWHEEL_TARGET=x86_64-unknown-linux-gnu',
      '--env',
      'OPENSSL_DIR',
      '--env',
      'RUSTFLAGS',
      '--volume',
      '/opt/hostedtoolcache/maturin/1.16.0/x64/maturin:/opt/ferrowheel/bin/maturin:ro',
      '--volume',
      `${CONTAINER_BUILD_SCRIPT}:/opt/ferrowheel/build.sh:ro`,
      '--volume',
      '/home/runner/work/_temp/ferrowheel-container-Ab12:/opt/ferrowheel/status',
      'quay.io/pypa/manylinux_2_28_x86_64',
      'bash',
      '/opt/ferrowheel/build.sh',
      // Each call's argv after its length: "$@" holds them all.
      '8',
      ...containerBuild.maturinCalls[0]!,
      '8',
      ...containerBuild.maturinCalls[1]!,
    ]);
  });

  it('does not mount a target dir that lies inside the workspace twice', () => {
    const args = dockerBuildArgs({ ...containerBuild, targetDir: '/home/runner/work/proj/proj/target' });
    expect(args.filter((a) => a.includes('/proj/proj/target:'))).toEqual([]);
  });

  it('runs a script file that takes the maturin calls from "$@", not from pasted text', () => {
    const script = readFileSync(CONTAINER_BUILD_SCRIPT, 'utf8');
    expect(script).toContain('maturin "${@:1:$count}" || code=$?');
    // Nothing of the build is pasted in: the same script whatever the inputs.
    for (const value of ['manylinux_2_28', 'python3.13', '/home/runner', 'deps.sh']) {
      expect(script).not.toContain(value);
    }
  });

  it('writes each phase it enters, phases container-status.ts knows, then each call and its exit code', () => {
    const script = readFileSync(CONTAINER_BUILD_SCRIPT, 'utf8');
    const written = [...script.matchAll(/^\s*status (\S+)$/gm)].map((m) => m[1]);
    expect(written).toEqual([...CONTAINER_PHASES]);
    expect(script).toMatch(/status no-cpython\n.*\n\s*exit 3/);
    expect(script).toContain('status "maturin-call $call"\n');
    expect(script).toContain('status "maturin-call $call exited $code"\n');
    // The log's only marker splits it by call (display, known-failure notes): no outcome in it.
    expect([...script.matchAll(/echo "ferrowheel-container:[^"]*"/g)].map((m) => m[0])).toEqual([
      'echo "ferrowheel-container: maturin call $call starts"',
    ]);
  });

  it("splits the container's output into each call's lines, by the call's number", () => {
    const lines = [
      'ferrowheel-container: maturin call 1 starts',
      '📦 Built wheel for CPython 3.13 to /w/dist/a.whl',
      'ferrowheel-container: maturin call 2 starts',
      'error: the configured Python interpreter version (3.14) is newer',
      'ferrowheel-container: maturin call 3 starts',
      'Killed',
    ];
    expect(splitCallLogs(lines)).toEqual(
      new Map([
        [1, ['📦 Built wheel for CPython 3.13 to /w/dist/a.whl']],
        [2, ['error: the configured Python interpreter version (3.14) is newer']],
        [3, ['Killed']],
      ]),
    );
    expect(splitCallLogs(['no marker'])).toEqual(new Map());
    expect(maturinCallWords([['build', '-i', 'python3.13'], ['build']])).toEqual([
      '3',
      'build',
      '-i',
      'python3.13',
      '1',
      'build',
    ]);
  });
});

describe('dockerChownArgs', () => {
  it('gives back only what root wrote since the build started, never a whole tree', () => {
    expect(dockerChownArgs(containerBuild, { uid: 1001, gid: 118 }, 1_790_000_000.25)).toEqual([
      'run',
      '--rm',
      ...MOUNTS,
      '--volume',
      `${CONTAINER_CHOWN_SCRIPT}:/opt/ferrowheel/chown.sh:ro`,
      '--entrypoint',
      'bash',
      'quay.io/pypa/manylinux_2_28_x86_64',
      '/opt/ferrowheel/chown.sh',
      '1001:118',
      '1790000000.250',
      '/home/runner/work/proj/proj',
      '/home/runner/work/_temp/target',
      '/root/.cargo/registry',
      '/root/.cargo/git',
    ]);
    const script = readFileSync(CONTAINER_CHOWN_SCRIPT, 'utf8');
    expect(script).toContain('-uid 0 -newerct "@$since"');
    expect(script).not.toContain('-R');
  });
});

describe('PGO in the container', () => {
  const pgo = '/home/runner/work/_temp/ferrowheel-pgo';
  const withPgo = { ...containerBuild, extraMounts: [pgo] };

  it('mounts its directory for the builds and gives back what root wrote there', () => {
    expect(dockerBuildArgs(withPgo)).toEqual(expect.arrayContaining(['--volume', `${pgo}:${pgo}`]));
    expect(dockerChownArgs(withPgo, { uid: 1001, gid: 118 }, 1).slice(-5)).toEqual([
      '/home/runner/work/proj/proj',
      '/home/runner/work/_temp/target',
      '/root/.cargo/registry',
      '/root/.cargo/git',
      pgo,
    ]);
    // A directory inside the workspace is mounted with it already.
    const inside = { ...containerBuild, extraMounts: ['/home/runner/work/proj/proj/.pgo'] };
    expect(dockerBuildArgs(inside).filter((a) => a.includes('.pgo'))).toEqual([]);
  });

  it("runs one command in the image with the build's mounts, as the runner's user, data as values", () => {
    const argv = dockerRunArgs(withPgo, {
      program: 'sh',
      args: ['-c', 'python train.py'],
      cwd: '/home/runner/work/proj/proj/py',
      env: { VIRTUAL_ENV: `${pgo}/venv`, LLVM_PROFILE_FILE: `${pgo}/profiles/%m_%p.profraw` },
      user: '1001:118',
    });
    expect(argv).toEqual([
      'run',
      '--rm',
      '--workdir',
      '/home/runner/work/proj/proj/py',
      '--user',
      '1001:118',
      '--env',
      'HOME=/tmp',
      ...MOUNTS,
      '--volume',
      `${pgo}:${pgo}`,
      '--env',
      'CARGO_TARGET_DIR=/home/runner/work/_temp/target',
      '--env',
      `VIRTUAL_ENV=${pgo}/venv`,
      '--env',
      `LLVM_PROFILE_FILE=${pgo}/profiles/%m_%p.profraw`,
      '--env',
      'OPENSSL_DIR',
      '--env',
      'RUSTFLAGS',
      '--volume',
      `${CONTAINER_RUN_SCRIPT}:/opt/ferrowheel/run.sh:ro`,
      'quay.io/pypa/manylinux_2_28_x86_64',
      'bash',
      '/opt/ferrowheel/run.sh',
      'sh',
      '-c',
      'python train.py',
    ]);
  });
});

describe('imageRegistry', () => {
  it.each([
    ['quay.io/pypa/manylinux2014_x86_64', 'quay.io'],
    ['ghcr.io/rust-cross/manylinux2014-cross:aarch64', 'ghcr.io'],
    ['localhost:5000/img', 'localhost:5000'],
    ['localhost/img', 'localhost'],
    ['python:3.12', 'docker.io'],
    ['pypa/manylinux', 'docker.io'],
  ])('%s comes from %s', (image, registry) => {
    expect(imageRegistry(image)).toBe(registry);
  });
});

describe('beforeBuildArgv', () => {
  it("runs the hook in the container by kit's one extension table (the image's python3 for .py)", () => {
    expect(beforeBuildArgv('/w/ci/deps.sh')).toEqual(['bash', '/w/ci/deps.sh']);
    expect(beforeBuildArgv('/w/ci/DEPS.SH')).toEqual(['bash', '/w/ci/DEPS.SH']);
    expect(beforeBuildArgv('/w/ci/deps.bash')).toEqual(['bash', '/w/ci/deps.bash']);
    expect(beforeBuildArgv('/w/ci/deps.py')).toEqual(['python3', '/w/ci/deps.py']);
    expect(beforeBuildArgv('/w/ci/deps')).toEqual(['/w/ci/deps']);
    expect(beforeBuildArgv('/w/ci dir/my hook')).toEqual(['/w/ci dir/my hook']);
  });
});

describe('parseStatus', () => {
  it('reads the last phase and each call with its exit code; a call without one did not finish', () => {
    const text = [
      'started',
      'find-python',
      'maturin',
      'maturin-call 1',
      'maturin-call 1 exited 0',
      'maturin-call 2',
      'maturin-call 2 exited 1',
      'maturin-call 3',
      '',
    ].join('\n');
    expect(parseStatus(text)).toEqual({
      phase: 'maturin',
      calls: [{ exitCode: 0 }, { exitCode: 1 }, { exitCode: undefined }],
    });
  });

  it('is empty when the script wrote nothing, and stops at its phase before maturin', () => {
    expect(parseStatus('')).toEqual({ phase: undefined, calls: [] });
    expect(parseStatus('started\ninstall-rust\n')).toEqual({ phase: 'install-rust', calls: [] });
  });

  it('leaves out lines the script does not write, and calls out of order', () => {
    expect(
      parseStatus(
        'started\nmaturin\nmaturin-call 2 exited 0\nmaturin-call 1\nbogus\nmaturin-call 1 exited 2x',
      ),
    ).toEqual({
      phase: 'maturin',
      calls: [{ exitCode: undefined }],
    });
  });
});
