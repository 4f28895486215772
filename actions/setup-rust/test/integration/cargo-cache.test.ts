/**
 * The cargo cache through the bundle, against the local v1 cache service and the real
 * @actions/cache client: a tiny crate with a crates.io dependency is built, saved in the post
 * step, then restored into an emptied CARGO_HOME and target dir (CARGO_TARGET_DIR outside the
 * workspace, rust-cache#173) so that an offline build finds its dependency compiled. A cache
 * service that fails or is down only ever warns.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CacheServer, deadUrl, startCacheServer } from '@ferrowheel/harness/cache-server';
import { runAction } from '@ferrowheel/harness/run-action';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

let server: CacheServer;
let workspace: string;
let cargoHome: string;
let targetDir: string;
let outside: string;
let env: Record<string, string | undefined>;

function cargo(args: string[]): { stdout: string; stderr: string } {
  const result = spawnSync('cargo', args, {
    cwd: workspace,
    encoding: 'utf8',
    env: {
      ...process.env,
      CARGO_HOME: cargoHome,
      CARGO_TARGET_DIR: targetDir,
      RUSTUP_TOOLCHAIN: 'stable',
      CARGO_INCREMENTAL: '0',
      CARGO_TERM_COLOR: 'never',
    },
  });
  if (result.status !== 0) throw new Error(`cargo ${args.join(' ')} failed:\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

function deps(): string[] {
  const dir = path.join(targetDir, 'debug', 'deps');
  return existsSync(dir) ? readdirSync(dir) : [];
}

beforeAll(async () => {
  server = await startCacheServer();
  workspace = freshDir('cargo-cache-project');
  writeFileSync(
    path.join(workspace, 'Cargo.toml'),
    '[package]\nname = "tiny-crate"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nitoa = "1"\n',
  );
  mkdirSync(path.join(workspace, 'src'));
  writeFileSync(
    path.join(workspace, 'src', 'lib.rs'),
    'pub fn show(n: u64) -> String {\n    itoa::Buffer::new().format(n).to_string()\n}\n',
  );
  // CARGO_HOME and the target dir live outside the repository (crate sources in .work/ would
  // be linted) and outside the workspace (CARGO_TARGET_DIR elsewhere is the point).
  outside = mkdtempSync(path.join(tmpdir(), 'ferrowheel-cargo-cache-'));
  cargoHome = path.join(outside, 'cargo');
  targetDir = path.join(outside, 'target');
  cargo(['generate-lockfile']);
  const dead = await deadUrl();
  env = {
    ...server.env,
    CARGO_HOME: cargoHome,
    CARGO_TARGET_DIR: targetDir,
    RUSTUP_DIST_SERVER: dead.replace(/\/$/, ''),
    RUSTUP_UPDATE_ROOT: `${dead}rustup`,
    RUSTUP_TOOLCHAIN: undefined,
    CARGO_INCREMENTAL: undefined,
  };
}, 120_000);

afterAll(async () => {
  await server.close();
  rmSync(outside, { recursive: true, force: true });
});

describe('cargo cache through setup-rust', () => {
  it('saves dependencies in the post step and restores them into an empty CARGO_HOME and target dir', async () => {
    // A tool the job did not install through us: never touched, never cached (rust-cache#16).
    const tool = path.join(cargoHome, 'bin', 'cargo-sometool');
    mkdirSync(path.dirname(tool), { recursive: true });
    writeFileSync(tool, '#!/bin/sh\n');
    const first = await runAction('setup-rust', { workspace, env });
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.outputs['cache-hit']).toBe('false');
    const key = first.outputs['cache-key']!;
    expect(key).toMatch(/^ferrowheel-cargo-v1-linux-x86_64-test-[0-9a-f]{16}-[0-9a-f]{16}$/);
    const state = JSON.parse(first.state['ferrowheel-cargo-cache']!) as { config: { targetDir: string } };
    expect(state.config.targetDir).toBe(targetDir);

    cargo(['build']);
    expect(deps().some((f) => f.startsWith('libtiny_crate-'))).toBe(true);

    const save = await runAction('setup-rust', { workspace, env, post: first.state });
    expect(save.exitCode).toBe(0);
    expect(save.warnings).toEqual([]);
    expect(save.stdout).toContain(`Saved the cargo cache ${key}.`);
    expect(
      server
        .entries()
        .filter((e) => e.committed)
        .map((e) => e.key),
    ).toEqual([key]);
    // Pruned before saving: dependencies stay, the workspace's own crate goes.
    expect(deps().some((f) => f.startsWith('libitoa-'))).toBe(true);
    expect(deps().some((f) => f.startsWith('libtiny_crate-'))).toBe(false);

    expect(existsSync(tool)).toBe(true);
    rmSync(cargoHome, { recursive: true, force: true });
    rmSync(targetDir, { recursive: true, force: true });

    const second = await runAction('setup-rust', { workspace, env });
    expect(second.exitCode).toBe(0);
    expect(second.outputs['cache-hit']).toBe('true');
    expect(second.outputs['cache-key']).toBe(key);
    expect(readdirSync(path.join(cargoHome, 'registry', 'cache'))).toHaveLength(1);
    expect(existsSync(path.join(cargoHome, 'bin'))).toBe(false);
    const build = cargo(['build', '--offline', '--verbose']);
    expect(build.stderr).toMatch(/Fresh itoa v1\./);
    expect(build.stderr).toMatch(/Compiling tiny-crate v0\.1\.0/);

    const again = await runAction('setup-rust', { workspace, env, post: second.state });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain(`Not saving the cargo cache: ${key} was restored exactly, nothing new.`);
    expect(server.entries()).toHaveLength(1);
  }, 240_000);

  it('warns and stays green when the cache service answers 500', async () => {
    server.fail({ status: 500 });
    try {
      const main = await runAction('setup-rust', { workspace, env });
      expect(main.exitCode).toBe(0);
      expect(main.errors).toEqual([]);
      expect(main.outputs['cache-hit']).toBe('false');
      expect(main.warnings.join('\n')).toMatch(/Failed to restore: .*500/);
      const post = await runAction('setup-rust', {
        workspace,
        env,
        post: { ...main.state },
      });
      expect(post.exitCode).toBe(0);
      expect(post.errors).toEqual([]);
      expect(post.warnings.join('\n')).toMatch(/Failed to save: .*500/);
    } finally {
      server.recover();
    }
  }, 120_000);

  it('warns and stays green when the cache service is down', async () => {
    const down = { ...env, ACTIONS_CACHE_URL: await deadUrl() };
    const main = await runAction('setup-rust', { workspace, env: down });
    expect(main.exitCode).toBe(0);
    expect(main.errors).toEqual([]);
    expect(main.outputs['cache-hit']).toBe('false');
    expect(main.warnings.join('\n')).toMatch(/Failed to restore: .*ECONNREFUSED/);
    const post = await runAction('setup-rust', { workspace, env: down, post: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.errors).toEqual([]);
    expect(post.warnings.join('\n')).toMatch(/Failed to save: .*ECONNREFUSED/);
  }, 120_000);
});
