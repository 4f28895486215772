/**
 * The script a container build runs, run for real with bash on this host: the host stands in for
 * an image that already has Rust and maturin, so the script's own logic — PATH set-up,
 * before-build once, each maturin call from "$@" with its exit code written to the status
 * file — is tested without an engine. container.test.ts runs it in a real image.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyExample } from '@ferrowheel/harness/example-wheel';
import { hostPython } from '@ferrowheel/harness/host-python';
import { withTargetDirSync } from '@ferrowheel/harness/process-lock';
import { cargoTargetDir, freshDir, toolsBin } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';
import {
  beforeBuildArgv,
  CONTAINER_BUILD_SCRIPT,
  maturinCallWords,
  splitCallLogs,
} from '../../src/container.js';
import { parsePhases, parseStatus } from '../../src/container-status.js';

/** The script's environment on this host, with a fresh status file for its phases and calls. */
function scriptEnv(
  out: string,
  extra: Record<string, string> = {},
): { env: NodeJS.ProcessEnv; statusFile: string } {
  const statusFile = path.join(freshDir('container-status'), 'phases');
  return {
    statusFile,
    env: {
      ...process.env,
      PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
      CARGO_TARGET_DIR: cargoTargetDir(),
      FERROWHEEL_RUST_TOOLCHAIN: '1.95.0',
      // Installed here already: `rustup target add` has nothing to download.
      FERROWHEEL_RUST_TARGETS: 'x86_64-unknown-linux-gnu',
      FERROWHEEL_MATURIN_REQUIREMENT: 'maturin==1.16.0',
      FERROWHEEL_BEFORE_BUILD_ARGV: '',
      FERROWHEEL_FIRST_CALL_GATES: '',
      FERROWHEEL_TARGET: 'x86_64-unknown-linux-gnu',
      FERROWHEEL_OUT_DIR: out,
      FERROWHEEL_STATUS_FILE: statusFile,
      ...extra,
    },
  };
}

const { version: py, tag: cp } = hostPython();

describe('the container build script', () => {
  it('is valid bash', () => {
    execFileSync('bash', ['-n', CONTAINER_BUILD_SCRIPT]);
  });

  const argv = (out: string, ...rest: string[]) => [
    'build',
    '--out',
    out,
    '--release',
    '--color',
    'never',
    ...rest,
  ];

  it('runs before-build once, then each maturin call in turn, each exit code in the status file', () => {
    const dir = copyExample('setup');
    const hook = path.join(dir, 'hook.sh');
    writeFileSync(hook, 'echo "hook saw $FERROWHEEL_TARGET" >> "$FERROWHEEL_OUT_DIR/hook.txt"\n');
    const out = path.join(dir, 'dist');
    // The action creates the output directory on the host before `docker run`.
    mkdirSync(out);
    // The GIL call with this host's python3 (3.11 here, 3.12 on GitHub's ubuntu-latest), and a
    // free-threaded call of its own: no 3.14t here, so maturin builds it from its bundled
    // sysconfig (see the cp314t test of build.test.ts).
    const calls = [argv(out, '--interpreter', `python${py}`), argv(out, '--interpreter', 'python3.14t')];
    const { env, statusFile } = scriptEnv(out, {
      FERROWHEEL_BEFORE_BUILD_ARGV: beforeBuildArgv(hook).join('\n'),
      FERROWHEEL_FIRST_CALL_GATES: '1',
    });
    const result = withTargetDirSync(cargoTargetDir(), () =>
      spawnSync('bash', [CONTAINER_BUILD_SCRIPT, ...maturinCallWords(calls)], {
        cwd: dir,
        encoding: 'utf8',
        env,
      }),
    );
    expect(result.status).toBe(0);
    expect(readFileSync(path.join(out, 'hook.txt'), 'utf8')).toBe('hook saw x86_64-unknown-linux-gnu\n');
    expect(
      readdirSync(out)
        .filter((f) => f.endsWith('.whl'))
        .sort(),
    ).toEqual([
      expect.stringMatching(new RegExp(`^setup-0\\.1\\.0-${cp}-${cp}-manylinux_2_\\d+_x86_64\\.whl$`)),
      expect.stringMatching(/^setup-0\.1\.0-cp314-cp314t-manylinux_2_\d+_x86_64\.whl$/),
    ]);
    // This host has Rust (with rustup) and maturin: nothing to install, maturin reached.
    const status = readFileSync(statusFile, 'utf8');
    expect(parsePhases(status)).toEqual(['started', 'add-targets', 'find-python', 'before-build', 'maturin']);
    expect(parseStatus(status).calls).toEqual([{ exitCode: 0 }, { exitCode: 0 }]);
    expect(splitCallLogs(result.stderr.split('\n')).get(2)?.join('\n')).toContain(
      'Built wheel for CPython 3.14t',
    );
  }, 300_000);

  it('stops after a failed first call when it gates the rest, and exits with its code', () => {
    const dir = copyExample('setup');
    const out = path.join(dir, 'dist');
    mkdirSync(out);
    const calls = [argv(out, '--no-such-option'), argv(out, '--interpreter', 'python3.14t')];
    const run = (gates: string) => {
      const { env, statusFile } = scriptEnv(out, { FERROWHEEL_FIRST_CALL_GATES: gates });
      const result = withTargetDirSync(cargoTargetDir(), () =>
        spawnSync('bash', [CONTAINER_BUILD_SCRIPT, ...maturinCallWords(calls)], {
          cwd: dir,
          encoding: 'utf8',
          env,
        }),
      );
      return { exit: result.status, calls: parseStatus(readFileSync(statusFile, 'utf8')).calls };
    };
    expect(run('1')).toEqual({ exit: 2, calls: [{ exitCode: 2 }] });
    // Not gated (the calls are not a GIL call and its free-threaded ones): each runs.
    expect(run('')).toEqual({ exit: 2, calls: [{ exitCode: 2 }, { exitCode: 0 }] });
  }, 300_000);

  it('stops at a failing before-build with its exit code, the status file saying so', () => {
    const dir = copyExample('setup');
    const hook = path.join(dir, 'hook.sh');
    // What the hook prints cannot pass for the script's own status: the host never reads the log for it.
    writeFileSync(
      hook,
      'echo "ferrowheel-container: maturin call 1 starts" >&2\necho "maturin-call 1 exited 0"\nexit 7\n',
    );
    const { env, statusFile } = scriptEnv(path.join(dir, 'dist'), {
      FERROWHEEL_BEFORE_BUILD_ARGV: beforeBuildArgv(hook).join('\n'),
    });
    const result = spawnSync('bash', [CONTAINER_BUILD_SCRIPT, '1', 'build'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(result.status).toBe(7);
    expect(parseStatus(readFileSync(statusFile, 'utf8'))).toEqual({ phase: 'before-build', calls: [] });
  });
});
