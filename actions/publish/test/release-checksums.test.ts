/** Reading a release's SHA256SUMS, as `sha256sum` writes it in text or binary mode. */
import { describe, expect, it } from '@jest/globals';
import { parseChecksums } from '../src/github-release.js';

const A = 'a'.repeat(64);
const B = 'B'.repeat(64);

describe('parseChecksums', () => {
  it("reads text ('  ') and binary (' *') lines, CRLF or LF, and lowercases the digest", () => {
    expect(parseChecksums(`${A}  x-1.0.tar.gz\r\n${B} *x-1.0-py3-none-any.whl\n\n`)).toEqual(
      new Map([
        ['x-1.0.tar.gz', A],
        ['x-1.0-py3-none-any.whl', B.toLowerCase()],
      ]),
    );
  });

  it('keeps spaces inside a name', () => {
    expect(parseChecksums(`${A}  a b.whl\n`)).toEqual(new Map([['a b.whl', A]]));
  });

  it('is undefined for anything that is not sha256sum output', () => {
    expect(parseChecksums(`${A.slice(1)}  x.whl\n`)).toBeUndefined();
    expect(parseChecksums(`${A} x.whl\n`)).toBeUndefined();
    expect(parseChecksums('<html>not found</html>')).toBeUndefined();
  });

  it('is empty for an empty file', () => {
    expect(parseChecksums('')).toEqual(new Map());
  });
});
