/**
 * setup-maturin's bad inputs, through the bundle (see packages/harness/src/bad-inputs.ts for what
 * each case checks). Every case fails before anything is downloaded; the index cases talk to a
 * server on 127.0.0.1 that answers the wrong thing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BAD,
  type BadInputCase,
  badInputTable,
  booleanInputCases,
  directoryInputCases,
  fixFor,
  HUGE_FIX,
  NEWLINE_FIX,
  urlCredentialCases,
  withFiles,
} from '@ferrowheel/harness/bad-inputs';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { maskedUrlText } from '@ferrowheel/kit/inputs';
import { afterAll } from '@jest/globals';

const workspace = () => freshDir('bad-setup-maturin');

/**
 * An "index" whose JSON API answers HTML, JSON of another shape, or 404; started on first use
 * (jest starts concurrent tests before beforeAll hooks have finished).
 */
let server: Promise<{ server: Server; base: string }> | undefined;
function wrongIndex(): Promise<string> {
  server ??= new Promise((resolve) => {
    const s = createServer((req, res) => {
      if (req.url?.startsWith('/html/')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html>\n<html><body>Welcome to our mirror</body></html>');
      } else if (req.url?.startsWith('/json/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"projects": []}');
      } else {
        // Echoes the request, as careless servers do: a path token must not come back through it.
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${req.url}`);
      }
    });
    s.listen(0, '127.0.0.1', () =>
      resolve({ server: s, base: `http://127.0.0.1:${(s.address() as AddressInfo).port}` }),
    );
  });
  return server.then((s) => s.base);
}
afterAll(async () => {
  const started = await server;
  await new Promise<void>((resolve) => (started ? started.server.close(() => resolve()) : resolve()));
});

const VERSION_FIX = "Use an exact version such as '1.16.0'";
const URL_FIX = 'Use the base URL of a PyPI-compatible index';
/** Asks the index first, with an empty tool cache, so the index's answer decides. */
const askIndex = () => ({ version: 'latest' });
const emptyToolCache = () => freshDir('bad-setup-maturin-tc');

const versionCases = (input: string): BadInputCase[] =>
  (
    [
      ['not a version', 'bogus!'],
      ['an option', BAD.option],
      ['a newline', '1.16.0\n::warning::INJECTED'],
      ['unicode', BAD.unicode],
      ['100 KB', BAD.huge],
      ['a traversal', '../1.0'],
      ['an absolute path', '/1.0'],
      ['two versions', '1.0 2.0'],
    ] as const
  )
    .filter((_, i) => input === 'version' || i % 3 === 1)
    .map(([what, value]) => ({
      name: `${input}: ${what}`,
      inputs: { [input]: value },
      expect: { input, fix: fixFor(value, VERSION_FIX) },
    }));

const cases: BadInputCase[] = [
  ...versionCases('version'),
  ...versionCases('zig-version'),
  ...versionCases('sccache-version'),
  ...directoryInputCases('working-directory', workspace),
  // booleans and the enum
  ...booleanInputCases('check-latest', ['maybe']),
  ...booleanInputCases('zig', ['--yes']),
  ...booleanInputCases('sccache', [BAD.unicode]),
  ...(
    [
      ['a wrong enum', 'pip'],
      ['an option', '--venv'],
      ['unicode', BAD.unicode],
      ['100 KB', BAD.huge],
    ] as const
  ).map(([what, value]) => ({
    name: `method: ${what}`,
    inputs: { method: value },
    expect: { input: 'method', fix: value === BAD.huge ? HUGE_FIX : 'Use one of: auto, wheel, venv.' },
  })),
  // index-url
  ...(
    [
      ['not a URL', 'pypi.org', URL_FIX],
      ['an option', '--index-url=https://evil.example', URL_FIX],
      ['another scheme', 'ftp://pypi.example.com', URL_FIX],
      ['a file URL', 'file:///etc/passwd', URL_FIX],
      ['plain http to another host', 'http://pypi.example.com', 'Use the https:// URL of the index'],
      ['a newline', 'https://pypi.org\n::warning::INJECTED', NEWLINE_FIX],
      ['100 KB', BAD.huge, HUGE_FIX],
    ] as const
  ).map(([what, value, fix]) => ({
    name: `index-url: ${what}`,
    inputs: { 'index-url': value },
    expect: { input: 'index-url', value: maskedUrlText(value), fix },
  })),
  ...urlCredentialCases('index-url', 'https://pypi.example.com/'),
  {
    name: 'index-url: a password in it',
    inputs: { 'index-url': 'https://me:s3cr3t-index-pw@pypi.example.com/' },
    secrets: ['s3cr3t-index-pw'],
    expect: {
      input: 'index-url',
      value: 'https://***:***@pypi.example.com/',
      fix: 'keep tokens out of workflow inputs',
    },
  },
  ...(
    [
      ['answers HTML', 'html', 'text/html, not JSON'],
      ['answers JSON of another shape', 'json', 'no "releases"'],
      ['has no such package (404)', 'missing', 'answered 404'],
    ] as const
  ).map(([what, prefix, cause]) => ({
    name: `index-url: an index that ${what}`,
    inputs: async () => ({ ...askIndex(), 'index-url': `${await wrongIndex()}/${prefix}` }),
    env: { RUNNER_TOOL_CACHE: emptyToolCache() },
    expect: { mentions: ['is not a PyPI JSON API index', cause], fix: "Set 'index-url' to the base URL" },
  })),
  {
    // A hosted index's URL with the token as a path segment that does not look like a token:
    // everything after the host of an index that is not PyPI's is masked in every message.
    name: 'index-url: a token as a plain path segment, on an index that answers 404',
    inputs: async () => ({ ...askIndex(), 'index-url': `${await wrongIndex()}/mycompanykey/acct/` }),
    env: { RUNNER_TOOL_CACHE: emptyToolCache() },
    secrets: ['mycompanykey'],
    expect: {
      mentions: ['/*** is not a PyPI JSON API index', '/***/pypi/maturin/json', 'answered 404'],
      fix: "Set 'index-url' to the base URL",
    },
  },
  // pyproject.toml (read for the default version)
  {
    name: 'pyproject.toml: a directory',
    inputs: {},
    workspace: withFiles(workspace, { 'pyproject.toml/': '' }),
    expect: { mentions: ['pyproject.toml', 'is a directory, not a file'], fix: "set the 'version' input" },
  },
  {
    name: 'pyproject.toml: not TOML',
    inputs: {},
    workspace: withFiles(workspace, { 'pyproject.toml': '[build-system\n' }),
    expect: { mentions: ['pyproject.toml', 'is not valid TOML'], fix: 'Fix the syntax error.' },
  },
  {
    name: 'pyproject.toml: a maturin requirement that is not PEP 440',
    inputs: {},
    workspace: withFiles(workspace, { 'pyproject.toml': '[build-system]\nrequires = ["maturin>=one"]\n' }),
    expect: {
      mentions: ['pyproject.toml', 'no valid PEP 440 version constraint'],
      fix: "set the 'version' input",
    },
  },
];

badInputTable('setup-maturin', { workspace, cases });
