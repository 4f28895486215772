/**
 * A tool ferrowheel pins, got without Python and without the user setting anything up: its
 * version and the SHA-256 of each of its platform wheels are in the source (like setup-uv's
 * known-checksums table), so neither the index nor anything between it and the runner can change
 * what runs. In order:
 * 1. the tool cache (RUNNER_TOOL_CACHE), when it holds the pinned version installed from one of
 *    the pinned wheels (its manifest records which): no network at all;
 * 2. else the wheel for this runner from the index's JSON API (pypi.org), refused unless the
 *    index's digest and the download's both equal the pinned one; the program is taken out of
 *    the wheel into the tool cache (kit's wheel-install and tool-cache, which setup-maturin uses
 *    for maturin), then run once to check it works and prints the pinned version.
 * Any action can pin a tool this way: the test action's uv (kit uv.ts) is the first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { messageOf, UserError } from './errors.js';
import type { Exec } from './exec.js';
import type { RetryOptions } from './http.js';
import type { PackageIndex, ReleaseFile } from './package-index.js';
import { exeName, type Platform } from './platform.js';
import type { RunnerProbe } from './runner-wheels.js';
import { redactSecrets } from './secrets.js';
import { type CachedTool, cachedVersions, commitStaged, stagingDir } from './tool-cache.js';
import { scriptsLayout } from './wheel-layout.js';

export interface PinnedTool {
  /** The PyPI project, also the tool cache's folder name. */
  name: string;
  version: string;
  /** The program in the wheel's scripts (without `.exe`). */
  program: string;
  /** Arguments that make the program print its version. */
  versionArgs: readonly string[];
  /** SHA-256 of every platform wheel of `version`, by file name. */
  wheels: Readonly<Record<string, string>>;
}

export interface PinnedToolContext {
  platform: Platform;
  /** RUNNER_TOOL_CACHE. */
  toolCache: string;
  /** The tool cache's folder name for this architecture (node's `process.arch`, as the runner's). */
  cacheArch: string;
  /** Where the wheel is downloaded (RUNNER_TEMP). */
  tempDir: string;
  /** The index's JSON API, e.g. https://pypi.org (kit package-index `jsonApiIndex`), loaded lazily. */
  index: () => Promise<PackageIndex>;
  /** For messages: the index's URL. */
  indexUrl: string;
  exec: Exec;
  log: (line: string) => void;
  probe?: RunnerProbe;
  retry?: RetryOptions;
}

export interface PinnedInstall {
  program: string;
  version: string;
  /** `tool-cache` when nothing was downloaded. */
  outcome: 'tool-cache' | 'wheel';
}

/** The cached entry of the pinned version, when one of the pinned wheels made it. */
export function findPinnedInCache(tool: PinnedTool, ctx: PinnedToolContext): CachedTool | undefined {
  const pinned = new Set(Object.values(tool.wheels));
  return cachedVersions(ctx.toolCache, tool, ctx.cacheArch).find(
    (entry) => entry.version === tool.version && pinned.has(entry.wheelSha256 ?? ''),
  );
}

/** The pinned wheel for this runner, as a release file (URL still unknown), or a UserError. */
async function pinnedWheelFor(tool: PinnedTool, ctx: PinnedToolContext): Promise<ReleaseFile> {
  const { describeRunner, pickWheel, processProbe, runnerPlatformTags } = await import('./runner-wheels.js');
  const tags = runnerPlatformTags(describeRunner(ctx.platform, ctx.probe ?? processProbe));
  const files = Object.entries(tool.wheels).map(([filename, sha256]) => ({
    filename,
    url: '',
    sha256,
    yanked: false,
  }));
  const wheel = pickWheel(files, tags);
  if (!wheel) {
    throw new UserError(
      `${tool.name} ${tool.version} has no wheel for this runner (${ctx.platform.os} ${ctx.platform.arch}, best tag ${tags[0]}). Install ${tool.program} yourself and put it on PATH before this step.`,
    );
  }
  return wheel;
}

