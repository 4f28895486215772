/**
 * `npm run matrix [-- options]`: every Linux leg built and tested as far as this machine can
 * (scripts/matrix/run.ts). Exit codes: 0 all good, 1 a build or a test failed, 2 a usage problem.
 */
import { parseOptions, USAGE, UsageError } from './matrix/options.js';
import { runMatrix } from './matrix/run.js';
import { runSlowSuite } from './matrix/slow-suites.js';

try {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) console.log(USAGE);
  else if (options.parity) process.exitCode = await runSlowSuite('parity');
  else if (options.act) process.exitCode = await runSlowSuite('act');
  else if (options.actAll) process.exitCode = await runSlowSuite('act-all');
  else process.exitCode = await runMatrix(options, { write: (text) => process.stdout.write(text) });
} catch (thrown) {
  if (!(thrown instanceof UsageError)) throw thrown;
  console.error(`error: ${thrown.message}\n\n${USAGE}`);
  process.exitCode = 2;
}
