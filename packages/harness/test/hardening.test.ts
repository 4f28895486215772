/**
 * Issue 9 through the bundles, run as the runner runs them: no program input runs a second
 * command (class 1), no value echoed to the log or written as an output becomes a workflow command
 * or a second line (class 3), and no path leaves the workspace through a symlink (class 4). Every
 * case here fails at the inputs or at a fake maturin, so the file runs in seconds.
 */
import { chmodSync, existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { copyExample } from '../src/example-wheel.js';
import { type ActionRun, runAction } from '../src/run-action.js';
import { freshDir } from '../src/workdirs.js';

/** The lines the runner would read as workflow commands (actions/runner ActionCommand.cs). */
function commandLines(run: ActionRun): string[] {
  return run.stdout.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith('::') || l.includes('##['));
}

/** A failed step: exit 1, one error naming the input, nothing for later steps. */
function expectInputFailure(run: ActionRun, input: string, problem: string): void {
  expect({ exitCode: run.exitCode, errors: run.errors }).toEqual({
    exitCode: 1,
    errors: [expect.stringContaining(`Input '${input}' ${problem}`)],
  });
  expect(run.errors[0]).not.toMatch(/\n\s+at |ENOENT|EACCES/);
  expect(run.outputs).toEqual({});
  expect(run.exportedEnv).toEqual({});
  expect(run.addedPath).toEqual([]);
}

describe('class 1: a program input never runs a second command', () => {
  const workspace = copyExample('setup');
  const marker = path.join(workspace, 'MARKER');
  writeFileSync(path.join(workspace, 'hook.sh'), '#!/bin/sh\n');
  const shell = [`/bin/sh -c "touch ${marker}"`, `sh -c "touch ${marker}"`, `./hook.sh -c "touch ${marker}"`];
  const cases: [string, string, string][] = [
    ...shell.map((value): [string, string, string] => ['test', 'python', value]),
    ...shell.map((value): [string, string, string] => ['build', 'maturin', value]),
    ...shell.map((value): [string, string, string] => ['build', 'before-build', value]),
    ...shell.map((value): [string, string, string] => ['build', 'interpreters', value]),
  ];
  it.each(cases)(
    '%s %s: %s',
    async (action, input, value) => {
      const run = await runAction(action, {
        workspace,
        inputs: { [input]: value, container: 'off', wheels: '.' },
      });
      expect(run.exitCode).toBe(1);
      expect(run.errors.join('\n')).toContain(`Input '${input}'`);
      expect(existsSync(marker)).toBe(false);
      expect(run.outputs).toEqual({});
    },
    30_000,
  );
});

describe('class 1 and 3: build runs a program path as one file and echoes arguments escaped', () => {
  it("runs 'before-build: my hook' as the one file 'my hook', and a quoted newline in args injects nothing", async () => {
    const workspace = copyExample('setup');
    const ran = path.join(workspace, 'RAN');
    const hook = path.join(workspace, 'my hook');
    writeFileSync(hook, `#!/bin/sh\ntouch '${ran}'\n`);
    chmodSync(hook, 0o755);
    // Answers --version like maturin and fails the build without echoing its arguments.
    const fakeMaturin = path.join(freshDir('fake maturin'), 'maturin');
    writeFileSync(
      fakeMaturin,
      '#!/bin/sh\n[ "$1" = "--version" ] && { echo "maturin 1.16.0"; exit 0; }\nexit 3\n',
    );
    chmodSync(fakeMaturin, 0o755);
    const run = await runAction('build', {
      workspace,
      inputs: {
        container: 'off',
        cache: 'false',
        'before-build': 'my hook',
        maturin: fakeMaturin,
        args: `"x\n::error::injected" '##[error]legacy' "y\r::add-mask::z"`,
      },
    });
    expect(existsSync(ran)).toBe(true);
    expect(run.exitCode).toBe(1);
    // The program path holds a space: one quoted word in the echo, one file when run.
    expect(run.stdout).toContain(`[command]"${fakeMaturin}" build`);
    expect(run.stdout).toContain('"x\\n::error::injected" ##\\[error]legacy "y\\r::add-mask::z"');
    const lines = run.stdout.split(/\r\n|\r|\n/);
    expect(lines.filter((l) => /^\s*::(error::injected|add-mask::z)/.test(l))).toEqual([]);
    // `##[` counts anywhere in a line, unless the line is already a `::` command (the group title,
    // whose data @actions/core escapes).
    expect(lines.filter((l) => l.includes('##[') && !l.trimStart().startsWith('::'))).toEqual([]);
    expect(run.errors.some((e) => e.startsWith('injected'))).toBe(false);
  }, 120_000);
});

