/**
 * The script a container build runs, run for real with bash on this host: the host stands in for
 * an image that already has Rust and maturin, so the script's own logic — PATH set-up,
 * before-build, the maturin argv from "$@" — is tested without an engine. container.test.ts runs
 * it in a real image.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyExample } from '@ferrowheel/harness/example-wheel';
import { hostPython } from '@ferrowheel/harness/host-python';
import { withTargetDirSync } from '@ferrowheel/harness/process-lock';
import { cargoTargetDir, freshDir, toolsBin } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';
import { beforeBuildArgv, CONTAINER_BUILD_SCRIPT } from '../../src/container.js';
import { parsePhases } from '../../src/container-status.js';

/** The script's environment on this host, with a fresh status file for its phases. */
function scriptEnv(hook: string, out: string): { env: NodeJS.ProcessEnv; statusFile: string } {
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
      FERROWHEEL_BEFORE_BUILD_ARGV: beforeBuildArgv(hook).join('\n'),
      FERROWHEEL_TARGET: 'x86_64-unknown-linux-gnu',
      FERROWHEEL_OUT_DIR: out,
      FERROWHEEL_STATUS_FILE: statusFile,
    },
  };
}

const { tag: cp } = hostPython();

describe('the container build script', () => {
  it('is valid bash', () => {
    execFileSync('bash', ['-n', CONTAINER_BUILD_SCRIPT]);
  });

  it('runs before-build, then maturin with the argv it is given', () => {
    const dir = copyExample('setup');
    const hook = path.join(dir, 'hook.sh');
    writeFileSync(hook, 'echo "hook saw $FERROWHEEL_TARGET" > "$FERROWHEEL_OUT_DIR/hook.txt"\n');
    const out = path.join(dir, 'dist');
    // The action creates the output directory on the host before `docker run`.
    mkdirSync(out);
    const { env, statusFile } = scriptEnv(hook, out);
    withTargetDirSync(cargoTargetDir(), () =>
      execFileSync('bash', [CONTAINER_BUILD_SCRIPT, 'build', '--out', out, '--release', '--color', 'never'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
      }),
    );
    expect(readFileSync(path.join(out, 'hook.txt'), 'utf8')).toBe('hook saw x86_64-unknown-linux-gnu\n');
    // This host has Rust (with rustup) and maturin: nothing to install, maturin reached.
    expect(parsePhases(readFileSync(statusFile, 'utf8'))).toEqual([
      'started',
      'add-targets',
      'find-python',
      'before-build',
      'maturin',
    ]);
    expect(readdirSync(out).filter((f) => f.endsWith('.whl'))).toEqual([
      // maturin builds for the host's python3 (3.11 here, 3.12 on GitHub's ubuntu-latest).
      expect.stringMatching(new RegExp(`^setup-0\\.1\\.0-${cp}-${cp}-manylinux_2_\\d+_x86_64\\.whl$`)),
    ]);
  }, 300_000);

  it('stops at a failing before-build with its exit code, the status file saying so', () => {
    const dir = copyExample('setup');
    const hook = path.join(dir, 'hook.sh');
    writeFileSync(hook, 'echo "ferrowheel-container: maturin starts" >&2\nexit 7\n');
    const { env, statusFile } = scriptEnv(hook, path.join(dir, 'dist'));
    const result = spawnSync('bash', [CONTAINER_BUILD_SCRIPT, 'build'], { cwd: dir, env, encoding: 'utf8' });
    expect(result.status).toBe(7);
    expect(parsePhases(readFileSync(statusFile, 'utf8')).at(-1)).toBe('before-build');
  });
});
