/** publish's inputs: defaults, masking before anything else, and the errors that name the fix. */
import path from 'node:path';
import { InputError } from '@ferrowheel/kit/errors';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs.js';

const workspace = path.resolve('/tmp/ws');
const env = { GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: 'me/app', RUNNER_TEMP: '/tmp/rt' };

function read(values: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const masked: string[] = [];
  const inputs = readInputs(mapInputSource(values), { ...env, ...extraEnv }, (s) => masked.push(s));
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
      readInputs(mapInputSource({ token: 'pypi-secret', 'github-token': 'ghs_x', retries: 'x' }), env, (s) =>
        masked.push(s),
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

describe('attestations', () => {
  const oidc = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://gh/token', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'r' };
  const TEST_PYPI = 'https://test.pypi.org/legacy/';
  const OTHER = 'https://pypi.example.com/legacy/';

  it.each<[string, Record<string, string>, Record<string, string>, boolean]>([
    ['PyPI with trusted publishing', {}, oidc, true],
    ['TestPyPI with trusted publishing', { 'repository-url': TEST_PYPI }, oidc, true],
    [
      'PyPI with a token (PyPI takes attestations only with trusted publishing)',
      { token: 'pypi-x' },
      oidc,
      false,
    ],
    ['PyPI without OIDC', { token: 'pypi-x' }, {}, false],
    ['another index, even with trusted publishing', { 'repository-url': OTHER }, oidc, false],
    ['auto spelled out', { attestations: 'auto' }, oidc, true],
    ['false', { attestations: 'false' }, oidc, false],
    [
      'true for another index with trusted publishing',
      { attestations: 'true', 'repository-url': OTHER },
      oidc,
      true,
    ],
  ])('auto and explicit: %s', (_, values, extraEnv, expected) => {
    expect(read(values, extraEnv).inputs.attestations).toBe(expected);
  });

  it('true without OIDC, or with trusted publishing off, is an input error naming the need for trusted publishing', () => {
    for (const [values, extraEnv] of [
      [{ attestations: 'true', token: 'pypi-x' }, {}],
      [{ attestations: 'true', token: 'pypi-x', 'trusted-publishing': 'false' }, oidc],
    ] as const) {
      let error: unknown;
      try {
        read(values, extraEnv);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(
        /^Input 'attestations' asks for PEP 740 attestations, which need trusted publishing/,
      );
    }
  });

  it('points at the public-good Sigstore unless told otherwise; another instance must be https or loopback', () => {
    expect(read({}).inputs.sigstore).toEqual({
      fulcio: 'https://fulcio.sigstore.dev',
      rekor: 'https://rekor.sigstore.dev',
      tsa: undefined,
    });
    expect(read({ 'sigstore-tsa-url': 'http://127.0.0.1:8080/' }).inputs.sigstore.tsa).toBe(
      'http://127.0.0.1:8080',
    );
    expect(() => read({ 'sigstore-fulcio-url': 'http://fulcio.example.com' })).toThrow(
      /Input 'sigstore-fulcio-url' is plain http to fulcio.example.com/,
    );
  });
});
