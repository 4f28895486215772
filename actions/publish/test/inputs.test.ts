/** publish's inputs: defaults, masking before anything else, and the errors that name the fix. */
import path from 'node:path';
import { runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { checkTagName, readInputs } from '../src/inputs.js';

const workspace = path.resolve('/tmp/ws');
const env = { GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: 'me/app', RUNNER_TEMP: '/tmp/rt' };

function read(values: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const masked: string[] = [];
  const inputs = readInputs(
    mapInputSource(values),
    runnerContext({ env: { ...env, ...extraEnv }, mask: (s) => masked.push(s) }),
  );
  return { inputs, masked };
}

describe('readInputs', () => {
  it('has safe defaults: PyPI, dist/, verify on, skip-existing off, no release', () => {
    const { inputs } = read({});
    expect(inputs).toMatchObject({
      packagesDir: path.join(workspace, 'dist'),
      packages: [],
      index: {
        repositoryUrl: 'https://upload.pypi.org/legacy/',
        indexUrl: 'https://pypi.org/simple/',
        label: 'PyPI',
      },
      username: '__token__',
      token: '',
      trustedPublishing: 'auto',
      skipExisting: false,
      githubRelease: undefined,
      dryRun: false,
      verify: true,
      retries: 4,
      retryDelayMs: 2000,
      env: { apiUrl: 'https://api.github.com', repository: 'me/app', oidcRequestUrl: undefined },
    });
  });

  it('masks both tokens before reading anything else (even when a later input is bad)', () => {
    const masked: string[] = [];
    expect(() =>
      readInputs(
        mapInputSource({ token: 'pypi-secret', 'github-token': 'ghs_x', retries: 'x' }),
        runnerContext({ env, mask: (s) => masked.push(s) }),
      ),
    ).toThrow(InputError);
    expect(masked).toEqual(['pypi-secret', 'ghs_x']);
  });

  it('reads a release tag, patterns and the runner context', () => {
    const { inputs } = read(
      {
        'github-release': 'v1.2.0',
        'github-token': 't',
        packages: 'a/*.whl\nb/*.tar.gz',
        'skip-existing': 'yes',
      },
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/x?api-version=2.0',
        GITHUB_API_URL: 'https://ghe.example/api/v3/',
      },
    );
    expect(inputs.githubRelease).toBe('v1.2.0');
    expect(inputs.packages).toEqual(['a/*.whl', 'b/*.tar.gz']);
    expect(inputs.skipExisting).toBe(true);
    expect(inputs.env.oidcRequestUrl).toBe('https://oidc.example/x?api-version=2.0');
    expect(inputs.env.apiUrl).toBe('https://ghe.example/api/v3');
    expect(read({ 'github-release': 'false' }).inputs.githubRelease).toBeUndefined();
  });

  it('refuses a release without a token, a bad tag and a packages-dir outside the workspace', () => {
    expect(() => read({ 'github-release': 'v1', 'github-token': '' })).toThrow(
      "Input 'github-token' is empty, but github-release is set: got \"\". Pass 'github-token: ${{ github.token }}' and give the job 'permissions: contents: write'.",
    );
    expect(() => read({ 'github-release': 'v 1', 'github-token': 't' })).toThrow(
      "Input 'github-release' is not a valid tag name",
    );
    expect(() => read({ packages: 'dist/*.whl ../elsewhere/*.whl' })).toThrow(
      `Input 'packages' holds '../elsewhere/*.whl', which points outside the workspace (${workspace}): got "../elsewhere/*.whl". Give glob patterns relative to the repository root`,
    );
    expect(() => read({ packages: path.resolve('/tmp/other/*.whl') })).toThrow("Input 'packages' holds");
    expect(read({ packages: path.join(workspace, 'wheels-*', '*.whl') }).inputs.packages).toEqual([
      'wheels-*/*.whl',
    ]);
    expect(() => read({ 'packages-dir': '../elsewhere' })).toThrow(
      "Input 'packages-dir' points outside the workspace",
    );
  });
});

describe('checkTagName', () => {
  it.each(['v1.2.0', 'release/2026-11', 'v1.0.0-rc.1', 'ünï'])('accepts %s', (tag) => {
    expect(checkTagName(tag)).toBeUndefined();
  });
  it.each([
    ['../../v1..0', "it holds '..'"],
    ['v1 0', 'it holds a space'],
    ['-v1', "it starts with '-'"],
    ['v1/', 'it has an empty path component'],
    ['v1.', "it ends with '.'"],
    ['.hidden', "a component starts with '.'"],
    ['v1.lock', "ends with '.lock'"],
    ['v@{1}', "it holds '@{'"],
    ['v1\n::warning::x', 'a control character'],
  ])('refuses %j', (tag, problem) => {
    expect(checkTagName(tag)).toContain(problem);
  });
});
