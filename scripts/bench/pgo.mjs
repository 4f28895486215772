// PGO on a real workload: examples/pgo (jsonscan, a JSON scanner) built through the build action
// twice, each into a cold target dir of its own: plain (`pgo: false`) and PGO (`pgo: true`, its
// [tool.maturin] pgo-command trains, llvm-profdata-N merges; `pgo-measure: true`, so the action's
// own measurement runs too). Then each wheel in a venv of its own and the training command
// (train.py: 400 scans of a 680 KB document) timed interleaved, plain and PGO, round after round.
// Rows: the training with each wheel (medians: wall time, and the CPU time the training reports)
// and PGO/plain; what the action's pgo-measure took on the same. The two build times are printed.
// rustup is kept off PATH, as in the tests (actions/build/test/integration/pgo.test.ts): the
// action would otherwise add llvm-tools to this machine's toolchain; scripts/ensure-llvm.sh
// installs the Debian llvm-profdata it uses instead.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../../packages/harness/src/run-action.js';
import { example, repoRoot, toolsBin } from '../../packages/harness/src/workdirs.js';
import { interleaved, row, summarize, timeProcess } from './lib/stats.mjs';

const BENCH = 'pgo';
const cpuTimer = path.join(repoRoot, 'scripts', 'bench', 'lib', 'cpu_time.py');

function pathWithoutRustup() {
  const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
  const rest = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((d) => d && !existsSync(path.join(d, 'rustup')));
  return [toolsBin, path.join(sysroot, 'bin'), ...rest].join(path.delimiter);
}

async function build(base, name, inputs) {
  const workspace = path.join(base, name);
  cpSync(example('pgo'), path.join(workspace, 'pgo'), {
    recursive: true,
    filter: (src) => !['target', 'dist', '__pycache__'].includes(path.basename(src)),
  });
  const run = await runAction('build', {
    workspace,
    inputs: { 'working-directory': 'pgo', container: 'off', cache: 'false', ...inputs },
    env: {
      PATH: pathWithoutRustup(),
      CARGO_TARGET_DIR: path.join(base, `${name}-target`),
      CARGO_TERM_COLOR: 'never',
    },
  });
  if (run.exitCode !== 0) throw new Error(`build (${name}) failed:\n${run.stdout}${run.stderr}`);
  const [wheel] = JSON.parse(run.outputs.wheels);
  return {
    ms: run.durationMs,
    wheel: wheel.path,
    gain: run.outputs['pgo-gain'],
    project: path.join(workspace, 'pgo'),
  };
}

function venvWith(base, name, wheel) {
  const venv = path.join(base, `venv-${name}`);
  execFileSync(path.join(toolsBin, 'python'), ['-m', 'venv', venv]);
  execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--no-index', wheel]);
  return path.join(venv, 'bin', 'python');
}

/**
 * The training with each wheel, interleaved round after round: wall time as the action measures
 * it, and the CPU time the training reports itself (lib/cpu_time.py), the steadier measure when
 * other work shares the machine. The warm-up round is left out of both.
 */
async function timeTraining(base, pythons, train, runs) {
  const cpu = { plain: [], pgo: [] };
  const record = path.join(base, 'cpu-time');
  const wall = await interleaved(
    ['plain', 'pgo'].map((label) => ({
      label,
      fn: async () => {
        const ms = await timeProcess([pythons[label], cpuTimer, record, train], { cwd: base });
        cpu[label].push(Number(readFileSync(record, 'utf8')));
        return ms;
      },
    })),
    { runs },
  );
  return { wall, cpu: { plain: summarize(cpu.plain.slice(1)), pgo: summarize(cpu.pgo.slice(1)) } };
}

/** Plain, then PGO with PGO/plain: the two rows of one measure. */
function pair(what, samples, against) {
  return [
    row({ bench: BENCH, what: `${what}, plain wheel`, sample: samples.plain }),
    row({ bench: BENCH, what: `${what}, PGO wheel`, sample: samples.pgo, against, baseline: samples.plain }),
  ];
}

export const bench = {
  id: BENCH,
  title: 'PGO on examples/pgo: build times, and the training command with the plain and the PGO wheel',
  async run({ runs = 9 } = {}) {
    execFileSync('bash', [path.join(repoRoot, 'scripts', 'ensure-llvm.sh')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-bench-pgo-'));
    try {
      const plain = await build(base, 'plain', {});
      console.log(`  plain build ${(plain.ms / 1000).toFixed(1)} s`);
      const pgo = await build(base, 'pgo', { pgo: 'true', 'pgo-measure': 'true' });
      console.log(
        `  PGO build (with pgo-measure's plain build and timed runs) ${(pgo.ms / 1000).toFixed(1)} s`,
      );
      if (!pgo.gain)
        throw new Error("the build action's pgo-measure reported no gain (empty pgo-gain output)");
      const action = JSON.parse(pgo.gain);
      console.log(
        `  the action's pgo-measure: ${action.ratio.toFixed(2)}× (${action.verdict}, noise ±${Math.round(action.noise * 100)}%)`,
      );
      const pythons = { plain: venvWith(base, 'plain', plain.wheel), pgo: venvWith(base, 'pgo', pgo.wheel) };
      const timed = await timeTraining(
        base,
        pythons,
        path.join(plain.project, 'train.py'),
        Math.max(5, runs),
      );
      // The builds ran once each (cold, minutes apiece under load): printed above, not tabled, since
      // the table holds medians of at least 3 runs.
      return [
        ...pair('examples/pgo training (`python train.py`), wall time', timed.wall, 'plain wheel'),
        ...pair('examples/pgo training, CPU time', timed.cpu, 'plain wheel'),
        ...pair(
          "the training's wall time as the build action's `pgo-measure` took it (5 interleaved runs each)",
          { plain: summarize(action.plainMs), pgo: summarize(action.pgoMs) },
          'plain wheel',
        ),
      ];
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
};