describe('class 3: a line break in a single-line input is an input error; nothing reaches an output', () => {
  it.each([
    ['build', 'out-dir', 'dist\n::add-path::/tmp/evil'],
    ['build', 'target', 'x86_64\n::error::x'],
    ['publish', 'username', 'me\n::error::injected'],
    ['setup-rust', 'cache-key', 'k\n::add-path::/tmp/evil'],
    ['setup-maturin', 'version', '1.16.0\n::add-path::/tmp/evil'],
    ['test', 'tests', 'sample/tests\n::error::x'],
  ])(
    '%s %s',
    async (action, input, value) => {
      const workspace = copyExample('setup');
      const run = await runAction(action, { workspace, inputs: { [input]: value, token: 'pypi-unused' } });
      expectInputFailure(run, input, 'holds a line break');
      expect(
        commandLines(run).filter((l) => !l.startsWith('::error::') && !l.startsWith('::add-mask::')),
      ).toEqual([]);
    },
    30_000,
  );
});

describe('class 4: a symlink to /etc inside the workspace does not take a path out of it', () => {
  const workspace = copyExample('setup');
  symlinkSync('/etc', path.join(workspace, 'etc-link'));
  mkdirSync(path.join(workspace, 'dist'));
  symlinkSync('/etc/hostname', path.join(workspace, 'dist', 'evil-1.0-py3-none-any.whl'));
  const etc = realpathSync('/etc');
  it.each([
    ['setup-rust', { 'working-directory': 'etc-link' }, 'working-directory'],
    ['setup-maturin', { 'working-directory': 'etc-link' }, 'working-directory'],
    ['build', { 'working-directory': 'etc-link' }, 'working-directory'],
    ['build', { 'out-dir': 'etc-link/wheels' }, 'out-dir'],
    ['publish', { 'packages-dir': 'etc-link', token: 'pypi-unused' }, 'packages-dir'],
    ['publish', { packages: 'etc-link/*.whl', token: 'pypi-unused' }, 'packages'],
    ['test', { wheels: 'etc-link' }, 'wheels'],
    ['test', { wheels: 'etc-link/*.whl' }, 'wheels'],
    ['test', { requirements: '-r etc-link/passwd' }, 'requirements'],
  ])(
    '%s %j',
    async (action, inputs, input) => {
      const run = await runAction(action, { workspace, inputs });
      expectInputFailure(run, input, '');
      expect(run.errors[0]).toContain('outside the workspace');
      expect(run.errors[0]).toContain(etc);
    },
    30_000,
  );
  it.each([
    ['test', { wheels: '/tmp' }, 'wheels', 'points outside the workspace'],
    ['test', { wheels: '../*.whl' }, 'wheels', 'points outside the workspace'],
    ['test', { requirements: '-r ../../../etc/passwd' }, 'requirements', 'points outside the workspace'],
  ])(
    '%s %j',
    async (action, inputs, input, problem) => {
      expectInputFailure(await runAction(action, { workspace, inputs }), input, problem);
    },
    30_000,
  );
  it('publish and test refuse a package file in dist/ that is a link to a file elsewhere', async () => {
    const etcHostname = realpathSync('/etc/hostname');
    const published = await runAction('publish', { workspace, inputs: { token: 'pypi-unused' } });
    expect(published.exitCode).toBe(1);
    expect(published.errors).toEqual([
      `${path.join(workspace, 'dist', 'evil-1.0-py3-none-any.whl')} leads outside the workspace (${workspace}) through a symbolic link, to ${etcHostname}. Publish only files inside the checkout (real files, not links to files elsewhere); check 'packages-dir' and 'packages'.`,
    ]);
    const tested = await runAction('test', { workspace, inputs: { wheels: 'dist' } });
    expect(tested.exitCode).toBe(1);
    expect(tested.errors.join('\n')).toContain(
      `leads outside the workspace (${workspace}) through a symbolic link`,
    );
  }, 60_000);
});
