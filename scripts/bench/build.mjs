// Cold against warm build of examples/setup through the build action (the harness's runAction,
// main step then post step), with the real maturin/cargo and the cargo cache on the harness's
// local cache server (lib/cold-warm.mjs):
// - cold: empty CARGO_HOME and target dir (crates downloaded and compiled); the post step saves
//   the cache;
// - warm: the same paths emptied again (a fresh runner), the cache restored, the build run.
// Main step wall times; median of at least 3 pairs; warm/cold.
import { coldWarmPair } from './lib/cold-warm.mjs';
import { row, summarize } from './lib/stats.mjs';

export const bench = {
  id: 'build',
  title: 'build examples/setup: warm (cache restored into an empty target dir) against cold',
  async run({ runs = 3 } = {}) {
    const pairs = Math.max(3, runs);
    const cold = [];
    const warm = [];
    for (let i = 0; i < pairs; i++) {
      const pair = await coldWarmPair({ inputs: { container: 'off' } });
      cold.push(pair.cold.ms);
      warm.push(pair.warm.ms);
      console.log(
        `  pair ${i + 1}: cold ${(pair.cold.ms / 1000).toFixed(1)} s, warm ${(pair.warm.ms / 1000).toFixed(1)} s`,
      );
    }
    const coldSample = summarize(cold);
    return [
      row({
        bench: 'build',
        what: 'build examples/setup, cold (empty CARGO_HOME and target dir)',
        sample: coldSample,
      }),
      row({
        bench: 'build',
        what: 'build examples/setup, warm (cargo cache restored)',
        sample: summarize(warm),
        against: 'cold',
        baseline: coldSample,
        goal: 0.15,
      }),
    ];
  },
};
