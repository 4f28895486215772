/**
 * `npm run pipeline [-- [PATH] [options]]`: the main job, locally, on any PyO3/maturin project
 * (see scripts/pipeline/options.ts for the options, scripts/pipeline/run.ts for what it does).
 * Exit codes: 0 done, 1 a step failed, 2 a usage or project problem.
 */
import path from 'node:path';
import { colorEnabled } from '../packages/harness/src/render-commands.js';
import { repoRoot } from '../packages/harness/src/workdirs.js';
import { parseOptions, USAGE, UsageError } from './pipeline/options.js';
import { runPipeline } from './pipeline/run.js';

// npm runs scripts from the repository root; INIT_CWD is where the user typed the command.
const cwd = process.env.INIT_CWD ?? process.cwd();
try {
  const options = parseOptions(process.argv.slice(2), {
    cwd,
    project: path.join(repoRoot, 'examples', 'setup'),
  });
  if (options.help) {
    console.log(USAGE);
  } else {
    process.exitCode = await runPipeline(options, {
      write: (text) => process.stdout.write(text),
      color: colorEnabled(process.stdout),
    });
  }
} catch (thrown) {
  if (!(thrown instanceof UsageError)) throw thrown;
  console.error(`error: ${thrown.message}\n\n${USAGE}`);
  process.exitCode = 2;
}
