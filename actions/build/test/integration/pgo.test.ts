/**
 * PGO through the bundle, for real: examples/pgo (a JSON scanner) built with `pgo: true` — its
 * `[tool.maturin] pgo-command` trains the instrumented wheel, Debian's llvm-profdata-22
 * (scripts/ensure-llvm.sh installs it) merges, and the optimised wheel must pass the example's
 * own tests. rustup is kept off PATH (the toolchain's bin directory stands in for its proxies):
 * the action would otherwise add the llvm-tools component to the machine's toolchain, and
 * rustup's server is not one the tests may rely on. Then the failures: an llvm-profdata of
 * another LLVM, and a leg the runner cannot run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { copyExample, testWheelOnHost } from '@ferrowheel/harness/example-wheel';
import { runAction } from '@ferrowheel/harness/run-action';
import { cargoTargetDir, freshDir, toolsBin } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';
import type { WheelInfo } from '../../src/artifacts.js';

const sysrootBin = path.join(
  execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim(),
  'bin',
);
const rustcLlvm = /^LLVM version: (\S+)/m.exec(execFileSync('rustc', ['-vV'], { encoding: 'utf8' }))![1]!;

/** PATH without rustup (nor its proxies), with the toolchain's own cargo and rustc, and `first` dirs first. */
function pathWithoutRustup(...first: string[]): string {
  const rest = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((d) => d && !existsSync(path.join(d, 'rustup')));
  return [...first, toolsBin, sysrootBin, ...rest].join(path.delimiter);
}

async function buildPgo(inputs: Record<string, string>, env: Record<string, string>) {
  const dir = copyExample('pgo');
  const run = await runAction('build', {
    workspace: path.dirname(dir),
    inputs: { 'working-directory': path.basename(dir), container: 'off', cache: 'false', ...inputs },
    env: { CARGO_TARGET_DIR: cargoTargetDir(), CARGO_TERM_COLOR: 'never', ...env },
  });
  return { run, dir };
}

describe('pgo (real builds)', () => {
  it('builds examples/pgo with its pgo-command and the wheel passes its own tests', async () => {
    const { run, dir } = await buildPgo({ pgo: 'true' }, { PATH: pathWithoutRustup() });
    if (run.exitCode !== 0) throw new Error(`build failed:\n${run.stdout}\n${run.stderr}`);
    expect(run.stdout).toContain('pgo: training python train.py ([tool.maturin] pgo-command)');
    expect(run.stdout).toMatch(/pgo: llvm-profdata llvm-profdata-22 \(LLVM 22\.[\d.]+, from PATH\)/);
    expect(run.stdout).toContain('PGO 1/3: instrumented build');
    expect(run.stdout).toMatch(/scanned \d+ bytes 400 times/);
    expect(run.stdout).toContain('PGO 3/3: merge and optimised build');
    expect(run.summary).toMatch(
      /PGO: trained with `python train\.py \(\[tool\.maturin\] pgo-command\)` on `python3`; \d+ profile\(s\) merged by `llvm-profdata-22`/,
    );
    expect(run.summary).toContain('no: PGO profile of this run');
    const [wheel] = JSON.parse(run.outputs.wheels!) as WheelInfo[];
    // The example's own tests, with the tools' pytest, against the installed PGO wheel.
    const tests = testWheelOnHost(wheel!.path, path.join(dir, 'tests'), 'pgo-site');
    expect(tests).toMatch(/10 passed/);
  }, 600_000);

  it('fails before compiling when the only llvm-profdata is of another LLVM, naming both versions', async () => {
    // The system's LLVM 14 llvm-profdata as the only one; /usr/bin (llvm-profdata-22) left out.
    const bin = freshDir('old-llvm');
    mkdirSync(bin, { recursive: true });
    symlinkSync('/usr/lib/llvm-14/bin/llvm-profdata', path.join(bin, 'llvm-profdata'));
    const { run } = await buildPgo(
      { pgo: 'true' },
      { PATH: [bin, toolsBin, sysrootBin].join(path.delimiter) },
    );
    expect(run.exitCode).toBe(1);
    const errors = run.errors.join('\n');
    expect(errors).toContain(
      `pgo: rustc is built on LLVM ${rustcLlvm}, so merging its profiles needs an llvm-profdata of LLVM 22; found only llvm-profdata of LLVM 14.`,
    );
    expect(errors).toMatch(
      /Install a matching one before this step: 'rustup component add llvm-tools'.*apt-get install llvm-22/,
    );
    expect(run.stdout).not.toContain('Compiling');
  }, 120_000);

  it('skips PGO, with a notice saying why, on a leg whose wheels the runner cannot run', async () => {
    // No aarch64 std is installed on a clean machine, so the build then fails (at the preflight's
    // target check, or in maturin when another worker of this machine installs the target): the
    // point is that PGO was decided first, per leg, without looking for an llvm-profdata (nor
    // asking rustup for one), and the build went on without it.
    const { run } = await buildPgo(
      { pgo: 'true', target: 'aarch64', zig: 'true' },
      { PATH: `${toolsBin}${path.delimiter}${process.env.PATH}` },
    );
    expect(run.stdout).toContain(
      '::notice title=PGO skipped::pgo: skipped: the runner (x86_64-unknown-linux-gnu) cannot run aarch64-unknown-linux-gnu wheels, so the training cannot run; the wheels are built without PGO.',
    );
    for (const never of ['llvm-profdata', 'rustup component add', 'PGO 1/3'])
      expect(run.stdout).not.toContain(never);
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/aarch64-unknown-linux-gnu|maturin build failed/);
  }, 120_000);
});
