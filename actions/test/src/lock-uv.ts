/**
 * The uv that exports a project's uv.lock. pip cannot read uv.lock, and GitHub's runner images
 * have no uv on PATH (nor does build-wheels.yml put one there), so without this the lock would be
 * ignored by default: uv on PATH when there is one, else the uv ferrowheel pins (kit uv.ts), from
 * the tool cache or from its PyPI wheel, SHA-256 checked against the pin. It only exports the
 * lock, on the runner; installing stays with the chosen installer.
 */
import path from 'node:path';
import * as core from '@actions/core';
import { UserError } from '@ferrowheel/kit/errors';
import { logText } from '@ferrowheel/kit/log-text';
import type { PinnedInstall } from '@ferrowheel/kit/pinned-tool';
import { currentPlatform } from '@ferrowheel/kit/platform';
import { fail, ok, type Result } from '@ferrowheel/kit/result';

/** Where the pinned uv is cached and downloaded. */
export interface ToolPlaces {
  /** RUNNER_TOOL_CACHE (a directory under runner temp when unset). */
  toolCache: string;
  tempDir: string;
}

/** The pinned uv from the tool cache or PyPI; loaded only when a uv.lock needs it. */
export async function fetchPinnedUv(places: ToolPlaces): Promise<PinnedInstall> {
  const [{ ensureUv }, { jsonApiIndex }] = await Promise.all([
    import('@ferrowheel/kit/uv'),
    import('@ferrowheel/kit/package-index'),
  ]);
  const indexUrl = 'https://pypi.org';
  return ensureUv({
    platform: currentPlatform(),
    toolCache: places.toolCache,
    cacheArch: process.arch,
    tempDir: places.tempDir,
    index: async () => jsonApiIndex(indexUrl),
    indexUrl,
    exec: (await import('@ferrowheel/kit/exec')).exec,
    log: (line) => core.info(logText`${line}`),
  });
}

/** The tool places of this runner: RUNNER_TOOL_CACHE, else a folder in runner temp. */
export function toolPlaces(env: NodeJS.ProcessEnv, runnerTemp: string): ToolPlaces {
  return { toolCache: env.RUNNER_TOOL_CACHE || path.join(runnerTemp, 'tool-cache'), tempDir: runnerTemp };
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
