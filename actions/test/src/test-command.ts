/**
 * The `test-command` input: any command instead of the default pytest run, as cibuildwheel's
 * test-command, with `{project}` (the workspace, the repository root) and `{package}` (the
 * working-directory, the Python project whose wheel is tested) replaced in each argument. It is
 * argv from start to end: split once like a shell splits words, never handed to a shell, and the
 * program is looked up in the test venv first, then on PATH.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { pathKind } from '@ferrowheel/kit/files';
import { exeName, type Os, pathFor, venvBinDir } from '@ferrowheel/kit/platform';
import { type JUnitReport, parseJUnit } from './junit.js';
import { pytestEnv } from './pytest-run.js';

export const PLACEHOLDERS = ['project', 'package'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The first `{name}` in the words that is not a known placeholder, or undefined. */
export function unknownPlaceholder(words: readonly string[]): string | undefined {
  for (const word of words) {
    for (const match of word.matchAll(/\{([A-Za-z_][A-Za-z0-9_-]*)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(match[1]!)) return match[0];
    }
  }
  return undefined;
}

/** The words with `{project}` and `{package}` replaced. */
export function expandPlaceholders(words: readonly string[], values: Record<Placeholder, string>): string[] {
  return words.map((word) =>
    word.replace(/\{(project|package)\}/g, (_whole, name: Placeholder) => values[name]),
  );
}

/** pytest run by the command (`pytest ...`, `python -m pytest ...`): it then gets a JUnit report. */
export function runsPytest(words: readonly string[]): boolean {
  const program = path.basename(words[0] ?? '').replace(/\.exe$/i, '');
  if (program === 'pytest' || program === 'py.test') return true;
  return /^python(\d(\.\d+)?t?)?$/.test(program) && words[1] === '-m' && words[2] === 'pytest';
}

/**
 * The program to run: a path (relative to `cwd`) as given; a name from the venv's scripts, else
 * from PATH. A program found nowhere is a clear error, not a spawn failure.
 */
export async function resolveProgram(program: string, options: ProgramLookup): Promise<string> {
  const found = await findProgram(program, options);
  // Windows runs a batch file through cmd.exe, which parses the arguments again: a shell.
  if (options.os === 'windows' && /\.(cmd|bat)$/i.test(found)) {
    throw new UserError(
      `Input 'test-command' runs ${found}, a batch file, which Windows can only run through cmd.exe (a shell that would read the arguments again). ` +
        'Run the program it wraps directly, or move the logic to a before-test script.',
    );
  }
  return found;
}

/** Where test-command's program is looked for: the venv's scripts, then `which` (the target's PATH). */
export interface ProgramLookup {
  os: Os;
  venv: string;
  cwd: string;
  which: (name: string) => Promise<string | undefined>;
  /** Whether a file is a program the target can start (default: a file on the runner). */
  isProgram?: (file: string) => boolean;
}

async function findProgram(program: string, options: ProgramLookup): Promise<string> {
  const paths = pathFor(options.os);
  const isProgram = options.isProgram ?? ((file: string) => pathKind(file) === 'file');
  if (program.includes('/') || (options.os === 'windows' && program.includes('\\'))) {
    const resolved = paths.resolve(options.cwd, program);
    if (isProgram(resolved)) return resolved;
    throw new UserError(
      `Input 'test-command' runs ${resolved}, which does not exist. Give a path relative to the project ({package}/...) or a program the test venv or PATH has.`,
    );
  }
  const inVenv = paths.join(venvBinDir(options.os, options.venv), exeName(options.os, program));
  if (isProgram(inVenv)) return inVenv;
  const onPath = await options.which(program);
  if (onPath) return onPath;
  throw new UserError(
    `Input 'test-command' runs '${program}', which is neither in the test venv nor on PATH. ` +
      "Install it into the venv (add it to 'requirements' or 'groups'), or give the command's path.",
  );
}

export interface TestCommandRun {
  os: Os;
  venv: string;
  /** The command with its placeholders replaced. */
  words: string[];
  /** Where it runs: the copy of the tests, outside the source tree. */
  cwd: string;
  junit: string;
  wheel: string;
  environment: Record<string, string>;
  which: (name: string) => Promise<string | undefined>;
  isProgram?: (file: string) => boolean;
  /** The environment of where the command runs; default the runner's. */
  baseEnv?: Readonly<Record<string, string | undefined>>;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Runs the test command. pytest run this way still gets its JUnit report (and so the
 * annotations and the summary's counts); any other command is one test case, passed or failed by
 * its exit code, written as JUnit so every wheel reports alike.
 */
export async function runTestCommand(
  run: TestCommandRun,
  exec: Exec,
): Promise<{ exitCode: number; report: JUnitReport }> {
  const [first, ...rest] = run.words;
  const program = await resolveProgram(first!, {
    os: run.os,
    venv: run.venv,
    cwd: run.cwd,
    which: run.which,
    ...(run.isProgram ? { isProgram: run.isProgram } : {}),
  });
  const pytest = runsPytest(run.words);
  const args = pytest ? [...rest, `--junitxml=${run.junit}`, '-o', 'junit_family=xunit1'] : rest;
  const started = performance.now();
  const { exitCode, stdout, stderr } = await exec(program, args, {
    cwd: run.cwd,
    env: pytestEnv(run.os, run.venv, { ...(run.baseEnv ?? process.env), ...run.environment }),
    allowFailure: true,
  });
  const seconds = (performance.now() - started) / 1000;
  if (pytest && pathKind(run.junit) === 'file') {
    return { exitCode, report: parseJUnit(readFileSync(run.junit, 'utf8')) };
  }
  const output = `${stdout}${stderr}`.trim().split(/\r?\n/).slice(-15).join('\n');
  const name = escapeXml(run.words.join(' '));
  const failure =
    exitCode === 0 ? '' : `<failure message="exit code ${exitCode}">${escapeXml(output)}</failure>`;
  writeFileSync(
    run.junit,
    `<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="test-command" tests="1" failures="${exitCode === 0 ? 0 : 1}" errors="0" skipped="0" time="${seconds.toFixed(3)}"><testcase classname="test-command" name="${name}" time="${seconds.toFixed(3)}">${failure}</testcase></testsuite></testsuites>\n`,
  );
  return { exitCode, report: parseJUnit(readFileSync(run.junit, 'utf8')) };
}
