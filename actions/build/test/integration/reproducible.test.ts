/**
 * Reproducible wheels, proven by a rebuild: examples/setup is committed into two git checkouts in
 * two different directories and built through the bundle twice, one build after the other, each
 * with its own cold target dir, its own CARGO_HOME (sharing the machine's crate registry through
 * a symlink, so nothing is downloaded) and its own runner temp. Release and sdist, as a release
 * leg builds them: the wheel is compiled from the unpacked sdist in maturin's random temporary
 * directory. The wheels and the sdists must be byte-identical, and no directory of either build
 * may appear anywhere in the wheel.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { copyExample } from '@ferrowheel/harness/example-wheel';
import { pythonZipDates } from '@ferrowheel/harness/python-archives';
import { runAction } from '@ferrowheel/harness/run-action';
import { freshDir, toolsBin } from '@ferrowheel/harness/workdirs';
import { listZipEntries, readZipEntry } from '@ferrowheel/kit/zip';
import { describe, expect, it } from '@jest/globals';
import type { WheelInfo } from '../../src/artifacts.js';

const COMMIT_TIME = '2026-11-30T12:00:00Z';
const sharedRegistry = path.join(process.env.CARGO_HOME ?? path.join(homedir(), '.cargo'), 'registry');

/** examples/setup committed into a git checkout of its own (so the epoch is the commit's). */
function checkout(): { workspace: string; dir: string } {
  const dir = copyExample('setup');
  const workspace = path.dirname(dir);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: workspace,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'ferrowheel',
        GIT_AUTHOR_EMAIL: 'ferrowheel@example.com',
        GIT_COMMITTER_NAME: 'ferrowheel',
        GIT_COMMITTER_EMAIL: 'ferrowheel@example.com',
        GIT_AUTHOR_DATE: COMMIT_TIME,
        GIT_COMMITTER_DATE: COMMIT_TIME,
      },
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'release');
  return { workspace, dir };
}

async function buildOnce() {
  const { workspace, dir } = checkout();
  const own = mkdtempSync(path.join(tmpdir(), 'ferrowheel-repro-'));
  const cargoHome = path.join(own, 'cargo-home');
  mkdirSync(cargoHome);
  symlinkSync(sharedRegistry, path.join(cargoHome, 'registry'));
  const runnerTemp = path.join(own, 'runner-temp');
  mkdirSync(runnerTemp);
  const targetDir = path.join(own, 'target');
  const run = await runAction('build', {
    workspace,
    runnerTemp,
    inputs: { 'working-directory': path.basename(dir), sdist: 'true', cache: 'false', container: 'off' },
    env: {
      PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
      CARGO_HOME: cargoHome,
      CARGO_TARGET_DIR: targetDir,
      CARGO_TERM_COLOR: 'never',
    },
  });
  if (run.exitCode !== 0) throw new Error(`build failed:\n${run.stdout}\n${run.stderr}`);
  const [wheel] = JSON.parse(run.outputs.wheels!) as WheelInfo[];
  const paths = [workspace, runnerTemp, targetDir, cargoHome, sharedRegistry, own];
  return { run, wheel: wheel!, sdist: run.outputs.sdist!, paths };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('reproducible wheels', () => {
  it('builds examples/setup byte for byte the same from two checkouts at two times, wheel and sdist', async () => {
    const first = await buildOnce();
    const second = await buildOnce();
    expect(first.wheel.path).not.toBe(second.wheel.path);
    expect(sha256(second.wheel.path)).toBe(sha256(first.wheel.path));
    expect(second.wheel.sha256).toBe(first.wheel.sha256);
    expect(sha256(second.sdist)).toBe(sha256(first.sdist));

    // Dated at the commit, with no build directory of either build in any entry.
    const entries = listZipEntries(first.wheel.path);
    const contents = Buffer.concat(entries.map((e) => readZipEntry(first.wheel.path, e)));
    for (const dir of [...first.paths, ...second.paths]) expect(contents.includes(dir)).toBe(false);
    expect(contents.includes('/tmp/.tmp')).toBe(false);
    expect(pythonZipDates(first.wheel.path)).toEqual(['2026-11-30 12:00:00']);

    // The SBOM is still there, with maturin's components.
    const sbomEntry = entries.find((e) => e.name === 'setup-0.1.0.dist-info/sboms/setup.cyclonedx.json')!;
    const sbom = JSON.parse(readZipEntry(first.wheel.path, sbomEntry).toString('utf8'));
    expect(sbom.metadata.component['bom-ref']).toBe('path+file://.#setup@0.1.0');
    expect(sbom.components.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['pyo3', 'pyo3-ffi']),
    );
    expect(sbom.serialNumber).toMatch(/^urn:uuid:/);

    // What the log and the summary claim, and no more.
    expect(first.run.stdout).toContain(
      'reproducible: SOURCE_DATE_EPOCH 1796040000 (2026-11-30T12:00:00Z, from the commit)',
    );
    expect(first.run.summary).toMatch(/reproducible settings applied/i);

    // And it is a working wheel.
    const venv = path.join(freshDir('repro-venv'), 'venv');
    execFileSync(path.join(toolsBin, 'python'), ['-m', 'venv', venv]);
    execFileSync(path.join(venv, 'bin', 'python'), [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--no-index',
      first.wheel.path,
    ]);
    const out = execFileSync(
      path.join(venv, 'bin', 'python'),
      ['-c', 'import setup; print(setup.it_works())'],
      {
        cwd: venv,
        encoding: 'utf8',
      },
    );
    expect(out).toBe('True\n');
  }, 600_000);
});
