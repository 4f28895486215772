import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import type { Os } from '@ferrowheel/kit/platform';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';

const workspace = mkdtempSync(path.join(tmpdir(), 'inputs-'));

function read(values: Record<string, string>, os: Os = 'linux') {
  return readInputs(mapInputSource(values), runnerContext({ workspace, platform: { os, arch: 'x86_64' } }));
}

function inputError(values: Record<string, string>, os: Os = 'linux'): string {
  try {
    read(values, os);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(InputError);
    return (thrown as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('readInputs', () => {
  it('has defaults: toolchain from files, no targets, cache and matcher on', () => {
    expect(read({})).toEqual({
      toolchain: undefined,
      targets: [],
      components: [],
      profile: undefined,
      workingDirectory: workspace,
      cache: true,
      cacheKey: '',
      matcher: true,
      runner: expect.objectContaining({ workspace }),
    });
  });

  it('resolves target aliases for the runner OS, and keeps unknown but well-formed triples', () => {
    expect(read({ targets: 'x64, aarch64\nwasm32-unknown-unknown' }).targets).toEqual([
      'x86_64-unknown-linux-gnu',
      'aarch64-unknown-linux-gnu',
      'wasm32-unknown-unknown',
    ]);
    expect(read({ targets: 'arm64 x86' }, 'windows').targets).toEqual([
      'aarch64-pc-windows-msvc',
      'i686-pc-windows-msvc',
    ]);
    expect(read({ targets: 'universal2' }, 'macos').targets).toEqual([
      'x86_64-apple-darwin',
      'aarch64-apple-darwin',
    ]);
  });

  it('names the bad target, toolchain, component, profile and cache key', () => {
    expect(inputError({ targets: 'x64 pentium' })).toBe(
      `Input 'targets' is neither a Rust target triple nor an alias (x64, x86_64, amd64, aarch64, arm64, armv7, armv7l, x86, i686, ppc64le, s390x, riscv64, universal2): got "pentium". Use a Rust target triple such as x86_64-unknown-linux-gnu, or an alias: x64, x86_64, amd64, aarch64, arm64, armv7, armv7l, x86, i686, ppc64le, s390x, riscv64, universal2.`,
    );
    expect(inputError({ targets: 'universal2' })).toMatch(
      /^Input 'targets' has no target on linux: got "universal2"/,
    );
    expect(inputError({ toolchain: '1.x' })).toBe(
      `Input 'toolchain' is not a Rust version (major.minor or major.minor.patch): got "1.x". Use a channel (stable, beta, nightly), a version such as '1.85' or '1.85.0', or a dated channel such as 'nightly-2025-01-15'.`,
    );
    expect(inputError({ toolchain: 'nightly-2024-13-01' })).toMatch(
      /has no month 13 in its date: got "nightly-2024-13-01"/,
    );
    expect(inputError({ toolchain: 'stabel' })).toMatch(/did you mean 'stable'/);
    expect(inputError({ components: 'clippy, Rust_Src' })).toMatch(
      /^Input 'components' is not a rustup component name: got "Rust_Src"\. Use names such as clippy/,
    );
    expect(inputError({ profile: 'tiny' })).toMatch(
      /^Input 'profile' is not one of the allowed values: got "tiny"\. Use one of: minimal, default, complete\./,
    );
    expect(inputError({ 'cache-key': 'a,b' })).toMatch(/^Input 'cache-key' contains a comma/);
    expect(inputError({ cache: 'maybe' })).toMatch(/^Input 'cache' is not a boolean/);
    expect(inputError({ 'working-directory': '../elsewhere' })).toMatch(/points outside the workspace/);
  });

  it('reads a toolchain, components and profile', () => {
    const inputs = read({
      toolchain: '1.95',
      components: 'clippy rustfmt',
      profile: 'default',
      matcher: 'false',
    });
    expect(inputs.toolchain).toEqual({ name: '1.95', kind: 'version' });
    expect(inputs.components).toEqual(['clippy', 'rustfmt']);
    expect(inputs.profile).toBe('default');
    expect(inputs.matcher).toBe(false);
  });

  it('refuses a working-directory that leaves the workspace through a symlink to /etc', () => {
    symlinkSync('/etc', path.join(workspace, 'etc-link'));
    expect(inputError({ 'working-directory': 'etc-link' })).toBe(
      `Input 'working-directory' leads outside the workspace (${workspace}) through a symbolic link, to ${realpathSync('/etc')}: got "etc-link". Use a path relative to the repository root, inside the checkout.`,
    );
  });

  it('refuses a line break in a single-line input (it would reach the cache-key output)', () => {
    expect(inputError({ 'cache-key': 'k\n::add-path::/tmp/evil' })).toContain(
      "Input 'cache-key' holds a line break",
    );
    expect(inputError({ toolchain: 'stable\n::error::x' })).toContain("Input 'toolchain' holds a line break");
  });
});
