/**
 * Splits a command-line string from an input (`args: --locked -F "a b"`) into argv words without
 * a shell: whitespace separates words, single quotes keep everything literal, double quotes keep
 * whitespace and allow `\"` and `\\`. A backslash outside quotes escapes only a quote, a
 * backslash or whitespace, so Windows paths such as `C:\src` pass through unchanged.
 * No expansion of any kind (`$VAR`, `~`, globs) happens: what the user wrote is what runs.
 */

/** The words of `text`, or a problem string (unterminated quote) for an InputError. */
export function splitShellWords(text: string): string[] | string {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (next === '"' || next === '\\')) {
        word += next;
        i++;
      } else word += c;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && next !== undefined && /["'\\\s]/.test(next)) {
      word += next;
      inWord = true;
      i++;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) return `has an unterminated ${quote === '"' ? 'double' : 'single'} quote`;
  if (inWord) words.push(word);
  return words;
}
