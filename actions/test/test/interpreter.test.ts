import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { fail, ok, unwrap } from '@ferrowheel/kit/result';
import { describe, expect, it } from '@jest/globals';
import {
  describeInterpreter,
  type FactsReport,
  factsFromReport,
  factsProbe,
  platformFromReport,
  pythonCommand,
  queryInterpreter,
} from '../src/interpreter.js';

const report = (overrides: Partial<FactsReport>): FactsReport => ({
  executable: '/usr/bin/python3.12',
  prefix: '/usr',
  implementation: 'cpython',
  version: '3.12.7',
  major: 3,
  minor: 12,
  abiflags: '',
  gil_disabled: false,
  soabi: 'cpython-312-x86_64-linux-gnu',
  platform: 'linux-x86_64',
  system: 'Linux',
  machine: 'x86_64',
  bits: 64,
  mac_ver: '',
  glibc: '2.35',
  musl: null,
  tags: null,
  ...overrides,
});

describe('pythonCommand', () => {
  it('defaults to python3, or python on Windows', () => {
    expect(unwrap(pythonCommand('', { os: 'linux', workspace: '/w' }))).toEqual({
      program: 'python3',
      args: [],
      display: 'python3',
    });
    expect(unwrap(pythonCommand('', { os: 'macos', workspace: '/w' }))).toMatchObject({ program: 'python3' });
    expect(unwrap(pythonCommand('', { os: 'windows', workspace: 'C:\\w' }))).toMatchObject({
      program: 'python',
    });
  });

  it('turns a version into python3.X, or the py launcher on Windows', () => {
    expect(unwrap(pythonCommand('3.12', { os: 'linux', workspace: '/w' }))).toEqual({
      program: 'python3.12',
      args: [],
      display: 'python3.12',
    });
    expect(unwrap(pythonCommand('3.13t', { os: 'macos', workspace: '/w' }))).toMatchObject({
      program: 'python3.13t',
    });
    expect(unwrap(pythonCommand('3.12', { os: 'windows', workspace: 'C:\\w' }))).toEqual({
      program: 'py',
      args: ['-3.12'],
      display: 'py -3.12',
    });
  });

  it('resolves paths against the workspace with the OS path rules', () => {
    expect(unwrap(pythonCommand('.venv/bin/python', { os: 'linux', workspace: '/w' }))).toMatchObject({
      program: '/w/.venv/bin/python',
    });
    expect(
      unwrap(pythonCommand('C:\\Python312\\python.exe', { os: 'windows', workspace: 'C:\\w' })),
    ).toMatchObject({
      program: 'C:\\Python312\\python.exe',
    });
    expect(
      unwrap(pythonCommand('.venv\\Scripts\\python.exe', { os: 'windows', workspace: 'C:\\w' })),
    ).toMatchObject({
      program: 'C:\\w\\.venv\\Scripts\\python.exe',
    });
  });

  it('rejects what is neither a command, a path nor a version', () => {
    expect(pythonCommand('python -X dev', { os: 'linux', workspace: '/w' })).toEqual(
      fail('holds spaces but is not a path'),
    );
    expect(pythonCommand('py$thon', { os: 'linux', workspace: '/w' })).toEqual(
      fail('is not a command name, a path or a version'),
    );
    expect(pythonCommand('--version', { os: 'linux', workspace: '/w' })).toEqual(
      fail('starts with -, so it would be read as an option'),
    );
  });
});

describe('platformFromReport', () => {
  it('reads glibc, musl and 32-bit Linux', () => {
    expect(unwrap(platformFromReport(report({})))).toEqual({
      os: 'linux',
      arch: 'x86_64',
      libc: { kind: 'glibc', major: 2, minor: 35 },
    });
    expect(unwrap(platformFromReport(report({ glibc: null, musl: '1.2', machine: 'aarch64' })))).toEqual({
      os: 'linux',
      arch: 'aarch64',
      libc: { kind: 'musl', major: 1, minor: 2 },
    });
    expect(unwrap(platformFromReport(report({ bits: 32 })))).toMatchObject({ arch: 'i686' });
  });

  it('reads the macOS version and architecture', () => {
    expect(
      unwrap(
        platformFromReport(report({ system: 'Darwin', machine: 'arm64', mac_ver: '14.5', glibc: null })),
      ),
    ).toEqual({
      os: 'macos',
      arch: 'arm64',
      macos: [14, 5],
    });
  });

  it("reads the Windows architecture from sysconfig's platform", () => {
    const win = (platform: string) =>
      platformFromReport(report({ system: 'Windows', platform, machine: 'AMD64' }));
    expect(win('win-amd64')).toEqual(ok({ os: 'windows', arch: 'x86_64' }));
    expect(win('win32')).toEqual(ok({ os: 'windows', arch: 'i686' }));
    expect(win('win-arm64')).toEqual(ok({ os: 'windows', arch: 'arm64' }));
    expect(win('win-ia64')).toEqual(fail('unknown Windows platform win-ia64'));
  });
});

