/**
 * The script a container build runs, run for real with bash on this host: the host stands in for
 * an image that already has Rust and maturin, so the script's own logic — PATH set-up,
 * before-build once, each maturin call from "$@" with its exit code — is tested without an engine. container.test.ts runs
 * it in a real image.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyExample } from '@ferrowheel/harness/example-wheel';
import { cargoTargetDir, toolsBin } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';
import {
  beforeBuildArgv,
  CONTAINER_BUILD_SCRIPT,
  maturinCallWords,
  splitCallLogs,
} from '../../src/container.js';

describe('the container build script', () => {
  it('is valid bash', () => {
    execFileSync('bash', ['-n', CONTAINER_BUILD_SCRIPT]);
  });

  const env = (out: string, extra: Record<string, string> = {}) => ({
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
    ...extra,
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

  it('runs before-build once, then each maturin call in turn, each exit code after it', () => {
    const dir = copyExample('setup');
    const hook = path.join(dir, 'hook.sh');
    writeFileSync(hook, 'echo "hook saw $FERROWHEEL_TARGET" >> "$FERROWHEEL_OUT_DIR/hook.txt"\n');
    const out = path.join(dir, 'dist');
    // The action creates the output directory on the host before `docker run`.
    mkdirSync(out);
    // The GIL call with this host's python, and a free-threaded call of its own: no 3.14t here,
    // so maturin builds it from its bundled sysconfig (see the cp314t test of build.test.ts).
    const calls = [argv(out, '--interpreter', 'python3.11'), argv(out, '--interpreter', 'python3.14t')];
    const result = spawnSync('bash', [CONTAINER_BUILD_SCRIPT, ...maturinCallWords(calls)], {
      cwd: dir,
      encoding: 'utf8',
      env: env(out, {
        FERROWHEEL_BEFORE_BUILD_ARGV: beforeBuildArgv(hook).join('\n'),
        FERROWHEEL_FIRST_CALL_GATES: '1',
      }),
    });
    expect(result.status).toBe(0);
    expect(readFileSync(path.join(out, 'hook.txt'), 'utf8')).toBe('hook saw x86_64-unknown-linux-gnu\n');
    expect(
      readdirSync(out)
        .filter((f) => f.endsWith('.whl'))
        .sort(),
    ).toEqual([
      expect.stringMatching(/^setup-0\.1\.0-cp311-cp311-manylinux_2_\d+_x86_64\.whl$/),
      expect.stringMatching(/^setup-0\.1\.0-cp314-cp314t-manylinux_2_\d+_x86_64\.whl$/),
    ]);
    const logs = splitCallLogs(result.stderr.split('\n'));
    expect(logs.map((l) => l.exitCode)).toEqual([0, 0]);
    expect(logs[1]!.lines.join('\n')).toContain('Built wheel for CPython 3.14t');
  }, 300_000);

  it('stops after a failed first call when it gates the rest, and exits with its code', () => {
    const dir = copyExample('setup');
    const out = path.join(dir, 'dist');
    mkdirSync(out);
    const calls = [argv(out, '--no-such-option'), argv(out, '--interpreter', 'python3.14t')];
    const run = (gates: string) =>
      spawnSync('bash', [CONTAINER_BUILD_SCRIPT, ...maturinCallWords(calls)], {
        cwd: dir,
        encoding: 'utf8',
        env: env(out, { FERROWHEEL_FIRST_CALL_GATES: gates }),
      });
    const gated = run('1');
    expect(gated.status).toBe(2);
    expect(splitCallLogs(gated.stderr.split('\n')).map((l) => l.exitCode)).toEqual([2]);
    // Not gated (the calls are not a GIL call and its free-threaded ones): each runs.
    const all = run('');
    expect(all.status).toBe(2);
    expect(splitCallLogs(all.stderr.split('\n')).map((l) => l.exitCode)).toEqual([2, 0]);
  }, 300_000);
});
