import { describe, expect, it } from '@jest/globals';
import { type CompilerMessage, messageParser } from '../src/compiler-messages.js';

function parse(lines: string[], existing: string[] = []): CompilerMessage[] {
  const parser = messageParser({
    workspace: '/w',
    roots: ['/w/crates', '/w/crates/py'],
    exists: (f) => existing.includes(f),
  });
  return lines.map((l) => parser.push(l)).filter((m): m is CompilerMessage => m !== undefined);
}

describe('messageParser', () => {
  it('pairs an error header with its location, relative to the workspace', () => {
    expect(
      parse(
        [
          '   Compiling setup v0.1.0 (/w/crates/py)',
          'error[E0308]: mismatched types',
          ' --> py/src/lib.rs:5:5',
          '  |',
          '5 |     "yes"',
          'error: could not compile `setup` (lib) due to 1 previous error',
        ],
        ['/w/crates/py/src/lib.rs'],
      ),
    ).toEqual([
      {
        level: 'error',
        message: 'mismatched types (E0308)',
        file: 'crates/py/src/lib.rs',
        line: 5,
        column: 5,
      },
    ]);
  });

  it('tries each root and takes the one where the file exists', () => {
    expect(
      parse(['error: unused variable `x`', '  --> src/lib.rs:3:9'], ['/w/crates/py/src/lib.rs'])[0]?.file,
    ).toBe('crates/py/src/lib.rs');
  });

  it('strips colour codes and reports warnings as warnings', () => {
    const [message] = parse([
      '\u001b[1m\u001b[33mwarning\u001b[0m: unused import: `x`',
      '\u001b[1;34m --> \u001b[0msrc/a.rs:1:5',
    ]);
    expect(message).toMatchObject({
      level: 'warning',
      message: 'unused import: `x`',
      file: 'crates/src/a.rs',
    });
  });

  it('ignores summary lines and locations without a header', () => {
    expect(
      parse([
        'error: could not compile `setup`',
        ' --> src/lib.rs:1:1',
        'error: aborting due to 2 previous errors',
      ]),
    ).toEqual([]);
  });
});
