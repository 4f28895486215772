// Cold against warm container build of examples/setup through the build action (the harness's
// runAction, main step then post step, lib/cold-warm.mjs) with `container: <the local test
// image>`, the real docker engine and the cargo cache on the harness's local cache server: the
// answer to maturin-action#53 in numbers.
// - cold: empty CARGO_HOME and target dir; the crates are fetched on the host first (containers
//   have no network; not timed), so everything compiles in the container; the post step saves the
//   cache;
// - warm: the same paths emptied again (a fresh runner), the cache restored, the build run.
// Main step wall times; median of the pairs (3 unless --runs says otherwise); warm/cold (goal ≤ 0.2).
// The image is the container tests' (packages/harness/src/docker-images.ts), built on first use
// (debootstrap, as root); FERROWHEEL_TEST_IMAGE names another. Without a docker engine (or an
// image) the rows say why instead of a time.
import { execFileSync } from 'node:child_process';
import { dockerEngineProblem, manylinuxTestImage } from '../../packages/harness/src/docker-images.js';
import { coldWarmPair } from './lib/cold-warm.mjs';
import { row, summarize, unmeasured } from './lib/stats.mjs';

const BENCH = 'container-build';
const COLD = 'container build of examples/setup, cold (empty CARGO_HOME and target dir)';
const WARM = 'container build of examples/setup, warm (cargo cache restored)';
const GOAL = 0.2;

/** The image to build in, or why there is none. */
async function image() {
  const problem = await dockerEngineProblem();
  if (problem) {
    return {
      why: problem.replace(/, then run the tests again\.$/, ', then `npm run bench -- container-build`.'),
    };
  }
  if (process.env.FERROWHEEL_TEST_IMAGE) return { image: process.env.FERROWHEEL_TEST_IMAGE };
  try {
    return { image: await manylinuxTestImage() };
  } catch (error) {
    return { why: `the test image could not be made: ${error.message.split('\n')[0]}` };
  }
}

export const bench = {
  id: BENCH,
  title: 'build examples/setup in a container (local manylinux-like image): warm against cold',
  async run({ runs = 3 } = {}) {
    const found = await image();
    if (found.why) {
      console.log(`  not measured: ${found.why}`);
      return [
        unmeasured({ bench: BENCH, what: COLD, why: found.why }),
        unmeasured({ bench: BENCH, what: WARM, why: found.why, against: 'cold', goal: GOAL }),
      ];
    }
    console.log(`  image: ${found.image}`);
    const cold = [];
    const warm = [];
    for (let i = 0; i < Math.max(1, runs); i++) {
      const pair = await coldWarmPair({
        inputs: { container: found.image },
        // The container has no network: cargo runs offline in it, on crates fetched here first.
        env: { CARGO_NET_OFFLINE: 'true' },
        beforeCold: ({ project, cargoHome }) =>
          execFileSync('cargo', ['fetch', '--locked', '--color', 'never'], {
            cwd: project,
            env: { ...process.env, CARGO_HOME: cargoHome },
            stdio: ['ignore', 'ignore', 'pipe'],
          }),
      });
      cold.push(pair.cold.ms);
      warm.push(pair.warm.ms);
      console.log(
        `  pair ${i + 1}: cold ${(pair.cold.ms / 1000).toFixed(1)} s, warm ${(pair.warm.ms / 1000).toFixed(1)} s (warm compiled: ${pair.warm.compiled.join(', ') || 'nothing'})`,
      );
    }
    const coldSample = summarize(cold);
    return [
      row({ bench: BENCH, what: COLD, sample: coldSample }),
      row({
        bench: BENCH,
        what: WARM,
        sample: summarize(warm),
        against: 'cold',
        baseline: coldSample,
        goal: GOAL,
      }),
    ];
  },
};
