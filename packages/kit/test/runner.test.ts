import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InputError } from '../src/errors.js';
import { runAction } from '../src/runner.js';

/** Captures what @actions/core writes to stdout (workflow commands) during `fn`. */
async function captureStdout(fn: () => Promise<void>): Promise<string> {
  const original = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return out;
}

describe('runAction', () => {
  let savedExitCode: typeof process.exitCode;
  beforeEach(() => {
    savedExitCode = process.exitCode;
    process.exitCode = undefined;
    delete process.env.STATE_ferrowheel_post;
    delete process.env['STATE_ferrowheel-post'];
    delete process.env.GITHUB_STATE;
  });
  afterEach(() => {
    process.exitCode = savedExitCode;
  });

  it('fails the step with the message of an Error, and the stack only in debug output', async () => {
    const out = await captureStdout(() =>
      runAction({
        main: async () => {
          throw new Error('boom');
        },
      }),
    );
    expect(process.exitCode).toBe(1);
    expect(out).toContain('::error::boom');
    expect(out).toMatch(/::debug::Error: boom%0A\s+at /);
  });

  it('fails the step for a thrown string or object too (never green)', async () => {
    const out = await captureStdout(async () => {
      await runAction({
        main: async () => {
          throw 'plain string';
        },
      });
      await runAction({
        main: async () => {
          throw { code: 42 };
        },
      });
    });
    expect(process.exitCode).toBe(1);
    expect(out).toContain('::error::plain string');
    expect(out).toContain('::error::Unexpected non-error thrown: {"code":42}');
  });

  it('reports a user error without a stack', async () => {
    const out = await captureStdout(() =>
      runAction({
        main: async () => {
          throw new InputError('target', 'sparc', 'is not a target', 'Use x64.');
        },
      }),
    );
    expect(out).toContain(`::error::Input 'target' is not a target: got "sparc". Use x64.`);
    expect(out).not.toContain('::debug::');
  });

  it('runs the post step when the main step saved its state, and turns its failure into a warning', async () => {
    process.env['STATE_ferrowheel-post'] = 'true';
    let mainRan = false;
    const out = await captureStdout(() =>
      runAction({
        main: async () => {
          mainRan = true;
        },
        post: async () => {
          throw new Error('cache service down');
        },
      }),
    );
    delete process.env['STATE_ferrowheel-post'];
    expect(mainRan).toBe(false);
    expect(process.exitCode).toBeUndefined();
    expect(out).toContain("::warning::Post step failed (the job's result is unaffected): cache service down");
  });

  it('succeeds quietly when main succeeds', async () => {
    const out = await captureStdout(() => runAction({ main: async () => {} }));
    expect(process.exitCode).toBeUndefined();
    expect(out).not.toContain('::error::');
  });
});
