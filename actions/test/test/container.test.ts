import { parseDockerPlatform } from '@ferrowheel/kit/docker-platform';
import { unwrap } from '@ferrowheel/kit/result';
import { describe, expect, it } from '@jest/globals';
import {
  architectureMismatch,
  dockerExecArgs,
  dockerRunArgs,
  type MachineFacts,
  parseEnv,
  qemuProblem,
} from '../src/container.js';

const platform = (text: string) => unwrap(parseDockerPlatform(text));
const amd64 = platform('linux/amd64');
const registered = 'enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: F\noffset 0\nmagic 7f454c46\n';
const machine = (entries: Record<string, string>, dockerHost?: string): MachineFacts => ({
  binfmt: (entry) => entries[entry],
  dockerHost,
});

describe('qemuProblem', () => {
  it('has nothing to say about a platform the engine runs itself', () => {
    expect(qemuProblem(platform('linux/amd64'), amd64, machine({}))).toBeUndefined();
    expect(qemuProblem(platform('linux/386'), amd64, machine({}))).toBeUndefined();
    expect(qemuProblem(platform('linux/arm64'), platform('linux/arm64'), machine({}))).toBeUndefined();
  });

  it('accepts a registered, enabled entry with the F flag', () => {
    expect(
      qemuProblem(platform('linux/arm64'), amd64, machine({ 'qemu-aarch64': registered })),
    ).toBeUndefined();
  });

  it('names the missing, disabled or F-less entry and how to register it', () => {
    const missing = qemuProblem(platform('linux/arm64'), amd64, machine({}));
    expect(missing).toContain(
      "Input 'docker-platform' is linux/arm64, which this linux/amd64 docker engine runs only under QEMU, and QEMU is not registered for it (no /proc/sys/fs/binfmt_misc/qemu-aarch64).",
    );
    expect(missing).toContain('docker/setup-qemu-action (platforms: linux/arm64)');
    expect(
      qemuProblem(platform('linux/s390x'), amd64, machine({ 'qemu-s390x': 'disabled\nflags: F\n' })),
    ).toContain('its QEMU entry (qemu-s390x) is disabled');
    expect(
      qemuProblem(platform('linux/arm/v7'), amd64, machine({ 'qemu-arm': 'enabled\nflags: OC\n' })),
    ).toContain('lacks the F flag (flags: OC), so a container cannot find the emulator');
  });

  it('cannot see the binfmt_misc of an engine on another machine, and does not guess', () => {
    expect(qemuProblem(platform('linux/arm64'), amd64, machine({}, 'tcp://10.0.0.2:2376'))).toBeUndefined();
    expect(qemuProblem(platform('linux/arm64'), amd64, machine({}, 'unix:///run/docker.sock'))).toBeDefined();
  });
});

describe('the docker argv', () => {
  const start = {
    spec: { image: 'python:3.12-slim', platform: platform('linux/arm64') },
    mounts: ['/home/runner/work/p/p', '/home/runner/work/_temp', '/home/runner/work/_temp'],
    workDir: '/home/runner/work/_temp/ferrowheel-test-x',
    user: { uid: 1001, gid: 118 },
  };

  it('starts one container of the checked image id, as the runner user, with the mounts at their own paths', () => {
    expect(dockerRunArgs(start, { name: 'ferrowheel-test-1', imageId: 'sha256:abc' })).toEqual([
      'run',
      '--detach',
      '--name',
      'ferrowheel-test-1',
      '--label',
      'org.ferrowheel.test=1',
      '--user',
      '1001:118',
      '--volume',
      '/home/runner/work/p/p:/home/runner/work/p/p',
      '--volume',
      '/home/runner/work/_temp:/home/runner/work/_temp',
      '--env',
      'HOME=/home/runner/work/_temp/ferrowheel-test-x/home',
      '--env',
      'PIP_DISABLE_PIP_VERSION_CHECK=1',
      '--workdir',
      '/home/runner/work/_temp/ferrowheel-test-x',
      '--entrypoint',
      'sleep',
      'sha256:abc',
      'infinity',
    ]);
  });

  it("mounts the static uv read-only where the container's installer finds it", () => {
    const args = dockerRunArgs(start, {
      name: 'c',
      imageId: 'sha256:abc',
      uv: '/opt/hostedtoolcache/uv/0.13.8/x86_64-static/uv',
    });
    expect(args.join(' ')).toContain(
      '--volume /opt/hostedtoolcache/uv/0.13.8/x86_64-static/uv:/opt/ferrowheel/bin/uv:ro',
    );
  });

  it('runs each command with its argv untouched and its environment from a file', () => {
    expect(
      dockerExecArgs('c1', {
        program: '/t/venv/bin/pytest',
        args: ['-k', 'not slow; rm -rf /', '$HOME'],
        cwd: '/t/run',
        envFile: '/t/.env-1',
      }),
    ).toEqual([
      'exec',
      '--workdir',
      '/t/run',
      '--env-file',
      '/t/.env-1',
      'c1',
      '/t/venv/bin/pytest',
      '-k',
      'not slow; rm -rf /',
      '$HOME',
    ]);
    expect(dockerExecArgs('c1', { program: 'python3', args: [], cwd: '/', input: true })).toEqual([
      'exec',
      '--interactive',
      '--workdir',
      '/',
      'c1',
      'python3',
    ]);
  });

  it("reads the container's environment", () => {
    expect(parseEnv('PATH=/usr/bin:/bin\nHOME=/t/home\nX=a=b\n\nnot a variable\n')).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/t/home',
      X: 'a=b',
    });
  });
});

describe('architectureMismatch', () => {
  const where = 'in python:3.12-slim (linux/amd64)';
  it('says which platform the wheels need when none is for the interpreter', () => {
    const error = architectureMismatch(
      [
        'dist/setup-0.1.0-cp312-cp312-manylinux_2_28_aarch64.whl',
        'dist/setup-0.1.0-cp312-cp312-musllinux_1_2_aarch64.whl',
      ],
      'cp312-cp312-manylinux_2_36_x86_64',
      where,
    );
    expect(error?.message).toBe(
      "The wheels are for aarch64, but the interpreter in python:3.12-slim (linux/amd64) runs x86_64. Set 'docker-platform' to linux/arm64 and 'container' to an image of that platform.",
    );
  });

  it('leaves other reasons to the wheel selection', () => {
    expect(
      architectureMismatch(
        ['a-1.0-cp39-cp39-manylinux_2_28_x86_64.whl'],
        'cp312-cp312-manylinux_2_36_x86_64',
        where,
      ),
    ).toBeUndefined();
    expect(
      architectureMismatch(['a-1.0-py3-none-any.whl'], 'cp312-cp312-manylinux_2_36_x86_64', where),
    ).toBeUndefined();
    expect(
      architectureMismatch(['a-1.0-cp312-cp312-win_amd64.whl'], 'cp312-cp312-manylinux_2_36_x86_64', where),
    ).toBeUndefined();
  });
});