describe('factsFromReport', () => {
  it("uses pip's tag list when the interpreter reported one", () => {
    const facts = factsFromReport(report({ tags: ['cp312-cp312-linux_x86_64', 'py3-none-any'] }));
    expect(facts.tags).toEqual(['cp312-cp312-linux_x86_64', 'py3-none-any']);
    expect(facts.tagSource).toBe('pip');
  });

  it('computes the tags without pip: Windows, macOS, free-threaded, PyPy', () => {
    const windows = factsFromReport(report({ system: 'Windows', platform: 'win-amd64', glibc: null }));
    expect(windows.tagSource).toBe('computed');
    expect(windows.tags.slice(0, 2)).toEqual(['cp312-cp312-win_amd64', 'cp312-abi3-win_amd64']);
    const mac = factsFromReport(report({ system: 'Darwin', machine: 'arm64', mac_ver: '14.0', glibc: null }));
    expect(mac.tags[0]).toBe('cp312-cp312-macosx_14_0_arm64');
    expect(mac.tags).toContain('cp312-abi3-macosx_10_12_universal2');
    const ft = factsFromReport(report({ minor: 13, version: '3.13.1', gil_disabled: true }));
    expect(ft.freeThreaded).toBe(true);
    expect(ft.tags[0]).toBe('cp313-cp313t-manylinux_2_35_x86_64');
    // No abi3 on free-threaded CPython; abi3t (PEP 803) instead.
    expect(ft.tags.some((t) => t.includes('-abi3-'))).toBe(false);
    expect(ft.tags).toContain('cp313-abi3t-manylinux_2_35_x86_64');
    expect(describeInterpreter(ft)).toBe('CPython 3.13.1 free-threaded (linux x86_64, glibc 2.35)');
    const pypy = factsFromReport(
      report({ implementation: 'pypy', minor: 10, soabi: 'pypy310-pp73-x86_64-linux-gnu' }),
    );
    expect(pypy.tags[0]).toBe('pp310-pypy310_pp73-manylinux_2_35_x86_64');
  });

  it('fails clearly for an implementation it cannot compute tags for', () => {
    expect(() => factsFromReport(report({ implementation: 'graalpy' }))).toThrow(
      /Cannot tell which wheels the graalpy interpreter .* has no pip to ask\. Install pip into it/,
    );
  });
});

describe('queryInterpreter', () => {
  it('runs facts.py with argv and parses its last line', async () => {
    const calls: string[][] = [];
    const exec: Exec = async (program, args) => {
      calls.push([program, ...args]);
      return { exitCode: 0, stdout: `noise\n${JSON.stringify(report({}))}\n`, stderr: '' };
    };
    const facts = await queryInterpreter({ program: 'py', args: ['-3.12'], display: 'py -3.12' }, exec);
    expect(calls).toEqual([['py', '-3.12', factsProbe()]]);
    expect(factsProbe()).toMatch(/[/\\]facts\.py$/);
    expect(facts.version).toBe('3.12.7');
  });

  it('names the input and the fix when the interpreter cannot run', async () => {
    const { exec } = await import('@ferrowheel/kit/exec');
    const failure = queryInterpreter(
      { program: 'python3.99-missing', args: [], display: 'python3.99-missing' },
      exec,
    );
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow(
      /Input 'python' \('python3.99-missing'\) could not be run: .*actions\/setup-python/,
    );
  });

  it('runs the real interpreter here', async () => {
    const { exec } = await import('@ferrowheel/kit/exec');
    const facts = await queryInterpreter({ program: 'python3', args: [], display: 'python3' }, exec);
    expect(facts.major).toBe(3);
    expect(facts.tags.length).toBeGreaterThan(10);
  });
});
