import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import type { Platform } from '@ferrowheel/kit/platform';
import { describe, expect, it } from '@jest/globals';
import { checkInterpreter, type Inputs, readInputs } from '../src/inputs.js';

const workspace = mkdtempSync(path.join(tmpdir(), 'build-inputs-'));
mkdirSync(path.join(workspace, 'crate'));
writeFileSync(path.join(workspace, 'crate', 'Cargo.toml'), '');
writeFileSync(path.join(workspace, 'hook.sh'), '');
writeFileSync(path.join(workspace, 'hook'), '#!/bin/sh\n');
symlinkSync('/etc', path.join(workspace, 'etc-link'));
symlinkSync('/bin/sh', path.join(workspace, 'sh-link'));
writeFileSync(path.join(workspace, 'my hook'), '#!/bin/sh\n', { mode: 0o755 });
const linux: Platform = { os: 'linux', arch: 'x86_64' };

function read(values: Record<string, string>, platform: Platform = linux): Inputs {
  return readInputs(mapInputSource(values), runnerContext({ workspace, platform }));
}

function failure(values: Record<string, string>, platform: Platform = linux): string {
  try {
    read(values, platform);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(InputError);
    return (thrown as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('readInputs', () => {
  it('has defaults for everything', () => {
    const inputs = read({});
    expect(inputs).toMatchObject({
      workingDirectory: workspace,
      manifestPath: undefined,
      targetExplicit: false,
      release: true,
      profile: undefined,
      interpreters: { kind: 'default' },
      features: [],
      allFeatures: false,
      compatibility: { kind: 'auto' },
      zig: false,
      container: { kind: 'auto' },
      sdist: false,
      outDir: path.join(workspace, 'dist'),
      args: [],
      cache: true,
      sccache: false,
      beforeBuild: undefined,
      maturin: 'maturin',
    });
    expect(inputs.target.triple).toBe('x86_64-unknown-linux-gnu');
  });

  it('reads a full set of inputs', () => {
    const inputs = read({
      'working-directory': 'crate',
      'manifest-path': 'crate/Cargo.toml',
      target: 'aarch64',
      profile: 'dist-release',
      interpreters: '3.9 3.13t, pypy3.10',
      features: 'a, b',
      'all-features': 'true',
      manylinux: '2_28',
      zig: 'yes',
      container: 'ghcr.io/me/image:1',
      sdist: 'true',
      'out-dir': '../wheels',
      args: '--locked -F "x y"',
      'before-build': 'hook.sh',
    });
    expect(inputs.workingDirectory).toBe(path.join(workspace, 'crate'));
    expect(inputs.manifestPath).toBe(path.join(workspace, 'crate', 'Cargo.toml'));
    expect(inputs.target.triple).toBe('aarch64-unknown-linux-gnu');
    expect(inputs.targetExplicit).toBe(true);
    expect(inputs.profile).toBe('dist-release');
    expect(inputs.interpreters).toEqual({ kind: 'list', items: ['3.9', '3.13t', 'pypy3.10'] });
    expect(inputs.features).toEqual(['a', 'b']);
    expect(inputs.compatibility).toEqual({ kind: 'manylinux', tag: 'manylinux_2_28', glibc: [2, 28] });
    expect(inputs.container).toEqual({ kind: 'image', image: 'ghcr.io/me/image:1' });
    expect(inputs.outDir).toBe(path.join(workspace, 'wheels'));
    expect(inputs.args).toEqual(['--locked', '-F', 'x y']);
    expect(inputs.beforeBuild).toBe(path.join(workspace, 'hook.sh'));
  });

  it('picks the musl triple for musllinux', () => {
    expect(read({ manylinux: 'musllinux_1_2' }).target.triple).toBe('x86_64-unknown-linux-musl');
    expect(read({ manylinux: 'musllinux_1_2', target: 'aarch64' }).target.triple).toBe(
      'aarch64-unknown-linux-musl',
    );
  });

  it('resolves universal2 and Windows targets for those runners', () => {
    const mac = read({ target: 'universal2' }, { os: 'macos', arch: 'aarch64' });
    expect(mac.target.triple).toBe('universal2-apple-darwin');
    expect(mac.target.rustTargets).toEqual(['x86_64-apple-darwin', 'aarch64-apple-darwin']);
    const win = read({}, { os: 'windows', arch: 'x86_64' });
    expect(win.target.triple).toBe('x86_64-pc-windows-msvc');
    expect(win.targetExplicit).toBe(false);
  });

  it('reads interpreters: find', () => {
    expect(read({ interpreters: 'find' }).interpreters).toEqual({ kind: 'find' });
    expect(read({ features: 'fast, serde/std dep?/feat' }).features).toEqual([
      'fast',
      'serde/std',
      'dep?/feat',
    ]);
  });

  it.each([
    [{ target: 'sparc' }, "Input 'target' is neither a Rust target triple nor an alias"],
    [{ target: 'mips-unknown-linux-gnu' }, "Input 'target' is not a target ferrowheel builds wheels for"],
    [{ target: 'universal2' }, "Input 'target' has no target on linux"],
    [
      { target: 'x86_64-unknown-linux-gnu', manylinux: 'musllinux_1_2' },
      "Input 'target' is a glibc target but manylinux is 'musllinux_1_2'",
    ],
    [{ manylinux: '2010' }, "Input 'manylinux' is manylinux2010, which the Rust compiler no longer supports"],
    [{ manylinux: '2_12' }, "Input 'manylinux' asks for glibc 2.12; Rust needs at least glibc 2.17"],
    [{ manylinux: 'centos7' }, 'Input \'manylinux\' is not a manylinux or musllinux level: got "centos7"'],
    [{ interpreters: '3.9 three' }, "Input 'interpreters' is not an interpreter version"],
    [
      { interpreters: '3.12 --manifest-path=/tmp/other/Cargo.toml' },
      'Input \'interpreters\' starts with -, so maturin would read it as an option: got "--manifest-path=/tmp/other/Cargo.toml"',
    ],
    [
      { features: 'fast --all-targets' },
      'Input \'features\' is not a cargo feature name: got "--all-targets". List cargo feature names',
    ],
    [{ release: 'maybe' }, "Input 'release' is not a boolean"],
    [{ profile: 'a b' }, "Input 'profile' is not a cargo profile name"],
    [{ profile: '--release' }, 'Input \'profile\' is not a cargo profile name: got "--release"'],
    [{ container: '--privileged' }, "Input 'container' is not auto, off or an image name"],
    [
      { container: 'quay.io/pypa/Manylinux' },
      "Input 'container' is not auto, off or an image name (it has upper case",
    ],
    [
      { args: '-F "a b' },
      "Input 'args' cannot be split into arguments (unclosed double quote at character 4)",
    ],
    [{ 'out-dir': '../../elsewhere' }, "Input 'out-dir' points outside the workspace"],
    [{ 'working-directory': 'missing' }, "Input 'working-directory' does not exist"],
    [{ 'manifest-path': 'crate' }, "Input 'manifest-path' is a directory, not a file"],
    [{ 'before-build': 'nope.sh' }, "Input 'before-build' does not exist"],
    [
      { manylinux: '2_99' },
      "Input 'manylinux' asks for glibc 2.99, which does not exist (the newest is 2.44)",
    ],
    [{ manylinux: 'musllinux_1_99' }, "Input 'manylinux' asks for musl 1.99, which has no musllinux tag"],
    [
      { interpreters: '3.13 3.99' },
      'Input \'interpreters\' names Python 3.99, which does not exist (3.7 to 3.16 do): got "3.99"',
    ],
    [{ interpreters: 'python2.7' }, "Input 'interpreters' names Python 2.7, which does not exist"],
    [{ args: '--locked --out elsewhere' }, "Input 'args' sets --out, which conflicts with 'out-dir'"],
    [{ args: '--out=elsewhere' }, "Input 'args' sets --out, which conflicts with 'out-dir'"],
    [
      { args: '-oelsewhere' },
      "Input 'args' sets -o, which conflicts with 'out-dir': got \"-oelsewhere\". Remove it from 'args'",
    ],
    [{ 'before-build': 'my hook --fast' }, "Input 'before-build' does not exist"],
    [
      { 'before-build': 'hook' },
      "Input 'before-build' names a file that is not executable and has no known extension",
    ],
    [
      { maturin: '/bin/sh -c "touch MARKER"' },
      `Input 'maturin' names no file (looked for /bin/sh -c "touch MARKER")`,
    ],
    [{ maturin: 'maturin --zig' }, "Input 'maturin' is not one program"],
    [{ maturin: 'no-such-maturin-fw' }, "Input 'maturin' is not a command found on PATH"],
    [{ maturin: 'crate' }, "Input 'maturin' is not a command found on PATH"],
    [{ maturin: './crate' }, "Input 'maturin' names a directory"],
    [{ 'out-dir': 'dist\n::add-path::/tmp/evil' }, "Input 'out-dir' holds a line break"],
    [{ target: 'x86_64\n::error::x' }, "Input 'target' holds a line break"],
    [{ 'working-directory': 'etc-link' }, "Input 'working-directory' leads outside the workspace"],
    [
      { 'out-dir': '../etc-link/wheels', 'working-directory': 'crate' },
      "Input 'out-dir' leads outside the workspace",
    ],
    [{ 'manifest-path': 'etc-link/hostname' }, "Input 'manifest-path' leads outside the workspace"],
    [{ 'before-build': 'sh-link' }, "Input 'before-build' leads outside the workspace"],
  ])('rejects %j', (values, message) => {
    expect(failure(values)).toContain(message);
  });

  it('takes a program path with spaces as one file, and a before-build script as one path', () => {
    expect(read({ 'before-build': 'my hook' }).beforeBuild).toBe(path.join(workspace, 'my hook'));
    expect(read({ maturin: './my hook' }).maturin).toBe(path.join(workspace, 'my hook'));
    expect(read({ maturin: process.execPath }).maturin).toBe(process.execPath);
  });

  it('every error says how to fix it', () => {
    expect(failure({ manylinux: 'centos7' })).toContain('Use auto, off, 2014, 2_17, 2_28');
    expect(failure({ interpreters: 'three' })).toContain("List versions such as '3.9 3.13'");
  });
});

describe('checkInterpreter', () => {
  it.each([
    '3.9',
    '3.13t',
    'pypy3.10',
    'python3.12',
    'python',
    '/opt/python/cp39-cp39/bin/python',
    'C:\\Python\\python.exe',
  ])('accepts %s', (item) => {
    expect(checkInterpreter(item)).toBeUndefined();
  });
  it.each(['3', 'py3', 'latest', '3.x'])('rejects %s', (item) => {
    expect(checkInterpreter(item)).toBeDefined();
  });
});
