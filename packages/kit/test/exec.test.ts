import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CommandError } from '../src/errors.js';
import { childEnv, createExec, exec } from '../src/exec.js';

function recordingLog(): { text: () => string; write: (t: string | Buffer) => void } {
  const chunks: string[] = [];
  return { text: () => chunks.join(''), write: (t) => void chunks.push(t.toString()) };
}

describe('exec', () => {
  it('passes arguments as they are, with no shell in between', async () => {
    const tricky = ['$(echo pwned)', 'a b', '"quoted"', ';', '*'];
    const result = await exec(
      process.execPath,
      ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...tricky],
      {
        silent: true,
      },
    );
    expect(JSON.parse(result.stdout)).toEqual(tricky);
  });
  it('captures stdout, stderr and lines, with env and cwd', async () => {
    const lines: string[] = [];
    const result = await exec(
      process.execPath,
      ['-e', 'console.log(process.env.FW_X); console.error(process.cwd()); process.stdout.write("partial")'],
      { silent: true, cwd: '/', env: childEnv({ FW_X: 'hello' }), onLine: (l, s) => lines.push(`${s}:${l}`) },
    );
    expect(result.stdout).toBe('hello\npartial');
    expect(result.stderr.trim()).toBe('/');
    expect(lines).toEqual(expect.arrayContaining(['stdout:hello', 'stderr:/', 'stdout:partial']));
  });
  it('throws a CommandError with the exit code and output, unless failure is allowed', async () => {
    const script = ['-e', 'console.log("went wrong"); process.exit(3)'];
    await expect(exec(process.execPath, script, { silent: true })).rejects.toMatchObject({
      name: 'CommandError',
      exitCode: 3,
      output: 'went wrong\n',
    });
    const allowed = await exec(process.execPath, script, { silent: true, allowFailure: true });
    expect(allowed.exitCode).toBe(3);
  });
  it('turns a missing program into a CommandError', async () => {
    await expect(exec('ferrowheel-no-such-program', [], { silent: true })).rejects.toBeInstanceOf(
      CommandError,
    );
  });
  it('never splits the program: a command line given as the program runs nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-exec-'));
    const marker = path.join(dir, 'MARKER');
    for (const program of [
      `/bin/sh -c "touch ${marker}"`,
      `sh -c "touch ${marker}"`,
      `/bin/sh -c touch\\ ${marker}`,
    ]) {
      await expect(exec(program, [], { silent: true, cwd: dir })).rejects.toMatchObject({
        name: 'CommandError',
        exitCode: 127,
      });
    }
    expect(existsSync(marker)).toBe(false);
  });
  it('runs a program whose path holds spaces, quotes and backslashes as that one file', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'fw-exec-')), 'a b "c" \\d');
    mkdirSync(dir);
    const program = path.join(dir, "my 'tool'");
    writeFileSync(program, '#!/bin/sh\nprintf "%s|" "$@"\n');
    chmodSync(program, 0o755);
    const result = await exec(program, ['x y', ''], { silent: true });
    expect(result.stdout).toBe('x y||');
  });
  it('echoes the command with every word escaped, so an argument cannot start a workflow command', async () => {
    const log = recordingLog();
    const run = createExec(log);
    const args = ['-e', 'console.log("out")', 'a\n::error::injected', '##[error]x', 'two words'];
    await run(process.execPath, args);
    const lines = log.text().split('\n');
    expect(lines[0]).toBe(
      `[command]${process.execPath} -e console.log("out") "a\\n::error::injected" ##\\[error]x "two words"`,
    );
    expect(lines[1]).toBe('out');
    for (const line of lines) {
      expect(line.trimStart().startsWith('::')).toBe(false);
      expect(line).not.toContain('##[');
    }
  });
  it('writes nothing to the log when silent', async () => {
    const log = recordingLog();
    await createExec(log)(process.execPath, ['-e', 'console.log("hi")'], { silent: true });
    expect(log.text()).toBe('');
  });
  it('names the failed command escaped in the CommandError', async () => {
    await expect(exec(process.execPath, ['-e', 'process.exit(2)', 'a\nb'], { silent: true })).rejects.toThrow(
      `${process.execPath} -e process.exit(2) "a\\nb" exited with code 2`,
    );
  });
  it('removes variables set to undefined in childEnv', () => {
    const env = childEnv({ A: 'x', B: undefined }, { B: 'gone', C: 'kept' });
    expect(env).toEqual({ A: 'x', C: 'kept' });
  });
  it("replaces Windows' Path when PATH is overridden, and keeps case elsewhere", () => {
    const base = { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', Temp: 'C:\\t' };
    expect(
      childEnv({ PATH: 'C:\\cargo\\bin;C:\\Windows', TEMP: undefined }, base, { caseInsensitive: true }),
    ).toEqual({
      PATH: 'C:\\cargo\\bin;C:\\Windows',
      SystemRoot: 'C:\\Windows',
    });
    expect(childEnv({ PATH: '/bin' }, { Path: 'x' }, { caseInsensitive: false })).toEqual({
      Path: 'x',
      PATH: '/bin',
    });
  });
});
