import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  type CacheClient,
  type CargoCacheConfig,
  type CargoCacheKeyInputs,
  cargoCacheKey,
  cargoCachePaths,
  cargoHome,
  keyedEnv,
  normaliseManifest,
  pruneTargetDir,
  readCargoWorkspace,
  restoreCargoCache,
  saveCargoCache,
} from '../src/cargo-cache.js';
import { CommandError } from '../src/errors.js';

const MANIFEST = `
[package]
name = "demo"
version = "0.1.0"
edition = "2021"

[dependencies]
itoa = "1"
helper = { path = "helper", version = "0.1.0" }
`;

const LOCK = `
version = 4

[[package]]
name = "demo"
version = "0.1.0"
dependencies = ["itoa"]

[[package]]
name = "itoa"
version = "1.0.15"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "abc"
`;

const RUSTC = 'rustc 1.95.0 (59807616e 2026-04-14)\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\n';

function inputs(overrides: Partial<CargoCacheKeyInputs> = {}): CargoCacheKeyInputs {
  return {
    platform: { os: 'linux', arch: 'x86_64' },
    job: 'build',
    rustcVersion: RUSTC,
    env: { PATH: '/usr/bin', RUSTFLAGS: '-Dwarnings' },
    manifests: [{ path: 'Cargo.toml', text: MANIFEST }],
    lock: LOCK,
    ...overrides,
  };
}

describe('cargoCacheKey', () => {
  const base = cargoCacheKey(inputs());

  it('is prefix, OS, arch, job, extra key, toolchain hash, deps hash; restores without the deps hash', () => {
    expect(base.key).toMatch(/^ferrowheel-cargo-v1-linux-x86_64-build-[0-9a-f]{16}-[0-9a-f]{16}$/);
    expect(base.restoreKeys).toEqual([base.key.slice(0, base.key.lastIndexOf('-'))]);
    const extra = cargoCacheKey(inputs({ extraKey: 'py 3.12,abi3' }));
    expect(extra.key).toContain('-build-py_3.12_abi3-');
  });

  it('ignores comments, white space, key order and the workspace version', () => {
    const edited = MANIFEST.replace('version = "0.1.0"', 'version = "0.2.0" # bumped')
      .replace(
        'helper = { path = "helper", version = "0.1.0" }',
        'helper = { version = "0.2.0", path = "helper" }',
      )
      .replace('[dependencies]', '# deps\n[dependencies]\n');
    const lockEdited = LOCK.replace(/name = "demo"\nversion = "0.1.0"/, 'name = "demo"\nversion = "0.2.0"');
    expect(
      cargoCacheKey(inputs({ manifests: [{ path: 'Cargo.toml', text: edited }], lock: lockEdited })),
    ).toEqual(base);
    // Variables that do not change artifacts do not count either.
    expect(
      cargoCacheKey(
        inputs({
          env: {
            ...inputs().env,
            RUST_BACKTRACE: '1',
            CARGO_TERM_COLOR: 'always',
            CARGO_HOME: '/x',
            RUSTUP_DIST_SERVER: 'http://127.0.0.1:1',
            CARGO_REGISTRY_TOKEN: 'secret',
          },
        }),
      ),
    ).toEqual(base);
  });

  it('changes the deps hash (only) with the lock file or a dependency', () => {
    const lock = cargoCacheKey(inputs({ lock: LOCK.replace('1.0.15', '1.0.16') }));
    expect(lock.key).not.toBe(base.key);
    expect(lock.restoreKeys).toEqual(base.restoreKeys);
    const dep = cargoCacheKey(
      inputs({
        manifests: [{ path: 'Cargo.toml', text: MANIFEST.replace('itoa = "1"', 'itoa = "1.0.10"') }],
      }),
    );
    expect(dep.key).not.toBe(base.key);
    expect(dep.restoreKeys).toEqual(base.restoreKeys);
  });

  it('changes the restore key too with rustc, RUSTFLAGS, OS or job', () => {
    for (const other of [
      inputs({ rustcVersion: RUSTC.replace(/1\.95\.0/g, '1.96.0') }),
      inputs({ env: { RUSTFLAGS: '' } }),
      inputs({ env: { ...inputs().env, CARGO_PROFILE_RELEASE_LTO: 'true' } }),
      inputs({ platform: { os: 'macos', arch: 'aarch64' } }),
      inputs({ job: 'test' }),
    ]) {
      const key = cargoCacheKey(other);
      expect(key.restoreKeys).not.toEqual(base.restoreKeys);
    }
  });
});

describe('keyedEnv and normaliseManifest', () => {
  it('keeps build-relevant variables only, sorted', () => {
    expect(
      keyedEnv({
        RUSTFLAGS: 'a',
        CARGO_INCREMENTAL: '0',
        CC: 'clang',
        RUST_LOG: 'x',
        RUSTUP_TOOLCHAIN: 's',
        HOME: 'h',
      }),
    ).toEqual(['CARGO_INCREMENTAL=0', 'CC=clang', 'RUSTFLAGS=a']);
  });

  it('falls back to the raw text for invalid TOML', () => {
    expect(normaliseManifest('not [valid')).toBe('not [valid');
  });
});

describe('cargoHome and cargoCachePaths', () => {
  it('uses CARGO_HOME, else ~/.cargo or %USERPROFILE%\\.cargo', () => {
    expect(cargoHome({ os: 'linux', env: { CARGO_HOME: '/opt/cargo' } })).toBe('/opt/cargo');
    expect(cargoHome({ os: 'linux', env: { HOME: '/home/u' } })).toBe('/home/u/.cargo');
    expect(cargoHome({ os: 'macos', env: { HOME: '/Users/u' } })).toBe('/Users/u/.cargo');
    expect(cargoHome({ os: 'windows', env: { USERPROFILE: 'C:\\Users\\u' } })).toBe('C:\\Users\\u\\.cargo');
  });

  it('caches registry index and crates, git db and the target dir, never bin', () => {
    expect(cargoCachePaths({ os: 'windows', cargoHome: 'C:\\c', targetDir: 'D:\\t' })).toEqual([
      'C:\\c\\registry\\index',
      'C:\\c\\registry\\cache',
      'C:\\c\\git\\db',
      'D:\\t',
    ]);
  });
});

