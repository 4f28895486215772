/**
 * The build and test matrices of build-wheels.yml, and the table skeleton its summary fills in:
 * one build leg per platform, one test leg per platform and Python, and for every wheel that
 * cannot be tested the reason.
 */
import { skipPatternForNames } from '@ferrowheel/kit/test-skip';
import type { Leg, TestMode } from './platforms.js';
import { type ChosenPythons, legPythons } from './python-versions.js';
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
  /** '' when built; else why not. */
  notBuilt: string;
  /** '' when a test leg is planned; else why it is not tested. */
  notTested: string;
  testMode: TestMode['kind'] | '';
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
  abi3: boolean;
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

/** Why a wheel for `python` cannot be tested in this leg's container, or ''. */
function containerProblem(leg: Leg, python: string): string {
  if (leg.test.kind === 'native') return '';
  if (python.endsWith('t')) {
    return `the official python images have no free-threaded CPython for ${leg.test.dockerPlatform}`;
  }
  return '';
}

export function plan(options: PlanOptions): Plan {
  const build: BuildLeg[] = [];
  const test: TestLeg[] = [];
  const rows: PlannedRow[] = [];
  for (const leg of options.legs) {
    const pythons = legPythons(options.pythons.versions, { abi3: options.abi3, ...leg });
    const artifact = `${options.artifactPrefix}-${leg.id}`;
    for (const { python, reason } of pythons.excluded) {
      rows.push({
        platform: leg.id,
        target: leg.target,
        python,
        notBuilt: options.abi3 && python.endsWith('t') ? '' : reason,
        notTested: reason,
        testMode: '',
      });
    }
    if (pythons.build.length === 0) continue;
    build.push({
      platform: leg.id,
      runner: leg.runner,
      target: leg.target,
      manylinux: leg.manylinux,
      interpreters: pythons.build.join(' '),
      'python-versions': pythons.build.join('\n'),
      architecture: leg.test.kind === 'native' ? leg.test.architecture : '',
      sdist: options.sdist && build.length === 0,
      artifact,
    });
    for (const python of pythons.test) {
      const skip = skipPatternForNames(plannedSkipNames(python, leg.target), options.testSkip ?? []);
      const problem = !options.test
        ? "input 'test' is false"
        : skip !== undefined
          ? `skipped by test-skip ('${skip}')`
          : containerProblem(leg, python);
      rows.push({
        platform: leg.id,
        target: leg.target,
        python,
        notBuilt: '',
        notTested: problem,
        testMode: problem === '' ? leg.test.kind : '',
      });
      if (problem !== '') continue;
      test.push({
        platform: leg.id,
        python,
        runner: testRunner(leg),
        mode: leg.test.kind,
        architecture: leg.test.kind === 'native' ? leg.test.architecture : '',
        'docker-platform': leg.test.kind === 'native' ? '' : leg.test.dockerPlatform,
        image: leg.test.kind === 'native' ? '' : imageFor(python, leg.test.image),
        artifact,
      });
    }
  }
  return {
    build,
    test,
    rows,
    sdist: options.sdist && build.length > 0,
    abi3: options.abi3,
    pythonSource: options.pythons.source,
    artifactPrefix: options.artifactPrefix,
  };
}
