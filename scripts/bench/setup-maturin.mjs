// setup-maturin through the harness's runAction: a tool-cache hit (the common case once a runner
// has maturin) against bare `node -e 0`, and a fresh install (download from PyPI, SHA256 check,
// extract) into an empty tool cache against that hit. Interleaved rounds; medians.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../../packages/harness/src/run-action.js';
import { interleaved, row, timeProcess } from './lib/stats.mjs';

export const bench = {
  id: 'setup-maturin',
  title: 'setup-maturin: tool-cache hit against bare node, fresh install against the hit',
  async run({ runs = 15 } = {}) {
    // Outside the repository: a run that stops half-way must leave nothing biome or jest would read.
    const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-bench-setup-maturin-'));
    try {
      const workspace = path.join(base, 'ws');
      mkdirSync(workspace);
      writeFileSync(
        path.join(workspace, 'pyproject.toml'),
        '[build-system]\nrequires = ["maturin>=1.6,<2.0"]\nbuild-backend = "maturin"\n',
      );
      const setupMaturin = async (toolCache, method) => {
        const run = await runAction('setup-maturin', { workspace, toolCache });
        if (run.exitCode !== 0 || run.outputs.method !== method) {
          throw new Error(`setup-maturin: expected method ${method}:\n${run.stdout}${run.stderr}`);
        }
        return run.durationMs;
      };
      const hitCache = mkdtempSync(path.join(base, 'tc-'));
      await setupMaturin(hitCache, 'wheel');
      const fresh = await interleaved(
        [{ label: 'fresh', fn: () => setupMaturin(mkdtempSync(path.join(base, 'tc-')), 'wheel') }],
        { runs: Math.max(3, Math.round(runs / 5)), warmup: 0 },
      );
      const m = await interleaved(
        [
          { label: 'node -e 0', fn: () => timeProcess([process.execPath, '-e', '0']) },
          { label: 'hit', fn: () => setupMaturin(hitCache, 'tool-cache') },
        ],
        { runs },
      );
      return [
        row({
          bench: 'setup-maturin',
          what: 'setup-maturin, tool-cache hit',
          sample: m.hit,
          against: 'node -e 0',
          baseline: m['node -e 0'],
          goal: 1.25,
        }),
        row({
          bench: 'setup-maturin',
          what: 'setup-maturin, fresh install from PyPI (SHA256-verified)',
          sample: fresh.fresh,
          against: 'the cache hit',
          baseline: m.hit,
        }),
      ];
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
};
