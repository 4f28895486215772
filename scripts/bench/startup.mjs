// Each action's own start-up: its bundle run as the runner runs it (the harness's runAction),
// stopping at once on an input it rejects — so the time is node's start, loading the entry
// chunk and reading the inputs, and nothing the action does afterwards — against bare
// `node -e 0`, spawned the same way. Interleaved rounds; medians.
import { runAction } from '../../packages/harness/src/run-action.js';
import { interleaved, row, timeProcess } from './lib/stats.mjs';

/** An input each action rejects while reading its inputs. */
const REJECTED = {
  'setup-rust': { cache: 'maybe' },
  'setup-maturin': { version: 'bogus!' },
  build: { sdist: 'maybe' },
  test: { installer: 'conda' },
  publish: { 'dry-run': 'maybe' },
};

export const bench = {
  id: 'startup',
  title: "each action's start-up against bare node",
  async run({ runs = 21 } = {}) {
    const cases = [{ label: 'node -e 0', fn: () => timeProcess([process.execPath, '-e', '0']) }];
    for (const [action, inputs] of Object.entries(REJECTED)) {
      cases.push({
        label: action,
        fn: async () => {
          const run = await runAction(action, { inputs });
          if (run.exitCode !== 1 || run.errors.length !== 1 || !run.errors[0].startsWith('Input ')) {
            throw new Error(`${action} did not stop on its input:\n${run.stdout}${run.stderr}`);
          }
          return run.durationMs;
        },
      });
    }
    const m = await interleaved(cases, { runs, warmup: 2 });
    return [
      row({ bench: 'startup', what: '`node -e 0`', sample: m['node -e 0'] }),
      ...Object.keys(REJECTED).map((action) =>
        row({
          bench: 'startup',
          what: `${action} start-up (bundle loaded, inputs read)`,
          sample: m[action],
          against: 'node -e 0',
          baseline: m['node -e 0'],
          goal: 1.25,
        }),
      ),
    ];
  },
};
