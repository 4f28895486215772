// Each action's own start-up: its bundle run as the runner runs it (the harness's runAction),
// stopping at once on an input it rejects — so the time is node's start, loading the entry
// chunk and reading the inputs, and nothing the action does afterwards — against bare
// `node -e 0`, spawned the same way. Interleaved rounds; medians.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction } from '../../packages/harness/src/run-action.js';
import { interleaved, row, summarize, timeProcess } from './lib/stats.mjs';

const cpuPreload = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib', 'cpu-usage.cjs');

/** An input each action rejects while reading its inputs. */
const REJECTED = {
  'setup-rust': { cache: 'maybe' },
  'setup-maturin': { version: 'bogus!' },
  build: { sdist: 'maybe' },
  test: { installer: 'conda' },
  publish: { 'dry-run': 'maybe' },
};

export const bench = {
  id: 'startup',
  title: "each action's start-up against bare node",
  async run({ runs = 21 } = {}) {
    // Each process also records its own CPU time (lib/cpu-usage.cjs), the steadier measure on a
    // busy machine; both get the same preload.
    const dir = mkdtempSync(path.join(tmpdir(), 'ferrowheel-bench-startup-'));
    const record = path.join(dir, 'cpu');
    const env = { NODE_OPTIONS: `--require ${cpuPreload}`, FERROWHEEL_CPU_RECORD: record };
    const cpu = {};
    const timed = (label, fn) => ({
      label,
      fn: async () => {
        const ms = await fn();
        cpu[label] = [...(cpu[label] ?? []), Number(readFileSync(record, 'utf8'))];
        return ms;
      },
    });
    const cases = [
      timed('node -e 0', () =>
        timeProcess([process.execPath, '-e', '0'], { env: { ...process.env, ...env } }),
      ),
    ];
    for (const [action, inputs] of Object.entries(REJECTED)) {
      cases.push(
        timed(action, async () => {
          const run = await runAction(action, { inputs, env });
          if (run.exitCode !== 1 || run.errors.length !== 1 || !run.errors[0].startsWith('Input ')) {
            throw new Error(`${action} did not stop on its input:\n${run.stdout}${run.stderr}`);
          }
          return run.durationMs;
        }),
      );
    }
    const warmup = 2;
    const m = await interleaved(cases, { runs, warmup });
    rmSync(dir, { recursive: true, force: true });
    const c = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, summarize(v.slice(warmup))]));
    const actions = Object.keys(REJECTED);
    return [
      row({ bench: 'startup', what: '`node -e 0`, wall time', sample: m['node -e 0'] }),
      ...actions.map((action) =>
        row({
          bench: 'startup',
          what: `${action} start-up, wall time (bundle loaded, inputs read)`,
          sample: m[action],
          against: 'node -e 0',
          baseline: m['node -e 0'],
          goal: 1.25,
        }),
      ),
      row({ bench: 'startup', what: '`node -e 0`, CPU time', sample: c['node -e 0'] }),
      ...actions.map((action) =>
        row({
          bench: 'startup',
          what: `${action} start-up, CPU time`,
          sample: c[action],
          against: 'node -e 0',
          baseline: c['node -e 0'],
          goal: 1.25,
        }),
      ),
    ];
  },
};
