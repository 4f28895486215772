import { describe, expect, it } from '@jest/globals';
import { fail, unwrap } from '../src/result.js';
import { hostTriple, resolveTarget, type Target } from '../src/targets.js';

function target(spec: string, os: 'linux' | 'macos' | 'windows', musl = false): Target {
  return unwrap(resolveTarget(spec, { os, musl }));
}

describe('resolveTarget', () => {
  it.each([
    ['x64', 'linux', 'x86_64-unknown-linux-gnu'],
    ['amd64', 'linux', 'x86_64-unknown-linux-gnu'],
    ['aarch64', 'linux', 'aarch64-unknown-linux-gnu'],
    ['arm64', 'linux', 'aarch64-unknown-linux-gnu'],
    ['armv7', 'linux', 'armv7-unknown-linux-gnueabihf'],
    ['ppc64le', 'linux', 'powerpc64le-unknown-linux-gnu'],
    ['x64', 'macos', 'x86_64-apple-darwin'],
    ['arm64', 'macos', 'aarch64-apple-darwin'],
    ['universal2', 'macos', 'universal2-apple-darwin'],
    ['x64', 'windows', 'x86_64-pc-windows-msvc'],
    ['aarch64', 'windows', 'aarch64-pc-windows-msvc'],
    ['x86', 'windows', 'i686-pc-windows-msvc'],
  ] as const)('%s on %s is %s', (alias, os, triple) => {
    expect(target(alias, os).triple).toBe(triple);
  });
  it('picks musl triples for musllinux builds', () => {
    expect(target('x64', 'linux', true).triple).toBe('x86_64-unknown-linux-musl');
    expect(target('armv7', 'linux', true).libc).toBe('musl');
  });
  it('accepts triples as they are, case-insensitively', () => {
    expect(target('AARCH64-unknown-linux-GNU', 'macos')).toEqual({
      triple: 'aarch64-unknown-linux-gnu',
      rustTargets: ['aarch64-unknown-linux-gnu'],
      os: 'linux',
      arch: 'aarch64',
      libc: 'gnu',
    });
  });
  it('needs two Rust targets for universal2', () => {
    expect(target('universal2', 'macos').rustTargets).toEqual([
      'x86_64-apple-darwin',
      'aarch64-apple-darwin',
    ]);
  });
  it('explains what is wrong', () => {
    expect(resolveTarget('universal2', { os: 'linux' })).toEqual(fail('has no target on linux'));
    expect(resolveTarget('s390x', { os: 'linux', musl: true })).toEqual(fail('has no musl target on linux'));
    expect(resolveTarget('x86-64', { os: 'linux' })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^is neither a Rust target triple nor an alias \(x64, /),
    });
    expect(resolveTarget('sparc-sun-solaris', { os: 'linux' })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^is not a target ferrowheel builds wheels for/),
    });
  });
});

describe('hostTriple', () => {
  it('is glibc on Linux and MSVC on Windows', () => {
    expect(hostTriple({ os: 'linux', arch: 'x86_64' })).toBe('x86_64-unknown-linux-gnu');
    expect(hostTriple({ os: 'windows', arch: 'aarch64' })).toBe('aarch64-pc-windows-msvc');
    expect(hostTriple({ os: 'macos', arch: 'aarch64' })).toBe('aarch64-apple-darwin');
  });
});
