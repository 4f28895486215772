/**
 * The build's cargo cache (registry, git checkouts, target dir): kit's one cache orchestration
 * (kit/cargo-cache.ts, keyed like rust-cache), shared with setup-rust. The same host paths serve a
 * container build: they are what the container mounts, so one restore before and one save after
 * cover both. The key gets `build-<triple>[-container]`, so host and container builds, and builds
 * for different targets, never overwrite each other's dependencies.
 */
import {
  type CacheClient,
  type CargoWorkspace,
  restoreCargoCacheStep,
  saveCargoCacheStep,
} from '@ferrowheel/kit/cargo-cache';
import type { Exec } from '@ferrowheel/kit/exec';
import type { Platform } from '@ferrowheel/kit/platform';
import type { Result } from '@ferrowheel/kit/result';

const STATE = 'ferrowheel-build-cargo-cache';

/** Restores the cache; true on an exact hit, false otherwise, undefined when not caching. */
export async function restoreBuildCache(options: {
  crateDir: string;
  /** What the build's one `cargo metadata` said (or why it said nothing). */
  workspace: Result<CargoWorkspace>;
  platform: Platform;
  cargoHome: string;
  targetDir: string;
  rustcVerbose: string | undefined;
  env: Record<string, string>;
  extraKey: string;
  exec: Exec;
  client?: CacheClient;
}): Promise<boolean | undefined> {
  const restored = await restoreCargoCacheStep({
    workingDirectory: options.crateDir,
    workspace: options.workspace,
    platform: options.platform,
    cargoHome: options.cargoHome,
    targetDir: options.targetDir,
    rustcVersion: options.rustcVerbose,
    env: options.env,
    extraKey: options.extraKey,
    exec: options.exec,
    stateName: STATE,
    ...(options.env.GITHUB_JOB ? { job: options.env.GITHUB_JOB } : {}),
    ...(options.client ? { client: options.client } : {}),
  });
  return restored === undefined ? undefined : restored.restored.hit === 'exact';
}

/** Saves what the main step keyed (post step). */
export async function saveBuildCache(options: { client?: CacheClient } = {}): Promise<void> {
  await saveCargoCacheStep({ stateName: STATE, ...(options.client ? { client: options.client } : {}) });
}
