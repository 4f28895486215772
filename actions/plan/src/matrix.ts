/**
 * The build and test matrices of build-wheels.yml, and the table skeleton its summary fills in:
 * one build leg per platform, one test leg per platform and Python, and for every wheel that
 * cannot be tested the reason.
 */
import { skipPatternForNames } from '@ferrowheel/kit/test-skip';
import { type LegProject, type LegPythons, legPythons } from './leg-pythons.js';
import type { Leg, TestMode } from './platforms.js';
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
  /** The build action's `interpreters`, space-separated. */
  interpreters: string;
  /** setup-python's `python-version`: one per line (it does not split on spaces). */
  'python-versions': string;
  /** setup-python's `architecture` ('' = the runner's). */
  architecture: string;
  sdist: boolean;
  artifact: string;
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
  artifactPrefix: string;
}

/** The official python image for a CPython minor and family: `python:3.13-alpine`. */
export function imageFor(python: string, family: 'slim' | 'alpine'): string {
  return `python:${python}-${family}`;
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
  options: { sdist: boolean; artifact: string },
): BuildLeg {
  return {
    platform: leg.id,
    runner: leg.runner,
    target: leg.target,
    manylinux: leg.manylinux,
    interpreters: pythons.join(' '),
    'python-versions': pythons.join('\n'),
    architecture: leg.test.kind === 'native' ? leg.test.architecture : '',
    sdist: options.sdist,
    artifact: options.artifact,
  };
}

/** Why the row of `python` on `leg` gets no test leg, or undefined when it gets one. */
function notTestedReason(leg: Leg, python: string, options: PlanOptions): PlannedNotTestedReason | undefined {
  if (!options.test) return { kind: 'test-off' };
  const skip = skipPatternForNames(plannedSkipNames(python, leg.target), options.testSkip ?? []);
  if (skip !== undefined) return { kind: 'test-skip', pattern: skip };
  return containerProblem(leg, python);
}

function testLeg(leg: Leg, python: string, artifact: string): TestLeg {
  return {
    platform: leg.id,
    python,
    runner: testRunner(leg),
    mode: leg.test.kind,
    architecture: leg.test.kind === 'native' ? leg.test.architecture : '',
    'docker-platform': leg.test.kind === 'native' ? '' : leg.test.dockerPlatform,
    image: leg.test.kind === 'native' ? '' : imageFor(python, leg.test.image),
    artifact,
  };
}

function builtByOther(python: string, by: string | undefined): PlannedBuild {
  return by === undefined || by === python ? { kind: 'build' } : { kind: 'build', by };
}

export function plan(options: PlanOptions): Plan {
  const build: BuildLeg[] = [];
  const test: TestLeg[] = [];
  const rows: PlannedRow[] = [];
  for (const leg of options.legs) {
    const pythons = legPythons(options.pythons.versions, { ...options.project, ...leg });
    const artifact = `${options.artifactPrefix}-${leg.id}`;
    rows.push(...excludedRows(leg, pythons.excluded, options.pythons.leftOut));
    if (pythons.build.length === 0) continue;
    build.push(buildLeg(leg, pythons.build, { sdist: options.sdist && build.length === 0, artifact }));
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
      if (!reason) test.push(testLeg(leg, python, artifact));
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
