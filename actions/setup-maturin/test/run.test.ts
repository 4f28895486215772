/**
 * The orchestration with injected dependencies: which tools are set up, what lands in outputs,
 * PATH and the summary. Cached entries only, so nothing here touches the network.
 */

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCommandFile } from '@ferrowheel/harness/run-action';
import { runnerContext } from '@ferrowheel/kit/context';
import type { Exec } from '@ferrowheel/kit/exec';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import type { PackageIndex } from '@ferrowheel/kit/package-index';
import { MANIFEST } from '@ferrowheel/kit/tool-cache';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Inputs, readInputs } from '../src/inputs.js';
import { type Deps, run } from '../src/run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'setup-maturin-run-'));
const files = {
  output: path.join(dir, 'output'),
  path: path.join(dir, 'path'),
  summary: path.join(dir, 'summary'),
};
const saved: Record<string, string | undefined> = {};
const runnerVars = {
  GITHUB_OUTPUT: files.output,
  GITHUB_PATH: files.path,
  GITHUB_STEP_SUMMARY: files.summary,
};

beforeAll(() => {
  // core.addPath also prepends to this process's PATH; put it back afterwards.
  saved.PATH = process.env.PATH;
  for (const [key, value] of Object.entries(runnerVars)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});
afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

function cacheEntry(root: string, tool: string, version: string, program: string): string {
  const entry = path.join(root, tool, version, 'x64');
  mkdirSync(entry, { recursive: true });
  writeFileSync(path.join(entry, program), '');
  writeFileSync(
    path.join(entry, MANIFEST),
    JSON.stringify({ tool, version, method: 'wheel', binDir: '.', program }),
  );
  writeFileSync(`${entry}.complete`, '');
  return entry;
}

const noIndex: PackageIndex = {
  releases: async () => {
    throw new Error('the index must not be asked');
  },
};

function deps(): Deps {
  return {
    exec: (async () => {
      throw new Error('no command should run');
    }) as Exec,
    index: () => noIndex,
    probe: { glibcVersion: () => '2.35', muslVersion: () => undefined, darwinRelease: () => '' },
    cacheArch: 'x64',
  };
}

/** The documented defaults (as readInputs gives them) with a version constraint. */
const inputs = (overrides: Partial<Inputs>, env: NodeJS.ProcessEnv): Inputs => ({
  ...readInputs(
    mapInputSource({ version: '>=1.6,<2' }),
    runnerContext({ workspace: dir, platform: { os: 'linux', arch: 'x86_64' }, env }),
  ),
  ...overrides,
});

describe('run', () => {
  it('sets maturin, zig and sccache up from the tool cache: outputs, PATH and summary', async () => {
    for (const file of Object.values(files)) writeFileSync(file, '');
    const toolCache = mkdtempSync(path.join(dir, 'tc-'));
    const maturin = cacheEntry(toolCache, 'maturin', '1.16.0', 'maturin');
    const zig = cacheEntry(toolCache, 'ziglang', '0.17.0', 'zig');
    const sccache = cacheEntry(toolCache, 'sccache', '0.16.0', 'sccache');
    await run(
      inputs({ zig: true, sccache: true }, { RUNNER_TOOL_CACHE: toolCache, RUNNER_TEMP: dir }),
      deps(),
    );
    expect(parseCommandFile(readFileSync(files.output, 'utf8'))).toEqual({
      version: '1.16.0',
      path: path.join(maturin, 'maturin'),
      'cache-hit': 'true',
      method: 'tool-cache',
      'zig-path': path.join(zig, 'zig'),
      'zig-version': '0.17.0',
      'sccache-path': path.join(sccache, 'sccache'),
      'sccache-version': '0.16.0',
    });
    expect(readFileSync(files.path, 'utf8').trim().split('\n')).toEqual([maturin, zig, sccache]);
    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('| Tool | Version | From | Path | Time |');
    expect(summary).toContain(`| zig | 0.17.0 | tool cache | \`${path.join(zig, 'zig')}\` |`);
  });

  it('fails clearly outside a runner (no RUNNER_TOOL_CACHE)', async () => {
    await expect(run(inputs({}, {}), deps())).rejects.toThrow(
      'RUNNER_TOOL_CACHE is not set. This action runs on a GitHub Actions runner; elsewhere set RUNNER_TOOL_CACHE to a directory.',
    );
  });
});
