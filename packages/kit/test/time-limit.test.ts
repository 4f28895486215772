import { describe, expect, it } from '@jest/globals';
import { CommandError } from '../src/errors.js';
import { execWithTimeLimit, TimeLimitError } from '../src/time-limit.js';

describe('execWithTimeLimit', () => {
  const describeLimit = (ms: number) => `stopped after ${ms} ms`;

  it('runs a command within its limit like exec: output, exit code, environment', async () => {
    const exec = execWithTimeLimit(30_000, describeLimit);
    const result = await exec('sh', ['-c', 'echo "$GREETING"; echo err >&2', 'ignored $0'], {
      env: { PATH: process.env.PATH ?? '', GREETING: 'a b; $(not run)' },
      silent: true,
    });
    expect(result).toEqual({ exitCode: 0, stdout: 'a b; $(not run)\n', stderr: 'err\n' });
    await expect(exec('sh', ['-c', 'exit 4'], { silent: true })).rejects.toBeInstanceOf(CommandError);
    expect((await exec('sh', ['-c', 'exit 4'], { silent: true, allowFailure: true })).exitCode).toBe(4);
    await expect(exec('/no/such/program', [], { silent: true })).rejects.toMatchObject({ exitCode: 127 });
  });

  it('stops the whole process tree at the limit and says so', async () => {
    const exec = execWithTimeLimit(500, describeLimit, { graceMs: 300 });
    const marker = `ferrowheel-limit-${process.pid}-${Date.now()}`;
    // A child that ignores SIGTERM, and a grandchild: both must go.
    const started = Date.now();
    const thrown = await exec(
      'sh',
      ['-c', `trap '' TERM; echo started; sleep 30 & sleep 31 ${marker}; wait`],
      { silent: true },
    ).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(TimeLimitError);
    expect((thrown as TimeLimitError).message).toBe('stopped after 500 ms');
    expect((thrown as TimeLimitError).output).toContain('started');
    expect(Date.now() - started).toBeLessThan(15_000);
    const { execFileSync } = await import('node:child_process');
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(marker));
    expect(left).toEqual([]);
  }, 30_000);
});
