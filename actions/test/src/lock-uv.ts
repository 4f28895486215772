/**
 * The uv that exports a project's uv.lock. pip cannot read uv.lock, and GitHub's runner images
 * have no uv on PATH (nor does build-wheels.yml put one there), so without this the lock would be
 * ignored by default: uv on PATH when there is one, else the uv ferrowheel pins (kit uv.ts), from
 * the tool cache or from its PyPI wheel, SHA-256 checked against the pin. It only exports the
 * lock, on the runner; installing stays with the chosen installer.
 */
import path from 'node:path';
import * as core from '@actions/core';
import type { RunnerContext } from '@ferrowheel/kit/context';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import type { PinnedInstall } from '@ferrowheel/kit/pinned-tool';
import type { Platform } from '@ferrowheel/kit/platform';
import { fail, ok, type Result } from '@ferrowheel/kit/result';

/** Where the pinned uv is cached and downloaded, and for which runner. */
export interface ToolPlaces {
  /** RUNNER_TOOL_CACHE (a directory under runner temp when unset). */
  toolCache: string;
  tempDir: string;
  platform: Platform;
}

/** The pinned uv from the tool cache or PyPI; loaded only when a uv.lock needs it. */
export async function fetchPinnedUv(places: ToolPlaces, exec: Exec): Promise<PinnedInstall> {
  const [{ ensureUv }, { jsonApiIndex }] = await Promise.all([
    import('@ferrowheel/kit/uv'),
    import('@ferrowheel/kit/package-index'),
  ]);
  const indexUrl = 'https://pypi.org';
  return ensureUv({
    platform: places.platform,
    toolCache: places.toolCache,
    // The tool cache's folder name for the architecture is node's, as the runner's.
    cacheArch: process.arch,
    tempDir: places.tempDir,
    index: async () => jsonApiIndex(indexUrl),
    indexUrl,
    exec,
    log: (line) => core.info(logText`${line}`),
  });
}

/** The tool places of this runner: RUNNER_TOOL_CACHE, else a folder in runner temp. */
export function toolPlaces(runner: RunnerContext): ToolPlaces {
  const { env, runnerTemp, platform } = runner;
  return {
    toolCache: env.RUNNER_TOOL_CACHE || path.join(runnerTemp, 'tool-cache'),
    tempDir: runnerTemp,
    platform,
  };
}

/** uv on PATH, else the pinned uv, else why there is none (a UserError's words). */
export async function uvForLock(
  onPath: string | undefined,
  fetch: () => Promise<PinnedInstall>,
): Promise<Result<string>> {
  if (onPath) return ok(onPath);
  try {
    const uv = await fetch();
    const from =
      uv.outcome === 'tool-cache'
        ? 'the tool cache'
        : "its PyPI wheel, SHA-256 checked against ferrowheel's pin";
    core.info(
      logText`uv is not on PATH: exporting the lock with uv ${uv.version} from ${from} (${uv.program})`,
    );
    return ok(uv.program);
  } catch (thrown) {
    if (!(thrown instanceof UserError)) throw thrown;
    return fail(`uv is not on PATH, and ferrowheel's pinned uv could not be installed (${thrown.message})`);
  }
}
