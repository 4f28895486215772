/**
 * The cache service side of the cargo cache: the client (@actions/cache, loaded only when a
 * restore or save really happens), and restore/save that never fail a job (a broken service is a
 * warning and a miss).
 */
import * as core from '@actions/core';
import { messageOf } from '../errors.js';
import { pathKind } from '../files.js';
import { pruneTargetDir } from './prune.js';

/** Everything a restore and a save need; plain JSON (kept in GITHUB_STATE between main and post). */
export interface CargoCacheConfig {
  /** The primary key (exact match = nothing to save). */
  key: string;
  /** Prefixes tried when the key misses: the key without its deps hash. */
  restoreKeys: string[];
  /** Absolute paths archived, in a fixed order (the cache version is a hash of them). */
  paths: string[];
  cargoHome: string;
  targetDir: string;
  /** Package and target names of the workspace, pruned from the target dir before saving. */
  workspaceCrates: string[];
}

export interface CargoCacheRestore {
  /** exact: the key matched; partial: a restore key did; miss; unavailable: no cache service. */
  hit: 'exact' | 'partial' | 'miss' | 'unavailable' | 'failed';
  matchedKey?: string;
}

export interface CargoCacheSave {
  outcome: 'saved' | 'skipped' | 'failed';
  /** Why, for the log. */
  detail: string;
}

/** The slice of @actions/cache used here; injectable so tests can run without a service. */
export interface CacheClient {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

/** The real @actions/cache, loaded on first use (it is heavy; start-up must stay fast). */
export async function actionsCacheClient(): Promise<CacheClient> {
  const cache = await import('@actions/cache');
  return {
    isFeatureAvailable: () => cache.isFeatureAvailable(),
    restoreCache: (paths, key, restoreKeys) => cache.restoreCache(paths, key, restoreKeys),
    saveCache: (paths, key) => cache.saveCache(paths, key),
  };
}

/**
 * True when the runner offers a cache service (v1 ACTIONS_CACHE_URL or v2 ACTIONS_RESULTS_URL):
 * a cheap check that spares computing a key nobody can use.
 */
export function cacheServiceConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL);
}

/** Restores the cache; never throws (a failing service is a warning and a miss). */
export async function restoreCargoCache(
  config: CargoCacheConfig,
  options: { client?: CacheClient } = {},
): Promise<CargoCacheRestore> {
  try {
    const client = options.client ?? (await actionsCacheClient());
    if (!client.isFeatureAvailable()) {
      core.info('No cache service is available to this job (ACTIONS_CACHE_URL is not set); not caching.');
      return { hit: 'unavailable' };
    }
    const matchedKey = await client.restoreCache([...config.paths], config.key, [...config.restoreKeys]);
    if (matchedKey === undefined) {
      core.info(`No cargo cache for ${config.key} or ${config.restoreKeys.join(', ')}.`);
      return { hit: 'miss' };
    }
    const hit = matchedKey === config.key ? 'exact' : 'partial';
    core.info(`Restored the cargo cache ${matchedKey} (${hit} match).`);
    return { hit, matchedKey };
  } catch (thrown) {
    core.warning(`Restoring the cargo cache failed; building without it: ${messageOf(thrown)}`);
    return { hit: 'failed' };
  }
}

/**
 * Prunes the target dir, then saves the cache; skipped after an exact hit or without a service.
 * Never throws.
 */
export async function saveCargoCache(
  config: CargoCacheConfig,
  options: { restored?: CargoCacheRestore; client?: CacheClient } = {},
): Promise<CargoCacheSave> {
  const skip = (detail: string): CargoCacheSave => {
    core.info(`Not saving the cargo cache: ${detail}.`);
    return { outcome: 'skipped', detail };
  };
  if (options.restored?.hit === 'exact') return skip(`${config.key} was restored exactly, nothing new`);
  if (options.restored?.hit === 'unavailable') return skip('no cache service is available');
  try {
    const client = options.client ?? (await actionsCacheClient());
    if (!client.isFeatureAvailable()) return skip('no cache service is available');
    const pruned = pruneTargetDir(config.targetDir, config.workspaceCrates);
    core.info(`Pruned ${pruned.removed} workspace and final artifacts from ${config.targetDir}.`);
    const existing = config.paths.filter((p) => pathKind(p) !== undefined);
    if (existing.length === 0) return skip('none of the cached directories exist (nothing was built)');
    const id = await client.saveCache([...config.paths], config.key);
    if (id === -1) {
      // @actions/cache has already said why (another job saved this key, or the service failed).
      return { outcome: 'failed', detail: `the cache service did not take ${config.key}` };
    }
    core.info(`Saved the cargo cache ${config.key}.`);
    return { outcome: 'saved', detail: config.key };
  } catch (thrown) {
    core.warning(`Saving the cargo cache failed (the job's result is unaffected): ${messageOf(thrown)}`);
    return { outcome: 'failed', detail: messageOf(thrown) };
  }
}
