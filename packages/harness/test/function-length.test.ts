/**
 * The house rule: no function over 60 lines in actions/<action>/src, packages/kit/src and
 * scripts/pipeline, except a pure table or an orchestrator that is only a list of named phases.
 * Measured with the TypeScript parser (src/function-length.ts); `pnpm exec tsx
 * scripts/long-functions.ts` lists them by hand.
 */

import { describe, expect, it } from '@jest/globals';
import {
  type FunctionSpan,
  formatSpans,
  functionSpans,
  longFunctions,
  MAX_FUNCTION_LINES,
} from '../src/function-length.js';
import { repoRoot } from '../src/workdirs.js';

interface Exception {
  file: string;
  /** As the check names it (`outer/inner`, `Class.method`). */
  name: string;
  why: string;
}

/**
 * Over the limit on purpose: a pure table, or a list of named phases that reads better whole.
 * Keep it tiny: each entry says why.
 */
const ALLOWED: readonly Exception[] = [];

/**
 * Over the limit, and known: functions being rewritten in a branch not yet merged, to be split
 * when it lands (splitting them here would collide line for line). Each entry goes once its
 * function is under the limit: the test fails on a stale entry.
 */
const PENDING: readonly Exception[] = [];

const MAX_EXCEPTIONS = 5;

const matches = (span: FunctionSpan) => (e: Exception) => e.file === span.file && e.name === span.name;

describe(`functions of at most ${MAX_FUNCTION_LINES} lines`, () => {
  const long = longFunctions(repoRoot);

  it('in actions/<action>/src, packages/kit/src and scripts/pipeline (file:line name, longest first)', () => {
    const excepted = [...ALLOWED, ...PENDING];
    // A nested function over the limit is inside one over it: the outermost is the one to split.
    const offending = long.filter(
      (span) =>
        !excepted.some(matches(span)) &&
        !excepted.some((e) => e.file === span.file && span.name.startsWith(`${e.name}/`)),
    );
    expect(formatSpans(offending)).toBe('');
  });

  it('excepts only functions that are still over the limit, each with its reason, and few', () => {
    for (const exception of [...ALLOWED, ...PENDING]) {
      expect({ ...exception, over: long.some((span) => matches(span)(exception)) }).toEqual({
        ...exception,
        over: true,
      });
      expect(exception.why.length).toBeGreaterThan(20);
    }
    expect(ALLOWED.length + PENDING.length).toBeLessThanOrEqual(MAX_EXCEPTIONS);
  });
});

describe('functionSpans', () => {
  const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  const a${i} = ${i};`).join('\n');

  it('measures every kind of function from its first token to its closing brace, named where it is defined', () => {
    const text = [
      '/** A doc comment is not counted. */',
      `export function top(): void {\n${body(4)}\n}`,
      `const arrow = () => {\n${body(3)}\n};`,
      `class Thing {\n  method(): void {\n${body(3)}\n  }\n}`,
      `const table = { entry(x: number) {\n${body(3)}\n} };`,
      `function outer() {\n  const inner = () => {\n${body(3)}\n  };\n}`,
      `describe('x', () => {\n${body(3)}\n});`,
    ].join('\n');
    const spans = functionSpans('f.ts', text).map((s) => `${s.line} ${s.name} ${s.lines}`);
    expect(spans).toEqual([
      '2 top 4',
      '6 arrow 3',
      '10 Thing.method 3',
      '14 entry 3',
      '17 outer 5',
      '18 outer/inner 3',
      '22 <callback of describe> 3',
    ]);
  });

  it(`flags ${MAX_FUNCTION_LINES + 1} lines, not ${MAX_FUNCTION_LINES}`, () => {
    const text = `function ok() {\n${body(MAX_FUNCTION_LINES)}\n}\nfunction tooLong() {\n${body(MAX_FUNCTION_LINES + 1)}\n}\n`;
    const over = functionSpans('f.ts', text).filter((s) => s.lines > MAX_FUNCTION_LINES);
    expect(formatSpans(over)).toBe(
      `f.ts:${MAX_FUNCTION_LINES + 1} tooLong (${MAX_FUNCTION_LINES + 1} lines)`,
    );
  });
});
