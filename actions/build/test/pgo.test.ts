/**
 * PGO's decisions, with a recorded exec where a machine would answer: which llvm-profdata, the
 * training command, the training interpreter, which legs skip, and the gain's statistics. The
 * real builds are in integration/pgo.test.ts.
 */
import path from 'node:path';
import type { Exec } from '@ferrowheel/kit/exec';
import type { Platform } from '@ferrowheel/kit/platform';
import { resolveTarget, type Target } from '@ferrowheel/kit/targets';
import { describe, expect, it } from '@jest/globals';
import { findLlvmProfdata, profdataVersion, rustcLlvmVersion } from '../src/llvm-profdata.js';
import { crossReason, trainingArgv, trainingOf, trainingPython } from '../src/pgo.js';
import { describeGain, gainOf, median, relativeSpread } from '../src/pgo-gain.js';
import type { Project } from '../src/project.js';

const RUSTC =
  'rustc 1.95.0\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\nLLVM version: 22.1.2\n';
const SYSROOT = '/home/runner/.rustup/toolchains/1.95.0-x86_64-unknown-linux-gnu';
const OWN = `${SYSROOT}/lib/rustlib/x86_64-unknown-linux-gnu/bin/llvm-profdata`;

/** A machine: the programs that answer, with their version; `rustup` adds llvm-tools when `rustupAdds`. */
function machine(programs: Record<string, string>, options: { rustup?: 'adds' | 'fails' } = {}) {
  const calls: string[] = [];
  const installed = { ...programs };
  const exec: Exec = async (program, args) => {
    calls.push([program, ...args].join(' '));
    const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
    if (program === 'rustc') return ok(`${SYSROOT}\n`);
    if (program === 'rustup' && options.rustup === undefined) throw new Error('not found');
    if (program === 'rustup' && args[0] === '--version') return ok('rustup 1.28.2');
    if (program === 'rustup' && options.rustup === 'fails') {
      return {
        exitCode: 1,
        stdout: '',
        stderr: 'error: could not download file from https://static.rust-lang.org',
      };
    }
    if (program === 'rustup') {
      installed[OWN] = 'LLVM version 22.1.2';
      return ok('');
    }
    const version = installed[program];
    if (version === undefined) throw new Error('not found');
    return ok(`LLVM (http://llvm.org/):\n  ${version}\n`);
  };
  return { exec, calls };
}

const search = (exec: Exec, installWithRustup = true) => ({
  exec,
  rustcVerbose: RUSTC,
  os: 'linux' as const,
  cwd: '/w',
  installWithRustup,
});

describe('findLlvmProfdata', () => {
  it("takes the toolchain's own llvm-profdata first (rustup's llvm-tools)", async () => {
    const { exec } = machine({
      [OWN]: 'LLVM version 22.1.2',
      'llvm-profdata-22': 'Debian LLVM version 22.1.8',
    });
    expect(await findLlvmProfdata(search(exec))).toEqual({
      program: OWN,
      version: '22.1.2',
      via: 'the toolchain (llvm-tools)',
    });
  });

  it('adds llvm-tools with rustup when the toolchain lacks it', async () => {
    const { exec, calls } = machine({}, { rustup: 'adds' });
    expect(await findLlvmProfdata(search(exec))).toMatchObject({
      program: OWN,
      via: 'rustup component add llvm-tools',
    });
    expect(calls).toContain('rustup component add llvm-tools');
  });

  it("falls back to Debian's llvm-profdata-22 when rustup cannot download, or is not there", async () => {
    const failing = machine({ 'llvm-profdata-22': 'Debian LLVM version 22.1.8' }, { rustup: 'fails' });
    expect(await findLlvmProfdata(search(failing.exec))).toEqual({
      program: 'llvm-profdata-22',
      version: '22.1.8',
      via: 'PATH',
    });
    const none = machine({ 'llvm-profdata-22': 'Debian LLVM version 22.1.8' });
    expect(await findLlvmProfdata(search(none.exec))).toMatchObject({ program: 'llvm-profdata-22' });
    expect(none.calls).not.toContain('rustup component add llvm-tools');
  });

  it('never asks rustup in a container', async () => {
    const { exec, calls } = machine({ 'llvm-profdata': 'LLVM version 22.1.0' }, { rustup: 'adds' });
    expect(await findLlvmProfdata(search(exec, false))).toMatchObject({
      program: 'llvm-profdata',
      version: '22.1.0',
    });
    expect(calls.some((c) => c.startsWith('rustup'))).toBe(false);
  });

  it('names both versions, what rustup said, and the fix when only another LLVM is there', async () => {
    const { exec } = machine({ 'llvm-profdata': 'Debian LLVM version 14.0.6' }, { rustup: 'fails' });
    await expect(findLlvmProfdata(search(exec))).rejects.toThrow(
      "pgo: rustc is built on LLVM 22.1.2, so merging its profiles needs an llvm-profdata of LLVM 22; found only llvm-profdata of LLVM 14.0.6, which cannot read rustc's profiles (rustup component add llvm-tools failed: error: could not download file from https://static.rust-lang.org). Install a matching one before this step: 'rustup component add llvm-tools' (setup-rust's components: llvm-tools), or LLVM 22's llvm-profdata-22 on PATH (Debian/Ubuntu: apt-get install llvm-22); or set 'pgo: false'.",
    );
  });

  it('says when there is none at all, and when rustc names no LLVM', async () => {
    await expect(findLlvmProfdata(search(machine({}).exec))).rejects.toThrow(
      /needs an llvm-profdata of LLVM 22; found none\./,
    );
    await expect(
      findLlvmProfdata({ ...search(machine({}).exec), rustcVerbose: 'rustc 1.0' }),
    ).rejects.toThrow(/rustc -vV names no LLVM version/);
  });

  it('reads versions as rustc and llvm-profdata print them', () => {
    expect(rustcLlvmVersion(RUSTC)).toBe('22.1.2');
    expect(profdataVersion('Debian LLVM version 14.0.6\n  Optimized build.')).toBe('14.0.6');
    expect(profdataVersion('LLVM (http://llvm.org/):\n  LLVM version 22.1.2-rust-1.95.0-stable')).toBe(
      '22.1.2',
    );
  });
});

