import { describe, expect, it } from '@jest/globals';
import { splitShellWords } from '../src/shell-words.js';

function words(text: string): string[] {
  const result = splitShellWords(text);
  if (!result.ok) throw new Error(result.problem);
  return result.words;
}

describe('splitShellWords', () => {
  it('splits on any white space and drops empty runs', () => {
    expect(words('  -x\t--maxfail=2 \n -q ')).toEqual(['-x', '--maxfail=2', '-q']);
    expect(words('')).toEqual([]);
    expect(words('   ')).toEqual([]);
  });

  it('keeps single-quoted text literally, backslashes and double quotes included', () => {
    expect(words(`-k 'slow and not "db"' 'a\\b'`)).toEqual(['-k', 'slow and not "db"', 'a\\b']);
  });

  it('keeps double-quoted text, unescaping only \\" and \\\\', () => {
    expect(words('-k "slow and not db" "say \\"hi\\"" "C:\\tmp\\\\x"')).toEqual([
      '-k',
      'slow and not db',
      'say "hi"',
      'C:\\tmp\\x',
    ]);
  });

  it('joins adjacent parts into one word and keeps empty quoted words', () => {
    expect(words(`--name="a b"'c d'e`)).toEqual(['--name=a bc de']);
    expect(words(`-o "" ''`)).toEqual(['-o', '', '']);
  });

  it('escapes white space and quotes outside quotes, keeps other backslashes (Windows paths)', () => {
    expect(words('a\\ b \\"q\\" C:\\tmp\\tests')).toEqual(['a b', '"q"', 'C:\\tmp\\tests']);
  });

  it('never interprets shell syntax', () => {
    expect(words('$HOME `id` $(id) ; rm -rf / | cat > out *.py')).toEqual([
      '$HOME',
      '`id`',
      '$(id)',
      ';',
      'rm',
      '-rf',
      '/',
      '|',
      'cat',
      '>',
      'out',
      '*.py',
    ]);
  });

  it('reports an unclosed quote with its position', () => {
    expect(splitShellWords(`-k 'slow`)).toEqual({
      ok: false,
      problem: 'unclosed single quote at character 4',
    });
    expect(splitShellWords('-k "slow')).toEqual({
      ok: false,
      problem: 'unclosed double quote at character 4',
    });
  });
});
