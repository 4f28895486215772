/**
 * The build and test matrices of build-wheels.yml, and the table skeleton its summary fills in:
 * one build leg per platform, one test leg per platform and Python, and for every wheel that
 * cannot be tested the reason.
 */
import { skipPatternForNames } from '@ferrowheel/kit/test-skip';
import { type HereLimit, limitFor } from './here.js';
import { type ImageOverrides, NO_OVERRIDES, testImage } from './images.js';
import { type LegProject, type LegPythons, legPythons } from './leg-pythons.js';
import { buildsInContainerOnly, type Leg, type TestMode } from './platforms.js';
import type { ChosenPythons } from './python-versions.js';
import type { PlannedBuild, PlannedNotTestedReason, PlannedTest } from './row-states.js';
import { plannedSkipNames } from './wheel-tags.js';

export interface BuildLeg {
  /** The platform's id: artifact suffix and `--matrix platform:<id>` filter. */
  platform: string;
  runner: string;
  target: string;
  /** The build action's `manylinux` ('' = the workflow's input). */
  manylinux: string;
  /**
   * setup-rust's `targets`: the leg's target, '' for a leg that builds in a container only (the
   * image brings the target's std; the runner's toolchain needs none).
   */
  'rust-target': string;
  /** The build action's `interpreters`, space-separated. */
  interpreters: string;
  /**
   * setup-python's `python-version`: one per line (it does not split on spaces); '' for a leg
   * that builds in a container only, which skips setup-python.
   */
  'python-versions': string;
  /** setup-python's `architecture` ('' = the runner's). */
  architecture: string;
  sdist: boolean;
  artifact: string;
  /** The build action's `container`: the leg's `build-images` entry ('' = the action's own choice). */
  container: string;
}

export interface TestLeg {
  platform: string;
  python: string;
  runner: string;
  mode: TestMode['kind'];
  architecture: string;
  /** docker's `--platform` for emulated/container legs ('' for native). */
  'docker-platform': string;
  /** The container image for emulated/container legs ('' for native). */
  image: string;
  artifact: string;
}

/** One row of the summary table: a platform and a Python, as planned. */
export interface PlannedRow {
  platform: string;
  target: string;
  python: string;
  build: PlannedBuild;
  test: PlannedTest;
}

export interface Plan {
  build: BuildLeg[];
  test: TestLeg[];
  rows: PlannedRow[];
  sdist: boolean;
  abi3: boolean;
  pythonSource: string;
  artifactPrefix: string;
}

export interface PlanOptions {
  legs: readonly Leg[];
  pythons: ChosenPythons;
  /** The project's stable ABIs (abi3; abi3t on a PyO3 that has it). */
  project: LegProject;
  sdist: boolean;
  test: boolean;
  /** `test-skip` patterns: the rows they match are listed as not tested, for every leg kind. */
  testSkip?: readonly string[];
  /** `build-images`, `test-images`: images instead of the default ones. */
  images?: ImageOverrides;
  /** `not-built-here`, `not-tested-here`: rows the caller's runners cannot build or test. */
  notHere?: { build: readonly HereLimit[]; test: readonly HereLimit[] };
  artifactPrefix: string;
}

function testRunner(leg: Leg): string {
  // Containers need docker: every Linux runner has it; the x86_64 one runs QEMU for the others.
  if (leg.test.kind === 'native') return leg.runner;
  return leg.runner.startsWith('ubuntu-') ? leg.runner : 'ubuntu-latest';
}

/** Why a wheel for `python` cannot be tested in this leg's container, or undefined. */
function containerProblem(leg: Leg, python: string): PlannedNotTestedReason | undefined {
  if (leg.test.kind === 'native') return undefined;
  if (python.endsWith('t')) return { kind: 'no-image', dockerPlatform: leg.test.dockerPlatform };
  return undefined;
}

/** Rows for the versions the leg cannot build: no such CPython here, or a PyO3 too old for it. */
function excludedRows(
  leg: Leg,
  excluded: LegPythons['excluded'],
  leftOut: ChosenPythons['leftOut'],
): PlannedRow[] {
  return [...excluded, ...leftOut].map(({ python, reason }) => ({
    platform: leg.id,
    target: leg.target,
    python,
    build: { kind: 'not-built', reason },
    test: { kind: 'not-tested', reason },
  }));
}