/** Where the index serves the pinned wheel; its published digest must be the pinned one. */
async function locateOnIndex(tool: PinnedTool, wheel: ReleaseFile, ctx: PinnedToolContext): Promise<string> {
  let url: string | undefined;
  let published: string | undefined;
  try {
    const releases = await (await ctx.index()).releases(tool.name);
    const file = releases
      .find((r) => r.version === tool.version)
      ?.files.find((f) => f.filename === wheel.filename);
    url = file?.url;
    published = file?.sha256;
  } catch (thrown) {
    throw new UserError(
      redactSecrets(
        `Could not look up ${tool.name} ${tool.version} on ${ctx.indexUrl} (${messageOf(thrown)}). Retry when the index is reachable, or install ${tool.program} yourself and put it on PATH before this step.`,
      ),
    );
  }
  if (url === undefined) {
    throw new UserError(
      `${ctx.indexUrl} does not serve ${wheel.filename}. Install ${tool.program} ${tool.version} yourself and put it on PATH before this step.`,
    );
  }
  if (published !== undefined && published !== '' && published !== wheel.sha256) {
    throw new UserError(
      `${ctx.indexUrl} publishes ${wheel.filename} with SHA256 ${published}, but ferrowheel pins ${wheel.sha256}: the index serves a different file, so it was not downloaded. Check the index (or a proxy in front of it), or install ${tool.program} yourself and put it on PATH before this step.`,
    );
  }
  return url;
}

/** The pinned tool's program: from the tool cache, else from its verified wheel (cached then). */
export async function ensurePinnedTool(tool: PinnedTool, ctx: PinnedToolContext): Promise<PinnedInstall> {
  const cached = findPinnedInCache(tool, ctx);
  if (cached) {
    ctx.log(`${tool.name} ${tool.version} found in the tool cache (${cached.dir}); no download needed`);
    return { program: cached.program, version: tool.version, outcome: 'tool-cache' };
  }
  const wheel = await pinnedWheelFor(tool, ctx);
  const url = await locateOnIndex(tool, wheel, ctx);
  const { installFromWheel } = await import('./wheel-install.js');
  const download = mkdtempSync(path.join(ctx.tempDir, `ferrowheel-${tool.name}-`));
  const staging = stagingDir(ctx.toolCache, tool, tool.version, ctx.cacheArch);
  const fix = `install ${tool.program} ${tool.version} yourself and put it on PATH before this step.`;
  try {
    const layout = scriptsLayout(tool.name, exeName(ctx.platform.os, tool.program));
    await installFromWheel(
      { ...wheel, url },
      layout,
      { downloadDir: download, installDir: staging },
      {
        log: ctx.log,
        advice: {
          expectedFrom: 'ferrowheel pins',
          matchedAgainst: "ferrowheel's pin",
          noDigest: `Or ${fix}`,
          mismatch: `retry, or ${fix}`,
          noProgram: `Or ${fix}`,
        },
        ...(ctx.retry ? { retry: ctx.retry } : {}),
      },
    );
    await checkRuns(tool, path.join(staging, layout.program), ctx.exec);
    const saved = commitStaged(
      staging,
      ctx.toolCache,
      tool,
      {
        tool: tool.name,
        version: tool.version,
        method: 'wheel',
        binDir: '.',
        program: layout.program,
        wheelSha256: wheel.sha256,
      },
      ctx.cacheArch,
    );
    ctx.log(`${tool.name} ${tool.version} installed into the tool cache (${saved.dir})`);
    return { program: saved.program, version: tool.version, outcome: 'wheel' };
  } finally {
    rmSync(download, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Runs the fresh program once: it must start and print the pinned version. */
async function checkRuns(tool: PinnedTool, program: string, exec: Exec): Promise<void> {
  const result = await exec(program, tool.versionArgs, { silent: true, allowFailure: true });
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.exitCode !== 0 || !output.split(/\s+/).includes(tool.version)) {
    throw new UserError(
      `The downloaded ${tool.program} ${tool.version} does not run here ('${tool.program} ${tool.versionArgs.join(' ')}' exited with ${result.exitCode}: ${output.slice(0, 300)}). Install ${tool.program} yourself and put it on PATH before this step.`,
    );
  }
}
