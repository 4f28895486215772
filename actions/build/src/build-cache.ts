/**
 * The build's cargo cache (registry, git checkouts, target dir) on the shared kit layer
 * (kit/cargo-cache.ts, keyed like rust-cache). The same host paths serve a container build:
 * they are what the container mounts, so one restore before and one save after cover both.
 * The key gets `build-<triple>[-container]`, so host and container builds, and builds for
 * different targets, never overwrite each other's dependencies.
 */
import * as core from '@actions/core';
import {
  type CacheClient,
  cacheServiceConfigured,
  cargoCacheConfig,
  loadCargoCacheState,
  restoreCargoCache,
  saveCargoCache,
  saveCargoCacheState,
} from '@ferrowheel/kit/cargo-cache';
import type { Exec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import type { Platform } from '@ferrowheel/kit/platform';

const STATE = 'ferrowheel-build-cargo-cache';

/** Restores the cache; true on an exact hit, false otherwise, undefined when not caching. */
export async function restoreBuildCache(options: {
  crateDir: string;
  platform: Platform;
  cargoHome: string;
  targetDir: string;
  rustcVerbose: string | undefined;
  env: Record<string, string>;
  extraKey: string;
  exec: Exec;
  client?: CacheClient;
}): Promise<boolean | undefined> {
  if (!options.client && !cacheServiceConfigured(options.env)) {
    core.info('Not caching: this job has no cache service (ACTIONS_CACHE_URL is not set).');
    return undefined;
  }
  if (options.rustcVerbose === undefined) {
    core.info('Not caching: rustc -vV did not run, so there is no toolchain to key the cache on.');
    return undefined;
  }
  const rustcVersion = options.rustcVerbose;
  return core.group('Restore the cargo cache', async () => {
    const computed = await cargoCacheConfig({
      workingDirectory: options.crateDir,
      platform: options.platform,
      cargoHome: options.cargoHome,
      targetDir: options.targetDir,
      rustcVersion,
      env: options.env,
      extraKey: options.extraKey,
      exec: options.exec,
      ...(options.env.GITHUB_JOB ? { job: options.env.GITHUB_JOB } : {}),
    });
    if (!computed.ok) {
      core.info(logText`Not caching: ${computed.problem}`);
      return undefined;
    }
    const config = computed.value;
    const restored = await restoreCargoCache(config, options.client ? { client: options.client } : {});
    saveCargoCacheState(config, restored, STATE);
    return restored.hit === 'exact';
  });
}

/** Saves what the main step keyed (post step). */
export async function saveBuildCache(options: { client?: CacheClient } = {}): Promise<void> {
  const state = loadCargoCacheState(STATE);
  if (!state) return;
  await core.group('Save the cargo cache', () =>
    saveCargoCache(state.config, {
      restored: state.restored,
      ...(options.client ? { client: options.client } : {}),
    }),
  );
}
