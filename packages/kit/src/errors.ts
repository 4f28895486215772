/**
 * Typed errors. Every failure a user can fix is a {@link UserError}: its message says what is wrong
 * and ends with how to fix it. Anything else that reaches the runner is a bug or an environment
 * failure and is reported with its stack in debug output.
 */

/** A failure the user can fix; `message` says what is wrong and how to fix it. */
export class UserError extends Error {
  override name = 'UserError';
}

/** Values up to this many characters are shown whole in messages. */
const SHOWN_WHOLE = 120;
/** How much of a longer value a message shows. */
const SHOWN_START = 60;

/**
 * A value as a message shows it: JSON-quoted (so a newline or a quote stays visible and cannot
 * start a new log line), and a long one cut to its start and its length, so a 100 KB input does
 * not fill the log and the reader still sees what it was.
 */
export function showValue(value: string): string {
  const chars = [...value];
  if (chars.length <= SHOWN_WHOLE) return JSON.stringify(value);
  return `${JSON.stringify(chars.slice(0, SHOWN_START).join(''))}… (${chars.length} characters)`;
}

/** A bad action input: names the input, the value given and what is allowed. */
export class InputError extends UserError {
  override name = 'InputError';
  readonly input: string;
  readonly value: string;

  constructor(input: string, value: string, problem: string, fix: string) {
    super(`Input '${input}' ${problem}: got ${showValue(value)}. ${fix}`);
    this.input = input;
    this.value = value;
  }
}

/** A file of the user's project (pyproject.toml, Cargo.toml, ...) that cannot be used. */
export class ProjectError extends UserError {
  override name = 'ProjectError';
  readonly file: string;

  constructor(file: string, problem: string, fix: string) {
    super(`${file}: ${problem}. ${fix}`);
    this.file = file;
  }
}

/** A command that ran and failed. `output` keeps its combined output for diagnosis. */
export class CommandError extends Error {
  override name = 'CommandError';
  readonly command: string;
  readonly exitCode: number;
  readonly output: string;

  constructor(command: string, exitCode: number, output: string) {
    super(`${command} exited with code ${exitCode}`);
    this.command = command;
    this.exitCode = exitCode;
    this.output = output;
  }
}

/** The message of anything thrown: an Error's message, a string as is, anything else as JSON. */
export function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name;
  if (typeof thrown === 'string') return thrown;
  try {
    return `Unexpected non-error thrown: ${JSON.stringify(thrown)}`;
  } catch {
    return `Unexpected non-error thrown: ${String(thrown)}`;
  }
}
