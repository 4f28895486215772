// How long actions/test spends creating the venv and installing the wheel, sample/ and pytest,
// with uv and with pip: the action run through the harness's runAction against examples/setup's
// wheel (after one warm-up each, so both installers use their caches); medians of the install
// phase (the `installDuration` the action reports) and of the whole step. Then the same install
// locked: a copy of the project with a `dev` dependency group and its uv.lock, run with
// `lock: require` (uv exports the lock in the plan, not timed here; uv or pip then installs it
// hash-checked in one call).
//
// Exported shape (other branches edit this file; keep it): `export const bench = { id, title,
// run({ runs }) }` resolving to rows from lib/stats.mjs `row`.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildExampleWheel } from '../../packages/harness/src/example-wheel.js';
import { runAction } from '../../packages/harness/src/run-action.js';
import { example, tool, toolsBin } from '../../packages/harness/src/workdirs.js';
import { interleaved, row, summarize } from './lib/stats.mjs';

export const bench = {
  id: 'test-install',
  title: 'actions/test: install phase and whole step, uv against pip',
  async run({ runs = 5 } = {}) {
    const wheelDir = buildExampleWheel('setup').dir;
    const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-bench-test-'));
    try {
      const workspace = path.join(base, 'ws');
      cpSync(example('setup'), workspace, {
        recursive: true,
        filter: (src) => !['target', 'dist'].includes(path.basename(src)),
      });
      // The wheel goes where the build action leaves it: test takes wheels inside the checkout only.
      cpSync(wheelDir, path.join(workspace, 'dist'), { recursive: true });
      // Only uv from the tools venv goes in front of PATH: python3 stays the system one.
      const uvDir = path.join(base, 'uv-bin');
      mkdirSync(uvDir);
      if (existsSync(path.join(toolsBin, 'uv'))) cpSync(path.join(toolsBin, 'uv'), path.join(uvDir, 'uv'));
      const env = { PATH: `${uvDir}${path.delimiter}${process.env.PATH}` };
      // The locked project: a dev group (the test tools) and the uv.lock that pins it.
      const lockedWorkspace = path.join(base, 'ws-locked');
      cpSync(workspace, lockedWorkspace, { recursive: true });
      appendFileSync(
        path.join(lockedWorkspace, 'pyproject.toml'),
        '\n[dependency-groups]\ndev = ["pytest>=8"]\n',
      );
      execFileSync(tool('uv'), ['lock', '--quiet'], {
        cwd: lockedWorkspace,
        env: { ...process.env, UV_NO_PROGRESS: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const installs = { uv: [], pip: [], 'locked uv': [], 'locked pip': [] };
      const once =
        (installer, locked = false) =>
        async () => {
          const label = locked ? `locked ${installer}` : installer;
          const run = await runAction('test', {
            workspace: locked ? lockedWorkspace : workspace,
            inputs: { wheels: 'dist', installer, ...(locked ? { lock: 'require' } : {}) },
            env,
          });
          if (run.exitCode !== 0)
            throw new Error(`actions/test (${label}) failed:\n${run.stdout}${run.stderr}`);
          if (locked && !run.stdout.includes('Installing at the locked versions of uv.lock (')) {
            throw new Error(`actions/test (${label}) did not install from uv.lock:\n${run.stdout}`);
          }
          installs[label].push(JSON.parse(run.outputs.results)[0].installDuration * 1000);
          return run.durationMs;
        };
      const whole = await interleaved(
        [
          { label: 'uv', fn: once('uv') },
          { label: 'pip', fn: once('pip') },
          { label: 'locked uv', fn: once('uv', true) },
          { label: 'locked pip', fn: once('pip', true) },
        ],
        { runs },
      );
      // The warm-up round's install times are not part of the sample.
      const install = Object.fromEntries(
        Object.entries(installs).map(([k, v]) => [k, summarize(v.slice(1))]),
      );
      return [
        row({ bench: 'test-install', what: 'test: install phase with pip', sample: install.pip }),
        row({
          bench: 'test-install',
          what: 'test: install phase with uv',
          sample: install.uv,
          against: 'pip',
          baseline: install.pip,
        }),
        row({
          bench: 'test-install',
          what: 'test: whole step with uv (interpreter, install, import check, pytest)',
          sample: whole.uv,
          against: 'with pip',
          baseline: whole.pip,
        }),
        row({
          bench: 'test-install',
          what: 'test: locked install phase with pip (uv.lock, dev group, lock: require)',
          sample: install['locked pip'],
        }),
        row({
          bench: 'test-install',
          what: 'test: locked install phase with uv (uv.lock, dev group, lock: require)',
          sample: install['locked uv'],
          against: 'pip',
          baseline: install['locked pip'],
        }),
      ];
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
};
