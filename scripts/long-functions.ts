/**
 * Lists the functions over 60 lines in actions/<action>/src, packages/kit/src and scripts/pipeline, as
 * `file:line name (N lines)`, longest first; exits 1 when there is any. The same measure as the
 * test that keeps the rule (packages/harness/test/function-length.test.ts), without its
 * allow-list: `pnpm exec tsx scripts/long-functions.ts`.
 */

import { formatSpans, longFunctions, MAX_FUNCTION_LINES } from '../packages/harness/src/function-length.js';
import { repoRoot } from '../packages/harness/src/workdirs.js';

const spans = longFunctions(repoRoot);
if (spans.length === 0) {
  console.log(`No function over ${MAX_FUNCTION_LINES} lines.`);
} else {
  console.log(formatSpans(spans));
  process.exitCode = 1;
}
