/**
 * PGO in a container for real, through the bundle: examples/pgo built with `pgo: true` and
 * `container: <image>` on the real docker engine. Every phase runs in the image: the instrumented
 * build, the training venv and the training (`[tool.maturin] pgo-command`), llvm-profdata and the
 * optimised build. The image is the manylinux-like test image with the host's llvm-profdata of
 * rustc's LLVM and the venv module copied in (harness/docker-images.ts, nothing downloaded); its
 * rustc is the host's, so the LLVM versions match. The optimised wheel must pass the example's
 * own tests on the host.
 *
 * Slow (two cold release builds in a container): run by `npm run test:slow`, not `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { imageWithPgoTools, runnerUser } from '@ferrowheel/harness/docker-images';
import { copyExample, fetchCrates, testWheelOnHost } from '@ferrowheel/harness/example-wheel';
import { runAction } from '@ferrowheel/harness/run-action';
import { toolsBin } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WheelInfo } from '../../src/artifacts.js';

let image: string;
const bases: string[] = [];

beforeAll(async () => {
  image = await imageWithPgoTools();
}, 900_000);
afterAll(() => {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
});

describe('pgo in a container (real docker engine, local image)', () => {
  it('runs every phase in the image and the optimised wheel passes its tests on the host', async () => {
    const owner = await runnerUser();
    const dir = copyExample('pgo');
    const workspace = path.dirname(dir);
    // Containers have no network: the crates are fetched on the host into the mounted cargo home.
    const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-pgo-container-'));
    bases.push(base);
    const cargoHome = path.join(base, 'cargo-home');
    fetchCrates(dir, cargoHome);
    for (const tree of [workspace, base]) execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, tree]);

    const run = await runAction('build', {
      workspace,
      user: owner,
      inputs: { 'working-directory': path.basename(dir), container: image, pgo: 'true', cache: 'false' },
      env: {
        PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
        HOME: base,
        CARGO_HOME: cargoHome,
        CARGO_NET_OFFLINE: 'true',
        CARGO_TERM_COLOR: 'never',
      },
    });
    if (run.exitCode !== 0) throw new Error(`build failed:\n${run.stdout}\n${run.stderr}`);
    expect(run.stdout).toContain(`where: container ${image}`);
    expect(run.stdout).toMatch(/pgo: llvm-profdata llvm-profdata-22 \(LLVM 22\.[\d.]+, from PATH\)/);
    expect(run.stdout).toContain('PGO 1/3: instrumented build');
    // The training's own output, from inside the container.
    expect(run.stdout).toMatch(/scanned \d+ bytes 400 times/);
    expect(run.stdout).toContain('PGO 3/3: merge and optimised build');
    expect(run.summary).toMatch(
      /PGO: trained with `python train\.py .*\d+ profile\(s\) merged by `llvm-profdata-22`/,
    );

    const [wheel] = JSON.parse(run.outputs.wheels!) as WheelInfo[];
    expect(wheel!.filename).toMatch(/^jsonscan-.*-manylinux_2_\d+_x86_64\.whl$/);
    const tests = testWheelOnHost(wheel!.path, path.join(dir, 'tests'), 'pgo-container-site');
    expect(tests).toMatch(/10 passed/);
  }, 1_200_000);
});
