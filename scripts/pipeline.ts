/**
 * The main job, run locally: the five bundled actions on examples/setup, chained the way a
 * GitHub runner chains steps (each step sees the PATH and env the earlier ones exported), with a
 * real pypiserver on 127.0.0.1 as the index and a local server speaking GitHub's cache protocol.
 * Ends by installing the published package from that index into a fresh venv and importing it.
 *
 * Usage: npm run pipeline [-- --keep]   (--keep leaves the index running until Ctrl-C)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readActionMetadata } from '../packages/harness/src/action-metadata.js';
import { startCacheServer } from '../packages/harness/src/cache-server.js';
import { startPypiServer } from '../packages/harness/src/pypi-server.js';
import { type ActionRun, runAction } from '../packages/harness/src/run-action.js';
import { cargoTargetDir, repoRoot, sharedDir, toolsBin } from '../packages/harness/src/workdirs.js';
import { currentPlatform, defaultPythonCommand, venvPython } from '../packages/kit/src/platform.js';

interface Step {
  action: string;
  inputs: (outputs: Record<string, Record<string, string>>) => Record<string, string>;
}

const work = sharedDir('pipeline');
// build's out-dir is relative to its working-directory; publish's packages-dir to the workspace.
const dist = path.join(work, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const index = await startPypiServer();
const cache = await startCacheServer();
const started = performance.now();
const rows: string[] = [];
let pathPrefix = [toolsBin];
let env: Record<string, string | undefined> = {
  ...cache.env,
  CARGO_TARGET_DIR: cargoTargetDir('examples'),
};

const steps: Step[] = [
  // As in build-wheels.yml: build caches cargo's registry and target dir, under a key per target.
  { action: 'setup-rust', inputs: () => ({ 'working-directory': 'examples/setup', cache: 'false' }) },
  { action: 'setup-maturin', inputs: () => ({ 'working-directory': 'examples/setup' }) },
  {
    action: 'build',
    inputs: () => ({
      'working-directory': 'examples/setup',
      sdist: 'true',
      'out-dir': path.relative(path.join(repoRoot, 'examples', 'setup'), dist),
    }),
  },
  {
    action: 'test',
    inputs: (o) => ({ wheels: o.build!.wheels!, 'working-directory': 'examples/setup' }),
  },
  {
    action: 'publish',
    inputs: () => ({
      'packages-dir': path.relative(repoRoot, dist),
      'repository-url': index.uploadUrl,
      'index-url': index.simpleUrl,
      username: index.username,
      token: index.password,
      'skip-existing': 'true',
    }),
  },
];

const outputs: Record<string, Record<string, string>> = {};
const posts: { action: string; state: Record<string, string> }[] = [];
let failed: ActionRun | undefined;
try {
  for (const step of steps) {
    console.log(`\n\u001b[1m▶ ${step.action}\u001b[0m`);
    const run = await runAction(step.action, {
      inputs: step.inputs(outputs),
      env: { ...env, PATH: [...pathPrefix, process.env.PATH ?? ''].join(path.delimiter) },
    });
    process.stdout.write(run.stdout.replace(/^/gm, '  '));
    rows.push(
      `${step.action.padEnd(18)} ${run.exitCode === 0 ? 'ok    ' : 'FAILED'} ${(run.durationMs / 1000).toFixed(1).padStart(6)} s`,
    );
    if (run.exitCode !== 0) {
      failed = run;
      break;
    }
    outputs[step.action] = run.outputs;
    env = { ...env, ...run.exportedEnv };
    pathPrefix = [...run.addedPath.reverse(), ...pathPrefix];
    // The runner runs an action's post step, in reverse order, when its action.yml has one.
    if (readActionMetadata(step.action).runs.post) posts.push({ action: step.action, state: run.state });
  }
  for (const post of failed ? [] : posts.reverse()) {
    const run = await runAction(post.action, {
      post: post.state,
      env: { ...env, PATH: [...pathPrefix, process.env.PATH ?? ''].join(path.delimiter) },
    });
    rows.push(
      `${`${post.action} (post)`.padEnd(18)} ${run.exitCode === 0 ? 'ok    ' : 'FAILED'} ${(run.durationMs / 1000).toFixed(1).padStart(6)} s`,
    );
  }

  if (!failed) {
    // The proof: what was published installs from the index into a fresh venv and works.
    const venv = path.join(work, 'verify-venv');
    rmSync(venv, { recursive: true, force: true });
    const os = currentPlatform().os;
    execFileSync(defaultPythonCommand(os), ['-m', 'venv', venv]);
    execFileSync(
      venvPython(os, venv),
      ['-m', 'pip', 'install', '--quiet', '--index-url', index.simpleUrl, 'setup'],
      {
        stdio: 'inherit',
        env: { ...process.env, PIP_FIND_LINKS: '' },
      },
    );
    const answer = execFileSync(venvPython(os, venv), ['-c', 'import setup; print(setup.it_works())'], {
      encoding: 'utf8',
    }).trim();
    rows.push(
      `${'install+import'.padEnd(18)} ${answer === 'True' ? 'ok    ' : 'FAILED'}   it_works() → ${answer}`,
    );
    if (answer !== 'True') process.exitCode = 1;
  }
} finally {
  await cache.close();
  if (!process.argv.includes('--keep')) await index.stop();
}

console.log('\n\u001b[1mPipeline on examples/setup\u001b[0m');
for (const row of rows) console.log(`  ${row}`);
console.log(
  `  total ${((performance.now() - started) / 1000).toFixed(1)} s; published to ${index.simpleUrl}`,
);
if (failed) {
  console.error(`\n${failed.errors.map((e) => `error: ${e}`).join('\n')}`);
  process.exitCode = 1;
} else if (process.argv.includes('--keep')) {
  console.log(`Index left running at ${index.simpleUrl} (Ctrl-C to stop).`);
}
