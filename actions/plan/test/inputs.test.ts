import path from 'node:path';
import { repoRoot } from '@ferrowheel/harness/workdirs';
import { runnerContext } from '@ferrowheel/kit/context';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';
import { runUrl } from '../src/run.js';

const env = { GITHUB_WORKSPACE: repoRoot };
const read = (values: Record<string, string>) => readInputs(mapInputSource(values), runnerContext({ env }));

describe('plan mode', () => {
  it('takes test-skip, and test-requirements and test-extras as one checked pip word each', () => {
    const inputs = read({
      'working-directory': 'examples/setup',
      'test-skip': '*-musllinux_* cp314t-*',
      'test-requirements': 'pytest-xdist >= 3, < 4\nhypothesis[cli]  # property tests\n\nnumpy==2.*',
      'test-extras': 'test, fast',
    });
    expect(inputs).toMatchObject({
      testSkip: ['*-musllinux_*', 'cp314t-*'],
      containerRequirements: ['pytest-xdist>=3,<4', 'hypothesis[cli]', 'numpy==2.*'],
      containerExtras: ['test', 'fast'],
    });
    expect(read({ 'working-directory': 'examples/setup' })).toMatchObject({
      testSkip: [],
      containerRequirements: [],
      containerExtras: [],
    });
  });

  it('defaults: every platform group, versions from requires-python, free-threaded, sdist, tests', () => {
    const inputs = read({ 'working-directory': 'examples/setup' });
    expect(inputs).toMatchObject({
      mode: 'plan',
      workingDirectory: path.join(repoRoot, 'examples', 'setup'),
      pythonVersions: [],
      freeThreaded: true,
      sdist: true,
      test: true,
      artifactPrefix: 'wheels',
    });
    if (inputs.mode !== 'plan') throw new Error('not plan');
    expect(inputs.legs).toHaveLength(15);
  });
  it.each([
    [
      { platforms: 'linux solaris' },
      `Input 'platforms' is not a platform ferrowheel builds for: got "solaris". Use any of: linux, musllinux, macos, windows, linux-x86_64,`,
    ],
    [
      { 'python-versions': '3.9 python3.13' },
      `Input 'python-versions' is not a CPython version: got "python3.13". Write versions like 3.12`,
    ],
    [
      { 'artifact-prefix': 'my wheels' },
      `Input 'artifact-prefix' is not a valid artifact name prefix: got "my wheels".`,
    ],
    [
      { 'artifact-prefix': 'wheels-' },
      `Input 'artifact-prefix' ends with '-', so its artifacts would be named <prefix>--<platform>: got "wheels-". Drop the trailing '-'`,
    ],
    [{ 'artifact-prefix': 'wheels*' }, `Input 'artifact-prefix' contains a wildcard ('*' or '?')`],
    [{ 'artifact-prefix': 'whe?ls' }, `Input 'artifact-prefix' contains a wildcard ('*' or '?')`],
    [
      { 'test-skip': 'wheels/*.whl' },
      `Input 'test-skip' is a path; patterns match wheel file names: got "wheels/*.whl".`,
    ],
    [{ 'test-skip': 'cp313-* $(id)' }, `Input 'test-skip' holds characters a wheel name never has`],
    [
      { 'test-requirements': 'pytest\n--index-url=https://evil.example/simple' },
      `Input 'test-requirements' is an installer option, which container and emulated test legs never pass to pip: got "--index-url=https://evil.example/simple".`,
    ],
    [{ 'test-requirements': '-r requirements.txt' }, `Input 'test-requirements' is an installer option`],
    [
      { 'test-requirements': 'numpy; python_version < "3.12"' },
      `Input 'test-requirements' is not a plain PEP 508 requirement (name, [extras], version specifiers): got "numpy; python_version`,
    ],
    [
      { 'test-requirements': 'pkg @ https://example.org/pkg.whl' },
      `Input 'test-requirements' is not a plain PEP 508 requirement`,
    ],
    [{ 'test-requirements': './local/pkg' }, `Input 'test-requirements' is not a plain PEP 508 requirement`],
    [{ 'test-requirements': 'a$(id)' }, `Input 'test-requirements' is not a plain PEP 508 requirement`],
    [
      { 'test-extras': 'test --pre' },
      `Input 'test-extras' holds '--pre', which is not a valid extra name: got "--pre".`,
    ],
    [{ 'test-extras': 'a]b' }, `Input 'test-extras' holds 'a]b', which is not a valid extra name`],
    [{ 'free-threaded': 'maybe' }, `Input 'free-threaded' is not a boolean: got "maybe".`],
    [
      { mode: 'publish' },
      `Input 'mode' is not one of the allowed values: got "publish". Use one of: plan, record, summary.`,
    ],
    [{ 'working-directory': '../elsewhere' }, `Input 'working-directory' points outside the workspace`],
    [{ 'working-directory': 'examples/nothing-here' }, `Input 'working-directory' does not exist`],
  ])('rejects %j with the fix', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});

describe('record mode', () => {
  it('a test leg has a python, a build leg none', () => {
    expect(
      read({ mode: 'record', platform: 'linux-x86_64', python: '3.13', outcome: 'failure' }),
    ).toMatchObject({
      kind: 'test',
      platform: 'linux-x86_64',
      python: '3.13',
      outcome: 'failure',
      recordsDir: path.join(repoRoot, '.ferrowheel-records'),
    });
    expect(read({ mode: 'record', platform: 'linux-x86_64', outcome: 'success' })).toMatchObject({
      kind: 'build',
    });
  });
  it.each([
    [{ mode: 'record' }, "Input 'platform' is required"],
    [{ mode: 'record', platform: 'linux/x86_64' }, "Input 'platform' is not a platform id"],
    [
      { mode: 'record', platform: 'linux-x86_64', python: '3.13\nx' },
      "Input 'python' holds a line break, and it takes one line",
    ],
    [
      { mode: 'record', platform: 'linux-x86_64', python: '3.13x' },
      "Input 'python' is not a CPython version",
    ],
    [
      { mode: 'record', platform: 'linux-x86_64', outcome: 'green' },
      "Input 'outcome' is not one of the allowed values",
    ],
  ])('rejects %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});

describe('summary mode', () => {
  it('needs the plan, and links the run when the runner says where it is', () => {
    expect(() => read({ mode: 'summary' })).toThrow("Input 'plan' is required");
    const inputs = readInputs(
      mapInputSource({ mode: 'summary', plan: '{}' }),
      runnerContext({
        env: {
          ...env,
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_REPOSITORY: 'acme/fast',
          GITHUB_RUN_ID: '42',
        },
      }),
    );
    expect(runUrl(inputs.runner)).toBe('https://github.com/acme/fast/actions/runs/42');
  });
});
