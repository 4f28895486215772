import { describe, expect, it } from '@jest/globals';
import { parseCommandFile, runAction } from '../src/run-action.js';

describe('parseCommandFile', () => {
  it('reads name=value lines and heredoc blocks, as the runner writes them', () => {
    const text = 'version=1.16.0\nwheels<<ghadelimiter_1\n[{"a":1},\n{"b":2}]\nghadelimiter_1\nempty=\n';
    expect(parseCommandFile(text)).toEqual({ version: '1.16.0', wheels: '[{"a":1},\n{"b":2}]', empty: '' });
  });
});

describe('runAction (a real bundle in a child process)', () => {
  it('passes inputs as INPUT_ variables and reports a bad one as a failed step with an annotation', async () => {
    const run = await runAction('setup-maturin', { inputs: { version: 'bogus!' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `Input 'version' is not a version or a PEP 440 version constraint: got "bogus!". Use an exact version such as '1.16.0', a constraint such as '>=1.6,<2' or '~=1.8', or 'latest'.`,
    ]);
    expect(run.stderr).toBe('');
    expect(run.outputs).toEqual({});
  });
  it('does not leak the parent INPUT_ variables into the action', async () => {
    process.env.INPUT_VERSION = 'bogus!';
    try {
      // 'version' is read before 'method': a leaked INPUT_VERSION would fail first.
      const run = await runAction('setup-maturin', { inputs: { method: 'nope' } });
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(/^Input 'method' /);
    } finally {
      delete process.env.INPUT_VERSION;
    }
  });
});
