import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProjectError } from '@ferrowheel/kit/errors';
import { fail, unwrap } from '@ferrowheel/kit/result';
import { describe, expect, it } from '@jest/globals';
import { findToolchainFile, parseToolchain, readToolchainFile } from '../src/toolchain-spec.js';

describe('parseToolchain', () => {
  it.each([
    ['stable', 'stable', 'channel'],
    ['Nightly', 'nightly', 'channel'],
    ['beta', 'beta', 'channel'],
    ['1.85', '1.85', 'version'],
    ['1.85.0', '1.85.0', 'version'],
    ['nightly-2024-02-29', 'nightly-2024-02-29', 'dated'],
    ['beta-2025-01-15', 'beta-2025-01-15', 'dated'],
  ])('accepts %s', (raw, name, kind) => {
    expect(unwrap(parseToolchain(raw))).toEqual({ name, kind });
  });

  it.each([
    ['1.x', 'is not a Rust version (major.minor or major.minor.patch)'],
    ['1', 'is not a Rust version (major.minor or major.minor.patch)'],
    ['nightly-2024-13-01', 'has no month 13 in its date'],
    ['nightly-2023-02-29', 'has no day 29 in 2023-02'],
    ['nightly-2024-1-5', 'has a date that is not YYYY-MM-DD'],
    ['stabel', "is not a toolchain (did you mean 'stable'?)"],
    ['nighty', "is not a toolchain (did you mean 'nightly'?)"],
    [
      'stable-x86_64-unknown-linux-gnu',
      'names a host triple; give the toolchain without it (the runner picks its host)',
    ],
    ['latest', 'is not a toolchain'],
  ])('rejects %s', (raw, problem) => {
    expect(parseToolchain(raw)).toEqual(fail(problem));
  });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'toolchain-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function projectError(fn: () => unknown): string {
  try {
    fn();
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(ProjectError);
    return (thrown as Error).message;
  }
  throw new Error('expected a ProjectError');
}

describe('rust-toolchain files', () => {
  it('reads channel, components, targets and profile from rust-toolchain.toml', () => {
    const dir = project({
      'rust-toolchain.toml':
        '[toolchain]\nchannel = "1.95.0"\ncomponents = ["clippy", "rustfmt"]\ntargets = ["x86_64-unknown-linux-gnu"]\nprofile = "minimal"\n',
    });
    expect(readToolchainFile(path.join(dir, 'rust-toolchain.toml'))).toEqual({
      file: path.join(dir, 'rust-toolchain.toml'),
      spec: { name: '1.95.0', kind: 'version' },
      components: ['clippy', 'rustfmt'],
      targets: ['x86_64-unknown-linux-gnu'],
      profile: 'minimal',
    });
  });

  it('reads the legacy one-line rust-toolchain file', () => {
    const dir = project({ 'rust-toolchain': 'nightly-2025-01-15\n' });
    expect(readToolchainFile(path.join(dir, 'rust-toolchain')).spec).toEqual({
      name: 'nightly-2025-01-15',
      kind: 'dated',
    });
  });

  it('finds the file in a parent, but not above the workspace', () => {
    const dir = project({
      'ws/rust-toolchain.toml': '[toolchain]\nchannel = "stable"\n',
      'ws/crate/src/lib.rs': '',
    });
    expect(findToolchainFile(path.join(dir, 'ws', 'crate'), path.join(dir, 'ws'))).toBe(
      path.join(dir, 'ws', 'rust-toolchain.toml'),
    );
    expect(findToolchainFile(path.join(dir, 'ws', 'crate'), path.join(dir, 'ws', 'crate'))).toBeUndefined();
  });

  it('explains files it cannot use', () => {
    const noChannel = project({ 'rust-toolchain.toml': '[toolchain]\ncomponents = ["clippy"]\n' });
    expect(projectError(() => readToolchainFile(path.join(noChannel, 'rust-toolchain.toml')))).toMatch(
      /has no \[toolchain\] channel\. Add channel = "stable"/,
    );
    const typo = project({ 'rust-toolchain.toml': '[toolchain]\nchannel = "stabel"\n' });
    expect(projectError(() => readToolchainFile(path.join(typo, 'rust-toolchain.toml')))).toMatch(
      /channel "stabel" is not a toolchain \(did you mean 'stable'\?\)\. Use a channel/,
    );
    const custom = project({ 'rust-toolchain.toml': '[toolchain]\npath = "/opt/rust"\n' });
    expect(projectError(() => readToolchainFile(path.join(custom, 'rust-toolchain.toml')))).toMatch(
      /custom toolchain by path/,
    );
    const profile = project({ 'rust-toolchain.toml': '[toolchain]\nchannel = "stable"\nprofile = "tiny"\n' });
    expect(projectError(() => readToolchainFile(path.join(profile, 'rust-toolchain.toml')))).toMatch(
      /profile "tiny" is not a rustup profile\. Use one of: minimal, default, complete\./,
    );
  });

  it('refuses list entries rustup would read as options', () => {
    const target = project({
      'rust-toolchain.toml': '[toolchain]\nchannel = "stable"\ntargets = ["wasm32-wasip1", "--force"]\n',
    });
    expect(projectError(() => readToolchainFile(path.join(target, 'rust-toolchain.toml')))).toMatch(
      /targets entry "--force" is not a Rust target triple\. List names such as/,
    );
    const component = project({
      'rust-toolchain.toml': '[toolchain]\nchannel = "stable"\ncomponents = ["clippy", "-v"]\n',
    });
    expect(projectError(() => readToolchainFile(path.join(component, 'rust-toolchain.toml')))).toMatch(
      /components entry "-v" is not a rustup component name\. List names such as clippy, rustfmt/,
    );
  });
});
