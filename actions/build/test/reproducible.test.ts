/** The remap table and SOURCE_DATE_EPOCH (from a real git commit). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import { reproducibleClaim } from '../src/reproducibility.js';
import {
  checkEpoch,
  commitTime,
  hasPathDependencies,
  pathRemaps,
  placeRemaps,
  remapFlags,
  sourceDateEpoch,
} from '../src/reproducible.js';

const silentExec: typeof exec = (program, args, options = {}) =>
  exec(program, args, { ...options, silent: true });

describe('pathRemaps', () => {
  const github = {
    workspace: '/home/runner/work/proj/proj',
    runnerTemp: '/home/runner/work/_temp',
    targetDir: '/home/runner/work/proj/proj/target',
    cargoHome: '/home/runner/.cargo',
  };

  it("maps a GitHub runner's directories the way cargo's trim-paths names them, nested ones last", () => {
    expect(remapFlags(pathRemaps(github, (p) => p))).toEqual([
      '--remap-path-prefix=/home/runner/.cargo=/cargo',
      '--remap-path-prefix=/home/runner/.cargo/git=/cargo/git',
      '--remap-path-prefix=/home/runner/work/_temp=/runner-temp',
      '--remap-path-prefix=/home/runner/work/proj/proj=.',
      '--remap-path-prefix=/home/runner/.cargo/registry=/cargo/registry',
      '--remap-path-prefix=/home/runner/work/proj/proj/target=/cargo/build-dir',
    ]);
  });

  it('adds the real path of a directory reached through a symlink (cargo hands rustc real paths)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'remap-'));
    const shared = path.join(dir, 'shared-registry');
    const home = path.join(dir, 'home');
    mkdirSync(shared);
    mkdirSync(home);
    symlinkSync(shared, path.join(home, 'registry'));
    const remaps = pathRemaps({ ...github, cargoHome: home });
    expect(remaps).toContainEqual({ from: path.join(home, 'registry'), to: '/cargo/registry' });
    expect(remaps).toContainEqual({ from: shared, to: '/cargo/registry' });
  });

  it('lets the more specific meaning win when two directories are the same', () => {
    const remaps = pathRemaps({ ...github, targetDir: github.workspace }, (p) => p);
    expect(remaps.filter((r) => r.from === github.workspace)).toEqual([
      { from: github.workspace, to: '/cargo/build-dir' },
    ]);
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'sde-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'a',
        GIT_AUTHOR_EMAIL: 'a@example.com',
        GIT_COMMITTER_NAME: 'c',
        GIT_COMMITTER_EMAIL: 'c@example.com',
        GIT_AUTHOR_DATE: '2001-02-03T04:05:06Z',
        GIT_COMMITTER_DATE: '2023-11-14T22:13:20Z',
      },
    });
  git('init', '-q');
  writeFileSync(path.join(repo, 'f'), 'x');
  git('add', 'f');
  git('commit', '-q', '-m', 'one');
  mkdirSync(path.join(repo, 'sub'));

  it("is the commit's committer time, from any directory of the checkout", async () => {
    expect(await commitTime(silentExec, path.join(repo, 'sub'))).toEqual({ ok: true, value: 1_700_000_000 });
    expect(await sourceDateEpoch({ input: undefined, env: {}, exec: silentExec, cwd: repo })).toEqual({
      ok: true,
      value: { seconds: 1_700_000_000, source: 'commit' },
    });
  });

  it('comes from the input first, then from the environment', async () => {
    const env = { SOURCE_DATE_EPOCH: '1234' };
    expect(await sourceDateEpoch({ input: 99, env, exec: silentExec, cwd: repo })).toEqual({
      ok: true,
      value: { seconds: 99, source: 'input' },
    });
    expect(await sourceDateEpoch({ input: undefined, env, exec: silentExec, cwd: repo })).toEqual({
      ok: true,
      value: { seconds: 1234, source: 'environment' },
    });
  });

  it('says why there is none outside a git checkout', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'no-git-'));
    const result = await commitTime(silentExec, plain);
    expect(result).toEqual({
      ok: false,
      problem: expect.stringMatching(/^git log found no commit \(.*not a git repository/),
    });
  });

  it('takes whole seconds only', () => {
    expect(checkEpoch('1700000000')).toBeUndefined();
    for (const bad of ['', '-1', '1.5', '17e8', ' 1', '1234567890123']) expect(checkEpoch(bad)).toBeDefined();
  });
});

describe('reproducibleClaim', () => {
  const remaps = [
    { from: '/home/runner/work/p/p', to: '.' },
    { from: '/home/runner/.cargo', to: '/cargo' },
  ];
  it('claims the settings and the SBOM, and says no rebuild verified it', () => {
    const claim = reproducibleClaim(
      {
        kind: 'on',
        epoch: { ok: true, value: { seconds: 1_700_000_000, source: 'commit' } },
        remaps,
        crateOnly: [],
      },
      { pgo: false },
    );
    expect(claim).toEqual({
      wheel: 'settings applied, SBOM normalised',
      sdist: 'settings applied',
      note: 'Reproducible settings applied: SOURCE_DATE_EPOCH=1700000000 (2023-11-14T22:13:20Z, from the commit), build paths remapped (workspace → `.`, CARGO_HOME → `/cargo`, target dir → `/cargo/build-dir`, runner temp → `/runner-temp`), SBOM normalised. Not verified by a rebuild in this job.',
    });
  });
  it('does not claim a PGO wheel, a build without an epoch, or one with reproducible off', () => {
    const on = {
      kind: 'on' as const,
      epoch: { ok: true as const, value: { seconds: 1, source: 'input' as const } },
      remaps,
      crateOnly: [],
    };
    expect(reproducibleClaim(on, { pgo: true }).wheel).toBe('no: PGO profile of this run');
    expect(reproducibleClaim(on, { pgo: true }).note).toMatch(/a rebuild trains again/);
    const none = reproducibleClaim(
      { kind: 'on', epoch: { ok: false, problem: 'git is not installed' }, remaps, crateOnly: [] },
      { pgo: false },
    );
    expect(none.wheel).toBe('no: no SOURCE_DATE_EPOCH');
    expect(none.note).toMatch(/^Not reproducible: no SOURCE_DATE_EPOCH \(git is not installed\)/);
    expect(reproducibleClaim({ kind: 'off' }, { pgo: false })).toEqual({
      wheel: 'off',
      sdist: 'off',
      note: 'Reproducible builds are off (`reproducible: false`).',
    });
  });
});

describe('placeRemaps', () => {
  const remaps = pathRemaps(
    { workspace: '/ws', runnerTemp: '/rt', targetDir: '/ws/target', cargoHome: '/home/.cargo' },
    (p) => p,
  );
  it("gives a lone crate the checkout's paths to itself, so moving the checkout rebuilds no dependency", () => {
    const { global, crate } = placeRemaps(remaps, { singleCrate: true });
    expect(crate.map((r) => r.to)).toEqual(['/runner-temp', '.']);
    expect(global.map((r) => r.to)).toEqual(['/cargo/build-dir', '/cargo', '/cargo/git', '/cargo/registry']);
  });
  it('gives every crate every remap when other local crates compile from the checkout too', () => {
    expect(placeRemaps(remaps, { singleCrate: false })).toEqual({ global: remaps, crate: [] });
  });
  it('finds path dependencies in every dependency table', () => {
    expect(hasPathDependencies({ dependencies: { pyo3: '0.30' } })).toBe(false);
    expect(hasPathDependencies({ dependencies: { core: { path: '../core' } } })).toBe(true);
    expect(hasPathDependencies({ 'build-dependencies': { gen: { path: 'gen' } } })).toBe(true);
    expect(hasPathDependencies({ target: { 'cfg(unix)': { dependencies: { u: { path: 'u' } } } } })).toBe(
      true,
    );
    expect(hasPathDependencies({ dependencies: { git: { git: 'https://example.com/x' } } })).toBe(false);
  });
});
