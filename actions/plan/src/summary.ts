/**
 * The summary job's table: every platform × Python of the plan with what happened to it (built,
 * tested, failed, not tested and why, not run), the wheel, its size and SHA256, and the job to
 * look at. Pure over the plan, the legs' records and the downloaded files, so every case is a
 * unit test; `collectFiles` does the reading.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256File } from '@ferrowheel/kit/files';
import { checkCompatibility, parseWheelFilename, platformTags, supportedTags } from '@ferrowheel/kit/wheel';
import type { Outcome } from './inputs.js';
import type { Plan, PlannedRow } from './matrix.js';
import type { LegRecord } from './record.js';
import type { BuildState, Failure, TestedOn, TestState } from './row-states.js';
import { targetPlatform } from './wheel-tags.js';

export interface DistFile {
  artifact: string;
  file: string;
  size: number;
  sha256: string;
}

export interface SummaryRow {
  platform: string;
  target: string;
  python: string;
  build: BuildState;
  test: TestState;
  file: string;
  size: number | undefined;
  sha256: string;
  job: string;
}

export interface WheelOutput {
  kind: 'wheel' | 'sdist';
  file: string;
  artifact: string;
  platform: string;
  target: string;
  size: number;
  sha256: string;
}

export interface Summary {
  rows: SummaryRow[];
  wheels: WheelOutput[];
  /** Each failed or missing leg, wheel or sdist; empty when everything planned succeeded. */
  failures: Failure[];
}

/** The names the workflow gives its jobs (build-wheels.yml keeps them in step). */
export const buildJobName = (platform: string) => `Build ${platform}`;
export const testJobName = (platform: string, python: string) => `Test ${platform} · Python ${python}`;

/**
 * Whether a wheel file serves CPython `python` (`3.13`, `3.14t`) on the leg of Rust `target`:
 * the interpreter's supported tags (kit's, the ones the test action matches wheels with), so a
 * cp312-abi3 wheel serves 3.12 and later but not 3.10, and never a free-threaded build.
 */
export function wheelServes(file: string, python: string, target: string): boolean {
  const parsed = parseWheelFilename(file);
  if (!parsed.ok) return false;
  const version = /^(\d+)\.(\d+)(t?)$/.exec(python);
  if (!version) return false;
  const platform = targetPlatform(target);
  const tags = supportedTags({
    implementation: 'cp',
    major: Number(version[1]),
    minor: Number(version[2]),
    abiFlags: version[3] ?? '',
    // A target this table does not know: judge the Python and ABI tags only.
    platforms: platform ? platformTags(platform) : parsed.value.platformTags,
  });
  return checkCompatibility(parsed.value, tags).compatible;
}

/** What summarise works from, and the failures it collects in table order. */
interface Context {
  plan: Plan;
  records: readonly LegRecord[];
  files: readonly DistFile[];
  /** Each planned build leg's recorded outcome (undefined: it left no record). */
  builds: Map<string, Outcome | undefined>;
  failures: Failure[];
}

/** Whether the platform's planned build leg did not succeed (its failure is counted once, there). */
function buildFailed(context: Context, platform: string): boolean {
  return context.builds.has(platform) && context.builds.get(platform) !== 'success';
}

function testedOn(row: PlannedRow, plan: Plan): TestedOn {
  const leg = plan.test.find((t) => t.platform === row.platform && t.python === row.python);
  if (!leg || leg.mode === 'native') return { mode: 'native' };
  return { mode: leg.mode, image: leg.image, dockerPlatform: leg['docker-platform'] };
}

function rowBuild(row: PlannedRow, wheel: DistFile | undefined, context: Context): BuildState {
  if (row.build.kind === 'not-built') return { kind: 'not-built', reason: row.build.reason };
  if (!buildFailed(context, row.platform)) {
    if (wheel) return { kind: 'built' };
    context.failures.push({ kind: 'no-wheel', platform: row.platform, python: row.python });
    return { kind: 'failed', failure: { kind: 'no-wheel' } };
  }
  return context.builds.get(row.platform) === undefined
    ? { kind: 'not-run' }
    : { kind: 'failed', failure: { kind: 'leg-failed' } };
}

