/**
 * The reproducible-build phase of a build (reproducible.ts has the rules): before compiling,
 * SOURCE_DATE_EPOCH and the path remapping go into the build's environment; after, each wheel's
 * SBOM is normalised. What it did is kept for the summary, which claims only that: the settings
 * were applied and the SBOM normalised. Whether a rebuild gives the same bytes is proven by the
 * project's own test (two builds from two directories, at two times), not by this build.
 */
import * as core from '@actions/core';
import type { Exec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import type { Result } from '@ferrowheel/kit/result';
import { buildRustflags, type EffectiveRustflags, encodedRustflags } from './cargo-rustflags.js';
import { CONTAINER_CARGO_HOME, containerBuildEnv, imageEnvOf } from './container.js';
import type { Inputs } from './inputs.js';
import {
  type EpochSource,
  type PathRemap,
  pathRemaps,
  placeRemaps,
  REMAPPED,
  remapFlags,
  sourceDateEpoch,
} from './reproducible.js';
import { normaliseWheelSboms } from './wheel-sbom.js';

export type Reproducibility =
  | { kind: 'off' }
  | {
      kind: 'on';
      /** SOURCE_DATE_EPOCH and where it came from, or why there is none. */
      epoch: Result<{ seconds: number; source: EpochSource }>;
      remaps: PathRemap[];
      /** The remaps only the project's own crate gets (see reproducible.ts placeRemaps). */
      crateOnly: PathRemap[];
    };

/**
 * The rustflags every compile of this build starts from: the user's effective flags, then the
 * remapping. Undefined when ferrowheel adds no flag (reproducible off, no PGO): the build's
 * environment is then left exactly as the user set it.
 */
export interface BaseRustflags {
  /** rustc arguments of the project's own crate only (maturin's trailing arguments). */
  crate: string[];
  effective: EffectiveRustflags;
  added: string[];
}

/** The environment giving cargo the base flags followed by `extra` (PGO's). */
export function rustflagsEnv(base: BaseRustflags, extra: readonly string[] = []): Record<string, string> {
  return encodedRustflags(base.effective, [...base.added, ...extra]);
}

/** The image's own environment (see containerBuildEnv); none when docker cannot say. */
async function imageEnv(exec: Exec, image: string): Promise<Record<string, string>> {
  const inspect = await exec('docker', ['image', 'inspect', '--format', '{{json .Config.Env}}', image], {
    silent: true,
    allowFailure: true,
  }).catch(() => undefined);
  return inspect?.exitCode === 0 ? imageEnvOf(inspect.stdout) : {};
}

/**
 * The user's effective rustflags where the build runs: in a container, from the environment
 * cargo sees there (the image's own under the variables passed in; no host cargo home).
 */
export async function userRustflags(options: {
  inputs: Inputs;
  exec: Exec;
  env: Record<string, string>;
  cargoHome: string;
  container: boolean;
  image: string | undefined;
}): Promise<EffectiveRustflags> {
  const { inputs } = options;
  const env =
    options.container && options.image !== undefined
      ? containerBuildEnv(await imageEnv(options.exec, options.image), options.env)
      : options.env;
  const effective = await buildRustflags({
    exec: options.exec,
    env,
    triple: inputs.target.triple,
    cwd: inputs.workingDirectory,
    cargoHome: options.container ? undefined : options.cargoHome,
    args: inputs.args,
  });
  core.info(
    effective.flags.length === 0
      ? 'rustflags: none of the project or environment'
      : logText`rustflags: kept ${effective.flags.length} of ${effective.source}`,
  );
  return effective;
}

function describeEpoch(epoch: Reproducibility & { kind: 'on' }): string {
  if (!epoch.epoch.ok) return 'none';
  const { seconds, source } = epoch.epoch.value;
  return `${seconds} (${new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')}, from the ${source})`;
}

/**
 * Puts SOURCE_DATE_EPOCH into `env` and returns the remap table (container paths in a
 * container: the image's cargo home, the rest mounted where it is on the host).
 */
export async function prepareReproducible(options: {
  inputs: Inputs;
  exec: Exec;
  env: Record<string, string>;
  targetDir: string;
  cargoHome: string;
  container: boolean;
  /** The crate is its workspace's only package and has no path dependencies. */
  singleCrate: boolean;
}): Promise<Reproducibility> {
  const { inputs, env } = options;
  if (!inputs.reproducible.enabled) {
    core.info("reproducible: off (reproducible: false); maturin's output is left as it is");
    return { kind: 'off' };
  }
  const epoch = await sourceDateEpoch({
    input: inputs.reproducible.sourceDateEpoch,
    env,
    exec: options.exec,
    cwd: inputs.workingDirectory,
  });
  if (epoch.ok) env.SOURCE_DATE_EPOCH = String(epoch.value.seconds);
  else {
    core.warning(
      `reproducible: no SOURCE_DATE_EPOCH: ${epoch.problem}. The wheels carry the build time, so a rebuild differs; build from a git checkout (actions/checkout), or set 'source-date-epoch'.`,
    );
  }
  const paths = {
    workspace: inputs.runner.workspace,
    runnerTemp: inputs.runner.runnerTemp,
    targetDir: options.targetDir,
    cargoHome: options.container ? CONTAINER_CARGO_HOME : options.cargoHome,
  };
  const remaps = pathRemaps(paths, options.container ? (p) => p : undefined);
  const { crate } = placeRemaps(remaps, { singleCrate: options.singleCrate });
  const status: Reproducibility = { kind: 'on', epoch, remaps, crateOnly: crate };
  core.info(logText`reproducible: SOURCE_DATE_EPOCH ${describeEpoch(status)}`);
  for (const r of remaps) {
    const only = crate.includes(r) ? ' (the project crate only)' : '';
    core.info(logText`reproducible: remap ${r.from} → ${r.to}${only}`);
  }
  return status;
}

/** The remap flags: for every crate, and for the project's own crate only. */
export function reproducibleFlags(status: Reproducibility): { global: string[]; crate: string[] } {
  if (status.kind === 'off') return { global: [], crate: [] };
  return {
    global: remapFlags(status.remaps.filter((r) => !status.crateOnly.includes(r))),
    crate: remapFlags(status.crateOnly),
  };
}

/** Normalises each wheel's SBOM (wheel-sbom.ts); the entries changed, for the log. */
export function normaliseWheels(status: Reproducibility, wheels: readonly string[]): void {
  if (status.kind === 'off') return;
  const epochSeconds = status.epoch.ok ? status.epoch.value.seconds : undefined;
  for (const wheel of wheels) {
    const { changed } = normaliseWheelSboms(wheel, { epochSeconds });
    if (changed.length > 0) core.info(logText`reproducible: normalised ${changed.join(', ')} in ${wheel}`);
  }
}

/** What the summary may claim about a build's reproducibility: per file kind, and one note. */
export interface ReproducibleClaim {
  wheel: string;
  sdist: string;
  note: string;
}

/**
 * The claim, honestly: the settings were applied and the SBOM normalised; a rebuild was not done
 * here. A PGO wheel is compiled with this run's training profile, which a rebuild does not
 * reproduce byte for byte.
 */
export function reproducibleClaim(status: Reproducibility, options: { pgo: boolean }): ReproducibleClaim {
  if (status.kind === 'off') {
    return { wheel: 'off', sdist: 'off', note: 'Reproducible builds are off (`reproducible: false`).' };
  }
  const paths = `build paths remapped (workspace → \`${REMAPPED.workspace}\`, CARGO_HOME → \`${REMAPPED.cargoHome}\`, target dir → \`${REMAPPED.targetDir}\`, runner temp → \`${REMAPPED.runnerTemp}\`)`;
  if (!status.epoch.ok) {
    return {
      wheel: 'no: no SOURCE_DATE_EPOCH',
      sdist: 'no: no SOURCE_DATE_EPOCH',
      note: `Not reproducible: no SOURCE_DATE_EPOCH (${status.epoch.problem}); ${paths} and the SBOM cleaned of them.`,
    };
  }
  const { seconds, source } = status.epoch.value;
  const when = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  const pgo = options.pgo
    ? ' The wheels are PGO-optimised with the profile of this run’s training, so a rebuild trains again and is not expected to give the same bytes.'
    : '';
  return {
    wheel: options.pgo ? 'no: PGO profile of this run' : 'settings applied, SBOM normalised',
    sdist: 'settings applied',
    note: `Reproducible settings applied: SOURCE_DATE_EPOCH=${seconds} (${when}, from the ${source}), ${paths}, SBOM normalised. Not verified by a rebuild in this job.${pgo}`,
  };
}
