import { describe, expect, it } from '@jest/globals';
import { displayCommand, escapeLogValue, formatCommand, logText } from '../src/log-text.js';

/** What the runner would read as a workflow command in `text` (actions/runner ActionCommand.cs). */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line.trimStart().startsWith('::') || line.includes('##['));
}

describe('escapeLogValue', () => {
  it.each([
    ['a newline that would start ::error::', 'x\n::error::owned'],
    ['a carriage return', 'x\r::add-mask::y'],
    ['CRLF', 'x\r\n::stop-commands::tok'],
    ['the legacy ##[ form mid-line', 'see ##[error]owned'],
    ['a leading ::', '::warning::owned'],
    ['leading white space then ::', '  \t::notice::owned'],
    ['a Unicode line separator', 'x\u2028::error::y'],
  ])('neutralises %s', (_, value) => {
    expect(commandLines(escapeLogValue(value))).toEqual([]);
    expect(commandLines(`prefix ${escapeLogValue(value)}`)).toEqual([]);
  });
  it('shows control characters as visible escapes and keeps ordinary text as it is', () => {
    expect(escapeLogValue('a\nb\rc\u0007d\te')).toBe('a\\nb\\rc\\u0007d\te');
    expect(escapeLogValue('C:\\Program Files\\x std::io 100%')).toBe('C:\\Program Files\\x std::io 100%');
  });
});

describe('logText', () => {
  it('escapes the values and keeps the template as written', () => {
    const user = 'me\n::error::owned';
    expect(logText`Authenticating as '${user}'.\nNext line`).toBe(
      "Authenticating as 'me\\n::error::owned'.\nNext line",
    );
  });
});

describe('formatCommand', () => {
  it('quotes empty words and words with white space, and escapes every word', () => {
    expect(formatCommand('/usr/bin/tool', ['--flag', '', 'a b', 'x\n::error::y'])).toBe(
      '[command]/usr/bin/tool --flag "" "a b" "x\\n::error::y"',
    );
    expect(displayCommand('::x', [])).toBe('\\::x');
  });
});
