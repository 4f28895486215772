/** The cache config and restore result a main step keeps for its post step (GITHUB_STATE). */
import * as core from '@actions/core';
import type { CargoCacheConfig, CargoCacheRestore } from './store.js';

const STATE_NAME = 'ferrowheel-cargo-cache';

/** Keeps the config and what was restored for the post step (GITHUB_STATE). */
export function saveCargoCacheState(
  config: CargoCacheConfig,
  restored: CargoCacheRestore,
  name: string = STATE_NAME,
): void {
  core.saveState(name, JSON.stringify({ config, restored }));
}

/** The config and restore result a main step kept; undefined when it kept none. */
export function loadCargoCacheState(
  name: string = STATE_NAME,
): { config: CargoCacheConfig; restored: CargoCacheRestore } | undefined {
  const raw = core.getState(name);
  if (!raw) return undefined;
  return JSON.parse(raw) as { config: CargoCacheConfig; restored: CargoCacheRestore };
}