function touch(root: string, rel: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'x');
}

describe('pruneTargetDir', () => {
  it("removes the workspace's crates and final artifacts, keeps dependencies and --target dirs", () => {
    const target = mkdtempSync(path.join(tmpdir(), 'prune-'));
    const kept = [
      'CACHEDIR.TAG',
      'debug/deps/libitoa-0123456789abcdef.rlib',
      'debug/deps/itoa-0123456789abcdef.d',
      'debug/.fingerprint/itoa-0123456789abcdef/lib-itoa',
      'debug/build/pyo3-build-config-0123456789abcdef/output',
      'x86_64-unknown-linux-gnu/release/deps/libitoa-0123456789abcdef.rlib',
    ];
    const removed = [
      'debug/demo',
      'debug/libmy_demo.so',
      'debug/.cargo-lock',
      'debug/incremental/demo-abc/s-1',
      'debug/examples/ex',
      'debug/deps/libmy_demo-0123456789abcdef.rlib',
      'debug/deps/demo-0123456789abcdef',
      'debug/deps/libmy_demo.so',
      'debug/.fingerprint/my-demo-0123456789abcdef/lib',
      'debug/build/my-demo-0123456789abcdef/out',
      'wheels/demo-0.1.0-cp312-abi3.whl',
      'doc/index.html',
      'x86_64-unknown-linux-gnu/release/deps/libmy_demo-0123456789abcdef.rlib',
      'x86_64-unknown-linux-gnu/release/libmy_demo.so',
    ];
    for (const f of [...kept, ...removed]) touch(target, f);
    const result = pruneTargetDir(target, ['my-demo', 'my_demo', 'demo']);
    for (const f of kept) expect([f, existsSync(path.join(target, f))]).toEqual([f, true]);
    for (const f of removed) expect([f, existsSync(path.join(target, f))]).toEqual([f, false]);
    expect(result.removed).toBeGreaterThanOrEqual(10);
  });

  it('does nothing when there is no target dir', () => {
    expect(pruneTargetDir('/nonexistent/target', ['x'])).toEqual({ removed: 0 });
  });
});

function config(): CargoCacheConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
  mkdirSync(path.join(dir, 'target'));
  return {
    key: 'k-full',
    restoreKeys: ['k'],
    paths: [path.join(dir, 'registry'), path.join(dir, 'target')],
    cargoHome: dir,
    targetDir: path.join(dir, 'target'),
    workspaceCrates: ['demo'],
  };
}

function fakeClient(overrides: Partial<CacheClient> = {}): CacheClient & { saves: string[] } {
  const saves: string[] = [];
  return {
    saves,
    isFeatureAvailable: () => true,
    restoreCache: async () => undefined,
    saveCache: async (_paths, key) => {
      saves.push(key);
      return 1;
    },
    ...overrides,
  };
}

describe('restoreCargoCache and saveCargoCache', () => {
  it('tells exact from partial hits and misses', async () => {
    const c = config();
    expect(
      await restoreCargoCache(c, { client: fakeClient({ restoreCache: async () => 'k-full' }) }),
    ).toEqual({
      hit: 'exact',
      matchedKey: 'k-full',
    });
    expect(await restoreCargoCache(c, { client: fakeClient({ restoreCache: async () => 'k-old' }) })).toEqual(
      {
        hit: 'partial',
        matchedKey: 'k-old',
      },
    );
    expect(await restoreCargoCache(c, { client: fakeClient() })).toEqual({ hit: 'miss' });
    expect(await restoreCargoCache(c, { client: fakeClient({ isFeatureAvailable: () => false }) })).toEqual({
      hit: 'unavailable',
    });
  });

  it('turns a throwing client into a failed restore or save, never an exception', async () => {
    const broken = fakeClient({
      restoreCache: async () => {
        throw new Error('service down');
      },
      saveCache: async () => {
        throw 'a string';
      },
    });
    expect(await restoreCargoCache(config(), { client: broken })).toEqual({ hit: 'failed' });
    expect(await saveCargoCache(config(), { client: broken })).toEqual({
      outcome: 'failed',
      detail: 'a string',
    });
  });

  it('skips the save after an exact hit, saves after a partial one', async () => {
    const client = fakeClient();
    const c = config();
    expect((await saveCargoCache(c, { client, restored: { hit: 'exact', matchedKey: c.key } })).outcome).toBe(
      'skipped',
    );
    expect(
      (await saveCargoCache(c, { client, restored: { hit: 'partial', matchedKey: 'k-x' } })).outcome,
    ).toBe('saved');
    expect(client.saves).toEqual(['k-full']);
    const rejected = fakeClient({ saveCache: async () => -1 });
    expect((await saveCargoCache(c, { client: rejected })).outcome).toBe('failed');
  });
});

describe('readCargoWorkspace', () => {
  it('says why when cargo cannot even start (a host without cargo, building in a container)', async () => {
    const exec = async () => {
      throw new CommandError('cargo', 127, 'Unable to locate executable file: cargo');
    };
    expect(await readCargoWorkspace('/w/proj', { exec })).toEqual({
      ok: false,
      problem: 'cargo could not run in /w/proj: Unable to locate executable file: cargo',
    });
  });
});