/** The row's test state and the job to look at. */
function rowTest(row: PlannedRow, context: Context): { test: TestState; job: string } {
  const { platform, python } = row;
  if (row.test.kind === 'not-tested') {
    return { test: { kind: 'not-tested', reason: row.test.reason }, job: buildJobName(platform) };
  }
  const job = testJobName(platform, python);
  const outcome = context.records.find(
    (r) => r.kind === 'test' && r.platform === platform && r.python === python,
  )?.outcome;
  if (outcome === 'success') return { test: { kind: 'tested', on: testedOn(row, context.plan) }, job };
  if (outcome === 'failure') {
    context.failures.push({ kind: 'tests-failed', platform, python });
    return { test: { kind: 'failed', failure: { kind: 'tests-failed' } }, job };
  }
  if (buildFailed(context, platform)) {
    // The build leg's own failure (or absence) is already counted.
    const built = context.builds.get(platform) === undefined ? 'build-not-run' : 'build-failed';
    return { test: { kind: 'not-tested', reason: { kind: built } }, job: buildJobName(platform) };
  }
  if (outcome === 'no-wheels') {
    // The build says it succeeded, yet this leg found no wheels: a test that never ran must not
    // leave the run green.
    context.failures.push({ kind: 'no-wheels', platform, python });
    return { test: { kind: 'failed', failure: { kind: 'no-wheels' } }, job };
  }
  context.failures.push({ kind: 'test-leg', platform, python, outcome });
  return { test: { kind: 'not-run', outcome }, job };
}

function summariseRow(row: PlannedRow, context: Context): SummaryRow {
  const leg = context.plan.build.find((b) => b.platform === row.platform);
  const wheel = context.files
    .filter((f) => f.artifact === leg?.artifact)
    .find((f) => wheelServes(f.file, row.python, row.target));
  const build = rowBuild(row, wheel, context);
  const { test, job } = rowTest(row, context);
  const { platform, target, python } = row;
  return {
    platform,
    target,
    python,
    build,
    test,
    file: wheel?.file ?? '',
    size: wheel?.size,
    sha256: wheel?.sha256 ?? '',
    job,
  };
}

/** Every wheel and sdist of the planned build legs' artifacts. */
function wheelOutputs(plan: Plan, files: readonly DistFile[]): WheelOutput[] {
  const wheels: WheelOutput[] = [];
  for (const leg of plan.build) {
    for (const f of files.filter((file) => file.artifact === leg.artifact)) {
      const kind = f.file.endsWith('.whl') ? 'wheel' : f.file.endsWith('.tar.gz') ? 'sdist' : undefined;
      if (kind === undefined) continue;
      const { file, artifact, size, sha256 } = f;
      wheels.push({ kind, file, artifact, platform: leg.platform, target: leg.target, size, sha256 });
    }
  }
  return wheels;
}

/** The sdist's row: built by the first build leg, never tested itself. */
function sdistRow(wheels: readonly WheelOutput[], context: Context): SummaryRow {
  const sdist = wheels.find((w) => w.kind === 'sdist');
  const first = context.plan.build[0]!.platform;
  const failed = buildFailed(context, first);
  if (!sdist && !failed) context.failures.push({ kind: 'no-sdist', platform: first });
  return {
    platform: 'sdist',
    target: '',
    python: '',
    build: sdist
      ? { kind: 'built' }
      : { kind: 'failed', failure: { kind: failed ? 'leg-failed' : 'no-sdist' } },
    test: { kind: 'not-tested', reason: { kind: 'sdist' } },
    file: sdist?.file ?? '',
    size: sdist?.size,
    sha256: sdist?.sha256 ?? '',
    job: buildJobName(first),
  };
}

export function summarise(plan: Plan, records: readonly LegRecord[], files: readonly DistFile[]): Summary {
  const builds = new Map(
    plan.build.map((leg) => [
      leg.platform,
      records.find((r) => r.kind === 'build' && r.platform === leg.platform)?.outcome,
    ]),
  );
  const failures: Failure[] = [];
  for (const [platform, outcome] of builds) {
    if (outcome !== 'success') failures.push({ kind: 'build-leg', platform, outcome });
  }
  const context: Context = { plan, records, files, builds, failures };
  const rows = plan.rows.map((row) => summariseRow(row, context));
  const wheels = wheelOutputs(plan, files);
  if (plan.sdist) rows.push(sdistRow(wheels, context));
  return { rows, wheels, failures };
}

/** Every file of every downloaded artifact: `<dir>/<artifact>/<file>`, hashed. */
export async function collectFiles(dir: string): Promise<DistFile[]> {
  const files: DistFile[] = [];
  let artifacts: string[];
  try {
    artifacts = readdirSync(dir).sort();
  } catch {
    return files;
  }
  for (const artifact of artifacts) {
    const artifactDir = path.join(dir, artifact);
    if (!statSync(artifactDir).isDirectory()) continue;
    for (const file of readdirSync(artifactDir).sort()) {
      const full = path.join(artifactDir, file);
      const stat = statSync(full);
      if (!stat.isFile()) continue;
      files.push({ artifact, file, size: stat.size, sha256: await sha256File(full) });
    }
  }
  return files;
}
