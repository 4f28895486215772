/**
 * Table-driven bad-input tests, one runner for every action: each case runs the action's bundle
 * the way the runner does ({@link runAction}) and checks what a user would see when they get an
 * input wrong:
 * - the step fails with the expected exit code;
 * - the error names the input, shows the value (long values shortened, as kit's `showValue` does)
 *   and ends with a fix;
 * - no stack trace and no raw errno text (ENOENT, "no such file or directory") anywhere;
 * - no secret of the case appears unmasked (masks applied the way the runner applies them: from
 *   the `::add-mask::` line on, line by line);
 * - no value smuggled in with a newline became a workflow command;
 * - a failed step wrote nothing to GITHUB_ENV or GITHUB_PATH, and no output but the documented
 *   partial ones.
 * Cases fail at input parsing, before any real build, so they run concurrently and fast.
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { showValue } from '@ferrowheel/kit/errors';
import { maskedUrlText } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { type ActionRun, runAction } from './run-action.js';

/** What the error must say. */
export interface ExpectedMessage {
  /** The input the message names (as `'name'`); omit for a problem in a project file. */
  input?: string;
  /** The value the message shows (shortened when long); default: the case's value of `input`. */
  value?: string;
  /** Other fragments the message must hold (a file name, the real cause...). */
  mentions?: readonly string[];
  /** A fragment of the fix, which must come after the value (and after every mention). */
  fix: string;
}

export interface BadInputCase {
  name: string;
  /**
   * The inputs, or a function giving them at run time (a local server's URL...). Note that jest
   * starts concurrent tests before `beforeAll` hooks finish: start servers from here, lazily.
   */
  inputs: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  env?: Record<string, string>;
  /** Makes the case's workspace; default: the table's. */
  workspace?: () => string;
  expect: ExpectedMessage;
  /** Default 1. */
  exitCode?: number;
  /** Values that must never appear unmasked (tokens, URL credentials). */
  secrets?: readonly string[];
  /** Outputs a failed step may write (documented partial outputs). Default: none. */
  partialOutputs?: readonly string[];
}

export interface BadInputTable {
  /** Makes a fresh workspace for a case (called once per case). */
  workspace: () => string;
  /** Inputs every case gets unless it sets them itself. */
  defaults?: Record<string, string>;
  /** Environment every case gets. */
  env?: Record<string, string>;
  /** Outputs any failed run of this action may write (its documented partial outputs). */
  partialOutputs?: readonly string[];
  /** Secrets no case may show unmasked (besides each case's own). */
  secrets?: readonly string[];
  cases: readonly BadInputCase[];
}

/** The fix kit's inputs give for a value past the length any input takes (see BAD.huge). */
export const HUGE_FIX = 'Give a shorter value';

/** The fix kit's inputs give for a line break in a single-line input. */
export const NEWLINE_FIX = 'on one line';

/** The fix a case of `value` expects: the generic one for 100 KB or a line break, else `fix`. */
export function fixFor(value: string, fix: string): string {
  if (value === BAD.huge) return HUGE_FIX;
  if (/[\r\n]/.test(value)) return NEWLINE_FIX;
  return fix;
}

/** Cases of one single-line input that share a fix (see {@link fixFor}). */
export function inputCases(
  input: string,
  fix: string,
  values: readonly (readonly [what: string, value: string])[],
): BadInputCase[] {
  return values.map(([what, value]) => ({
    name: `${input}: ${what}`,
    inputs: { [input]: value },
    expect: { input, fix: fixFor(value, fix) },
  }));
}

/**
 * {@link inputCases} of a URL input that can carry credentials: its messages show the value as
 * kit's `maskedUrlText` does (a 100 KB run of letters looks like a token, and shows as `***`).
 */
export function urlInputCases(
  input: string,
  fix: string,
  values: readonly (readonly [what: string, value: string])[],
): BadInputCase[] {
  return inputCases(input, fix, values).map((c, i) => ({
    ...c,
    expect: { ...c.expect, value: maskedUrlText(values[i]![1].trim()) },
  }));
}

/** Cases of a list input (one item per line or word): the message shows the bad item. */
export function itemCases(
  input: string,
  fix: string,
  values: readonly (readonly [what: string, value: string, item: string])[],
): BadInputCase[] {
  return values.map(([what, value, item]) => ({
    name: `${input}: ${what}`,
    inputs: { [input]: value },
    expect: { input, value: item, fix: value === BAD.huge ? HUGE_FIX : fix },
  }));
}

