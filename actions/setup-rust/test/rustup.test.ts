import { UserError } from '@ferrowheel/kit/errors';
import type { Exec, ExecResult } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import {
  ensureTargetsAndComponents,
  ensureToolchain,
  findRustup,
  matchInstalledToolchain,
  missingComponents,
  parseToolchainList,
  type Rustup,
  rustupInstallPlan,
} from '../src/rustup.js';

const HOST = 'x86_64-unknown-linux-gnu';
const TOOLCHAINS = `stable-${HOST} (active, default)\nnightly-${HOST}\n1.95.0-${HOST}\n`;

/** A recorded rustup: answers listings from `answers`, fails `add`/`install` unless `canDownload`. */
function fakeRustup(options: { answers?: Record<string, string>; canDownload?: boolean } = {}): Rustup & {
  calls: string[];
} {
  const calls: string[] = [];
  const exec: Exec = async (_program, args): Promise<ExecResult> => {
    const line = args.join(' ');
    calls.push(line);
    const answer = Object.entries(options.answers ?? {}).find(([prefix]) => line.startsWith(prefix));
    if (answer) return { exitCode: 0, stdout: answer[1], stderr: '' };
    if (/^(toolchain install|target add|component add)/.test(line)) {
      return options.canDownload
        ? { exitCode: 0, stdout: '', stderr: '' }
        : {
            exitCode: 1,
            stdout: '',
            stderr: [
              'info: downloading component rust-std',
              'error: component download failed for rust-std-aarch64-apple-darwin',
              '',
              'Caused by:',
              '    0: error downloading file',
              '    1: Connection refused (os error 111)',
              '',
              'Stack backtrace:',
              '   0: <E as anyhow::context::ext::StdError>::ext_context',
            ].join('\n'),
          };
    }
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  return { program: '/c/bin/rustup', exec, host: HOST, env: {}, calls };
}

describe('rustupInstallPlan', () => {
  it('runs the sh script with argv on Linux and macOS', () => {
    for (const os of ['linux', 'macos'] as const) {
      expect(
        rustupInstallPlan({ os, arch: 'aarch64' }, { tempDir: '/tmp/r', host: 'aarch64-apple-darwin' }),
      ).toEqual({
        url: 'https://sh.rustup.rs',
        file: '/tmp/r/rustup-init.sh',
        program: 'sh',
        args: [
          '/tmp/r/rustup-init.sh',
          '-y',
          '--no-modify-path',
          '--default-toolchain',
          'none',
          '--profile',
          'minimal',
        ],
      });
    }
  });

  it('runs rustup-init.exe for the host on Windows', () => {
    expect(
      rustupInstallPlan(
        { os: 'windows', arch: 'x86_64' },
        { tempDir: 'D:\\a\\_temp', host: 'x86_64-pc-windows-msvc' },
      ),
    ).toEqual({
      url: 'https://static.rust-lang.org/rustup/dist/x86_64-pc-windows-msvc/rustup-init.exe',
      file: 'D:\\a\\_temp\\rustup-init.exe',
      program: 'D:\\a\\_temp\\rustup-init.exe',
      args: ['-y', '--no-modify-path', '--default-toolchain', 'none', '--profile', 'minimal'],
    });
  });
});

describe('findRustup', () => {
  it('prefers CARGO_HOME/bin, then PATH, with the OS executable name and separator', () => {
    const files = new Set(['C:\\Users\\u\\.cargo\\bin\\rustup.exe', '/usr/local/bin/rustup']);
    const exists = (f: string) => files.has(f);
    expect(
      findRustup({ os: 'windows', cargoBin: 'C:\\Users\\u\\.cargo\\bin', pathEnv: 'C:\\x;C:\\y', exists }),
    ).toBe('C:\\Users\\u\\.cargo\\bin');
    expect(
      findRustup({ os: 'linux', cargoBin: '/home/u/.cargo/bin', pathEnv: '/usr/bin:/usr/local/bin', exists }),
    ).toBe('/usr/local/bin');
    // rustup without .exe does not count on Windows.
    expect(
      findRustup({ os: 'windows', cargoBin: 'C:\\c', pathEnv: '/usr/local/bin', exists }),
    ).toBeUndefined();
  });
});

describe('installed toolchains', () => {
  it('parses rustup toolchain list and matches spellings', () => {
    const installed = parseToolchainList(TOOLCHAINS);
    expect(installed).toEqual([`stable-${HOST}`, `nightly-${HOST}`, `1.95.0-${HOST}`]);
    expect(parseToolchainList('no installed toolchains\n')).toEqual([]);
    expect(matchInstalledToolchain({ name: 'stable', kind: 'channel' }, installed, HOST)).toBe('stable');
    expect(matchInstalledToolchain({ name: '1.95.0', kind: 'version' }, installed, HOST)).toBe('1.95.0');
    expect(matchInstalledToolchain({ name: '1.95', kind: 'version' }, installed, HOST)).toBe('1.95.0');
    expect(matchInstalledToolchain({ name: '1.94', kind: 'version' }, installed, HOST)).toBeUndefined();
    expect(matchInstalledToolchain({ name: 'beta', kind: 'channel' }, installed, HOST)).toBeUndefined();
  });

  it('matches components named with or without the host', () => {
    expect(
      missingComponents(
        ['clippy', 'rustfmt', 'rust-src', 'llvm-tools'],
        [`clippy-${HOST}`, 'rust-src', `llvm-tools-preview-${HOST}`],
        HOST,
      ),
    ).toEqual(['rustfmt']);
  });
});

describe('ensure*: nothing is downloaded when installed', () => {
  it('makes only listing calls for an installed toolchain, target and components', async () => {
    const r = fakeRustup({
      answers: {
        'toolchain list': TOOLCHAINS,
        'target list': `${HOST}\n`,
        'component list': `cargo-${HOST}\nclippy-${HOST}\nrustfmt-${HOST}\n`,
      },
    });
    expect(
      await ensureToolchain(
        r,
        { name: '1.95', kind: 'version' },
        { profile: 'minimal', components: [], targets: [] },
      ),
    ).toEqual({
      name: '1.95.0',
      installed: false,
    });
    expect(
      await ensureTargetsAndComponents(r, '1.95.0', { targets: [HOST], components: ['clippy', 'rustfmt'] }),
    ).toEqual({ targets: [], components: [] });
    expect(r.calls).toEqual([
      'toolchain list',
      `target list --installed --toolchain 1.95.0`,
      'component list --installed --toolchain 1.95.0',
    ]);
  });

  it('installs what is missing when rustup can download', async () => {
    const r = fakeRustup({
      answers: { 'toolchain list': TOOLCHAINS, 'target list': HOST },
      canDownload: true,
    });
    expect(
      await ensureToolchain(
        r,
        { name: 'beta', kind: 'channel' },
        { profile: 'default', components: ['clippy'], targets: ['wasm32-unknown-unknown'] },
      ),
    ).toEqual({ name: 'beta', installed: true });
    expect(
      await ensureTargetsAndComponents(r, 'stable', {
        targets: ['aarch64-apple-darwin', HOST],
        components: [],
      }),
    ).toEqual({ targets: ['aarch64-apple-darwin'], components: [] });
    expect(r.calls).toContain(
      'toolchain install beta --profile default --no-self-update --component clippy --target wasm32-unknown-unknown',
    );
    expect(r.calls).toContain('target add --toolchain stable aarch64-apple-darwin');
  });

  it('explains what is missing and how to fix it when rustup cannot download', async () => {
    const r = fakeRustup({
      answers: { 'toolchain list': TOOLCHAINS, 'target list': HOST, 'component list': '' },
    });
    const message = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (thrown) {
        expect(thrown).toBeInstanceOf(UserError);
        return (thrown as Error).message;
      }
      throw new Error('expected a UserError');
    };
    expect(
      await message(
        ensureToolchain(
          r,
          { name: 'beta', kind: 'channel' },
          { profile: 'minimal', components: [], targets: [] },
        ),
      ),
    ).toBe(
      "Rust toolchain 'beta' is not installed and rustup could not install it (component download failed for rust-std-aarch64-apple-darwin: Connection refused (os error 111)). Installed toolchains: stable, nightly, 1.95.0. A runner that cannot reach static.rust-lang.org (self-hosted or offline) must have it installed beforehand: run 'rustup toolchain install beta' when building the runner image, or set 'toolchain' to an installed one.",
    );
    expect(
      await message(
        ensureTargetsAndComponents(r, 'stable', { targets: ['aarch64-apple-darwin'], components: [] }),
      ),
    ).toBe(
      "Rust target aarch64-apple-darwin is not installed for toolchain 'stable' and rustup could not add it (component download failed for rust-std-aarch64-apple-darwin: Connection refused (os error 111)). Installed targets: x86_64-unknown-linux-gnu. A runner that cannot reach static.rust-lang.org (self-hosted or offline) must have it installed beforehand: run 'rustup target add --toolchain stable aarch64-apple-darwin' when building the runner image, or remove it from 'targets'.",
    );
    expect(
      await message(
        ensureTargetsAndComponents(r, 'stable', { targets: [], components: ['rust-src', 'miri'] }),
      ),
    ).toMatch(
      /^Rust components rust-src, miri are not installed for toolchain 'stable' and rustup could not add them .*'rustup component add --toolchain stable rust-src miri' when building the runner image, or remove them from 'components'\.$/,
    );
  });
});
