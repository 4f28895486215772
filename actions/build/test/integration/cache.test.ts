/**
 * The cargo cache through the real @actions/cache client and a local v1 cache service: a cold
 * build saves registry + target dir in the post step; a build into a fresh target dir and cargo
 * home (same paths, as on a new runner) restores them and compiles only the crate itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CacheServer, startCacheServer } from '@ferrowheel/harness/cache-server';
import { copyExample } from '@ferrowheel/harness/example-wheel';
import { runActionWithPost } from '@ferrowheel/harness/run-action';
import { toolsBin } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

let server: CacheServer;
beforeAll(async () => {
  server = await startCacheServer();
});
afterAll(async () => {
  await server.close();
});

describe('build action cargo cache', () => {
  it("restores a cold build's dependencies into a fresh target dir", async () => {
    const dir = copyExample('setup');
    // Outside the repository: a cargo home holds crate sources the repo's linters would read.
    const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-build-cache-'));
    const cargoHome = path.join(base, 'cargo-home');
    const targetDir = path.join(base, 'target');
    const options = {
      workspace: path.dirname(dir),
      inputs: { 'working-directory': path.basename(dir) },
      env: {
        ...server.env,
        PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
        CARGO_HOME: cargoHome,
        CARGO_TARGET_DIR: targetDir,
        CARGO_TERM_COLOR: 'never',
      },
    };

    const cold = await runActionWithPost('build', options);
    expect(cold.main.exitCode).toBe(0);
    expect(cold.main.outputs['cache-hit']).toBe('false');
    expect(cold.main.stdout).toContain('Compiling pyo3 ');
    expect(cold.post.stdout).toContain(
      'Saved the cargo cache ferrowheel-cargo-v1-linux-x86_64-test-build-x86_64-unknown-linux-gnu-',
    );
    expect(server.entries().filter((e) => e.committed)).toHaveLength(1);

    rmSync(targetDir, { recursive: true, force: true });
    rmSync(cargoHome, { recursive: true, force: true });
    rmSync(path.join(dir, 'dist'), { recursive: true, force: true });

    const warm = await runActionWithPost('build', options);
    expect(warm.main.exitCode).toBe(0);
    expect(warm.main.outputs['cache-hit']).toBe('true');
    expect(warm.main.stdout).toContain('Restored the cargo cache');
    expect(warm.main.stdout).not.toContain('Compiling pyo3 ');
    expect(warm.main.stdout).toContain('Compiling setup ');
    expect(JSON.parse(warm.main.outputs.wheels!)).toHaveLength(1);
    expect(warm.main.summary).toContain('cargo cache hit');
    expect(warm.post.stdout).toContain('Not saving the cargo cache');
    rmSync(base, { recursive: true, force: true });
  }, 400_000);
});
