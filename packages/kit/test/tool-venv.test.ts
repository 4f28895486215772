/**
 * The tool venv's choices, with a recorded exec: which interpreter it takes, what each failure
 * says, that a venv in the tool cache is reused and a failed one leaves nothing behind. Real
 * installs (uv, offline uv) run in actions/build/test/integration/audit.test.ts.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CommandError } from '../src/errors.js';
import type { Exec } from '../src/exec.js';
import { toolVenv } from '../src/tool-venv.js';

/** A PATH directory holding (empty, executable) programs of these names. */
function binWith(names: string[]): string {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'tool-venv-bin-'));
  for (const name of names) {
    writeFileSync(path.join(bin, name), '');
    chmodSync(path.join(bin, name), 0o755);
  }
  return bin;
}

/** An exec that answers `--version` from `versions` (by file name) and makes venvs on `venv`/`-m venv`. */
function fakeExec(versions: Record<string, string>, calls: string[], failInstall = false): Exec {
  return async (program, args) => {
    calls.push(
      [path.basename(program), ...args.map((a) => (path.isAbsolute(a) ? path.basename(a) : a))].join(' '),
    );
    if (args[0] === '--version') {
      const version = versions[path.basename(program)];
      return version
        ? { exitCode: 0, stdout: `Python ${version}\n`, stderr: '' }
        : { exitCode: 127, stdout: '', stderr: 'not this one' };
    }
    if (args[0] === 'venv' || args[1] === 'venv') {
      const dir = args.at(-1)!;
      mkdirSync(path.join(dir, 'bin'), { recursive: true });
      writeFileSync(path.join(dir, 'bin', 'python'), '');
      return { exitCode: 0, stdout: '', stderr: '' };
    }
    if (failInstall) throw new CommandError('uv pip install', 2, 'line 1\nerror: no network\n');
    return { exitCode: 0, stdout: '', stderr: '' };
  };
}

const lock = path.join(mkdtempSync(path.join(os.tmpdir(), 'tool-venv-lock-')), 'tools.txt');
writeFileSync(lock, 'tool==1.0 --hash=sha256:00\n');
const request = { name: 'tools', lock, minimumPython: { major: 3, minor: 10 } };

