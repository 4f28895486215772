/**
 * uv for a test container: the uv ferrowheel pins (kit uv.ts), from its musllinux wheel, whose
 * program is static (it needs no C library), so it runs in any Linux container on the docker
 * engine's architecture, whatever the container's own: in an arm64 container under QEMU only
 * the container's Python is emulated, while uv runs natively. Mounted read-only, it makes the
 * venv and installs the wheelhouse: under QEMU pip takes minutes (ensurepip alone, then the
 * install, each emulated), uv seconds. `installer: pip` keeps pip.
 */
import path from 'node:path';
import * as core from '@actions/core';
import { type DockerPlatform, wheelArch } from '@ferrowheel/kit/docker-platform';
import { logText } from '@ferrowheel/kit/log-text';
import type { PinnedInstall } from '@ferrowheel/kit/pinned-tool';
import type { RunnerProbe } from '@ferrowheel/kit/runner-wheels';

/** Where the container finds it. */
export const CONTAINER_UV = '/opt/ferrowheel/bin/uv';

/** A runner without glibc, as far as choosing a wheel goes: the musllinux (static) one wins. */
const STATIC: RunnerProbe = {
  glibcVersion: () => undefined,
  muslVersion: () => '1.2',
  darwinRelease: () => '',
};

/** The pinned uv's static program for the engine's architecture, from the tool cache or PyPI. */
export async function fetchStaticUv(options: {
  engine: DockerPlatform;
  toolCache: string;
  tempDir: string;
}): Promise<PinnedInstall> {
  const [{ ensureUv }, { jsonApiIndex }, { exec }] = await Promise.all([
    import('@ferrowheel/kit/uv'),
    import('@ferrowheel/kit/package-index'),
    import('@ferrowheel/kit/exec'),
  ]);
  const indexUrl = 'https://pypi.org';
  const arch = wheelArch(options.engine);
  return ensureUv({
    platform: { os: 'linux', arch },
    toolCache: options.toolCache,
    // Apart from the runner's own uv (a glibc build), in the same tool cache.
    cacheArch: `${arch}-static`,
    tempDir: options.tempDir,
    probe: STATIC,
    index: async () => jsonApiIndex(indexUrl),
    indexUrl,
    exec,
    log: (line) => core.info(logText`${line}`),
  });
}

/** RUNNER_TOOL_CACHE, else a folder in the runner's temp directory. */
export function toolCacheDir(env: Readonly<Record<string, string | undefined>>, runnerTemp: string): string {
  return env.RUNNER_TOOL_CACHE || path.join(runnerTemp, 'tool-cache');
}
