/**
 * `run` on Windows and macOS layouts, driven through explicit platforms and a recorded rustup:
 * executable names, CARGO_HOME defaults and PATH separators differ; the flow does not.
 */

import { type RunnerContext, runnerContext } from '@ferrowheel/kit/context';
import { CommandError } from '@ferrowheel/kit/errors';
import type { Exec, ExecResult } from '@ferrowheel/kit/exec';
import type { Platform } from '@ferrowheel/kit/platform';
import { describe, expect, it } from '@jest/globals';
import type { Inputs } from '../src/inputs.js';
import { parseCargoVersion, parseRustcVersion, run } from '../src/run.js';

function inputs(runner: Pick<RunnerContext, 'platform' | 'env'>, overrides: Partial<Inputs> = {}): Inputs {
  return {
    toolchain: { name: 'stable', kind: 'channel' },
    targets: [],
    components: [],
    profile: undefined,
    workingDirectory: '/nonexistent/ws',
    cache: false,
    cacheKey: '',
    matcher: false,
    runner: runnerContext({ workspace: '/nonexistent/ws', ...runner }),
    ...overrides,
  };
}

function recorder(host: string): {
  exec: Exec;
  calls: { program: string; args: string; env: Record<string, string> }[];
} {
  const calls: { program: string; args: string; env: Record<string, string> }[] = [];
  const exec: Exec = async (program, args, options = {}): Promise<ExecResult> => {
    calls.push({ program, args: args.join(' '), env: options.env ?? {} });
    const answers: Record<string, string> = {
      'toolchain list': `stable-${host} (active, default)\n`,
      'target list --installed --toolchain stable': `${host}\n`,
      '-vV': `rustc 1.95.0 (59807616e 2026-04-14)\nhost: ${host}\nrelease: 1.95.0\n`,
      '-V': 'cargo 1.95.0 (f2d3ce0bd 2026-03-21)\n',
    };
    return { exitCode: 0, stdout: answers[args.join(' ')] ?? '', stderr: '' };
  };
  return { exec, calls };
}

describe('run on other platforms', () => {
  it('uses %USERPROFILE%\\.cargo\\bin\\rustup.exe, rustc.exe and ; on Windows', async () => {
    const platform: Platform = { os: 'windows', arch: 'x86_64' };
    const { exec, calls } = recorder('x86_64-pc-windows-msvc');
    const bin = 'C:\\Users\\runner\\.cargo\\bin';
    const result = await run(
      inputs(
        { platform, env: { USERPROFILE: 'C:\\Users\\runner', PATH: 'C:\\Windows\\System32' } },
        { targets: ['x86_64-pc-windows-msvc'] },
      ),
      {
        exec,
        fileExists: (f) => f === `${bin}\\rustup.exe`,
      },
    );
    expect(result).toMatchObject({
      toolchain: 'stable',
      host: 'x86_64-pc-windows-msvc',
      binDir: bin,
      installed: [],
      targets: ['x86_64-pc-windows-msvc'],
    });
    expect(calls.map((c) => `${c.program} ${c.args}`).sort()).toEqual(
      [
        `${bin}\\rustup.exe toolchain list`,
        `${bin}\\rustup.exe target list --installed --toolchain stable`,
        `${bin}\\rustc.exe -vV`,
        `${bin}\\cargo.exe -V`,
      ].sort(),
    );
    const rustc = calls.find((c) => c.program.endsWith('rustc.exe'))!;
    expect(rustc.env.PATH).toBe(`${bin};C:\\Windows\\System32`);
    expect(rustc.env.RUSTUP_TOOLCHAIN).toBe('stable');
  });

  it('finds rustup on PATH when CARGO_HOME/bin has none (a preinstalled macOS image)', async () => {
    const { exec, calls } = recorder('aarch64-apple-darwin');
    const result = await run(
      inputs({
        platform: { os: 'macos', arch: 'aarch64' },
        env: { HOME: '/Users/runner', PATH: '/usr/bin:/opt/rust/bin' },
      }),
      {
        exec,
        fileExists: (f) => f === '/opt/rust/bin/rustup',
      },
    );
    expect(result.binDir).toBe('/opt/rust/bin');
    expect(result.host).toBe('aarch64-apple-darwin');
    expect(calls.map((c) => `${c.program} ${c.args}`)).toContain('/opt/rust/bin/rustup toolchain list');
  });
});

