import { describe, expect, it } from '@jest/globals';
import { CommandError } from '../src/errors.js';
import { childEnv, exec } from '../src/exec.js';

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
