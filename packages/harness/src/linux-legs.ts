/**
 * One Linux leg of the plan, built here the way GitHub builds it: the build action's bundle on
 * examples/setup, in the leg's stand-in image (images/build-stand-ins.ts) through the action's
 * `container` input, with the leg's target and manylinux input, so the container script and the
 * maturin argv are the ones GitHub runs. Crates are fetched on the host (containers have no
 * network) into one cargo home; every leg shares one cargo target dir. The wheels are read back
 * (tags, ELF machine, C library), not taken on trust.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyExample } from './example-wheel.js';
import { archNames } from './images/architectures.js';
import { type BuildStandIn, buildStandIn } from './images/build-stand-ins.js';
import { type ActionRun, runAction } from './run-action.js';
import { inspectWheel, type WheelInspection } from './wheel-inspection.js';
import { cargoTargetDir, sharedDir, toolsBin } from './workdirs.js';

export interface LegBuild {
  image: BuildStandIn;
  run: ActionRun;
  /** The project directory (a copy of examples/setup). */
  project: string;
  wheels: (WheelInspection & { path: string })[];
  /** Wall time of the build action, in seconds. */
  seconds: number;
}

/** A cargo home holding examples/setup's crates, fetched on the host (once; cargo locks it). */
export function fetchedCargoHome(project: string): string {
  const cargoHome = sharedDir('cargo-home-stand-ins');
  execFileSync('cargo', ['fetch', '--locked', '--color', 'never'], {
    cwd: project,
    env: { ...process.env, CARGO_HOME: cargoHome },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return cargoHome;
}

/**
 * The shared target dir, made safe for a musl leg: its std is built into the image, and cargo's
 * fingerprints see rustc's version but not its std, so crates a previous stand-in of the same
 * rustc compiled against another std build (`can't find crate for pyo3`) are removed first. The
 * stand-in that last built for the target is noted in the target's directory.
 */
function targetDirFor(image: BuildStandIn): string {
  const dir = cargoTargetDir('stand-ins');
  if (image.leg.libc !== 'musl') return dir;
  const marker = path.join(dir, `${image.target}.stand-in`);
  const previous = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
  if (previous !== image.id) {
    rmSync(path.join(dir, image.target), { recursive: true, force: true });
    writeFileSync(marker, `${image.id}\n`);
  }
  return dir;
}

/** The wheels a build wrote, read back; throws with the log when it failed. */
function wheelsOf(run: ActionRun): (WheelInspection & { path: string })[] {
  if (run.exitCode !== 0)
    throw new Error(`the build failed:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-2000)}`);
  const listed = JSON.parse(run.outputs.wheels ?? '[]') as { path: string }[];
  return listed.map((w) => ({ ...inspectWheel(w.path), path: w.path }));
}

/**
 * Builds examples/setup for the leg `legId` (`linux-aarch64`) and the CPythons `pythons` in its
 * stand-in, through the build action's bundle. Throws when the build fails or did not run in the
 * stand-in.
 */
export async function buildLeg(legId: string, options: { pythons: string[] }): Promise<LegBuild> {
  const image = await buildStandIn(legId);
  const project = copyExample('setup');
  const cargoHome = fetchedCargoHome(project);
  const run = await runAction('build', {
    workspace: path.dirname(project),
    inputs: {
      'working-directory': 'setup',
      target: image.target,
      manylinux: image.leg.libc === 'musl' ? 'musllinux_1_2' : 'auto',
      interpreters: options.pythons.join(' '),
      container: image.name,
    },
    env: {
      PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
      CARGO_HOME: cargoHome,
      CARGO_NET_OFFLINE: 'true',
      CARGO_TERM_COLOR: 'never',
      CARGO_TARGET_DIR: targetDirFor(image),
    },
  });
  const wheels = wheelsOf(run);
  if (!run.stdout.includes(`where: container ${image.name}`)) {
    throw new Error(
      `the build of ${legId} did not run in its stand-in ${image.name}:\n${run.stdout.slice(-2000)}`,
    );
  }
  return { image, run, project, wheels, seconds: run.durationMs / 1000 };
}

/** The ELF machine every extension of a leg's wheels must have. */
export function expectedMachine(build: LegBuild): number {
  return archNames(build.image.leg.arch).elfMachine;
}
