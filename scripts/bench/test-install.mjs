// How long actions/test spends creating the venv and installing the wheel, sample/ and pytest,
// with uv and with pip: the action run through the harness's runAction against examples/setup's
// wheel (after one warm-up each, so both installers use their caches); medians of the install
// phase (the `installDuration` the action reports) and of the whole step.
//
// Exported shape (other branches edit this file; keep it): `export const bench = { id, title,
// run({ runs }) }` resolving to rows from lib/stats.mjs `row`.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildExampleWheel } from '../../packages/harness/src/example-wheel.js';
import { runAction } from '../../packages/harness/src/run-action.js';
import { example, toolsBin } from '../../packages/harness/src/workdirs.js';
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
      // Only uv from the tools venv goes in front of PATH: python3 stays the system one.
      const uvDir = path.join(base, 'uv-bin');
      mkdirSync(uvDir);
      if (existsSync(path.join(toolsBin, 'uv'))) cpSync(path.join(toolsBin, 'uv'), path.join(uvDir, 'uv'));
      const env = { PATH: `${uvDir}${path.delimiter}${process.env.PATH}` };
      const installs = { uv: [], pip: [] };
      const once = (installer) => async () => {
        const run = await runAction('test', { workspace, inputs: { wheels: wheelDir, installer }, env });
        if (run.exitCode !== 0)
          throw new Error(`actions/test with ${installer} failed:\n${run.stdout}${run.stderr}`);
        installs[installer].push(JSON.parse(run.outputs.results)[0].installDuration * 1000);
        return run.durationMs;
      };
      const whole = await interleaved(
        [
          { label: 'uv', fn: once('uv') },
          { label: 'pip', fn: once('pip') },
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
      ];
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
};
