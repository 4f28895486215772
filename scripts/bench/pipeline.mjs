// The whole local pipeline (`npm run pipeline -- examples/setup --no-sdist --no-publish`, set-up
// excluded) against the same work done by hand: maturin build, a fresh venv, the wheel and pytest
// installed into it, pytest on sample/tests. Both warm (one target dir, the tools' caches filled
// by a first round); interleaved rounds; medians. The by-hand side installs with uv, as the test
// action does when uv is present.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  cargoTargetDir,
  example,
  freshDir,
  repoRoot,
  sharedDir,
  tool,
} from '../../packages/harness/src/workdirs.js';
import { interleaved, row } from './lib/stats.mjs';

export const bench = {
  id: 'pipeline',
  title: 'the whole pipeline against the same work by hand',
  async run({ runs = 3 } = {}) {
    const targetDir = cargoTargetDir('examples');
    const project = example('setup');
    const env = { ...process.env, CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: 'never' };
    const pipeline = async () => {
      const started = performance.now();
      const result = spawnSync(
        path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
        ['scripts/pipeline.ts', project, '--no-sdist', '--no-publish'],
        {
          cwd: repoRoot,
          env: { ...env, FERROWHEEL_PIPELINE_DIR: freshDir('bench-pipeline') },
          encoding: 'utf8',
        },
      );
      const ms = performance.now() - started;
      if (result.status !== 0) {
        throw new Error(`the pipeline failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
      }
      return ms;
    };
    const byHand = async () => {
      const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-bench-by-hand-'));
      try {
        const started = performance.now();
        const out = path.join(base, 'dist');
        // Its own target dir: the build action and a bare maturin build set different environments
        // (interpreter, PyO3 variables), and sharing one dir would make each recompile pyo3 after
        // the other. Warm after the first round, like the pipeline's.
        const handEnv = { ...env, CARGO_TARGET_DIR: sharedDir('bench-by-hand-target') };
        const run = (program, args) =>
          execFileSync(program, args, { cwd: project, env: handEnv, stdio: 'ignore' });
        run(tool('maturin'), ['build', '--release', '--out', out]);
        const venv = path.join(base, 'venv');
        run(tool('uv'), ['venv', '--quiet', venv]);
        const python = path.join(venv, 'bin', 'python');
        const wheel = path.join(
          out,
          readdirSync(out).find((f) => f.endsWith('.whl')),
        );
        run(tool('uv'), ['pip', 'install', '--quiet', '--python', python, wheel, 'pytest']);
        run(python, ['-m', 'pytest', '-q', 'sample/tests']);
        return performance.now() - started;
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    };
    const m = await interleaved(
      [
        { label: 'by hand', fn: byHand },
        { label: 'pipeline', fn: pipeline },
      ],
      { runs },
    );
    return [
      row({
        bench: 'pipeline',
        what: 'by hand: maturin build, venv, install wheel + pytest, pytest (examples/setup)',
        sample: m['by hand'],
      }),
      row({
        bench: 'pipeline',
        what: 'the pipeline, same project (5 actions + post steps + install check)',
        sample: m.pipeline,
        against: 'by hand',
        baseline: m['by hand'],
        goal: 1.1,
      }),
    ];
  },
};
