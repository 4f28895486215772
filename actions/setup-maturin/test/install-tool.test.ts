import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import type { PackageIndex } from '@ferrowheel/kit/package-index';
import { MANIFEST } from '@ferrowheel/kit/tool-cache';
import { describe, expect, it, jest } from '@jest/globals';
import {
  checkPrintedVersion,
  type InstallContext,
  installTool,
  programVersion,
} from '../src/install-tool.js';
import { TOOLS } from '../src/tools.js';
import type { Requested } from '../src/version-choice.js';
import { maturinReleases } from './fixture.js';

const ask = (constraint: string): Requested => ({
  constraint,
  origin: "input 'version'",
  fix: "Change the 'version' input.",
});

function toolCacheWith(...versions: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'setup-maturin-it-'));
  for (const version of versions) {
    const dir = path.join(root, 'maturin', version, 'x64');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'maturin'), '');
    writeFileSync(
      path.join(dir, MANIFEST),
      JSON.stringify({ tool: 'maturin', version, method: 'wheel', binDir: '.', program: 'maturin' }),
    );
    writeFileSync(`${dir}.complete`, '');
  }
  return root;
}

const offline: PackageIndex = {
  releases: async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:9');
  },
};

function context(
  toolCache: string,
  index: PackageIndex,
  overrides: Partial<InstallContext> = {},
): InstallContext {
  return {
    exec: (async () => {
      throw new Error('no command should run');
    }) as Exec,
    index,
    indexUrl: 'http://127.0.0.1:9',
    platform: { os: 'linux', arch: 'x86_64' },
    probe: { glibcVersion: () => '2.35', muslVersion: () => undefined, darwinRelease: () => '' },
    env: {},
    cacheArch: 'x64',
    toolCache,
    tempDir: tmpdir(),
    checkLatest: false,
    method: 'auto',
    ...overrides,
  };
}

describe('installTool', () => {
  it('uses a satisfying cached version without asking the index', async () => {
    const releases = jest.fn(offline.releases);
    const installed = await installTool(
      TOOLS.maturin,
      ask('>=1.6,<2'),
      context(toolCacheWith('1.8.7', '1.16.0'), { releases }),
    );
    expect(installed).toMatchObject({ version: '1.16.0', outcome: 'tool-cache' });
    expect(releases).not.toHaveBeenCalled();
  });

  it('asks the index first for latest and with check-latest, then uses the cache for that exact version', async () => {
    const releases = jest.fn(async () => maturinReleases());
    const cache = toolCacheWith('1.16.0');
    expect((await installTool(TOOLS.maturin, ask('latest'), context(cache, { releases }))).outcome).toBe(
      'tool-cache',
    );
    expect(
      (await installTool(TOOLS.maturin, ask('>=1'), context(cache, { releases }, { checkLatest: true })))
        .outcome,
    ).toBe('tool-cache');
    expect(releases).toHaveBeenCalledTimes(2);
  });

  it('falls back to the best cached version when the index cannot be reached', async () => {
    const installed = await installTool(
      TOOLS.maturin,
      ask('latest'),
      context(toolCacheWith('1.8.7'), offline),
    );
    expect(installed).toMatchObject({ version: '1.8.7', outcome: 'tool-cache' });
  });

  it('fails clearly when the index cannot be reached and nothing suitable is cached', async () => {
    await expect(
      installTool(TOOLS.maturin, ask('>=1.9'), context(toolCacheWith('1.8.7'), offline)),
    ).rejects.toThrow(
      new UserError(
        "Could not reach http://127.0.0.1:9 to look up maturin (connect ECONNREFUSED 127.0.0.1:9), and the tool cache has no maturin satisfying '>=1.9'. Retry when the index is reachable, or set 'index-url' to a reachable mirror.",
      ),
    );
  });

  it('fails when method is wheel and no wheel fits the runner', async () => {
    const index: PackageIndex = { releases: async () => maturinReleases() };
    await expect(
      installTool(
        TOOLS.maturin,
        ask('==1.16.0'),
        context(toolCacheWith(), index, {
          method: 'wheel',
          platform: { os: 'linux', arch: 'riscv64' },
          probe: { glibcVersion: () => '2.28', muslVersion: () => undefined, darwinRelease: () => '' },
        }),
      ),
    ).rejects.toThrow(
      /^No maturin 1\.16\.0 wheel fits this runner \(linux riscv64, best tag manylinux_2_28_riscv64\); the release has maturin-1\.16\.0-py3-none-linux_armv6l\.whl, .* Set 'method: auto' or 'venv' to build it with pip instead, or pin a version that has one\.$/,
    );
  });
});

describe('verification', () => {
  const runs =
    (exitCode: number, stdout: string): Exec =>
    async () => ({ exitCode, stdout, stderr: exitCode === 0 ? '' : 'boom' });

  it('reads the version the program prints', async () => {
    expect(await programVersion(TOOLS.maturin, '/x/maturin', runs(0, 'maturin 1.16.0\n'))).toBe('1.16.0');
  });

  it('fails with the output when the program does not run', async () => {
    await expect(programVersion(TOOLS.maturin, '/x/maturin', runs(1, ''))).rejects.toThrow(
      "The installed maturin (/x/maturin) does not run: 'maturin --version' exited with 1: boom. Try 'method: venv', or report it with this log.",
    );
  });

  it('fails when the printed version does not satisfy the constraint', () => {
    expect(() => checkPrintedVersion(TOOLS.maturin, '1.15.0', ask('>=1.16'))).toThrow(
      "The installed maturin reports version 1.15.0, which does not satisfy '>=1.16' (from input 'version'). The package's files and its version disagree; pin another version. Change the 'version' input.",
    );
    expect(() => checkPrintedVersion(TOOLS.maturin, '1.16.0', ask('>=1.16'))).not.toThrow();
    expect(() => checkPrintedVersion(TOOLS.maturin, '1.0.0-beta.7', ask('==1.0.0b7'))).not.toThrow();
  });
});