/** Values every table uses for its "kinds" of bad input. */
export const BAD = {
  /** 100 KB: far past any input's sensible length. */
  huge: `start-${'x'.repeat(100 * 1024)}`,
  /** A value that would become a workflow command if echoed raw. */
  newline: 'ok\n::warning::INJECTED',
  unicode: 'naïve-ünï—🦀',
  option: '--help',
  traversal: '../../../etc',
  absolute: '/etc',
} as const;

const STACK = /^\s+at (?:.+ \()?(?:file:|node:|\/|[A-Za-z]:\\).*:\d+:\d+\)?$/m;
const ERRNO =
  /\b(?:ENOENT|EACCES|EISDIR|ENOTDIR|ELOOP|EPERM|EEXIST|ENAMETOOLONG|E2BIG|EINVAL)\b|no such file or directory|errno/i;
/** A workflow command whose text starts with the smuggled marker, or a deprecated command. */
const INJECTED = /^::[^:\n]*::INJECTED|^::(?:add-path|set-env|set-output)\b/m;

/** What the runner would show: each `::add-mask::` value replaced by *** from that line on. */
export function masked(stdout: string): string {
  const masks: string[] = [];
  const shown: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('::add-mask::')) {
      const value = line
        .slice('::add-mask::'.length)
        .replace(/%0A/g, '\n')
        .replace(/%0D/g, '\r')
        .replace(/%25/g, '%');
      if (value !== '') masks.push(value);
      continue;
    }
    shown.push(masks.reduce((text, secret) => text.split(secret).join('***'), line));
  }
  return shown.join('\n');
}

/** Checks one finished run against its case; exported for tests that run a case themselves. */
export function checkBadInputRun(
  run: ActionRun,
  testCase: BadInputCase,
  inputs: Record<string, string>,
): void {
  const { expect: want } = testCase;
  const message = run.errors.join('\n');
  const context = `stdout:\n${run.stdout.slice(0, 4000)}\nstderr:\n${run.stderr.slice(0, 2000)}`;
  expect({ exitCode: run.exitCode, context }).toEqual({ exitCode: testCase.exitCode ?? 1, context });
  expect(run.errors.length).toBeGreaterThan(0);

  let after = 0;
  if (want.input !== undefined) {
    expect(message).toContain(`'${want.input}'`);
    const value = want.value ?? inputs[want.input] ?? '';
    const shown = showValue(value.trim());
    expect(message).toContain(shown);
    after = message.indexOf(shown) + shown.length;
  } else {
    expect(want.mentions?.length ?? 0).toBeGreaterThan(0);
  }
  for (const fragment of want.mentions ?? []) {
    expect(message).toContain(fragment);
    after = Math.max(after, message.indexOf(fragment) + fragment.length);
  }
  expect(want.fix.trim()).not.toBe('');
  expect(message.slice(after)).toContain(want.fix);
  // The whole message stays readable however long the value was.
  expect(message.length).toBeLessThan(2000);

  const shownLog = `${masked(run.stdout)}\n${run.stderr}`;
  expect(shownLog).not.toMatch(STACK);
  expect(shownLog).not.toMatch(ERRNO);
  expect(run.stdout).not.toMatch(INJECTED);
  for (const secret of testCase.secrets ?? []) {
    const written = `${shownLog}\n${run.summary}\n${JSON.stringify(run.outputs)}\n${JSON.stringify(run.exportedEnv)}`;
    expect(written).not.toContain(secret);
  }

  expect(run.exportedEnv).toEqual({});
  expect(run.addedPath).toEqual([]);
  const allowed = new Set(testCase.partialOutputs ?? []);
  expect(Object.keys(run.outputs).filter((name) => !allowed.has(name))).toEqual([]);
}

