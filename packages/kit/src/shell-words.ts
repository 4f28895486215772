/**
 * Splits a command-line string from an action input (`pytest-args: -k "slow and not db" -x`) into
 * argv words the way a POSIX shell splits words, and does nothing else: no variables, globs,
 * command substitution or redirection. The words are then passed to a program as an argv array,
 * never to a shell.
 *
 * - White space (spaces, tabs, newlines) separates words.
 * - '...' keeps everything literally.
 * - "..." keeps everything; inside, a backslash escapes only `"` and `\`.
 * - Outside quotes, a backslash escapes white space, a quote or a backslash; before any other
 *   character it is kept, so Windows paths (`C:\tmp\tests`) need no doubling.
 * - Adjacent parts join into one word (`--name="a b"` is `--name=a b`); `""` is an empty word.
 */

export type SplitResult = { ok: true; words: string[] } | { ok: false; problem: string };

const ESCAPABLE_OUTSIDE = /[\s'"\\]/;

/** Splits `text` into words; returns the problem (an unclosed quote) instead of throwing. */
export function splitShellWords(text: string): SplitResult {
  const words: string[] = [];
  let word = '';
  // A word exists once any part of it was seen, even an empty quoted part.
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return { ok: false, problem: `unclosed single quote at character ${i + 1}` };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const next = text[j + 1];
        if (text[j] === '\\' && (next === '"' || next === '\\')) {
          word += next;
          j++;
        } else {
          word += text[j];
        }
      }
      if (j >= text.length) return { ok: false, problem: `unclosed double quote at character ${i + 1}` };
      inWord = true;
      i = j + 1;
    } else if (ch === '\\' && i + 1 < text.length && ESCAPABLE_OUTSIDE.test(text[i + 1]!)) {
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}
