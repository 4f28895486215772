/**
 * publish's bad inputs as one table, through the bundle (see packages/harness/src/bad-inputs.ts
 * for what each case checks; bad-inputs.test.ts holds the scenarios that need real packages).
 * Every case fails before anything is uploaded; none needs a built wheel.
 */
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import {
  BAD,
  type BadInputCase,
  badInputTable,
  booleanInputCases,
  HUGE_FIX,
  inputCases,
  urlCredentialCases,
  urlInputCases,
  withFiles,
} from '@ferrowheel/harness/bad-inputs';
import { freshDir } from '@ferrowheel/harness/workdirs';

const workspace = () => freshDir('bad-publish');
const TOKEN = 'pypi-AgEIcHlwaS5vcmcSECRETbadinputtable';
const GITHUB_TOKEN = 'ghs_SECRETbadinputtable0123456789';

const URL_FIX = 'Use';
const TAG_FIX = "Use a tag such as 'v1.2.0'";

const cases: BadInputCase[] = [
  // packages-dir
  ...inputCases('packages-dir', 'Use a path relative to the repository root', [
    ['a traversal', BAD.traversal],
    ['an absolute path outside', BAD.absolute],
    ['100 KB', BAD.huge],
  ]),
  {
    name: 'packages-dir: a symlink to a directory outside the workspace',
    inputs: { 'packages-dir': 'escape' },
    workspace: () => {
      const dir = workspace();
      symlinkSync('/etc', path.join(dir, 'escape'));
      return dir;
    },
    expect: { input: 'packages-dir', fix: 'inside the checkout' },
  },
  {
    name: 'packages-dir: missing',
    inputs: { 'packages-dir': 'wheelhouse' },
    expect: { mentions: ['wheelhouse does not exist'], fix: "point 'packages-dir' at where the wheels are" },
  },
  {
    name: 'packages-dir: a file',
    inputs: { 'packages-dir': 'dist/demo-1.0-py3-none-any.whl' },
    workspace: withFiles(workspace, { 'dist/demo-1.0-py3-none-any.whl': 'x' }),
    expect: { mentions: ['which is a file, not a directory'], fix: "Point 'packages-dir' at the directory" },
  },
  {
    name: 'packages-dir: a dangling wheel link',
    inputs: {},
    workspace: () => {
      const dir = withFiles(workspace, { 'dist/': '' })();
      symlinkSync(path.join(dir, 'gone.whl'), path.join(dir, 'dist', 'demo-1.0-py3-none-any.whl'));
      return dir;
    },
    expect: { mentions: ['is a symbolic link to', 'which does not exist'], fix: 'Remove the link' },
  },
  {
    name: 'packages-dir: empty',
    inputs: {},
    workspace: withFiles(workspace, { 'dist/': '' }),
    expect: { mentions: ['No wheels or sdists found'], fix: "point 'packages-dir'/'packages' at them" },
  },
  // packages
  ...(
    [
      ['a traversal', 'dist/*.whl ../elsewhere/*.whl', '../elsewhere/*.whl'],
      ['an absolute path outside', '/etc/*.whl', '/etc/*.whl'],
      ['100 KB', BAD.huge, BAD.huge],
    ] as const
  ).map(
    ([what, value, item]): BadInputCase => ({
      name: `packages: ${what}`,
      inputs: { packages: value },
      expect: {
        input: 'packages',
        value: item,
        fix: value === BAD.huge ? HUGE_FIX : 'Give glob patterns relative to the repository root',
      },
    }),
  ),
  // repository-url and index-url
  ...urlInputCases('repository-url', URL_FIX, [
    ['not a URL', 'upload.pypi.org/legacy/'],
    ['another scheme', 'ftp://upload.pypi.org/legacy/'],
    ['plain http to another host', 'http://pypi.example.com/legacy/'],
    ['an option', '--repository-url=https://evil.example/'],
    ['a newline', 'https://upload.pypi.org/legacy/\n::warning::INJECTED'],
    ['100 KB', BAD.huge],
  ]),
  {
    name: 'repository-url: a password in it',
    inputs: { 'repository-url': 'https://me:s3cr3t-repo-pw@pypi.example.com/legacy/' },
    secrets: ['s3cr3t-repo-pw'],
    expect: {
      input: 'repository-url',
      value: 'https://***:***@pypi.example.com/legacy/',
      fix: "pass the token in the 'token' input",
    },
  },
  ...urlCredentialCases('repository-url', 'https://pypi.example.com/legacy/'),
  ...urlCredentialCases('index-url', 'https://pypi.example.com/simple/'),
  ...urlCredentialCases('sigstore-fulcio-url', 'https://fulcio.example.com/'),
  ...urlInputCases('index-url', URL_FIX, [
    ['plain http to another host', 'http://pypi.example.com/simple/'],
    ['not a URL', 'simple'],
    ['100 KB', BAD.huge],
  ]),
  // username and token
  ...inputCases('username', 'one line', [['a newline', '__token__\n::warning::INJECTED']]),
  ...inputCases('username', HUGE_FIX, [['100 KB', BAD.huge]]),
  {
    name: 'token: 100 KB (never shown, not even its start)',
    inputs: { token: `${TOKEN}${'x'.repeat(100 * 1024)}` },
    expect: { input: 'token', value: '***', fix: HUGE_FIX },
  },
  {
    name: 'token: several lines (the runner cannot mask them once joined)',
    inputs: { token: `${TOKEN}\nsecond-line-SECRET` },
    secrets: ['second-line-SECRET'],
    expect: { input: 'token', value: '***', fix: 'one line' },
  },
  // enums and booleans
  ...inputCases('trusted-publishing', 'Use one of: auto, true, false.', [
    ['a wrong enum', 'maybe'],
    ['an option', BAD.option],
  ]),
  ...booleanInputCases('skip-existing', ['maybe']),
  ...booleanInputCases('dry-run', ['--dry-run']),
  ...inputCases('audit', 'Use one of: error, warn, off.', [['strict', 'strict']]),
  ...booleanInputCases('verify', [BAD.unicode]),
  ...booleanInputCases('attestations', ['sometimes']),
  // github-release and github-token
  ...inputCases('github-release', TAG_FIX, [
    ['a traversal with ..', '../../v1..0'],
    ['an option', '-v1.0'],
    ['a newline', 'v1.0\n::warning::INJECTED'],
    ['a .lock component', 'v1.0.lock'],
    ['100 KB', BAD.huge],
  ]),
  {
    name: 'github-token: empty while github-release is set',
    inputs: { 'github-release': 'v1.0', 'github-token': '' },
    expect: { input: 'github-token', value: '', fix: 'permissions: contents: write' },
  },
  // numbers
  ...inputCases('retries', 'Use a number from 0 to 10.', [
    ['not a number', 'lots'],
    ['negative', '-1'],
    ['too many', '99'],
    ['unicode digits', '٣'],
  ]),
  ...inputCases('retry-delay-ms', 'Use a number from 0 to 120000.', [
    ['scientific notation', '1e3'],
    ['too long a wait', '999999999'],
  ]),
];

badInputTable('publish', {
  workspace,
  defaults: { token: TOKEN, 'github-token': GITHUB_TOKEN },
  secrets: [TOKEN, GITHUB_TOKEN],
  // The README: "outputs ... list each file ... also when a run fails halfway".
  partialOutputs: ['published', 'skipped', 'sha256sums', 'attestations', 'release-url'],
  cases,
});
