/**
 * Typed input helpers. Each action's `inputs.ts` is the only caller: it reads every input once,
 * through an {@link InputSource}, into one typed object. Errors name the input, the value and
 * what is allowed.
 */
import path from 'node:path';
import { checkContained, describeEscape } from './containment.js';
import { InputError } from './errors.js';
import { findOnPath, programKind } from './files.js';
import { isValidConstraint, normaliseConstraint } from './pep440.js';
import { type Os, pathFor } from './platform.js';
import { maskUrl, rememberUrlPath } from './secrets.js';
import { splitShellWords } from './shell-words.js';

/** Where raw input strings come from: `INPUT_<NAME>` variables on a runner, a map in tests. */
export type InputSource = (name: string) => string | undefined;

/** Reads inputs the way the runner passes them: `INPUT_` + name upper-cased, spaces to `_`. */
export function envInputSource(env: NodeJS.ProcessEnv = process.env): InputSource {
  return (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
}

/** An input source from a plain object, for tests and for calling `run` from code. */
export function mapInputSource(values: Record<string, string | undefined>): InputSource {
  return (name) => values[name];
}

export interface StringOptions {
  required?: boolean;
  default?: string;
  /** The most characters the input takes; default {@link MAX_INPUT_LENGTH}. */
  maxLength?: number;
  /** Why there is a limit, when it is not just sanity ("GitHub caps a cache key at 512 characters"). */
  maxLengthReason?: string;
  /**
   * Accept line breaks inside the value (lists, argv, requirements). Off by default: a line break
   * in a single-line value ends up in a log line, an output or GITHUB_PATH, where the next line
   * can be read as a workflow command or a second entry (issue 9, class 3).
   */
  multiLine?: boolean;
  /**
   * How an error shows the value (default: as given). A URL input that can carry credentials
   * shows its masked form: see {@link getUrlInput}.
   */
  shown?: (value: string) => string;
}

/**
 * No input of any action needs more: a value this long is a file's content or a whole output
 * pasted by mistake, and every message naming it would be unreadable.
 */
export const MAX_INPUT_LENGTH = 32 * 1024;

/** A trimmed string; the default when empty. `required` fails on empty with the input's name. */
export function getString(source: InputSource, name: string, options: StringOptions = {}): string {
  const value = (source(name) ?? '').trim();
  const shown = options.shown ?? ((v: string) => v);
  const max = options.maxLength ?? MAX_INPUT_LENGTH;
  if (value.length > max) {
    throw new InputError(
      name,
      shown(value),
      `is ${value.length} characters long, more than the ${max} it takes${options.maxLengthReason ? ` (${options.maxLengthReason})` : ''}`,
      "Give a shorter value; check that a file's content or a whole step output did not end up here.",
    );
  }
  if (!options.multiLine && /[\r\n]/.test(value)) {
    throw new InputError(
      name,
      shown(value),
      'holds a line break, and it takes one line',
      `Give '${name}' on one line (in YAML, a plain or quoted scalar, not a | block).`,
    );
  }
  if (value !== '') return value;
  if (options.required) {
    throw new InputError(name, shown(value), 'is required', `Set '${name}' in the step's 'with:'.`);
  }
  return options.default ?? '';
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

/** `value` as a message may show a URL input: each line through {@link maskUrl}. */
export function maskedUrlText(value: string): string {
  return value
    .split(/(\r\n|\r|\n)/)
    .map((piece, i) => (i % 2 === 0 ? maskUrl(piece).display : piece))
    .join('');
}

/**
 * A URL input that can carry credentials (`https://user:pass@host/`, Gemfury's `/TOKEN/`, a
 * `?token=`): the raw value's credentials, of the whole value and of each of its lines, are
 * registered with `mask` BEFORE anything checks it, and every error shows only the masked form.
 * Reading it with {@link getString} first would throw an error quoting the raw value (a line
 * break, too long) before the password is masked.
 */
export function getUrlInput(
  source: InputSource,
  name: string,
  mask: (secret: string) => void,
  options: Omit<StringOptions, 'shown'> = {},
): string {
  const raw = source(name) ?? '';
  const lines = raw.split(/\r\n|\r|\n/);
  for (const piece of new Set([raw.trim(), ...(lines.length > 1 ? lines.map((l) => l.trim()) : [])])) {
    const masked = maskUrl(piece);
    for (const secret of masked.secrets) mask(secret);
    if (masked.privatePath) rememberUrlPath(masked.privatePath);
  }
  return getString(source, name, { ...options, shown: maskedUrlText });
}

/** A boolean: true/false (also yes/no, on/off, 1/0, any case); empty gives the default. */
export function getBoolean(source: InputSource, name: string, defaultValue: boolean): boolean {
  const raw = getString(source, name);
  if (raw === '') return defaultValue;
  const word = raw.toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new InputError(name, raw, 'is not a boolean', "Use 'true' or 'false'.");
}

/** One of a fixed set of words (case-insensitive); empty gives the default. */
export function getEnum<T extends string>(
  source: InputSource,
  name: string,
  allowed: readonly T[],
  defaultValue: T,
): T {
  const raw = getString(source, name);
  if (raw === '') return defaultValue;
  const match = allowed.find((word) => word.toLowerCase() === raw.toLowerCase());
  if (match !== undefined) return match;
  throw new InputError(name, raw, 'is not one of the allowed values', `Use one of: ${allowed.join(', ')}.`);
}

/** A whole number within bounds; empty gives the default. */
export function getInteger(
  source: InputSource,
  name: string,
  bounds: { min: number; max: number; default: number },
): number {
  const raw = getString(source, name);
  if (raw === '') return bounds.default;
  if (!/^-?\d+$/.test(raw)) {
    throw new InputError(
      name,
      raw,
      'is not a whole number',
      `Use a number from ${bounds.min} to ${bounds.max}.`,
    );
  }
  const value = Number(raw);
  if (value < bounds.min || value > bounds.max) {
    throw new InputError(name, raw, 'is out of range', `Use a number from ${bounds.min} to ${bounds.max}.`);
  }
  return value;
}

/**
 * Splits a list input on commas, white space and newlines; drops empties and `#` comments.
 * Duplicates are removed, first occurrence kept.
 */
export function splitList(raw: string): string[] {
  const items = raw
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .join(' ')
    .split(/[\s,]+/)
    .filter((item) => item !== '');
  return [...new Set(items)];
}

/** A list (comma, space or newline separated); each item checked by `validate` when given. */
export function getList(
  source: InputSource,
  name: string,
  options: { validate?: (item: string) => string | undefined; allowed?: string } = {},
): string[] {
  const raw = getString(source, name, { multiLine: true });
  const items = splitList(raw);
  if (options.validate) {
    for (const item of items) {
      const problem = options.validate(item);
      if (problem !== undefined) {
        throw new InputError(name, item, problem, options.allowed ?? '');
      }
    }
  }
  return items;
}

/**
 * `value` (one path from input `name`, or one item of a list input) resolved against `base`
 * (else the workspace), absolute. Throws an InputError naming the input and the value when it
 * leaves the workspace as text or by real path: a symlink inside the workspace to /etc does not
 * make /etc part of it (containment.ts).
 */
export function containedInputPath(
  name: string,
  value: string,
  options: {
    workspace: string;
    base?: string;
    outsideFix?: string;
    /** The value as the user gave it, when `value` is derived (a glob's base): for the message. */
    given?: string;
  },
): string {
  const workspace = path.resolve(options.workspace);
  const resolved = path.resolve(workspace, options.base ?? '.', value);
  const contained = checkContained(workspace, resolved);
  if (!contained.inside) {
    throw new InputError(
      name,
      options.given ?? value,
      describeEscape(contained, workspace),
      options.outsideFix ?? 'Use a path relative to the repository root, inside the checkout.',
    );
  }
  return resolved;
}

/**
 * A path inside the workspace, resolved against it (or against `base`, for an input relative to
 * working-directory). Empty gives the default. A path that leaves the workspace, as text or by
 * real path (a symlink inside it to /etc; containment.ts), or one that must exist and does not,
 * fails.
 */
export function getWorkspacePath(
  source: InputSource,
  name: string,
  options: {
    workspace: string;
    /** The directory a relative path is resolved against; the workspace when not given. */
    base?: string;
    default?: string;
    /** The fix the error for a path outside the workspace suggests, when the input has a better one. */
    outsideFix?: string;
    mustExist?: 'file' | 'directory';
    exists?: (p: string) => 'file' | 'directory' | undefined;
  },
): string {
  const raw = getString(source, name, { default: options.default ?? '.' });
  const resolved = containedInputPath(name, raw, options);
  if (options.mustExist && options.exists) {
    const kind = options.exists(resolved);
    if (kind === undefined) {
      throw new InputError(
        name,
        raw,
        `does not exist (looked for ${resolved})`,
        `Check the path; did an earlier step check out the repository?`,
      );
    }
    if (kind !== options.mustExist) {
      throw new InputError(
        name,
        raw,
        `is a ${kind}, not a ${options.mustExist}`,
        `Give the path of a ${options.mustExist}.`,
      );
    }
  }
  return resolved;
}

/**
 * A PEP 440 version constraint (`>=1.6,<2`, `~=1.8`, `==1.16.*`) or an exact version (`1.16.0`,
 * `v1.16.0`, which become `==1.16.0`), or `latest`. Empty gives the default.
 */
export function getVersionConstraint(source: InputSource, name: string, defaultValue = ''): string {
  const raw = getString(source, name, { default: defaultValue });
  if (raw === '' || raw.toLowerCase() === 'latest') return raw.toLowerCase();
  const constraint = normaliseConstraint(raw);
  if (!isValidConstraint(constraint)) {
    throw new InputError(
      name,
      raw,
      'is not a version or a PEP 440 version constraint',
      "Use an exact version such as '1.16.0', a constraint such as '>=1.6,<2' or '~=1.8', or 'latest'.",
    );
  }
  return constraint;
}

/**
 * Extra command-line arguments (`args: --locked -F "a b"`), split into argv words as a POSIX
 * shell would split them but with no expansion at all (see shell-words.ts); never run by a shell.
 */
export function getArgv(source: InputSource, name: string): string[] {
  const raw = getString(source, name, { multiLine: true });
  const split = splitShellWords(raw);
  if (!split.ok) {
    throw new InputError(
      name,
      raw,
      `cannot be split into arguments (${split.problem})`,
      'Close the quote, or escape it with a backslash.',
    );
  }
  return split.words;
}

/**
 * A program input (`python`, `maturin`): ONE program, never a command line. Either a command name
 * found on `PATH` (`python3.12`, `maturin`), or the path of an existing executable file (relative
 * to `base`, else absolute; spaces allowed, since the exec layer never splits it). Anything else,
 * a value with arguments such as `/bin/sh -c "..."` included, is an input error naming the input,
 * the value and the fix (issue 9, class 1). Empty gives `default` unchecked (the action's own
 * choice, which the exec layer looks up when it runs).
 */
export function getProgram(
  source: InputSource,
  name: string,
  options: {
    /** Directory a relative path is resolved against (the workspace). */
    base: string;
    os: Os;
    /** The environment the program will run with; its PATH resolves a command name. */
    env: NodeJS.ProcessEnv;
    default?: string;
    /** What the program is, for the fix: "a Python interpreter". */
    what: string;
  },
): string {
  const raw = getString(source, name);
  if (raw === '') return options.default ?? '';
  const fix = `Give ${options.what} as one path to an executable file, or a command name on PATH; arguments cannot be given here.`;
  const paths = pathFor(options.os);
  const isPath = raw.includes('/') || (options.os === 'windows' && raw.includes('\\'));
  if (!isPath) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9._+-]*$/.test(raw)) {
      throw new InputError(name, raw, 'is not one program (a command name has no spaces or quotes)', fix);
    }
    if (findOnPath(raw, options.env, options.os) === undefined) {
      throw new InputError(
        name,
        raw,
        'is not a command found on PATH',
        `Install it in an earlier step, or give its path. ${fix}`,
      );
    }
    return raw;
  }
  const program = paths.resolve(options.base, raw);
  const kind = programKind(program, options.os);
  if (kind === 'executable') return program;
  const problem =
    kind === undefined
      ? `names no file (looked for ${program})`
      : kind === 'directory'
        ? `names a directory (${program}), not a program`
        : `names a file that is not executable (${program})`;
  throw new InputError(
    name,
    raw,
    problem,
    kind === 'not-executable' ? `Make it executable (chmod +x), or name its interpreter. ${fix}` : fix,
  );
}

/** True when `text` holds a control character (a line break, tab, escape, NUL or DEL). */
export function hasControlCharacter(text: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * A secret input (a token): masked (context.mask) before anything else happens, and refused when
 * it holds a line break: the runner masks a multi-line value line by line only while the lines
 * stay intact, and a token never has one. The error shows `***`, never the value.
 */
export function getSecret(source: InputSource, name: string, mask: (secret: string) => void): string {
  const value = (source(name) ?? '').trim();
  if (value === '') return '';
  mask(value);
  if (value.length > MAX_INPUT_LENGTH) {
    // Not even its start is shown: a prefix of a token escapes the runner's mask.
    throw new InputError(
      name,
      '***',
      `is ${value.length} characters long, more than the ${MAX_INPUT_LENGTH} a token takes`,
      "Give a shorter value; check that a file's content or a whole step output did not end up here.",
    );
  }
  if (/[\r\n]/.test(value)) {
    throw new InputError(
      name,
      '***',
      'holds a line break, and a token is one line',
      `Store the token in the secret on one line, with no line break inside it, and pass it as '${name}: \${{ secrets.NAME }}'.`,
    );
  }
  return value;
}