function buildLeg(
  leg: Leg,
  pythons: readonly string[],
  options: { sdist: boolean; artifact: string; container: string },
): BuildLeg {
  return {
    platform: leg.id,
    runner: leg.runner,
    target: leg.target,
    manylinux: leg.manylinux,
    'rust-target': buildsInContainerOnly(leg) ? '' : leg.target,
    interpreters: pythons.join(' '),
    // setup-python's interpreters serve a build on the runner; a container build has its own.
    'python-versions': buildsInContainerOnly(leg) ? '' : pythons.join('\n'),
    architecture: leg.test.kind === 'native' ? leg.test.architecture : '',
    sdist: options.sdist,
    artifact: options.artifact,
    container: options.container,
  };
}

/** Why the row of `python` on `leg` gets no test leg, or undefined when it gets one. */
function notTestedReason(leg: Leg, python: string, options: PlanOptions): PlannedNotTestedReason | undefined {
  if (!options.test) return { kind: 'test-off' };
  const skip = skipPatternForNames(plannedSkipNames(python, leg.target), options.testSkip ?? []);
  if (skip !== undefined) return { kind: 'test-skip', pattern: skip };
  // A reason that holds everywhere (no such image) goes before one of the caller's runners.
  const problem = containerProblem(leg, python);
  if (problem) return problem;
  const here = limitFor(options.notHere?.test ?? [], plannedSkipNames(python, leg.target));
  return here ? { kind: 'not-here', detail: here.reason } : undefined;
}

function testLeg(leg: Leg, python: string, options: { artifact: string; images: ImageOverrides }): TestLeg {
  const { test } = leg;
  return {
    platform: leg.id,
    python,
    runner: testRunner(leg),
    mode: leg.test.kind,
    architecture: leg.test.kind === 'native' ? leg.test.architecture : '',
    'docker-platform': leg.test.kind === 'native' ? '' : leg.test.dockerPlatform,
    image:
      test.kind === 'native'
        ? ''
        : testImage(
            options.images,
            { id: leg.id, dockerPlatform: test.dockerPlatform, family: test.image },
            python,
          ),
    artifact: options.artifact,
  };
}

function builtByOther(python: string, by: string | undefined): PlannedBuild {
  return by === undefined || by === python ? { kind: 'build' } : { kind: 'build', by };
}

/**
 * The leg's Pythons less those `not-built-here` names: not built here, so not tested either (nor
 * a version another interpreter's wheel would have served). An abi3 leg whose one build is left
 * out tests nothing.
 */
function withoutNotBuiltHere(pythons: LegPythons, leg: Leg, limits: readonly HereLimit[]): LegPythons {
  if (limits.length === 0) return pythons;
  const excluded = [...pythons.excluded];
  const dropped = new Set<string>();
  for (const python of new Set([...pythons.build, ...pythons.test])) {
    const limit = limitFor(limits, plannedSkipNames(python, leg.target));
    if (limit === undefined) continue;
    dropped.add(python);
    excluded.push({ python, reason: { kind: 'not-here', detail: limit.reason } });
  }
  const build = pythons.build.filter((p) => !dropped.has(p));
  const test =
    build.length > 0
      ? pythons.test.filter((p) => !dropped.has(p) && !dropped.has(pythons.servedBy[p] ?? p))
      : [];
  return { ...pythons, build, test, excluded };
}

export function plan(options: PlanOptions): Plan {
  const build: BuildLeg[] = [];
  const test: TestLeg[] = [];
  const rows: PlannedRow[] = [];
  for (const leg of options.legs) {
    const pythons = withoutNotBuiltHere(
      legPythons(options.pythons.versions, { ...options.project, ...leg }),
      leg,
      options.notHere?.build ?? [],
    );
    const artifact = `${options.artifactPrefix}-${leg.id}`;
    const images = options.images ?? NO_OVERRIDES;
    rows.push(...excludedRows(leg, pythons.excluded, options.pythons.leftOut));
    if (pythons.build.length === 0) continue;
    build.push(
      buildLeg(leg, pythons.build, {
        sdist: options.sdist && build.length === 0,
        artifact,
        container: images.build.get(leg.id) ?? '',
      }),
    );
    for (const python of pythons.test) {
      const reason = notTestedReason(leg, python, options);
      const { id: platform, target } = leg;
      rows.push({
        platform,
        target,
        python,
        build: builtByOther(python, pythons.servedBy[python]),
        test: reason ? { kind: 'not-tested', reason } : { kind: 'test', mode: leg.test.kind },
      });
      if (!reason) test.push(testLeg(leg, python, { artifact, images }));
    }
  }
  return {
    build,
    test,
    rows,
    sdist: options.sdist && build.length > 0,
    abi3: options.project.abi3,
    pythonSource: options.pythons.source,
    artifactPrefix: options.artifactPrefix,
  };
}
