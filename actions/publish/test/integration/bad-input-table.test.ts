/**
 * publish's bad inputs as one table, through the bundle (see packages/harness/src/bad-inputs.ts
 * for what each case checks; bad-inputs.test.ts holds the scenarios that need real packages).
 * Every case fails before anything is uploaded; none needs a built wheel.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { deadPort } from '@ferrowheel/harness/fake-index';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { afterAll } from '@jest/globals';
import { fakeWheel } from './helpers.js';

const workspace = () => freshDir('bad-publish');
const TOKEN = 'pypi-AgEIcHlwaS5vcmcSECRETbadinputtable';
const GITHUB_TOKEN = 'ghs_SECRETbadinputtable0123456789';

const URL_FIX = 'Use';

/** A server's own secrets in the URLs it redirects to: never to be shown either. */
const SIGNATURE = 'SIGsecretFromTheServer';
const PATH_SECRET = 'movedaccountkey';

/**
 * An index that answers uploads and reads the wrong way, by path: `/moved/` redirects the upload
 * to a URL holding the token, `/forbidden/` refuses it (HTTP 403, as Warehouse words it),
 * `/accepts/` takes it but redirects (`/accepts/redirect/`) or forbids (`/accepts/forbid/`) the
 * reads that verify it. Started on first use (jest starts concurrent cases before beforeAll).
 */
let index: Promise<{ server: Server; base: string }> | undefined;
function wrongIndex(): Promise<string> {
  index ??= new Promise((resolve) => {
    const server = createServer((req, res) => {
      req.resume();
      const url = req.url ?? '';
      if (url.startsWith('/moved/')) {
        res.writeHead(301, {
          location: `https://new.example/${PATH_SECRET}/legacy/?token=${TOKEN}&sig=${SIGNATURE}`,
        });
      } else if (url.startsWith('/forbidden/')) {
        res.writeHead(403, 'Invalid or non-existent authentication information.');
      } else if (url === '/accepts/legacy/' && req.method === 'POST') {
        res.writeHead(200);
      } else if (url.startsWith('/accepts/redirect/')) {
        res.writeHead(302, { location: `https://cdn.example/demo/?token=${TOKEN}&sig=${SIGNATURE}` });
      } else if (url.startsWith('/accepts/forbid/')) {
        res.writeHead(403, 'Forbidden');
      } else {
        res.writeHead(404);
      }
      res.end();
    });
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
  return index.then((started) => started.base);
}
afterAll(async () => {
  const started = await index;
  await new Promise<void>((resolve) => (started ? started.server.close(() => resolve()) : resolve()));
});

/** A workspace with one small wheel to publish. */
function withWheel(): string {
  const dir = workspace();
  mkdirSync(path.join(dir, 'dist'));
  fakeWheel(path.join(dir, 'dist'), 'demo-1.0-py3-none-any.whl', 'demo', '1.0');
  return dir;
}
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
  // an index that cannot be reached, redirects, or refuses
  {
    name: 'repository-url: an index that cannot be reached',
    inputs: async () => ({ 'repository-url': `http://127.0.0.1:${await deadPort()}/legacy/`, retries: '0' }),
    workspace: withWheel,
    expect: {
      mentions: ['could not be reached', "check 'repository-url'"],
      fix: "run the job again with 'skip-existing: true'",
    },
  },
  {
    name: 'repository-url: an index that redirects the upload to a URL holding the token',
    inputs: async () => ({ 'repository-url': `${await wrongIndex()}/moved/legacy/`, retries: '0' }),
    workspace: withWheel,
    secrets: [SIGNATURE, PATH_SECRET],
    expect: {
      mentions: [
        'redirected the upload of demo-1.0-py3-none-any.whl (HTTP 301 to https://new.example/***/?token=***&sig=***)',
      ],
      fix: "Set 'repository-url' to the upload endpoint itself",
    },
  },
  {
    name: 'repository-url: an index that answers the upload with HTTP 403',
    inputs: async () => ({ 'repository-url': `${await wrongIndex()}/forbidden/legacy/`, retries: '0' }),
    workspace: withWheel,
    expect: {
      mentions: [
        'with HTTP 403 (forbidden): Invalid or non-existent authentication information',
        'The usual causes',
      ],
      fix: "with 'username: __token__'",
    },
  },
  {
    name: 'index-url: an index whose page redirects to a URL holding the token (verification)',
    inputs: async () => ({
      'repository-url': `${await wrongIndex()}/accepts/legacy/`,
      'index-url': `${await wrongIndex()}/accepts/redirect/simple/`,
      retries: '0',
    }),
    workspace: withWheel,
    secrets: [SIGNATURE],
    expect: {
      mentions: [
        'answered HTTP 302, a redirect to https://cdn.example/***/?token=***&sig=***',
        'which is not followed',
      ],
      fix: "set 'index-url' to the simple API the index serves directly",
    },
  },
  {
    name: 'index-url: an index that forbids reading its pages (verification, HTTP 403)',
    inputs: async () => ({
      'repository-url': `${await wrongIndex()}/accepts/legacy/`,
      'index-url': `${await wrongIndex()}/accepts/forbid/simple/`,
      retries: '0',
    }),
    workspace: withWheel,
    expect: {
      mentions: [
        'answered HTTP 403',
        'HTTP 403 (forbidden) on a read usually means the index wants credentials to read',
      ],
      fix: "set 'index-url' to a simple API these credentials can read, or set 'verify: false'",
    },
  },
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
