import { describe, expect, it } from '@jest/globals';
import { splitShellWords } from '../src/shell-words.js';

describe('splitShellWords', () => {
  it.each([
    ['', []],
    ['  --locked   --offline ', ['--locked', '--offline']],
    ['-F "a b" --x=\'c d\'', ['-F', 'a b', '--x=c d']],
    ['"say \\"hi\\"" \'it\\s\'', ['say "hi"', 'it\\s']],
    ['a\\ b c', ['a b', 'c']],
    ['C:\\src\\crate --flag', ['C:\\src\\crate', '--flag']],
    ['"" x', ['', 'x']],
    ['$HOME `id` ; rm', ['$HOME', '`id`', ';', 'rm']],
    ['line1\nline2', ['line1', 'line2']],
  ])('splits %j', (text, words) => {
    expect(splitShellWords(text)).toEqual(words);
  });

  it('reports an unterminated quote', () => {
    expect(splitShellWords('-F "a b')).toBe('has an unterminated double quote');
    expect(splitShellWords("it's")).toBe('has an unterminated single quote');
  });
});
