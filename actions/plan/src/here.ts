/**
 * What the runners of a run cannot do, declared by the caller: `not-built-here` and
 * `not-tested-here`, lines of `<patterns>: <reason>` (patterns as test-skip's, cibuildwheel-style
 * identifiers such as `cp310-*_aarch64` or `*-musllinux_*`). The rows they match are planned as
 * "not built here: <reason>" or "not tested here: <reason>": typed, accepted by the summary, and
 * never a failure. For runners that lack what GitHub's have — a self-hosted or GHES fleet
 * without QEMU or an image registry, the act runs of the tests — so a pair that cannot run there
 * is said to be so rather than failing the run. GitHub's hosted runners need none.
 */

import { hasControlCharacter } from '@ferrowheel/kit/inputs';
import { fail, ok, type Result } from '@ferrowheel/kit/result';
import { checkSkipPattern, skipPatternForNames } from '@ferrowheel/kit/test-skip';

export interface HereLimit {
  patterns: string[];
  reason: string;
}

/** One `<patterns>: <reason>` line, or its problem. */
export function parseHereLine(line: string): Result<HereLimit> {
  const colon = line.indexOf(':');
  if (colon <= 0) return fail('holds a line that is not <patterns>: <reason>');
  const patterns = line
    .slice(0, colon)
    .trim()
    .split(/[\s,]+/);
  const reason = line.slice(colon + 1).trim();
  for (const pattern of patterns) {
    const problem = checkSkipPattern(pattern);
    if (problem) return fail(`holds the pattern '${pattern}', which ${problem}`);
  }
  if (reason === '') return fail('gives patterns without a reason');
  if (hasControlCharacter(reason) || /[`|]/.test(reason))
    return fail('gives a reason with a control character, a backquote or a |');
  return ok({ patterns, reason });
}

/** The first limit whose patterns match one of a row's identifiers, or undefined. */
export function limitFor(limits: readonly HereLimit[], names: readonly string[]): HereLimit | undefined {
  return limits.find((limit) => skipPatternForNames(names, limit.patterns) !== undefined);
}
