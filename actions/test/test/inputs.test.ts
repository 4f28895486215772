import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import type { Os } from '@ferrowheel/kit/platform';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-test-inputs-'));
mkdirSync(path.join(workspace, 'sample', 'tests'), { recursive: true });
mkdirSync(path.join(workspace, 'rust'), { recursive: true });
writeFileSync(path.join(workspace, 'README.md'), '');
symlinkSync('/etc', path.join(workspace, 'etc-link'));
type Environment = { workspace: string; runnerTemp: string; os: Os };
const environment: Environment = { workspace, runnerTemp: '/tmp/runner', os: 'linux' };

const read = (values: Record<string, string>, env: Partial<Environment> = {}) => {
  const { os: platformOs, ...rest } = { ...environment, ...env };
  return readInputs(
    mapInputSource(values),
    runnerContext({
      ...rest,
      platform: { os: platformOs, arch: 'x86_64' },
      env: process.env,
      mask: () => {},
    }),
  );
};

function inputError(values: Record<string, string>, env: Partial<Environment> = {}): string {
  try {
    read(values, env);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(InputError);
    return (thrown as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('readInputs', () => {
  it('has defaults for everything', () => {
    expect(read({})).toEqual({
      wheels: { kind: 'patterns', patterns: ['dist'] },
      python: { program: 'python3', args: [], display: 'python3' },
      tests: undefined,
      requirements: [],
      extras: [],
      groups: [],
      pytestArgs: [],
      installer: 'auto',
      workingDirectory: workspace,
      importCheck: true,
      runner: expect.objectContaining({
        workspace,
        runnerTemp: '/tmp/runner',
        platform: { os: 'linux', arch: 'x86_64' },
      }),
      container: undefined,
      lock: 'auto',
      testCommand: undefined,
      beforeTest: undefined,
      testEnvironment: {},
      testSources: [],
      testSkip: [],
      timeLimitMs: undefined,
    });
    expect(read({}, { os: 'windows' }).python.program).toBe('python');
  });

  it('parses every input into its typed form', () => {
    const inputs = read({
      wheels: `[{"path": "${workspace}/dist/a.whl"}, "dist/b.whl"]`,
      python: '3.12',
      tests: 'sample/tests',
      requirements: 'hypothesis>=6, pytest-xdist\nnumpy ; python_version >= "3.10"',
      extras: 'numpy, plot',
      groups: 'test\ntyping',
      'pytest-args': `-x -k "not slow" -o 'addopts='`,
      installer: 'PIP',
      'import-check': 'false',
    });
    expect(inputs).toMatchObject({
      wheels: { kind: 'files', files: [`${workspace}/dist/a.whl`, 'dist/b.whl'] },
      python: { program: 'python3.12' },
      tests: path.join(workspace, 'sample', 'tests'),
      requirements: ['hypothesis>=6', 'pytest-xdist', 'numpy ; python_version >= "3.10"'],
      extras: ['numpy', 'plot'],
      groups: ['test', 'typing'],
      pytestArgs: ['-x', '-k', 'not slow', '-o', 'addopts='],
      installer: 'pip',
      importCheck: false,
    });
  });

  it('resolves tests against working-directory, and may leave it within the workspace', () => {
    expect(read({ 'working-directory': 'rust', tests: '../sample/tests' }).tests).toBe(
      path.join(workspace, 'sample', 'tests'),
    );
  });

  it('names the input, the value and the fix for every bad value', () => {
    expect(inputError({ tests: 'nope' })).toBe(
      `Input 'tests' does not exist (looked for ${path.join(workspace, 'nope')}): got "nope". Give the directory holding your pytest tests, relative to working-directory.`,
    );
    expect(inputError({ tests: 'README.md' })).toMatch(
      /^Input 'tests' is a file \(.*README\.md\), not a directory/,
    );
    expect(inputError({ tests: '../../etc' })).toMatch(/^Input 'tests' points outside the workspace/);
    expect(inputError({ requirements: 'pytest ???' })).toBe(
      `Input 'requirements' is not a PEP 508 requirement, a path or a URL: got "???". Give one requirement per line, e.g. 'pytest-xdist>=3' or 'hypothesis[cli]'.`,
    );
    expect(inputError({ requirements: 'pytest\n--index-url=https://evil.example/simple' })).toBe(
      `Input 'requirements' is an installer option; only -r <file> is taken here: got "--index-url=https://evil.example/simple". Give requirements, paths or URLs; set index options in the environment instead (PIP_INDEX_URL, UV_INDEX_URL, PIP_EXTRA_INDEX_URL...).`,
    );
    expect(inputError({ extras: 'ok, not/ok' })).toBe(
      `Input 'extras' holds 'not/ok', which is not a valid extra name: got "not/ok". Give extra names separated by commas, spaces or newlines (letters, digits, '-', '_', '.').`,
    );
    expect(inputError({ groups: '-bad' })).toMatch(
      /^Input 'groups' holds '-bad', which is not a valid dependency group name/,
    );
    expect(inputError({ 'pytest-args': '-k "x' })).toBe(
      `Input 'pytest-args' cannot be split into arguments (unclosed double quote at character 4): got "-k \\"x". Close the quote, or escape it with a backslash.`,
    );
    expect(inputError({ python: 'python -X dev' })).toBe(
      `Input 'python' is not one program (a command name has no spaces or quotes): got "python -X dev". Give a Python interpreter as one path to an executable file, or a command name on PATH; arguments cannot be given here.`,
    );
    // A path with arguments is one (missing) file, never a command line.
    expect(inputError({ python: '/bin/sh -c "touch MARKER"' })).toContain(
      `Input 'python' names no file (looked for /bin/sh -c "touch MARKER")`,
    );
    expect(inputError({ python: 'README.md' })).toContain("Input 'python' is not a command found on PATH");
    expect(inputError({ python: './README.md' })).toContain(
      "Input 'python' names a file that is not executable",
    );
    expect(inputError({ wheels: '{"path": "a.whl"}' })).toMatch(
      /^Input 'wheels' is JSON but not an array of wheels/,
    );
    expect(inputError({ wheels: '[]' })).toMatch(
      /^Input 'wheels' is an empty list: the build step produced no wheels/,
    );
    expect(inputError({ wheels: '[nope' })).toMatch(/^Input 'wheels' looks like JSON but does not parse/);
    expect(inputError({ installer: 'poetry' })).toBe(
      `Input 'installer' is not one of the allowed values: got "poetry". Use one of: auto, uv, pip.`,
    );
    expect(inputError({ 'working-directory': 'missing' })).toMatch(
      /^Input 'working-directory' does not exist/,
    );
  });

  it.each([
    [
      { wheels: '/tmp/elsewhere/dist' },
      "Input 'wheels' points outside the workspace",
      '"/tmp/elsewhere/dist"',
    ],
    [{ wheels: '../dist/*.whl' }, "Input 'wheels' points outside the workspace", '"../dist/*.whl"'],
    [{ wheels: '/etc/**/*.whl' }, "Input 'wheels' points outside the workspace", '"/etc/**/*.whl"'],
    [{ wheels: 'etc-link' }, "Input 'wheels' leads outside the workspace", `to ${realpathSync('/etc')}`],
    [{ wheels: 'etc-link/*.whl' }, "Input 'wheels' leads outside the workspace", '"etc-link/*.whl"'],
    [{ wheels: '["/etc/x.whl"]' }, "Input 'wheels' points outside the workspace", '"/etc/x.whl"'],
    [
      { requirements: '-r ../../../etc/passwd' },
      "Input 'requirements' points outside the workspace",
      '"../../../etc/passwd"',
    ],
    [
      { requirements: '--requirement=etc-link/passwd' },
      "Input 'requirements' leads outside the workspace",
      '"etc-link/passwd"',
    ],
    [
      { requirements: './etc-link/x.whl' },
      "Input 'requirements' leads outside the workspace",
      '"./etc-link/x.whl"',
    ],
    [
      { requirements: 'pkg @ file:///etc/pkg' },
      "Input 'requirements' points outside the workspace",
      '"/etc/pkg"',
    ],
  ])('keeps %j inside the workspace by real path', (values, problem, shown) => {
    const message = inputError(values);
    expect(message).toContain(problem);
    expect(message).toContain(shown);
    expect(message).toContain('inside the checkout');
  });
  it('takes requirement files and paths inside the workspace', () => {
    expect(read({ requirements: '-r README.md\n./sample' }).requirements).toEqual([
      '--requirement=README.md',
      './sample',
    ]);
  });

  it('refuses a line break in a single-line input, and takes several lines where a list is meant', () => {
    expect(inputError({ tests: 'sample/tests\n::error::x' })).toContain("Input 'tests' holds a line break");
    expect(inputError({ python: 'python3\n::error::x' })).toContain("Input 'python' holds a line break");
    expect(read({ extras: 'a\nb' }).extras).toEqual(['a', 'b']);
  });
});

describe('container and docker-platform', () => {
  it("take an image and its platform; python then names the image's interpreter", () => {
    const inputs = read({ container: 'python:3.12-slim', 'docker-platform': 'linux/arm64', python: '3.12' });
    expect(inputs.container).toEqual({
      image: 'python:3.12-slim',
      platform: { os: 'linux', architecture: 'arm64', variant: '' },
    });
    expect(inputs.python).toEqual({ program: 'python3.12', args: [], display: 'python3.12' });
    expect(
      read({ container: `quay.io/pypa/manylinux_2_28_aarch64@sha256:${'a'.repeat(64)}` }).container,
    ).toEqual({
      image: `quay.io/pypa/manylinux_2_28_aarch64@sha256:${'a'.repeat(64)}`,
      platform: undefined,
    });
    // An absolute path is the image's, never checked on the runner.
    expect(
      read({ container: 'alpine:3.20', python: '/opt/python/cp312-cp312/bin/python' }).python.program,
    ).toBe('/opt/python/cp312-cp312/bin/python');
    expect(
      read({ container: 'localhost:5000/py/arm:3.12', 'docker-platform': 'linux/arm' }).container?.platform,
    ).toEqual({
      os: 'linux',
      architecture: 'arm',
      variant: 'v7',
    });
  });

  it('refuse what is not an image, a platform docker runs, or a path in the image', () => {
    expect(inputError({ container: '--privileged' })).toContain(
      "Input 'container' is not a docker image reference",
    );
    expect(inputError({ container: 'Python:3.12' })).toContain('is not a docker image reference');
    expect(inputError({ container: 'python:3.12', 'docker-platform': 'linux/arm65' })).toContain(
      "names the architecture 'arm65', which docker does not run",
    );
    expect(inputError({ container: 'python:3.12', 'docker-platform': 'windows/amd64' })).toContain(
      'containers test Linux wheels only',
    );
    expect(inputError({ container: 'python:3.12', 'docker-platform': 'arm64' })).toContain(
      'os/architecture[/variant]',
    );
    expect(inputError({ 'docker-platform': 'linux/arm64' })).toContain("is set without 'container'");
    expect(inputError({ container: 'python:3.12', python: 'bin/python' })).toContain('is a relative path');
    expect(inputError({ container: 'python:3.12' }, { os: 'windows' })).toContain('on Linux runners');
  });
});
