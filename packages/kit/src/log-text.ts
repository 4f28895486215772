/**
 * One escape for every value an action echoes to its log.
 *
 * The runner reads each line a step prints. A line that starts (after white space) with `::name`
 * is a workflow command, and so is `##[name]` ANYWHERE in a line: the legacy form, which
 * `ActionCommandManager.TryProcessCommand` still tries after the `::` form (actions/runner
 * src/Runner.Common/ActionCommand.cs `TryParse`). A value holding a line break can therefore start
 * a command line (`::error::`, `::add-mask::`, `::stop-commands::`), and `##[stop-commands]`
 * inside any line switches command processing off for the rest of the step.
 *
 * `escapeLogValue` neutralises all three: line breaks and other control characters become visible
 * escapes (`\n`), `##[` becomes `##\[`, and a leading `::` becomes `\::`. Text the action writes
 * itself needs no escape; what came from an input, a file or a server does: pass it through
 * `escapeLogValue`, or build the line with the {@link logText} tag, which escapes only the values.
 * `@actions/core`'s annotations (`error`, `warning`, `setFailed`, `group`) escape their data
 * already; `core.info` does not.
 */

import { redactSecrets } from './secrets.js';

// C0 controls except tab, DEL, C1 controls, and the Unicode line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

/** `value` made safe to print inside a log line: it cannot start or contain a workflow command. */
export function escapeLogValue(value: string): string {
  return value
    .replace(CONTROL, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replaceAll('##[', '##\\[')
    .replace(/^(\s*)::/, '$1\\::');
}

/**
 * A template tag that escapes every interpolated value with {@link escapeLogValue} (after
 * redacting registered secrets, secrets.ts) and keeps the literal text as written: ``core.info(logText`Authenticating as '${username}'`)``.
 */
export function logText(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += escapeLogValue(redactSecrets(String(value))) + (strings[i + 1] ?? '');
  });
  return out;
}

/**
 * A command as the log shows it: `[command]program arg "arg with space"`, every word escaped.
 * Display only (the quoting is not a shell's); the command itself always runs as an argv array.
 */
export function formatCommand(program: string, args: readonly string[]): string {
  return `[command]${displayCommand(program, args)}`;
}

/** The words of a command for a message: quoted when empty or holding white space, escaped. */
export function displayCommand(program: string, args: readonly string[]): string {
  const words = [program, ...args].map((word) => (word === '' || /\s/.test(word) ? `"${word}"` : word));
  return escapeLogValue(redactSecrets(words.join(' ')));
}
