// One cold and one warm build of a fresh copy of examples/setup through the build action (the
// harness's runAction, main step then post step), with the cargo cache on a fresh local cache
// server; shared by the build and container-build benchmarks.
// - cold: empty CARGO_HOME and target dir; the post step saves the cache;
// - warm: the same paths emptied again (a fresh runner), the cache restored, the build run.
// Returns each main step's wall time and the crates it compiled.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCacheServer } from '../../../packages/harness/src/cache-server.js';
import { runAction } from '../../../packages/harness/src/run-action.js';
import { example, toolsBin } from '../../../packages/harness/src/workdirs.js';

async function buildOnce({ workspace, inputs, env, expectHit }) {
  const options = { workspace, inputs: { 'working-directory': 'setup', ...inputs }, env };
  const main = await runAction('build', options);
  if (main.exitCode !== 0) throw new Error(`build failed:\n${main.stdout}${main.stderr}`);
  if (main.outputs['cache-hit'] !== String(expectHit)) {
    throw new Error(`expected cache-hit=${expectHit}, got ${main.outputs['cache-hit']}:\n${main.stdout}`);
  }
  const post = await runAction('build', { ...options, post: main.state });
  if (post.exitCode !== 0) throw new Error(`build's post step failed:\n${post.stdout}${post.stderr}`);
  const compiled = [...main.stdout.matchAll(/^\s*Compiling (\S+) v/gm)].map((m) => m[1]);
  return { ms: main.durationMs, compiled };
}

/**
 * `inputs`: build's inputs besides working-directory; `env`: added to the step's environment;
 * `beforeCold({ project, cargoHome })`: runs (untimed) before the cold build.
 */
export async function coldWarmPair({ inputs = {}, env: extra = {}, beforeCold } = {}) {
  const server = await startCacheServer();
  const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-bench-build-'));
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
      ...extra,
    };
    await beforeCold?.({ project, cargoHome });
    const cold = await buildOnce({ workspace, inputs, env, expectHit: false });
    for (const dir of [targetDir, cargoHome, path.join(project, 'dist')]) {
      rmSync(dir, { recursive: true, force: true });
    }
    const warm = await buildOnce({ workspace, inputs, env, expectHit: true });
    return { cold, warm };
  } finally {
    await server.close();
    rmSync(base, { recursive: true, force: true });
  }
}
