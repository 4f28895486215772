/**
 * Getting one tool onto the runner, fastest way first:
 * 1. the tool cache, with no network at all, when it has a version satisfying the constraint
 *    (unless `check-latest` or `version: latest` ask the index first);
 * 2. the binary from the tool's PyPI wheel for this runner, SHA256-checked against the index;
 * 3. a venv install with uv or pip, when no wheel fits (or `method: venv`).
 * When the index cannot be reached, the best cached version satisfying the constraint is used,
 * with a warning (GitHub/PyPI outages must not break builds that have what they need).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { messageOf, UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { BadAnswerError, HttpError, type RetryOptions } from '@ferrowheel/kit/http';
import { logText } from '@ferrowheel/kit/log-text';
import type { PackageIndex, Release, ReleaseFile } from '@ferrowheel/kit/package-index';
import { satisfies } from '@ferrowheel/kit/pep440';
import { exeName, type Platform } from '@ferrowheel/kit/platform';
import type { RunnerProbe } from '@ferrowheel/kit/runner-wheels';
import { redactSecrets } from '@ferrowheel/kit/secrets';
import {
  type CachedTool,
  commitStaged,
  completeInPlace,
  entryDir,
  findCached,
  stagingDir,
} from '@ferrowheel/kit/tool-cache';
import type { Method } from './inputs.js';
import { parseVersionOutput, type Tool, wheelLayout } from './tools.js';
import { chooseVersion, describeConstraint, type Requested } from './version-choice.js';

export type Outcome = 'tool-cache' | 'wheel' | 'venv';

export interface Installed extends CachedTool {
  outcome: Outcome;
}

export interface InstallContext {
  exec: Exec;
  index: PackageIndex;
  indexUrl: string;
  platform: Platform;
  probe: RunnerProbe;
  env: NodeJS.ProcessEnv;
  /** The tool cache's folder name for this architecture (node's `process.arch`, as the runner's). */
  cacheArch: string;
  toolCache: string;
  tempDir: string;
  checkLatest: boolean;
  method: Method;
  retry?: RetryOptions;
}

/** Runs the program and returns the version it prints; fails with its output when it cannot run. */
export async function programVersion(tool: Tool, program: string, exec: Exec): Promise<string> {
  const result = await exec(program, tool.versionArgs, { silent: true, allowFailure: true });
  const version = result.exitCode === 0 ? parseVersionOutput(result.stdout) : undefined;
  if (version === undefined) {
    throw new UserError(
      `The installed ${tool.program} (${program}) does not run: '${tool.program} ${tool.versionArgs.join(' ')}' exited with ${result.exitCode}: ${`${result.stdout}${result.stderr}`.trim().slice(0, 500)}. Try 'method: venv', or report it with this log.`,
    );
  }
  return version;
}

/** Fails when the version the program prints does not satisfy the constraint. */
export function checkPrintedVersion(tool: Tool, printed: string, requested: Requested): void {
  if (requested.constraint === '' || requested.constraint === 'latest') return;
  if (!satisfies(printed, requested.constraint)) {
    throw new UserError(
      `The installed ${tool.program} reports version ${printed}, which does not satisfy ${describeConstraint(requested.constraint)} (from ${requested.origin}). The package's files and its version disagree; pin another version. ${requested.fix}`,
    );
  }
}

function fromCache(hit: CachedTool): Installed {
  return { ...hit, outcome: 'tool-cache' };
}

/**
 * The tool's releases from the index; when the index cannot be asked, the best cached version
 * satisfying the constraint instead (with a warning), else an error saying which of the two
 * failures it was: an index that answered wrongly (a wrong 'index-url'), or no answer (retry).
 */
async function releasesOrCached(
  tool: Tool,
  cacheConstraint: string,
  ctx: InstallContext,
): Promise<{ releases: Release[] } | { cached: Installed }> {
  try {
    return { releases: await ctx.index.releases(tool.name) };
  } catch (thrown) {
    const wrongAnswer =
      thrown instanceof BadAnswerError || (thrown instanceof HttpError && thrown.status < 500);
    const problem = wrongAnswer
      ? `${ctx.indexUrl} is not a PyPI JSON API index (${messageOf(thrown)})`
      : `Could not reach ${ctx.indexUrl} to look up ${tool.name} (${messageOf(thrown)})`;
    const fix = wrongAnswer
      ? `Set 'index-url' to the base URL of an index that serves <index-url>/pypi/${tool.name}/json, e.g. https://pypi.org.`
      : "Retry when the index is reachable, or set 'index-url' to a reachable mirror.";
    const fallback = findCached(ctx.toolCache, tool, cacheConstraint, ctx.cacheArch);
    if (fallback) {
      core.warning(
        // The URL and the reason can hold a token (index-url path/query, a server's echo).
        redactSecrets(
          `${problem}; using ${tool.name} ${fallback.version} from the tool cache, which satisfies ${describeConstraint(cacheConstraint)}.${wrongAnswer ? ` ${fix}` : ''}`,
        ),
      );
      return { cached: fromCache(fallback) };
    }
    throw new UserError(
      redactSecrets(
        `${problem}, and the tool cache has no ${tool.name} satisfying ${describeConstraint(cacheConstraint)}. ${fix}`,
      ),
    );
  }
}