describe('toolVenv', () => {
  it('takes the first versioned CPython that runs, creates the venv with uv, and reuses it from the tool cache', async () => {
    const bin = binWith(['python3.13', 'python3.12', 'python3', 'uv']);
    const calls: string[] = [];
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'tool-venv-cache-'));
    const context = {
      toolCache,
      tempDir: mkdtempSync(path.join(os.tmpdir(), 'tool-venv-temp-')),
      os: 'linux' as const,
      env: { PATH: bin },
      exec: fakeExec({ 'python3.12': '3.12.3', python3: '3.9.2', python: '3.12.3' }, calls),
    };
    const first = await toolVenv(request, context);
    if (!first.ok) throw new Error(JSON.stringify(first.failure));
    expect(first.value).toMatchObject({
      created: true,
      installer: 'uv',
      base: { python: path.join(bin, 'python3.12'), version: '3.12.3' },
    });
    // python3.13 (a pyenv shim of a version not selected) does not run; python3.12 does.
    expect(calls.slice(0, 2)).toEqual(['python3.13 --version', 'python3.12 --version']);
    expect(calls[2]).toMatch(/^uv venv --python python3\.12 3\.12\.3-[0-9a-f]{16}\.partial-\w+$/);
    expect(calls[3]).toBe('uv pip install --python python --require-hashes --requirement tools.txt');
    expect(path.dirname(first.value.dir)).toBe(path.join(toolCache, 'tools'));
    expect(readdirSync(path.join(toolCache, 'tools'))).toEqual([path.basename(first.value.dir)]);
    calls.length = 0;
    const again = await toolVenv(request, context);
    expect(again.ok && again.value.created).toBe(false);
    expect(again.ok && again.value.dir).toBe(first.value.dir);
    expect(calls.filter((c) => !c.includes('--version'))).toEqual([]);
    // A venv whose Python no longer runs as that version (its interpreter was removed) is made again.
    const broken = await toolVenv(request, { ...context, exec: fakeExec({ 'python3.12': '3.12.3' }, calls) });
    expect(broken.ok && broken.value.created).toBe(true);
  });

  it('says which interpreter is too old, or that none runs', async () => {
    const bin = binWith(['python3']);
    const context = (versions: Record<string, string>) => ({
      toolCache: mkdtempSync(path.join(os.tmpdir(), 'tool-venv-cache-')),
      tempDir: mkdtempSync(path.join(os.tmpdir(), 'tool-venv-temp-')),
      os: 'linux' as const,
      env: { PATH: bin },
      exec: fakeExec(versions, []),
    });
    expect(await toolVenv(request, context({ python3: '3.9.18' }))).toEqual({
      ok: false,
      failure: { kind: 'old-python', python: path.join(bin, 'python3'), version: '3.9.18', minimum: '3.10' },
    });
    expect(await toolVenv(request, context({}))).toEqual({
      ok: false,
      failure: {
        kind: 'no-python',
        command: 'python3.13, python3.12, python3.11, python3.10, python3.14, python3',
      },
    });
  });

  it('uses only the interpreter it is given, with pip when uv is not on PATH', async () => {
    const bin = binWith(['python3.12', 'py-audit']);
    const calls: string[] = [];
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'tool-venv-cache-'));
    const outcome = await toolVenv(request, {
      toolCache,
      tempDir: mkdtempSync(path.join(os.tmpdir(), 'tool-venv-temp-')),
      os: 'linux',
      python: path.join(bin, 'py-audit'),
      env: { PATH: bin },
      exec: fakeExec({ 'python3.12': '3.12.3', 'py-audit': '3.11.9' }, calls),
    });
    expect(outcome.ok && outcome.value).toMatchObject({ installer: 'pip', base: { version: '3.11.9' } });
    expect(calls[0]).toBe('py-audit --version');
    expect(calls[1]).toMatch(/^py-audit -m venv /);
    expect(calls[2]).toMatch(
      /^python -m pip install --disable-pip-version-check --no-input --require-hashes --requirement tools\.txt$/,
    );
  });

  it("falls back to the job's temp dir when the tool cache cannot be written, and says so when neither can", async () => {
    const bin = binWith(['python3.12', 'uv']);
    const notADir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tool-venv-file-')), 'file');
    writeFileSync(notADir, '');
    const tempDir = mkdtempSync(path.join(os.tmpdir(), 'tool-venv-temp-'));
    const exec = fakeExec({ 'python3.12': '3.12.3', python: '3.12.3' }, []);
    const outcome = await toolVenv(request, {
      toolCache: notADir,
      tempDir,
      os: 'linux',
      env: { PATH: bin },
      exec,
    });
    expect(outcome.ok && path.dirname(outcome.value.dir)).toBe(path.join(tempDir, 'tools'));
    expect(
      await toolVenv(request, {
        toolCache: notADir,
        tempDir: notADir,
        os: 'linux',
        env: { PATH: bin },
        exec,
      }),
    ).toEqual({
      ok: false,
      failure: { kind: 'no-place', dirs: [path.join(notADir, 'tools'), path.join(notADir, 'tools')] },
    });
  });

  it('reports a failed install with the end of its output and leaves nothing in the tool cache', async () => {
    const bin = binWith(['python3.12', 'uv']);
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'tool-venv-cache-'));
    const outcome = await toolVenv(request, {
      toolCache,
      tempDir: mkdtempSync(path.join(os.tmpdir(), 'tool-venv-temp-')),
      os: 'linux',
      env: { PATH: bin },
      exec: fakeExec({ 'python3.12': '3.12.3' }, [], true),
    });
    expect(outcome).toEqual({
      ok: false,
      failure: {
        kind: 'install-failed',
        installer: 'uv',
        python: path.join(bin, 'python3.12'),
        output: 'line 1\nerror: no network',
      },
    });
    expect(readdirSync(path.join(toolCache, 'tools'))).toEqual([]);
    expect(existsSync(path.join(toolCache, 'tools'))).toBe(true);
  });
});
