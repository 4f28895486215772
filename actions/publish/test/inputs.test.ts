/** publish's inputs: defaults, masking before anything else, and the errors that name the fix. */
import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { githubEnv } from '../src/github-env.js';
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
    });
    expect(githubEnv(inputs.runner.env)).toMatchObject({
      apiUrl: 'https://api.github.com',
      repository: 'me/app',
      oidcRequestUrl: undefined,
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
    expect(githubEnv(inputs.runner.env).oidcRequestUrl).toBe('https://oidc.example/x?api-version=2.0');
    expect(githubEnv(inputs.runner.env).apiUrl).toBe('https://ghe.example/api/v3');
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

  it('refuses a multi-line token without showing it, after masking it', () => {
    const masked: string[] = [];
    let message = '';
    try {
      readInputs(
        mapInputSource({ token: 'pypi-line-one\npypi-line-two' }),
        runnerContext({ env, mask: (s) => masked.push(s) }),
      );
    } catch (thrown) {
      message = (thrown as Error).message;
    }
    expect(message).toContain('Input \'token\' holds a line break, and a token is one line: got "***"');
    expect(message).not.toContain('pypi-line');
    expect(masked).toEqual(['pypi-line-one\npypi-line-two']);
    expect(() => read({ 'github-token': 'ghs_a\rghs_b', 'github-release': 'v1' })).toThrow(
      "Input 'github-token' holds a line break",
    );
  });

  it('masks a token in the path or query of repository-url and index-url, and names them masked', () => {
    const gemfury = 'https://push.fury.io/1a2B3c4D5e6F7g8H/acct/';
    const { inputs, masked } = read({
      'repository-url': gemfury,
      'index-url': 'https://idx.example/simple/?token=q5',
    });
    expect(masked).toEqual(['1a2B3c4D5e6F7g8H', 'push.fury.io/1a2B3c4D5e6F7g8H/acct', 'q5']);
    expect(inputs.index.repositoryUrl).toBe(gemfury);
    const error = (() => {
      try {
        read({ 'repository-url': 'http://pypi.fury.io/1a2B3c4D5e6F7g8H/acct/' });
      } catch (thrown) {
        return (thrown as Error).message;
      }
      return '';
    })();
    expect(error).toContain('got "http://pypi.fury.io/***/"');
    expect(error).not.toContain('1a2B3c4D5e6F7g8H');
  });

  it('refuses a line break in username, so no output or log line can carry one', () => {
    expect(() => read({ username: 'me\n::error::injected' })).toThrow("Input 'username' holds a line break");
  });

  it('refuses packages-dir and packages that leave the workspace through a symlink to /etc', () => {
    const ws = mkdtempSync(path.join(os.tmpdir(), 'publish-inputs-'));
    symlinkSync('/etc', path.join(ws, 'etc-link'));
    const withWs = (values: Record<string, string>) => () => read(values, { GITHUB_WORKSPACE: ws });
    expect(withWs({ 'packages-dir': 'etc-link' })).toThrow(
      `Input 'packages-dir' leads outside the workspace (${ws}) through a symbolic link, to ${realpathSync('/etc')}: got "etc-link".`,
    );
    expect(withWs({ packages: 'etc-link/*.whl' })).toThrow(
      `Input 'packages' holds 'etc-link/*.whl', which leads outside the workspace (${ws}) through a symbolic link`,
    );
    expect(withWs({ packages: '/etc/*.whl' })).toThrow(
      "Input 'packages' holds '/etc/*.whl', which points outside",
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
