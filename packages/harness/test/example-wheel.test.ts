/**
 * The example builder with the real maturin: builds of examples/ never pack a module from one of
 * the changed copies tests build (same crate name, so cargo uplifts to the same file name).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listZipEntries, readZipEntry } from '@ferrowheel/kit/zip';
import { describe, expect, it } from '@jest/globals';
import { buildExampleWheel, copyExample } from '../src/example-wheel.js';
import { withTargetDirSync } from '../src/process-lock.js';
import { cargoTargetDir, example, freshDir, tool } from '../src/workdirs.js';

/** The bytes of the wheel's extension module. */
function extensionModule(wheel: string): Buffer {
  const entry = listZipEntries(wheel).find((e) => e.name.endsWith('.so'));
  if (!entry) throw new Error(`${wheel} has no .so`);
  return readZipEntry(wheel, entry);
}

/** Builds examples/setup itself with maturin into the examples target dir; returns the wheel. */
function buildCanonical(): string {
  const out = freshDir('canonical');
  withTargetDirSync(cargoTargetDir('examples'), () =>
    execFileSync(tool('maturin'), ['build', '--release', '--out', out], {
      cwd: example('setup'),
      stdio: 'ignore',
      env: { ...process.env, CARGO_TARGET_DIR: cargoTargetDir('examples') },
    }),
  );
  return path.join(out, execFileSync('ls', [out], { encoding: 'utf8' }).trim());
}

describe('buildExampleWheel', () => {
  it('keeps a renamed copy of examples/setup from leaking into a later build of the original', () => {
    expect(cargoTargetDir('examples')).not.toBe(cargoTargetDir('copies'));
    buildCanonical();
    const copy = copyExample('setup');
    const lib = path.join(copy, 'src', 'lib.rs');
    writeFileSync(
      lib,
      readFileSync(lib, 'utf8').replace('fn setup(', '#[pyo3(name = "renamed")]\nfn setup('),
    );
    const renamed = buildExampleWheel('setup-renamed', { projectDir: copy });
    expect(extensionModule(renamed.wheel).includes('PyInit_renamed')).toBe(true);
    // The original is fresh for cargo now; its wheel must still hold its own module.
    const again = extensionModule(buildCanonical());
    expect(again.includes('PyInit_setup')).toBe(true);
    expect(again.includes('PyInit_renamed')).toBe(false);
  }, 300_000);
});
