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
import type { Plan, PlannedRow } from './matrix.js';
import type { LegRecord } from './record.js';
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
  build: string;
  test: string;
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
  /** One line per failed or missing leg; empty when everything planned succeeded. */
  failures: string[];
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

function testedText(row: PlannedRow, plan: Plan): string {
  const leg = plan.test.find((t) => t.platform === row.platform && t.python === row.python);
  if (!leg || leg.mode === 'native') return 'tested (native)';
  return `tested (${leg.mode}, ${leg.image} ${leg['docker-platform']})`;
}

export function summarise(plan: Plan, records: readonly LegRecord[], files: readonly DistFile[]): Summary {
  const rows: SummaryRow[] = [];
  const failures: string[] = [];
  const buildOutcome = (platform: string) =>
    records.find((r) => r.kind === 'build' && r.platform === platform)?.outcome;
  const failedBuilds = new Set<string>();
  for (const leg of plan.build) {
    const outcome = buildOutcome(leg.platform);
    if (outcome === 'success') continue;
    failedBuilds.add(leg.platform);
    failures.push(
      outcome === undefined
        ? `${buildJobName(leg.platform)}: did not run (cancelled, or no runner took it)`
        : `${buildJobName(leg.platform)}: ${outcome}`,
    );
  }
  for (const row of plan.rows) {
    const leg = plan.build.find((b) => b.platform === row.platform);
    const artifactFiles = files.filter((f) => f.artifact === leg?.artifact);
    const wheel = artifactFiles.find((f) => wheelServes(f.file, row.python, row.target));
    let build: string;
    if (row.notBuilt !== '') build = `not built: ${row.notBuilt}`;
    else if (!failedBuilds.has(row.platform)) build = wheel ? 'built' : 'failed: no wheel for this Python';
    else build = buildOutcome(row.platform) === undefined ? 'not run' : 'failed';
    if (build.startsWith('failed: no wheel')) {
      failures.push(`${buildJobName(row.platform)}: no wheel for Python ${row.python}`);
    }
    let test: string;
    let job = buildJobName(row.platform);
    if (row.notTested !== '') test = `not tested: ${row.notTested}`;
    else {
      job = testJobName(row.platform, row.python);
      const record = records.find(
        (r) => r.kind === 'test' && r.platform === row.platform && r.python === row.python,
      );
      if (record?.outcome === 'success') test = testedText(row, plan);
      else if (record?.outcome === 'failure') {
        test = 'failed';
        failures.push(`${job}: the tests failed`);
      } else if (failedBuilds.has(row.platform)) {
        // The build leg's own failure (or absence) is already counted above.
        test =
          buildOutcome(row.platform) === undefined
            ? 'not tested: the build did not run'
            : 'not tested: the build failed';
        job = buildJobName(row.platform);
      } else if (record?.outcome === 'no-wheels') {
        // The build says it succeeded, yet this leg found no wheels: a test that never ran must
        // not leave the run green.
        test = 'failed: no wheels to test (the download failed)';
        failures.push(`${job}: the build succeeded but this leg could not download its wheels`);
      } else {
        test = record === undefined ? 'not run' : `not tested: ${record.outcome}`;
        failures.push(`${job}: ${record === undefined ? 'did not run' : record.outcome}`);
      }
    }
    rows.push({
      platform: row.platform,
      target: row.target,
      python: row.python,
      build,
      test,
      file: wheel?.file ?? '',
      size: wheel?.size,
      sha256: wheel?.sha256 ?? '',
      job,
    });
  }
  const wheels: WheelOutput[] = [];
  for (const leg of plan.build) {
    for (const f of files.filter((file) => file.artifact === leg.artifact)) {
      const kind = f.file.endsWith('.whl') ? 'wheel' : f.file.endsWith('.tar.gz') ? 'sdist' : undefined;
      if (kind === undefined) continue;
      wheels.push({
        kind,
        file: f.file,
        artifact: f.artifact,
        platform: leg.platform,
        target: leg.target,
        size: f.size,
        sha256: f.sha256,
      });
    }
  }
  if (plan.sdist) {
    const sdist = wheels.find((w) => w.kind === 'sdist');
    const first = plan.build[0]!;
    rows.push({
      platform: 'sdist',
      target: '',
      python: '',
      build: sdist ? 'built' : failedBuilds.has(first.platform) ? 'failed' : 'failed: no sdist',
      test: 'not tested: an sdist is built into wheels, which are tested',
      file: sdist?.file ?? '',
      size: sdist?.size,
      sha256: sdist?.sha256 ?? '',
      job: buildJobName(first.platform),
    });
    if (!sdist && !failedBuilds.has(first.platform))
      failures.push(`${buildJobName(first.platform)}: no sdist`);
  }
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
