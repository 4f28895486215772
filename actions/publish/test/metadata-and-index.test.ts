/** Core metadata, index endpoints, and the simple API readers (one of them against a live server). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '@ferrowheel/kit/errors';
import { describe, expect, it } from '@jest/globals';
import { first, parseCoreMetadata, uploadFields } from '../src/core-metadata.js';
import { answerText } from '../src/legacy-upload.js';
import { resolveIndex } from '../src/repository.js';
import { parseSimpleHtml, parseSimpleJson, projectFiles } from '../src/simple-index.js';

const HASH = 'a'.repeat(64);

describe('core metadata', () => {
  const text = [
    'Metadata-Version: 2.4',
    'Name: my_pkg',
    'Version: 1.0.0',
    'Classifier: A :: B',
    'Classifier: C :: D',
    'Project-URL: Source, https://example.com/src',
    'Requires-Dist: numpy>=2; extra == "np"',
    'Description-Content-Type: text/markdown',
    '',
    '# My package',
    '',
    'Long text.',
    '',
  ].join('\n');

  it('parses headers (repeated ones kept in order) and the body as the description', () => {
    const metadata = parseCoreMetadata(text);
    expect(first(metadata, 'name')).toBe('my_pkg');
    expect(metadata.fields.get('Classifier')).toEqual(['A :: B', 'C :: D']);
    expect(metadata.description).toBe('# My package\n\nLong text.');
  });

  it('maps fields to the upload form names Warehouse reads', () => {
    expect(uploadFields(parseCoreMetadata(text))).toEqual([
      ['metadata_version', '2.4'],
      ['name', 'my_pkg'],
      ['version', '1.0.0'],
      ['classifiers', 'A :: B'],
      ['classifiers', 'C :: D'],
      ['project_urls', 'Source, https://example.com/src'],
      ['requires_dist', 'numpy>=2; extra == "np"'],
      ['description_content_type', 'text/markdown'],
      ['description', '# My package\n\nLong text.'],
    ]);
  });

  it('reads an old-style folded Description header', () => {
    expect(parseCoreMetadata('Name: x\nDescription: line one\n       |line two\n').description).toBe(
      'line one\nline two',
    );
    expect(parseCoreMetadata('Name: x\nDescription: line one\n          indented\n').description).toBe(
      'line one\n  indented',
    );
  });
});

describe('resolveIndex', () => {
  it('knows PyPI and TestPyPI', () => {
    expect(resolveIndex('', '')).toEqual({
      repositoryUrl: 'https://upload.pypi.org/legacy/',
      indexUrl: 'https://pypi.org/simple/',
      oidcBase: 'https://pypi.org',
      label: 'PyPI',
      indexUrlDerived: true,
    });
    expect(resolveIndex('https://test.pypi.org/legacy/', '')).toMatchObject({
      indexUrl: 'https://test.pypi.org/simple/',
      oidcBase: 'https://test.pypi.org',
      label: 'TestPyPI',
    });
  });

  it('derives <base>/simple/ for other indexes, or takes index-url', () => {
    expect(resolveIndex('https://pypi.example.com/root/legacy/', '')).toMatchObject({
      indexUrl: 'https://pypi.example.com/root/simple/',
      oidcBase: 'https://pypi.example.com',
      label: 'pypi.example.com',
    });
    expect(resolveIndex('http://127.0.0.1:8080', '')).toMatchObject({
      indexUrl: 'http://127.0.0.1:8080/simple/',
    });
    expect(resolveIndex('https://a.example/upload', 'https://b.example/simple')).toMatchObject({
      indexUrl: 'https://b.example/simple/',
      indexUrlDerived: false,
    });
  });

  it('refuses non-URLs, other schemes, plain http off loopback and credentials in the URL', () => {
    expect(() => resolveIndex('upload.pypi.org/legacy', '')).toThrow(InputError);
    expect(() => resolveIndex('ftp://x.example/', '')).toThrow("Input 'repository-url' uses ftp:, not https");
    expect(() => resolveIndex('https://pypi.org/legacy/', 'http://mirror.example/simple/')).toThrow(
      "Input 'index-url' is plain http to mirror.example",
    );
    let message = '';
    try {
      resolveIndex('https://me:s3cret@x.example/legacy/', '');
    } catch (thrown) {
      message = (thrown as Error).message;
    }
    expect(message).toContain('has credentials in it');
    expect(message).not.toContain('s3cret');
  });
});

describe('simple API', () => {
  it('reads PEP 503 HTML links with #sha256= fragments, relative to the page', () => {
    const html = `<html><body><a href="../../packages/x-1.0.tar.gz#sha256=${HASH.toUpperCase()}">x-1.0.tar.gz</a><br>
      <a href='/f/x-1.0-py3-none-any.whl?a=1&amp;b=2' data-requires-python="&gt;=3.9">x-1.0-py3-none-any.whl</a></body></html>`;
    expect(parseSimpleHtml(html, 'http://i.example/simple/x/')).toEqual([
      { filename: 'x-1.0.tar.gz', url: 'http://i.example/packages/x-1.0.tar.gz', sha256: HASH },
      {
        filename: 'x-1.0-py3-none-any.whl',
        url: 'http://i.example/f/x-1.0-py3-none-any.whl?a=1&b=2',
        sha256: undefined,
      },
    ]);
  });

  it('reads PEP 691 JSON', () => {
    expect(
      parseSimpleJson(
        { files: [{ filename: 'x-1.0.tar.gz', url: 'x-1.0.tar.gz', hashes: { sha256: HASH } }] },
        'https://i.example/simple/x/',
      ),
    ).toEqual([{ filename: 'x-1.0.tar.gz', url: 'https://i.example/simple/x/x-1.0.tar.gz', sha256: HASH }]);
  });

  it('asks for JSON, reads it from a live server, and takes 404 as no files yet', async () => {
    const accepts: string[] = [];
    const server = http.createServer((req, res) => {
      accepts.push(String(req.headers.accept));
      if (req.url === '/simple/my-pkg/') {
        res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
        res.end(
          JSON.stringify({
            meta: { 'api-version': '1.1' },
            name: 'my-pkg',
            files: [{ filename: 'my_pkg-1.0.tar.gz', url: '/f/my_pkg-1.0.tar.gz', hashes: { sha256: HASH } }],
          }),
        );
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
    try {
      expect(await projectFiles(base, 'My_Pkg', { attempts: 1 })).toEqual([
        {
          filename: 'my_pkg-1.0.tar.gz',
          url: `${base.replace('/simple/', '')}/f/my_pkg-1.0.tar.gz`,
          sha256: HASH,
        },
      ]);
      expect(await projectFiles(base, 'absent', { attempts: 1 })).toEqual([]);
      expect(accepts[0]).toMatch(/^application\/vnd\.pypi\.simple\.v1\+json/);
    } finally {
      server.close();
    }
  });
});

describe('answerText', () => {
  it('redacts the credentials an index echoes, whole and line by line, before cutting the text', () => {
    const token = 'pypi-AgEIcHlwaS5vcmcCJGFiY2RlZg';
    const basic = Buffer.from(`__token__:${token}`).toString('base64');
    const page = `<html><body><pre>Invalid token ${token}\nAuthorization: Basic ${basic}</pre></body></html>`;
    const text = answerText('403 Forbidden', page, [token, basic]);
    expect(text).toBe('403 Forbidden: Invalid token *** Authorization: Basic ***');
    // A long answer that would be cut in the middle of the token.
    const long = `${'x'.repeat(390)} ${token}`;
    expect(answerText('', long, [token])).not.toContain(token.slice(0, 8));
    // A multi-line secret, echoed with its line break collapsed to a space.
    const twoLines = 'first-half-abc\nsecond-half-def';
    expect(answerText('Forbidden', '<p>first-half-abc second-half-def</p>', [twoLines])).toBe(
      'Forbidden: *** ***',
    );
    expect(answerText('Forbidden', '<p>first-half-abc\n  second-half-def</p>', [twoLines])).toBe(
      'Forbidden: *** ***',
    );
  });

  it("takes pypiserver's <pre> message and Warehouse's status line", () => {
    const page =
      '<html><head><style>body {}</style></head><body><p>Sorry:</p><pre>Package &#039;x.whl&#039; already exists!\n  Start with --overwrite.</pre></body></html>';
    expect(answerText('Conflict', page)).toBe(
      "Conflict: Package 'x.whl' already exists! Start with --overwrite.",
    );
    expect(answerText("400 File already exists ('x.whl', with blake2_256 hash 'ab').", '')).toBe(
      "400 File already exists ('x.whl', with blake2_256 hash 'ab').",
    );
  });
});
