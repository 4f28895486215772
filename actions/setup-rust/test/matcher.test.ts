/**
 * The shipped problem matchers against real rustc output (plain and coloured, long and short
 * message formats) and a real panic, matched the way the runner does: a matcher's patterns must
 * match consecutive lines, and the captured groups become the annotation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Matcher, ProblemMatchers } from '@ferrowheel/harness/problem-matchers';
import { RUSTC_MATCHER_OWNER } from '@ferrowheel/kit/rust-matcher';
import { describe, expect, it } from '@jest/globals';
import { matcherFile } from '../src/matcher.js';

type Annotation = Record<string, string>;

const matchers = (JSON.parse(readFileSync(matcherFile(), 'utf8')) as { problemMatcher: Matcher[] })
  .problemMatcher;

/** What the runner would annotate for these output lines (the harness's emulation of its matchers). */
function annotate(lines: string[]): Annotation[] {
  const runner = new ProblemMatchers();
  runner.add(matchers);
  return runner.annotate(lines).map(({ source, ...annotation }) => ({ owner: source, ...annotation }));
}

const ERROR_SOURCE = 'fn main() {\n    let x: i32 = "not a number";\n    println!("{}", x);\n}\n';
const WARNING_SOURCE = 'fn main() {\n    let unused = 1;\n}\n';

/** rustc's stderr for a source, as lines. */
function compile(source: string, args: string[]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'matcher-'));
  writeFileSync(path.join(dir, 'main.rs'), source);
  const result = spawnSync('rustc', ['main.rs', '--edition', '2021', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  return result.stderr.split(/\r?\n/);
}

describe('rust problem matchers', () => {
  for (const color of ['never', 'always']) {
    it(`annotate rustc errors and warnings (--color ${color})`, () => {
      expect(annotate(compile(ERROR_SOURCE, ['--color', color]))).toEqual([
        {
          owner: 'ferrowheel-rustc',
          severity: 'error',
          code: 'E0308',
          message: 'mismatched types',
          file: 'main.rs',
          line: '2',
          column: '18',
        },
      ]);
      expect(annotate(compile(WARNING_SOURCE, ['--color', color]))).toEqual([
        {
          owner: 'ferrowheel-rustc',
          severity: 'warning',
          message: 'unused variable: `unused`',
          file: 'main.rs',
          line: '2',
          column: '9',
        },
      ]);
    });
  }

  it('annotate the short message format', () => {
    const annotations = annotate(compile(ERROR_SOURCE, ['--error-format', 'short', '--color', 'always']));
    expect(annotations).toContainEqual({
      owner: 'ferrowheel-rustc-short',
      file: 'main.rs',
      line: '2',
      column: '18',
      severity: 'error',
      code: 'E0308',
      message: 'mismatched types: expected `i32`, found `&str`',
    });
    expect(annotations.filter((a) => a.owner === 'ferrowheel-rustc')).toEqual([]);
  });

  it('annotate a panic with its location and message', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'panic-'));
    writeFileSync(path.join(dir, 'main.rs'), 'fn main() {\n    panic!("the answer was {}", 41);\n}\n');
    execFileSync('rustc', ['main.rs', '-o', 'main'], { cwd: dir });
    const run = spawnSync(path.join(dir, 'main'), {
      encoding: 'utf8',
      env: { ...process.env, RUST_BACKTRACE: '0' },
    });
    expect(annotate(run.stderr.split(/\r?\n/))).toEqual([
      {
        owner: 'ferrowheel-rust-panic',
        severity: 'error',
        file: 'main.rs',
        line: '2',
        column: '5',
        message: 'the answer was 41',
      },
    ]);
  });

  it('do not annotate cargo summary lines without a location', () => {
    expect(
      annotate(['warning: `demo` (bin "demo") generated 1 warning', 'error: could not compile `demo`']),
    ).toEqual([]);
  });
});

describe('the rustc matcher and the build action', () => {
  it('is the owner build takes off while it annotates the compiler itself', () => {
    expect(matchers.map((m) => m.owner)).toContain(RUSTC_MATCHER_OWNER);
  });
});
