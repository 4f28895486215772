/** The inputs of the locked environment and of the cibuildwheel-style test options. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-test-options-'));
const workspace = path.join(root, 'workspace');
mkdirSync(path.join(workspace, 'python', 'tests', 'data'), { recursive: true });
mkdirSync(path.join(workspace, 'ci'), { recursive: true });
writeFileSync(path.join(workspace, 'ci', 'before.sh'), 'echo hi\n');
writeFileSync(path.join(workspace, 'ci', 'prepare'), 'echo not executable\n');
writeFileSync(path.join(workspace, 'ci', 'before.bat'), 'echo hi\r\n');
writeFileSync(path.join(workspace, 'python', 'conftest.py'), '');
writeFileSync(path.join(workspace, 'python', 'pyproject.toml'), '');
writeFileSync(path.join(root, 'outside.sh'), 'echo out\n');
symlinkSync(path.join(root, 'outside.sh'), path.join(workspace, 'ci', 'escape.sh'));
const context = runnerContext({
  workspace,
  runnerTemp: '/tmp/runner',
  platform: { os: 'linux', arch: 'x86_64' },
  mask: () => {},
});

const read = (values: Record<string, string>) => readInputs(mapInputSource(values), context);

function inputError(values: Record<string, string>): string {
  try {
    read(values);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(InputError);
    return (thrown as Error).message;
  }
  throw new Error(`expected an InputError for ${JSON.stringify(values)}`);
}

describe('test options', () => {
  it('parses each into its typed form', () => {
    const inputs = read({
      'working-directory': 'python',
      lock: 'REQUIRE',
      'test-command': 'pytest {project}/python/tests -p "no:cacheprovider" --basetemp={package}/tmp',
      'before-test': '../ci/before.sh',
      'test-environment': 'HYPOTHESIS_PROFILE=ci\n# a comment\nGREETING="hello world"\nEMPTY=\n',
      'test-sources': 'conftest.py pyproject.toml\ntests/data',
      'test-skip': '*-musllinux_* cp39-*',
      'timeout-minutes': '1.5',
    });
    expect(inputs).toMatchObject({
      lock: 'require',
      testCommand: ['pytest', '{project}/python/tests', '-p', 'no:cacheprovider', '--basetemp={package}/tmp'],
      beforeTest: path.join(workspace, 'ci', 'before.sh'),
      testEnvironment: { HYPOTHESIS_PROFILE: 'ci', GREETING: 'hello world', EMPTY: '' },
      testSources: [
        path.join(workspace, 'python', 'conftest.py'),
        path.join(workspace, 'python', 'pyproject.toml'),
        path.join(workspace, 'python', 'tests', 'data'),
      ],
      testSkip: ['*-musllinux_*', 'cp39-*'],
      timeLimitMs: 90_000,
    });
    expect(read({ 'timeout-minutes': '0' }).timeLimitMs).toBeUndefined();
    expect(read({ lock: 'off' }).lock).toBe('off');
  });

  it.each<[Record<string, string>, string]>([
    [
      { lock: 'frozen' },
      `Input 'lock' is not one of the allowed values: got "frozen". Use one of: auto, off, require.`,
    ],
    [
      { 'test-command': 'pytest {projct}/tests' },
      `Input 'test-command' holds the placeholder {projct}, which is not known: got "pytest {projct}/tests". Use {project} (the repository root) or {package} (working-directory).`,
    ],
    [
      { 'test-command': 'pytest {wheel}' },
      `Input 'test-command' holds the placeholder {wheel}, which is not known`,
    ],
    [
      { 'test-command': `pytest -k 'x` },
      `Input 'test-command' cannot be split into arguments (unclosed single quote`,
    ],
    [
      { 'before-test': '../outside.sh' },
      `Input 'before-test' points outside the workspace (${workspace}): got "../outside.sh". Give the path of a script in the repository`,
    ],
    [
      { 'before-test': 'ci/escape.sh' },
      `Input 'before-test' leads outside the workspace (${workspace}) through a symbolic link, to ${path.join(root, 'outside.sh')}: got "ci/escape.sh".`,
    ],
    [
      { 'before-test': 'ci/missing.sh' },
      `Input 'before-test' does not exist (looked for ${path.join(workspace, 'ci', 'missing.sh')}): got "ci/missing.sh".`,
    ],
    [
      { 'before-test': 'ci' },
      `Input 'before-test' is a directory, not a script: got "ci". Give the path of a script file.`,
    ],
    [
      { 'before-test': 'ci/prepare' },
      `Input 'before-test' names a file that is not executable and has no known extension (${path.join(workspace, 'ci', 'prepare')}): got "ci/prepare". Make it executable (chmod +x`,
    ],
    [
      { 'before-test': 'ci/before.bat' },
      `Input 'before-test' is a Windows batch file, which cannot run on linux: got "ci/before.bat". Use a .sh, .bash, .py or .ps1 script`,
    ],
    [
      { 'test-environment': 'JUST_A_NAME' },
      `Input 'test-environment' holds a line that is not NAME=VALUE: got "JUST_A_NAME". Write one variable per line`,
    ],
    [
      { 'test-environment': '1BAD=x' },
      `Input 'test-environment' names the variable '1BAD', which is not a valid variable name: got "1BAD=x".`,
    ],
    [
      { 'test-environment': 'A-B=x' },
      `Input 'test-environment' names the variable 'A-B', which is not a valid variable name`,
    ],
    [
      { 'test-environment': 'PATH=/evil' },
      `Input 'test-environment' sets PATH, which the action sets to run the tests in their venv: got "PATH=/evil".`,
    ],
    [{ 'test-environment': 'A=1\nA=2' }, `Input 'test-environment' sets A twice: got "A=2".`],
    [
      { 'test-sources': '../../outside.sh' },
      `Input 'test-sources' points outside the workspace (${workspace}): got "../../outside.sh".`,
    ],
    [
      { 'test-sources': 'data.json' },
      `Input 'test-sources' does not exist (looked for ${path.join(workspace, 'data.json')}): got "data.json".`,
    ],
    [
      { 'test-sources': 'ci/escape.sh' },
      `Input 'test-sources' leads outside the workspace (${workspace}) through a symbolic link`,
    ],
    [
      { 'test-skip': 'dist/*.whl' },
      `Input 'test-skip' is a path; patterns match wheel file names: got "dist/*.whl".`,
    ],
    [{ 'test-skip': 'cp3[89]-*' }, `Input 'test-skip' holds characters a wheel name never has`],
    [
      { 'timeout-minutes': 'ten' },
      `Input 'timeout-minutes' is not a number of minutes from 0 to 360: got "ten". Give the minutes the test run may take, e.g. 20 (0 or empty: no limit).`,
    ],
    [
      { 'timeout-minutes': '-5' },
      `Input 'timeout-minutes' is not a number of minutes from 0 to 360: got "-5".`,
    ],
    [
      { 'timeout-minutes': '1e3' },
      `Input 'timeout-minutes' is not a number of minutes from 0 to 360: got "1e3".`,
    ],
    [
      { 'timeout-minutes': '361' },
      `Input 'timeout-minutes' is not a number of minutes from 0 to 360: got "361".`,
    ],
  ])('a bad value: %j', (values, expected) => {
    expect(inputError(values)).toContain(expected);
  });
});
