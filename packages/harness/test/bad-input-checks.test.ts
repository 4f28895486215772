/** The bad-input table's checks catch what they are meant to catch (on made-up runs). */
import { describe, expect, it } from '@jest/globals';
import { type BadInputCase, checkBadInputRun, masked } from '../src/bad-inputs.js';
import type { ActionRun } from '../src/run-action.js';

const badCase: BadInputCase = {
  name: 'profile: a wrong enum',
  inputs: { profile: 'maximal' },
  secrets: ['s3cret-token'],
  expect: { input: 'profile', fix: 'Use one of' },
};
const message = `Input 'profile' is not one of the allowed values: got "maximal". Use one of: minimal, default, complete.`;

function run(overrides: Partial<ActionRun> = {}): ActionRun {
  return {
    exitCode: 1,
    stdout: `::add-mask::s3cret-token\nusing s3cret-token\n::error::${message}\n`,
    stderr: '',
    outputs: {},
    exportedEnv: {},
    addedPath: [],
    summary: '',
    state: {},
    errors: [message],
    warnings: [],
    durationMs: 1,
    ...overrides,
  };
}

const check =
  (r: ActionRun, c: BadInputCase = badCase) =>
  () =>
    checkBadInputRun(r, c, c.inputs as Record<string, string>);

describe('checkBadInputRun', () => {
  it('passes a clear, contained failure', () => {
    expect(check(run())).not.toThrow();
  });
  it.each<[string, Partial<ActionRun>]>([
    ['a zero exit code', { exitCode: 0 }],
    ['no error annotation', { errors: [] }],
    ['a message without the value', { errors: ["Input 'profile' is wrong. Use one of: a, b."] }],
    ['a message without the fix after the value', { errors: [`Input 'profile' is wrong: got "maximal".`] }],
    ['a stack trace', { stderr: 'TypeError: x\n    at run (file:///a/dist/index.js:1:2)\n' }],
    ['raw errno text', { stdout: "Error: ENOENT: no such file or directory, open '/x'\n" }],
    ['a secret before its mask', { stdout: 's3cret-token\n::add-mask::s3cret-token\n' }],
    ['a secret in an output', { outputs: { path: 's3cret-token' } }],
    ['an injected workflow command', { stdout: '::warning::INJECTED\n' }],
    ['a variable written to GITHUB_ENV', { exportedEnv: { RUSTUP_TOOLCHAIN: 'stable' } }],
    ['a directory added to GITHUB_PATH', { addedPath: ['/x/bin'] }],
    ['an output that is not a documented partial one', { outputs: { version: '1.0' } }],
  ])('fails on %s', (_, overrides) => {
    expect(check(run(overrides))).toThrow();
  });
  it('refuses a case whose fix is empty (it would match any message)', () => {
    expect(check(run(), { ...badCase, expect: { input: 'profile', fix: '' } })).toThrow();
  });
  it('allows documented partial outputs', () => {
    expect(
      check(run({ outputs: { published: '[]' } }), { ...badCase, partialOutputs: ['published'] }),
    ).not.toThrow();
  });
});

describe('masked', () => {
  it('masks a value from its ::add-mask:: line on, line by line, as the runner does', () => {
    expect(masked('a tok\n::add-mask::tok\nb tok\n')).toBe('a tok\nb ***\n');
    // A multi-line secret cannot match inside one line: it stays visible, as on a runner.
    expect(masked('::add-mask::one%0Atwo\none\n')).toBe('one\n');
  });
});
