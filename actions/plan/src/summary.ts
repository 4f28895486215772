/**
 * The summary job's table: every platform × Python of the plan with what happened to it (built,
 * tested, failed, not tested and why, not run), the wheel, its size and SHA256, and the job to
 * look at. Pure over the plan, the legs' records and the downloaded files, so every case is a
 * unit test; `collectFiles` does the reading.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256File } from '@ferrowheel/kit/files';
import type { PythonBuild } from '@ferrowheel/kit/python-builds';
import { checkCompatibility, parseWheelFilename, platformTags, supportedTags } from '@ferrowheel/kit/wheel';
import type { Outcome } from './inputs.js';
import type { Plan, PlannedRow } from './matrix.js';
import type { LegRecord } from './record.js';
import { type BuildState, builtBy, type Failure, type TestedOn, type TestState } from './row-states.js';
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

/** The tags CPython `python` (`3.13`, `3.14t`) installs on the leg of Rust `target`, best first. */
function interpreterTags(
  python: string,
  target: string,
  wheelPlatforms: readonly string[],
): string[] | undefined {
  const version = /^(\d+)\.(\d+)(t?)$/.exec(python);
  if (!version) return undefined;
  const platform = targetPlatform(target);
  return supportedTags({
    implementation: 'cp',
    major: Number(version[1]),
    minor: Number(version[2]),
    abiFlags: version[3] ?? '',
    // A target this table does not know: judge the Python and ABI tags only.
    platforms: platform ? platformTags(platform) : [...wheelPlatforms],
  });
}

/**
 * Whether a wheel file serves CPython `python` (`3.13`, `3.14t`) on the leg of Rust `target`:
 * the interpreter's supported tags (kit's, the ones the test action matches wheels with), so a
 * cp312-abi3 wheel serves 3.12 and later but not 3.10, and never a free-threaded build; an
 * abi3.abi3t wheel serves both builds of 3.15.
 */
export function wheelServes(file: string, python: string, target: string): boolean {
  return wheelRank(file, python, target) !== undefined;
}

/** How an installer ranks the wheel for `python` (lower is preferred), or undefined when it cannot install it. */
function wheelRank(file: string, python: string, target: string): number | undefined {
  const parsed = parseWheelFilename(file);
  if (!parsed.ok) return undefined;
  const tags = interpreterTags(python, target, parsed.value.platformTags);
  if (!tags) return undefined;
  const compatibility = checkCompatibility(parsed.value, tags);
  return compatibility.compatible ? compatibility.rank : undefined;
}

/** The wheel an installer picks for the row: of those that serve it, the best ranked. */
function bestWheel(files: readonly DistFile[], python: string, target: string): DistFile | undefined {
  let best: { file: DistFile; rank: number } | undefined;
  for (const file of files) {
    const rank = wheelRank(file.file, python, target);
    if (rank !== undefined && (best === undefined || rank < best.rank)) best = { file, rank };
  }
  return best?.file;
}

/** A build leg's record: its outcome (undefined: it left none) and its per-interpreter outcomes. */
interface BuildRecord {
  outcome: Outcome | undefined;
  pythons: readonly PythonBuild[];
}

/** What summarise works from, and the failures it collects in table order. */
interface Context {
  plan: Plan;
  records: readonly LegRecord[];
  files: readonly DistFile[];
  builds: Map<string, BuildRecord>;
  failures: Failure[];
  /** `platform python` of each per-interpreter failure already counted. */
  counted: Set<string>;
}

/** The per-interpreter failure of the build whose wheel serves the row, if that build failed. */
function failedBuildOf(context: Context, row: PlannedRow): (PythonBuild & { outcome: 'failed' }) | undefined {
  if (row.build.kind !== 'build') return undefined;
  const by = builtBy(row);
  const entry = context.builds.get(row.platform)?.pythons.find((p) => p.python === by);
  return entry?.outcome === 'failed' ? entry : undefined;
}

/**
 * Whether the platform's whole build leg counts as failed (its failure is counted once, there):
 * it did not succeed, and no per-interpreter failure says which version failed — when one does,
 * the other versions' wheels were built, uploaded and tested.
 */
function buildFailed(context: Context, platform: string): boolean {
  const record = context.builds.get(platform);
  if (record === undefined || record.outcome === 'success') return false;
  return !record.pythons.some((p) => p.outcome === 'failed');
}

function testedOn(row: PlannedRow, plan: Plan): TestedOn {
  const leg = plan.test.find((t) => t.platform === row.platform && t.python === row.python);
  if (!leg || leg.mode === 'native') return { mode: 'native' };
  return { mode: leg.mode, image: leg.image, dockerPlatform: leg['docker-platform'] };
}

function rowBuild(row: PlannedRow, wheel: DistFile | undefined, context: Context): BuildState {
  if (row.build.kind === 'not-built') return { kind: 'not-built', reason: row.build.reason };
  const failed = failedBuildOf(context, row);
  if (failed) {
    const key = `${row.platform} ${failed.python}`;
    if (!context.counted.has(key)) {
      context.counted.add(key);
      context.failures.push({
        kind: 'python-build',
        platform: row.platform,
        python: failed.python,
        failure: failed.failure,
      });
    }
    return { kind: 'failed', failure: { kind: 'python-build', by: failed.python, failure: failed.failure } };
  }
  if (!buildFailed(context, row.platform)) {
    if (wheel) return { kind: 'built' };
    context.failures.push({ kind: 'no-wheel', platform: row.platform, python: row.python });
    return { kind: 'failed', failure: { kind: 'no-wheel' } };
  }
  return context.builds.get(row.platform)?.outcome === undefined
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
  const failedBuild = failedBuildOf(context, row);
  if (failedBuild) {
    // No wheel to test: the build's failure for that version is counted there.
    return {
      test: { kind: 'not-tested', reason: { kind: 'python-build-failed', by: failedBuild.python } },
      job: buildJobName(platform),
    };
  }
  if (outcome === 'failure') {
    context.failures.push({ kind: 'tests-failed', platform, python });
    return { test: { kind: 'failed', failure: { kind: 'tests-failed' } }, job };
  }
  if (buildFailed(context, platform)) {
    // The build leg's own failure (or absence) is already counted.
    const built = context.builds.get(platform)?.outcome === undefined ? 'build-not-run' : 'build-failed';
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
  const wheel = bestWheel(
    context.files.filter((f) => f.artifact === leg?.artifact),
    row.python,
    row.target,
  );
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
  const builds = new Map<string, BuildRecord>(
    plan.build.map((leg) => {
      const record = records.find((r) => r.kind === 'build' && r.platform === leg.platform);
      return [leg.platform, { outcome: record?.outcome, pythons: record?.pythonBuilds ?? [] }];
    }),
  );
  const failures: Failure[] = [];
  const context: Context = { plan, records, files, builds, failures, counted: new Set() };
  for (const [platform, { outcome }] of builds) {
    if (outcome !== 'success' && buildFailed(context, platform))
      failures.push({ kind: 'build-leg', platform, outcome });
  }
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