/** Declares one concurrent jest test per case of the table. */
export function badInputTable(action: string, table: BadInputTable): void {
  const names = table.cases.map((c) => c.name);
  describe(`${action}: bad inputs (${table.cases.length} cases, through the bundle)`, () => {
    it('has unique case names', () => {
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    });
    for (const testCase of table.cases) {
      it.concurrent(testCase.name, async () => {
        const own = typeof testCase.inputs === 'function' ? await testCase.inputs() : testCase.inputs;
        const inputs = { ...table.defaults, ...own };
        const workspace = (testCase.workspace ?? table.workspace)();
        const run = await runAction(action, {
          workspace,
          inputs,
          env: { ...table.env, ...testCase.env },
        });
        const secrets = [...(table.secrets ?? []), ...(testCase.secrets ?? [])];
        const partialOutputs = [...(table.partialOutputs ?? []), ...(testCase.partialOutputs ?? [])];
        checkBadInputRun(run, { ...testCase, secrets, partialOutputs }, inputs);
        // Program inputs get `/bin/sh -c "touch MARKER"`: no second command may have run.
        expect(existsSync(path.join(workspace, 'MARKER'))).toBe(false);
      }, 60_000);
    }
  });
}

/**
 * The cases every input naming a directory inside the workspace shares: missing, traversal,
 * absolute, a newline, 100 KB, a file, and a symlink that leads out of the workspace.
 */
export function directoryInputCases(
  input: string,
  workspace: () => string,
  fixes: { missing?: string; outside?: string } = {},
): BadInputCase[] {
  const missing = fixes.missing ?? 'Check the path';
  const outside = fixes.outside ?? 'inside the checkout';
  const withEntry = (make: (dir: string) => void) => () => {
    const dir = workspace();
    make(dir);
    return dir;
  };
  const cases: [string, string, string, (() => string)?][] = [
    ['missing', 'no-such-dir', missing],
    ['a traversal', BAD.traversal, outside],
    ['an absolute path outside', BAD.absolute, outside],
    ['a newline', 'x\n::warning::INJECTED', NEWLINE_FIX],
    ['100 KB', BAD.huge, HUGE_FIX],
    [
      'a file',
      'a-file',
      'Give the path of a directory.',
      withEntry((dir) => writeFileSync(path.join(dir, 'a-file'), '')),
    ],
    [
      'a symlink to a directory outside the workspace',
      'escape',
      outside,
      withEntry((dir) => symlinkSync('/etc', path.join(dir, 'escape'))),
    ],
  ];
  return cases.map(([what, value, fix, make]) => ({
    name: `${input}: ${what}`,
    inputs: { [input]: value },
    ...(make ? { workspace: make } : {}),
    expect: { input, fix },
  }));
}

/** Cases of a boolean input: a word that is not one, an option, unicode. */
export function booleanInputCases(
  input: string,
  values: readonly string[] = ['maybe', '--yes', BAD.unicode],
) {
  return values.map(
    (value): BadInputCase => ({
      name: `${input}: not a boolean (${[...value].slice(0, 12).join('')})`,
      inputs: { [input]: value },
      expect: { input, fix: fixFor(value, "Use 'true' or 'false'.") },
    }),
  );
}

/**
 * A workspace factory: `workspace()` with `files` written into it (path → text; a path ending in
 * `/` is a directory; parents are created).
 */
export function withFiles(workspace: () => string, files: Record<string, string>): () => string {
  return () => {
    const dir = workspace();
    for (const [name, text] of Object.entries(files)) {
      const target = path.join(dir, name);
      if (name.endsWith('/')) {
        mkdirSync(target, { recursive: true });
      } else {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, text);
      }
    }
    return dir;
  };
}

/**
 * A URL input that can carry credentials (`https://user:password@host/`), with a password in a
 * value that fails the generic checks: a line break, and past the length limit (40 KB). The error
 * comes before the URL is parsed, yet the password must never appear: not in the message (which
 * shows the masked URL) and not anywhere else in the log. `url` is a valid https URL for `input`.
 */
export function urlCredentialCases(input: string, url: string): BadInputCase[] {
  const password = `S3cretPass${input.replace(/[^a-z]/g, '')}`;
  const withPassword = url.replace('://', `://ci:${password}@`);
  return (
    [
      ['a password and a newline', `${withPassword}\nlegacy/`, NEWLINE_FIX],
      ['a password in 40 KB', `${withPassword}${'a'.repeat(40 * 1024)}`, HUGE_FIX],
    ] as const
  ).map(([what, value, fix]) => ({
    name: `${input}: ${what}`,
    inputs: { [input]: value },
    secrets: [password],
    expect: { input, value: maskedUrlText(value), fix },
  }));
}