/** The release's wheel for this runner, else (when the tool and `method` allow) a venv install. */
async function installRelease(
  tool: Tool,
  release: { version: string; files: ReleaseFile[] },
  requested: Requested,
  ctx: InstallContext,
): Promise<Installed> {
  if (ctx.method !== 'venv') {
    const { describeRunner, pickWheel, runnerPlatformTags } = await import('@ferrowheel/kit/runner-wheels');
    const tags = runnerPlatformTags(describeRunner(ctx.platform, ctx.probe));
    const wheel = pickWheel(release.files, tags);
    if (wheel) return installWheel(tool, release.version, wheel, requested, ctx);
    const wheels = release.files.filter((f) => f.filename.endsWith('.whl')).map((f) => f.filename);
    const none = `No ${tool.name} ${release.version} wheel fits this runner (${ctx.platform.os} ${ctx.platform.arch}, best tag ${tags[0]}); the release has ${wheels.length > 0 ? wheels.join(', ') : 'no wheels'}.`;
    if (ctx.method === 'wheel' || !tool.venvFallback) {
      throw new UserError(
        `${none} ${tool.venvFallback ? "Set 'method: auto' or 'venv' to build it with pip instead, or pin" : 'Pin'} a version that has one.`,
      );
    }
    core.info(logText`${none} Installing it into a venv instead.`);
  }
  if (!tool.venvFallback) {
    throw new UserError(
      `${tool.name} can only be installed from its wheel (it has no sdist). Set 'method' to 'auto' or 'wheel'.`,
    );
  }
  return installVenv(tool, release.version, requested, ctx);
}

/** Finds or installs `tool` at a version satisfying `requested`. */
export async function installTool(tool: Tool, requested: Requested, ctx: InstallContext): Promise<Installed> {
  const asksIndexFirst = ctx.checkLatest || requested.constraint === 'latest';
  const cacheConstraint = requested.constraint === 'latest' ? '' : requested.constraint;
  const hit = asksIndexFirst ? undefined : findCached(ctx.toolCache, tool, cacheConstraint, ctx.cacheArch);
  if (hit) {
    core.info(logText`${tool.name} ${hit.version} found in the tool cache (${hit.dir}); no download needed`);
    return fromCache(hit);
  }
  const answer = await releasesOrCached(tool, cacheConstraint, ctx);
  if ('cached' in answer) return answer.cached;
  const release = chooseVersion(tool.name, answer.releases, requested);
  core.info(
    logText`${tool.name} ${release.version} is the newest release satisfying ${describeConstraint(requested.constraint)}`,
  );
  const exact = findCached(ctx.toolCache, tool, `==${release.version}`, ctx.cacheArch);
  if (exact) {
    core.info(logText`${tool.name} ${release.version} found in the tool cache (${exact.dir})`);
    return fromCache(exact);
  }
  return installRelease(tool, release, requested, ctx);
}

/** What a user of this action can do when a wheel cannot be installed. */
export const WHEEL_ADVICE = {
  expectedFrom: 'the index published',
  matchedAgainst: 'the index',
  noDigest: "Use an index that publishes digests (pypi.org does), or set 'method: venv'.",
  mismatch: "check 'index-url' and any proxy between the runner and the index, then retry.",
  noProgram: "Set 'method: venv' to install it with pip instead.",
};

async function installWheel(
  tool: Tool,
  version: string,
  wheel: ReleaseFile,
  requested: Requested,
  ctx: InstallContext,
): Promise<Installed> {
  const { installFromWheel } = await import('@ferrowheel/kit/wheel-install');
  const download = mkdtempSync(path.join(ctx.tempDir, `setup-maturin-${tool.name}-`));
  // Extracted straight into the tool cache's staging place; moved into place once verified.
  const staging = stagingDir(ctx.toolCache, tool, version, ctx.cacheArch);
  try {
    const layout = wheelLayout(tool, ctx.platform.os);
    const files = await installFromWheel(
      wheel,
      layout,
      { downloadDir: download, installDir: staging },
      { log: (line) => core.info(line), advice: WHEEL_ADVICE, ...(ctx.retry ? { retry: ctx.retry } : {}) },
    );
    core.info(logText`Extracted ${files} file(s) from ${wheel.filename}`);
    const printed = await programVersion(tool, path.join(staging, layout.program), ctx.exec);
    checkPrintedVersion(tool, printed, requested);
    const saved = commitStaged(
      staging,
      ctx.toolCache,
      tool,
      {
        tool: tool.name,
        version,
        method: 'wheel',
        binDir: '.',
        program: layout.program,
        wheelSha256: wheel.sha256,
      },
      ctx.cacheArch,
    );
    return { ...saved, outcome: 'wheel' };
  } finally {
    rmSync(download, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

async function installVenv(
  tool: Tool,
  version: string,
  requested: Requested,
  ctx: InstallContext,
): Promise<Installed> {
  const { findOnPath, installIntoVenv, planVenvInstall } = await import('./venv-install.js');
  const venv = entryDir(ctx.toolCache, tool, version, ctx.cacheArch);
  rmSync(venv, { recursive: true, force: true });
  rmSync(`${venv}.complete`, { force: true });
  const plan = planVenvInstall({
    os: ctx.platform.os,
    venv,
    requirement: `${tool.name}==${version}`,
    uv: findOnPath('uv', ctx.platform.os, ctx.env),
    indexUrl: ctx.indexUrl,
  });
  core.info(logText`Installing ${tool.name}==${version} into a venv with ${plan.installer} (${venv})`);
  const program = path.join(venv, plan.binDir, exeName(ctx.platform.os, tool.program));
  try {
    await installIntoVenv(plan, ctx.exec);
    const printed = await programVersion(tool, program, ctx.exec);
    checkPrintedVersion(tool, printed, requested);
  } catch (thrown) {
    rmSync(venv, { recursive: true, force: true });
    throw thrown;
  }
  const saved = completeInPlace(venv, {
    tool: tool.name,
    version,
    method: 'venv',
    binDir: plan.binDir,
    program: exeName(ctx.platform.os, tool.program),
  });
  return { ...saved, outcome: 'venv' };
}
