import { describe, expect, it } from '@jest/globals';
import { interpreterArg, maturinBuildArgs } from '../src/maturin-args.js';
import { maturinBuild, target } from './maturin-build.js';

const build = maturinBuild;

describe('maturinBuildArgs', () => {
  it('builds the host target in release by default', () => {
    expect(maturinBuildArgs(build())).toEqual(['build', '--out', '/w/dist', '--release']);
  });

  it("gives the project's own crate its rustc arguments after --, after the user's own", () => {
    const remap = '--remap-path-prefix=/ws=.';
    expect(maturinBuildArgs(build({ rustcArgs: [remap] }))).toEqual([
      'build',
      '--out',
      '/w/dist',
      '--release',
      '--',
      remap,
    ]);
    expect(
      maturinBuildArgs(build({ args: ['--locked', '--', '-Ctarget-cpu=native'], rustcArgs: [remap] })).slice(
        4,
      ),
    ).toEqual(['--locked', '--', '-Ctarget-cpu=native', remap]);
  });

  it('uses a profile instead of --release, and nothing for a dev build', () => {
    expect(maturinBuildArgs(build({ profile: 'dist' }))).toEqual([
      'build',
      '--out',
      '/w/dist',
      '--profile',
      'dist',
    ]);
    expect(maturinBuildArgs(build({ release: false }))).toEqual(['build', '--out', '/w/dist']);
  });

  it('assembles every option in a stable order, user args last', () => {
    expect(
      maturinBuildArgs(
        build({
          target: target('aarch64', 'linux'),
          targetExplicit: true,
          manifestPath: '/w/crates/py/Cargo.toml',
          interpreters: { kind: 'list', items: ['3.9', '3.13t', 'pypy3.10', '/opt/py/bin/python'] },
          features: ['a', 'b'],
          allFeatures: true,
          compatibility: { kind: 'manylinux', tag: 'manylinux2014', glibc: [2, 17] },
          zig: true,
          sdist: true,
          args: ['--locked', '-F', 'x y'],
        }),
      ),
    ).toEqual([
      'build',
      '--out',
      '/w/dist',
      '--release',
      '--target',
      'aarch64-unknown-linux-gnu',
      '--manifest-path',
      '/w/crates/py/Cargo.toml',
      '--interpreter',
      'python3.9',
      'python3.13t',
      'pypy3.10',
      '/opt/py/bin/python',
      '--features',
      'a,b',
      '--all-features',
      '--compatibility',
      'manylinux2014',
      '--zig',
      '--sdist',
      '--locked',
      '-F',
      'x y',
    ]);
  });

  it('asks for --find-interpreter', () => {
    expect(maturinBuildArgs(build({ interpreters: { kind: 'find' } }))).toContain('--find-interpreter');
  });

  it('passes musllinux and the plain linux tag', () => {
    const musl = build({
      target: target('x64', 'linux', true),
      targetExplicit: true,
      compatibility: { kind: 'musllinux', tag: 'musllinux_1_2', musl: [1, 2] },
    });
    expect(maturinBuildArgs(musl)).toEqual([
      'build',
      '--out',
      '/w/dist',
      '--release',
      '--target',
      'x86_64-unknown-linux-musl',
      '--compatibility',
      'musllinux_1_2',
    ]);
    expect(maturinBuildArgs(build({ compatibility: { kind: 'off' } }))).toContain('linux');
  });

  it("builds macOS universal2 as maturin's fat target, without Linux tags", () => {
    const args = maturinBuildArgs(
      build({
        target: target('universal2', 'macos'),
        targetExplicit: true,
        compatibility: { kind: 'manylinux', tag: 'manylinux2014', glibc: [2, 17] },
      }),
    );
    expect(args).toEqual(['build', '--out', '/w/dist', '--release', '--target', 'universal2-apple-darwin']);
  });

  it('builds Windows MSVC targets with Windows paths untouched', () => {
    const args = maturinBuildArgs(
      build({
        outDir: 'D:\\a\\proj\\dist',
        target: target('x86', 'windows'),
        targetExplicit: true,
        interpreters: { kind: 'list', items: ['3.12'] },
      }),
    );
    expect(args).toEqual([
      'build',
      '--out',
      'D:\\a\\proj\\dist',
      '--release',
      '--target',
      'i686-pc-windows-msvc',
      '--interpreter',
      'python3.12',
    ]);
  });
});

describe('interpreterArg', () => {
  it.each([
    ['3.9', 'python3.9'],
    ['3.13t', 'python3.13t'],
    ['pypy3.10', 'pypy3.10'],
    ['python3.11', 'python3.11'],
  ])('%s → %s', (spec, arg) => {
    expect(interpreterArg(spec)).toBe(arg);
  });
});
