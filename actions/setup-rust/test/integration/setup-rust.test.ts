/**
 * The bundle, run as the runner runs it, against the installed toolchains (stable, nightly, 1.95.0;
 * host target only: scripts/bootstrap.sh installs the two that GitHub's runners lack). rustup's
 * servers are pointed at a dead local port in every test: an action that tried to download
 * anything it did not need would fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deadUrl } from '@ferrowheel/harness/cache-server';
import { runAction } from '@ferrowheel/harness/run-action';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const HOST = 'x86_64-unknown-linux-gnu';
/** The version of the installed stable (1.95.0 here; whatever is current on GitHub's runners). */
const version = (tool: string) =>
  /^\S+ (\S+)/.exec(execFileSync(tool, ['+stable', '-V'], { encoding: 'utf8' }))![1]!;
const stable = { rustc: version('rustc'), cargo: version('cargo') };
let offline: Record<string, string | undefined>;

beforeAll(async () => {
  const dead = await deadUrl();
  offline = {
    RUSTUP_DIST_SERVER: dead.replace(/\/$/, ''),
    RUSTUP_UPDATE_ROOT: `${dead}rustup`,
    RUSTUP_TOOLCHAIN: undefined,
    CARGO_INCREMENTAL: undefined,
    CARGO_TERM_COLOR: undefined,
  };
});

afterAll(() => undefined);

function project(files: Record<string, string>): string {
  const dir = freshDir('setup-rust');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('setup-rust on a runner that has the toolchain', () => {
  it('detects stable, downloads nothing, sets outputs, env, PATH and the matcher', async () => {
    const workspace = project({});
    const run = await runAction('setup-rust', {
      workspace,
      inputs: { cache: 'false', targets: 'x64', components: 'clippy, rustfmt' },
      env: offline,
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      toolchain: 'stable',
      'rustc-version': stable.rustc,
      'cargo-version': stable.cargo,
      host: HOST,
      targets: HOST,
      'cache-key': '',
      'cache-hit': 'false',
    });
    const matcher = /^::add-matcher::(.+)$/m.exec(run.stdout)?.[1];
    expect(matcher).toBeDefined();
    expect(existsSync(matcher!)).toBe(true);
    expect(run.exportedEnv).toEqual({
      RUSTUP_TOOLCHAIN: 'stable',
      CARGO_TERM_COLOR: 'always',
      CARGO_INCREMENTAL: '0',
      // Where the matcher is, for the build action (kit rust-matcher.ts).
      FERROWHEEL_RUST_MATCHER: matcher,
    });
    expect(run.addedPath).toEqual([path.join(os.homedir(), '.cargo', 'bin')]);
    expect(run.stdout).toContain('Toolchain stable is installed; nothing to download.');
    expect(run.summary).toContain(
      `| stable | ${stable.rustc} | ${stable.cargo} | ${HOST} | ${HOST} | nothing | off |`,
    );
  }, 60_000);

  it('keeps CARGO_INCREMENTAL and CARGO_TERM_COLOR a job already set, and can skip the matcher', async () => {
    const run = await runAction('setup-rust', {
      workspace: project({}),
      inputs: { cache: 'false', matcher: 'false', toolchain: 'nightly' },
      env: { ...offline, CARGO_INCREMENTAL: '1', CARGO_TERM_COLOR: 'never' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.exportedEnv).toEqual({ RUSTUP_TOOLCHAIN: 'nightly' });
    expect(run.outputs['rustc-version']).toMatch(/-nightly$/);
    expect(run.stdout).not.toContain('::add-matcher::');
  }, 60_000);

  it('takes the toolchain and components from rust-toolchain.toml in a parent directory', async () => {
    const workspace = project({
      'rust-toolchain.toml': '[toolchain]\nchannel = "1.95"\ncomponents = ["clippy"]\n',
      'crates/demo/Cargo.toml': '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n',
      'crates/demo/src/lib.rs': '',
    });
    const run = await runAction('setup-rust', {
      workspace,
      inputs: { cache: 'false', 'working-directory': 'crates/demo' },
      env: offline,
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs.toolchain).toBe('1.95.0');
    expect(run.exportedEnv.RUSTUP_TOOLCHAIN).toBe('1.95.0');
    expect(run.stdout).toContain(`Toolchain 1.95 from ${path.join(workspace, 'rust-toolchain.toml')}`);
  }, 60_000);

  it('fails clearly for a target it cannot download', async () => {
    // The list the message gives is whatever this machine's shared rustup has installed (other
    // tests and the image builders may add targets to it), read the way the action reads it.
    const installed = execFileSync('rustup', ['target', 'list', '--installed', '--toolchain', 'stable'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean)
      .join(', ');
    expect(installed).toContain(HOST);
    const run = await runAction('setup-rust', {
      workspace: project({}),
      inputs: { cache: 'false', targets: 'aarch64-apple-darwin' },
      env: offline,
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    // rustup's own reason: the dead server refuses the connection — or, where RUSTUP_HOME is a
    // shared read-only toolchain (scripts/ci-as-runner.sh), rustup cannot even prepare the download.
    expect(run.errors[0]).toMatch(
      /^Rust target aarch64-apple-darwin is not installed for toolchain 'stable' and rustup could not add it \(.*(?:Connection refused|Read-only file system).*\)\. Installed targets: (.*)\. A runner that cannot reach static\.rust-lang\.org \(self-hosted or offline\) must have it installed beforehand: run 'rustup target add --toolchain stable aarch64-apple-darwin'/,
    );
    expect(/Installed targets: (.*?)\. A runner/.exec(run.errors[0] ?? '')?.[1]).toBe(installed);
  }, 60_000);

  it('fails clearly for a toolchain it cannot download, and for a bad spelling', async () => {
    const beta = await runAction('setup-rust', {
      workspace: project({ 'rust-toolchain': 'beta\n' }),
      inputs: { cache: 'false' },
      env: offline,
    });
    expect(beta.exitCode).toBe(1);
    expect(beta.errors[0]).toMatch(/^Rust toolchain 'beta' is not installed and rustup could not install it/);
    expect(beta.errors[0]).toContain('Installed toolchains: stable, nightly, 1.95.0.');

    const typo = await runAction('setup-rust', {
      workspace: project({}),
      inputs: { toolchain: 'stabel' },
      env: offline,
    });
    expect(typo.exitCode).toBe(1);
    expect(typo.errors).toEqual([
      `Input 'toolchain' is not a toolchain (did you mean 'stable'?): got "stabel". Use a channel (stable, beta, nightly), a version such as '1.85' or '1.85.0', or a dated channel such as 'nightly-2025-01-15'.`,
    ]);
  }, 60_000);

  it('does not cache without a cache service or a cargo project, without failing', async () => {
    const noService = await runAction('setup-rust', { workspace: project({}), env: offline });
    expect(noService.exitCode).toBe(0);
    expect(noService.outputs['cache-key']).toBe('');
    expect(noService.stdout).toContain('Not caching: this job has no cache service');
    const noProject = await runAction('setup-rust', {
      workspace: project({}),
      env: { ...offline, ACTIONS_CACHE_URL: await deadUrl(), ACTIONS_RUNTIME_TOKEN: 't' },
    });
    expect(noProject.exitCode).toBe(0);
    expect(noProject.outputs['cache-key']).toBe('');
    expect(noProject.stdout).toMatch(/Not caching: cargo metadata failed/);
    expect(readdirSync(path.join(os.homedir(), '.cargo', 'bin'))).toContain('rustup');
  }, 60_000);
});