describe('reading versions', () => {
  it('asks the toolchain rustup settled on, through its proxies, once the toolchain is known', async () => {
    const { exec, calls } = recorder('x86_64-unknown-linux-gnu');
    const result = await run(
      inputs({ platform: { os: 'linux', arch: 'x86_64' }, env: { HOME: '/home/r', PATH: '/usr/bin' } }),
      {
        exec,
        fileExists: (f) => f === '/home/r/.cargo/bin/rustup',
      },
    );
    expect(result.rustcVersion).toBe('1.95.0');
    // rustup answers first; nothing runs before it has said which toolchain is there.
    expect(calls.map((c) => `${c.program} ${c.args}`)).toEqual([
      '/home/r/.cargo/bin/rustup toolchain list',
      '/home/r/.cargo/bin/rustc -vV',
      '/home/r/.cargo/bin/cargo -V',
    ]);
    for (const call of calls.slice(1)) {
      expect(call.env).toMatchObject({ RUSTUP_TOOLCHAIN: 'stable', RUSTUP_AUTO_INSTALL: '0' });
    }
  });

  it('reports a toolchain that is listed but does not run, with the fix', async () => {
    const { exec } = recorder('x86_64-unknown-linux-gnu');
    const broken: Exec = async (program, args, options) => {
      if (program.endsWith('/rustc')) {
        throw new CommandError(`${program} ${args.join(' ')}`, 1, 'error: missing libLLVM');
      }
      return exec(program, args, options);
    };
    await expect(
      run(inputs({ platform: { os: 'linux', arch: 'x86_64' }, env: { HOME: '/home/r', PATH: '/usr/bin' } }), {
        exec: broken,
        fileExists: (f) => f === '/home/r/.cargo/bin/rustup',
      }),
    ).rejects.toThrow(
      /toolchain stable is listed by rustup but does not run; reinstall it with 'rustup toolchain install stable --force'/,
    );
  });

  it('reads through the proxies when rustup settles on another name (1.95 → 1.95.0)', async () => {
    const { exec, calls } = recorder('x86_64-unknown-linux-gnu');
    const base = exec;
    const withPatch: Exec = async (program, args, options) =>
      args.join(' ') === 'toolchain list'
        ? {
            exitCode: 0,
            stdout: 'stable-x86_64-unknown-linux-gnu\n1.95.0-x86_64-unknown-linux-gnu\n',
            stderr: '',
          }
        : base(program, args, options);
    const result = await run(
      inputs(
        {
          platform: { os: 'linux', arch: 'x86_64' },
          env: { HOME: '/home/r', PATH: '/usr/bin', RUSTUP_HOME: '/opt/rustup' },
        },
        { toolchain: { name: '1.95', kind: 'version' } },
      ),
      {
        exec: withPatch,
        fileExists: (f) => f === '/home/r/.cargo/bin/rustup',
      },
    );
    expect(result.toolchain).toBe('1.95.0');
    const rustc = calls.find((c) => c.args === '-vV')!;
    expect(rustc.program).toBe('/home/r/.cargo/bin/rustc');
    expect(rustc.env.RUSTUP_TOOLCHAIN).toBe('1.95.0');
  });
});

describe('version parsing', () => {
  it('reads rustc -vV and cargo -V', () => {
    expect(
      parseRustcVersion(
        'rustc 1.97.0-nightly (e50aa6fba 2026-05-19)\nhost: x86_64-unknown-linux-gnu\nrelease: 1.97.0-nightly\n',
      ),
    ).toEqual({
      release: '1.97.0-nightly',
      host: 'x86_64-unknown-linux-gnu',
    });
    expect(parseCargoVersion('cargo 1.95.0 (f2d3ce0bd 2026-03-21)')).toBe('1.95.0');
  });
});