const linux: Platform = { os: 'linux', arch: 'x86_64' };
const target = (spec: string, platform: Platform = linux, musl = false): Target => {
  const t = resolveTarget(spec, { os: platform.os, musl });
  if (!t.ok) throw new Error(t.problem);
  return t.value;
};

describe('which legs train', () => {
  it('trains where the runner runs the wheels, and says why not elsewhere', () => {
    expect(crossReason(target('x64'), linux)).toBeUndefined();
    const mac: Platform = { os: 'macos', arch: 'aarch64' };
    expect(crossReason(target('aarch64', mac), mac)).toBeUndefined();
    for (const [spec, platform, musl] of [
      ['aarch64', linux, false],
      ['x86', linux, false],
      ['x64', linux, true],
      ['universal2', mac, false],
      ['x64', { os: 'windows', arch: 'aarch64' }, false],
    ] as const) {
      const t = target(spec, platform, musl);
      expect(crossReason(t, platform)).toContain(`cannot run ${t.triple} wheels`);
    }
  });

  it('trains with the first interpreter asked for, else the default python', () => {
    const list = (...items: string[]) => ({ kind: 'list' as const, items });
    expect(trainingPython({ interpreters: list('3.12', '3.13') }, linux.os)).toBe('python3.12');
    expect(trainingPython({ interpreters: list('/opt/py/bin/python3') }, linux.os)).toBe(
      '/opt/py/bin/python3',
    );
    expect(trainingPython({ interpreters: { kind: 'default' } }, linux.os)).toBe('python3');
    expect(trainingPython({ interpreters: { kind: 'find' } }, linux.os)).toBe('python3');
    const windows: Platform = { os: 'windows', arch: 'x86_64' };
    expect(trainingPython({ interpreters: list('3.12') }, windows.os)).toBe('python');
  });
});

describe('the training', () => {
  const project = (pgoCommand?: string): Pick<Project, 'pyproject' | 'pyprojectToml' | 'cargoToml'> => ({
    cargoToml: '/w/p/Cargo.toml',
    pyprojectToml: '/w/p/pyproject.toml',
    pyproject: { tool: { maturin: pgoCommand === undefined ? {} : { 'pgo-command': pgoCommand } } },
  });

  it("is pgo-command through the shell, as maturin runs it, or a script started by kit's table", () => {
    const fromPyproject = trainingOf({ kind: 'pyproject' }, project('python bench.py --quick'));
    expect(trainingArgv(fromPyproject, 'linux', '/v/bin/python')).toEqual({
      program: 'sh',
      args: ['-c', 'python bench.py --quick'],
    });
    expect(trainingArgv(fromPyproject, 'windows', 'C:\\v\\Scripts\\python.exe')).toEqual({
      program: 'cmd.exe',
      args: ['/d', '/c', 'python bench.py --quick'],
    });
    const script = trainingOf({ kind: 'script', script: '/w/p/train.py' }, project());
    expect(trainingArgv(script, 'linux', '/v/bin/python')).toEqual({
      program: '/v/bin/python',
      args: ['/w/p/train.py'],
    });
    expect(trainingArgv({ kind: 'script', script: '/w/ci/train.sh' }, 'linux', '/v/bin/python')).toEqual({
      program: 'bash',
      args: ['/w/ci/train.sh'],
    });
  });

  it('needs pgo-command for pgo: true, and says so naming pyproject.toml', () => {
    expect(() => trainingOf({ kind: 'pyproject' }, project())).toThrow(
      `${path.join('/w/p', 'pyproject.toml')}: has no [tool.maturin] pgo-command`,
    );
    expect(() => trainingOf({ kind: 'pyproject' }, project('  '))).toThrow(
      /Add pgo-command = "python train.py"/,
    );
  });
});

describe('the gain', () => {
  it('is the ratio of the medians, with a noise threshold from the spread', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(relativeSpread([100, 101, 99, 100, 130])).toBeCloseTo(0.01);
    const faster = gainOf([1000, 1010, 990, 1005, 995], [800, 810, 790, 805, 795]);
    expect(faster).toMatchObject({ ratio: 0.8, noise: 0.03, verdict: 'faster' });
    expect(describeGain(faster)).toBe(
      "PGO/plain 0.80× on the training command (median of 5 interleaved runs each: 800 ms PGO vs 1.0 s plain): 20% faster; noise threshold ±3% (the larger of 3% and twice the runs' relative spread).",
    );
    // A 5% difference in runs that scatter by 10%: within noise, not a gain.
    const noisy = gainOf([1000, 1100, 900, 1000, 1050], [950, 1045, 855, 950, 1000]);
    expect(noisy.verdict).toBe('within noise');
    expect(noisy.noise).toBeCloseTo(0.105, 2);
    expect(gainOf([100, 100, 100], [120, 120, 120]).verdict).toBe('slower');
  });
});
