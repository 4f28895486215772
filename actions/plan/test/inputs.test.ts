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
  it('takes test-skip, image overrides, what the runners cannot do, and arm runners or not', () => {
    const inputs = read({
      'working-directory': 'examples/setup',
      platforms: 'linux-aarch64 linux-armv7',
      'test-skip': '*-musllinux_* cp314t-*',
      'arm-runners': 'false',
      'build-images': 'linux-aarch64 = mirror.example/manylinux2014-cross:aarch64  # GHES mirror',
      'test-images':
        'linux-aarch64=mirror.example/arm64v8/python:{python}-slim\nlinux-aarch64 3.11 = stand-in/py:3.11',
      'not-built-here': 'cp31?t-*: no free-threaded CPython here',
      'not-tested-here': '*-musllinux_* cp310-*_aarch64: no such CPython here',
    });
    if (inputs.mode !== 'plan') throw new Error('not plan');
    expect(inputs.testSkip).toEqual(['*-musllinux_*', 'cp314t-*']);
    expect(inputs.images.build).toEqual(
      new Map([['linux-aarch64', 'mirror.example/manylinux2014-cross:aarch64']]),
    );
    expect(inputs.images.test).toEqual(
      new Map([
        ['linux-aarch64', 'mirror.example/arm64v8/python:{python}-slim'],
        ['linux-aarch64 3.11', 'stand-in/py:3.11'],
      ]),
    );
    expect(inputs.notHere).toEqual({
      build: [{ patterns: ['cp31?t-*'], reason: 'no free-threaded CPython here' }],
      test: [{ patterns: ['*-musllinux_*', 'cp310-*_aarch64'], reason: 'no such CPython here' }],
    });
    // Without arm runners, linux-aarch64 is cross-built on ubuntu-latest and tested under QEMU.
    expect(inputs.legs.map((l) => [l.id, l.runner, l.test.kind])).toEqual([
      ['linux-aarch64', 'ubuntu-latest', 'emulated'],
      ['linux-armv7', 'ubuntu-latest', 'emulated'],
    ]);
    expect(read({ 'working-directory': 'examples/setup' })).toMatchObject({
      testSkip: [],
      images: { build: new Map(), test: new Map() },
      notHere: { build: [], test: [] },
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
      { 'test-images': 'linux-arm=python:{python}' },
      `Input 'test-images' names 'linux-arm', which is not a platform id: got "linux-arm=python:{python}". Give one <platform>=<image> per line`,
    ],
    [
      { 'test-images': 'linux-aarch64=--privileged' },
      `Input 'test-images' gives '--privileged', which is not a docker image reference`,
    ],
    [
      { 'build-images': 'linux-aarch64 3.11=img:1' },
      `Input 'build-images' gives '3.11' after the platform; build images are per platform`,
    ],
    [{ 'build-images': 'linux-aarch64' }, `Input 'build-images' holds a line that is not <platform>=<image>`],
    [
      { 'not-tested-here': '*-musllinux_*' },
      `Input 'not-tested-here' holds a line that is not <patterns>: <reason>: got "*-musllinux_*". Give one '<patterns>: <reason>' per line`,
    ],
    [{ 'not-built-here': 'cp3*: a | b' }, `Input 'not-built-here' gives a reason with a control character`],
    [{ 'arm-runners': 'sometimes' }, `Input 'arm-runners' is not a boolean: got "sometimes".`],
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
  it('takes the plan from the input or, empty, from the records; links the run when the runner says where it is', () => {
    expect(read({ mode: 'summary' })).toMatchObject({
      plan: '',
      recordsDir: path.join(repoRoot, '.ferrowheel-records'),
    });
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
