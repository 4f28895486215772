// Cold against warm build of examples/setup through the build action (the harness's runAction,
// main step then post step), with the real maturin/cargo and the cargo cache on the harness's
// local cache server:
// - cold: empty CARGO_HOME and target dir (crates downloaded and compiled); the post step saves
//   the cache;
// - warm: the same paths emptied again (a fresh runner), the cache restored, the build run.
// Main step wall times; median of at least 3 pairs; warm/cold.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCacheServer } from '../../packages/harness/src/cache-server.js';
import { runAction } from '../../packages/harness/src/run-action.js';
import { example, toolsBin } from '../../packages/harness/src/workdirs.js';
import { row, summarize } from './lib/stats.mjs';

async function buildOnce({ workspace, env, expectHit }) {
  const main = await runAction('build', {
    workspace,
    inputs: { 'working-directory': 'setup', container: 'off' },
    env,
  });
  if (main.exitCode !== 0) throw new Error(`build failed:\n${main.stdout}${main.stderr}`);
  if (main.outputs['cache-hit'] !== String(expectHit)) {
    throw new Error(`expected cache-hit=${expectHit}, got ${main.outputs['cache-hit']}:\n${main.stdout}`);
  }
  const post = await runAction('build', { workspace, post: main.state, env });
  if (post.exitCode !== 0) throw new Error(`build's post step failed:\n${post.stdout}${post.stderr}`);
  return main.durationMs;
}

export const bench = {
  id: 'build',
  title: 'build examples/setup: warm (cache restored into an empty target dir) against cold',
  async run({ runs = 3 } = {}) {
    const pairs = Math.max(3, runs);
    const cold = [];
    const warm = [];
    for (let i = 0; i < pairs; i++) {
      const server = await startCacheServer();
      const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-bench-build-'));
      try {
        const workspace = path.join(base, 'ws');
        cpSync(example('setup'), path.join(workspace, 'setup'), {
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
        };
        cold.push(await buildOnce({ workspace, env, expectHit: false }));
        for (const dir of [targetDir, cargoHome, path.join(workspace, 'setup', 'dist')]) {
          rmSync(dir, { recursive: true, force: true });
        }
        warm.push(await buildOnce({ workspace, env, expectHit: true }));
        console.log(
          `  pair ${i + 1}: cold ${(cold.at(-1) / 1000).toFixed(1)} s, warm ${(warm.at(-1) / 1000).toFixed(1)} s`,
        );
      } finally {
        await server.close();
        rmSync(base, { recursive: true, force: true });
      }
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
