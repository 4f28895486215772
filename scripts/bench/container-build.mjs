// Cold against warm container build of examples/setup through the build action (the harness's
// runAction, main step then post step) with `container: <the local test image>`, the real docker
// engine and the cargo cache on the harness's local cache server: the answer to maturin-action#53
// in numbers.
// - cold: empty CARGO_HOME and target dir; the crates are fetched on the host first (containers
//   have no network; not timed), so everything compiles in the container; the post step saves the
//   cache;
// - warm: the same paths emptied again (a fresh runner), the cache restored, the build run.
// Main step wall times; median of the pairs (3 unless --runs says otherwise); warm/cold (goal ≤ 0.2).
// The image is the container tests' (packages/harness/src/docker-images.ts), built on first use
// (debootstrap, as root); FERROWHEEL_TEST_IMAGE names another. Without a docker engine (or an
// image) the rows say why instead of a time.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCacheServer } from '../../packages/harness/src/cache-server.js';
import { dockerEngineProblem, manylinuxTestImage } from '../../packages/harness/src/docker-images.js';
import { runAction } from '../../packages/harness/src/run-action.js';
import { example, toolsBin } from '../../packages/harness/src/workdirs.js';
import { row, summarize, unmeasured } from './lib/stats.mjs';

const BENCH = 'container-build';
const COLD = 'container build of examples/setup, cold (empty CARGO_HOME and target dir)';
const WARM = 'container build of examples/setup, warm (cargo cache restored)';
const GOAL = 0.2;

async function buildOnce({ workspace, env, image, expectHit }) {
  const options = { workspace, inputs: { 'working-directory': 'setup', container: image }, env };
  const main = await runAction('build', options);
  if (main.exitCode !== 0) throw new Error(`container build failed:\n${main.stdout}${main.stderr}`);
  if (main.outputs['cache-hit'] !== String(expectHit)) {
    throw new Error(`expected cache-hit=${expectHit}, got ${main.outputs['cache-hit']}:\n${main.stdout}`);
  }
  const post = await runAction('build', { ...options, post: main.state });
  if (post.exitCode !== 0) throw new Error(`build's post step failed:\n${post.stdout}${post.stderr}`);
  const compiled = [...main.stdout.matchAll(/^\s*Compiling (\S+) v/gm)].map((m) => m[1]);
  return { ms: main.durationMs, compiled };
}

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
      const server = await startCacheServer();
      const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-bench-container-'));
      try {
        const workspace = path.join(base, 'ws');
        const project = path.join(workspace, 'setup');
        cpSync(example('setup'), project, {
          recursive: true,
          filter: (src) => !['target', 'dist'].includes(path.basename(src)),
        });
        const cargoHome = path.join(base, 'cargo-home');
        const targetDir = path.join(base, 'target');
        const env = {
          ...server.env,
          PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
          CARGO_HOME: cargoHome,
          CARGO_TARGET_DIR: targetDir,
          CARGO_TERM_COLOR: 'never',
          CARGO_NET_OFFLINE: 'true',
        };
        execFileSync('cargo', ['fetch', '--locked', '--color', 'never'], {
          cwd: project,
          env: { ...process.env, CARGO_HOME: cargoHome },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        const c = await buildOnce({ workspace, env, image: found.image, expectHit: false });
        for (const dir of [targetDir, cargoHome, path.join(project, 'dist')]) {
          rmSync(dir, { recursive: true, force: true });
        }
        const w = await buildOnce({ workspace, env, image: found.image, expectHit: true });
        cold.push(c.ms);
        warm.push(w.ms);
        console.log(
          `  pair ${i + 1}: cold ${(c.ms / 1000).toFixed(1)} s, warm ${(w.ms / 1000).toFixed(1)} s (warm compiled: ${w.compiled.join(', ') || 'nothing'})`,
        );
      } finally {
        await server.close();
        rmSync(base, { recursive: true, force: true });
      }
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
