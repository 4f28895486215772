/**
 * The plan action's three modes, each a short list of phases:
 * - plan: read the project, choose the Python versions and platforms, emit the matrices;
 * - record: write one leg's outcome for the summary job;
 * - summary: fill the table from the plan, the records and the downloaded files; fail when any
 *   leg failed or never ran.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import type { RunnerContext } from '@ferrowheel/kit/context';
import { ProjectError, UserError } from '@ferrowheel/kit/errors';
import { setOutput } from '@ferrowheel/kit/outputs';
import { writeSummary } from '@ferrowheel/kit/summary';
import { findPlanFile, PLAN_FILE, planArtifactName, writePlanFile } from './handoff.js';
import { type Inputs, type PlanInputs, type RecordInputs, readInputs, type SummaryInputs } from './inputs.js';
import { type Plan, plan } from './matrix.js';
import { type ProjectFacts, readProjectFacts } from './project-facts.js';
import { type ChosenPythons, checkPyo3, choosePythons } from './python-versions.js';
import { readRecords, recordArtifactName, recordsPattern, writeRecord } from './record.js';
import { collectFiles, summarise } from './summary.js';
import { failureText, notBuiltText, notTestedText, summaryMarkdown } from './summary-text.js';

export interface Deps {
  setOutput: (name: string, value: string) => void;
  info: (message: string) => void;
  warning: (message: string) => void;
  writeSummary: (heading: string, markdown: string) => Promise<void>;
}

export const defaultDeps: Deps = {
  // kit's setOutput: a value with a line break would write more than one output.
  setOutput: (name, value) => setOutput(name, value),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  writeSummary,
};

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps): Promise<void> {
  if (inputs.mode === 'record') return runRecord(inputs, deps);
  if (inputs.mode === 'summary') return runSummary(inputs, deps);
  return runPlan(inputs, deps);
}

/** The versions to plan: requires-python's (or the list given), checked against the project's PyO3. */
function plannedPythons(inputs: PlanInputs, facts: ProjectFacts): ChosenPythons {
  const chosen = choosePythons({
    explicit: inputs.pythonVersions,
    requiresPython: facts.requiresPython,
    freeThreaded: inputs.freeThreaded,
  });
  if (!chosen.ok) {
    throw new ProjectError(
      'pyproject.toml',
      chosen.problem,
      "Widen requires-python, or set 'python-versions' to the versions to build.",
    );
  }
  const relative = (file: string) => path.relative(inputs.runner.workspace, file) || file;
  const checked = checkPyo3(chosen.value, { ...facts, relative });
  if (!checked.ok) throw new UserError(`Input 'python-versions': ${checked.problem}`);
  if (checked.value.versions.length === 0) {
    throw new UserError(
      `The project's PyO3 can build none of the default Python versions: ${checked.value.warnings.join(' ')}`,
    );
  }
  return checked.value;
}

/** The plan of one project (exported for tests and for scripts that want the matrix). */
export function planProject(inputs: PlanInputs): {
  plan: Plan & { packageName: string };
  warnings: string[];
} {
  const facts = readProjectFacts(inputs.workingDirectory, inputs.runner);
  const pythons = plannedPythons(inputs, facts);
  const planned = plan({
    legs: inputs.legs,
    pythons,
    project: { abi3: facts.abi3, abi3t: facts.abi3t },
    sdist: inputs.sdist,
    test: inputs.test,
    testSkip: inputs.testSkip,
    images: inputs.images,
    notHere: inputs.notHere,
    artifactPrefix: inputs.artifactPrefix,
  });
  return { plan: { ...planned, packageName: facts.name }, warnings: pythons.warnings };
}

function runPlan(inputs: PlanInputs, deps: Deps): void {
  const { plan: result, warnings } = planProject(inputs);
  for (const warning of warnings) deps.warning(warning);
  if (result.build.length === 0) {
    throw new UserError(
      "Nothing to build: no platform in 'platforms' can build any of the Python versions asked for. Add platforms or Python versions.",
    );
  }
  deps.info(`Python versions: ${result.pythonSource}${result.abi3 ? ' (abi3: one wheel per platform)' : ''}`);
  for (const leg of result.build)
    deps.info(`build ${leg.platform} on ${leg.runner}: ${leg.target}, CPython ${leg.interpreters}`);
  for (const row of result.rows) {
    if (row.build.kind === 'not-built') {
      deps.info(`${row.platform} Python ${row.python}: ${notBuiltText(row.build.reason)}`);
    } else if (row.test.kind === 'not-tested') {
      deps.info(`${row.platform} Python ${row.python}: ${notTestedText(row.test.reason)}`);
    }
  }
  deps.setOutput('build-matrix', JSON.stringify({ include: result.build }));
  deps.setOutput('test-matrix', JSON.stringify({ include: result.test }));
  deps.setOutput('test-count', String(result.test.length));
  deps.setOutput('plan', JSON.stringify(result));
  // The summary job gets the plan as a file: too large for an input (handoff.ts).
  deps.setOutput('plan-path', writePlanFile(inputs.recordsDir, result));
  deps.setOutput('plan-artifact', planArtifactName(inputs.artifactPrefix));
  deps.setOutput('package-name', result.packageName);
  deps.setOutput('artifact-pattern', `${inputs.artifactPrefix}-*`);
  deps.setOutput('records-pattern', recordsPattern(inputs.artifactPrefix));
}

function runRecord(inputs: RecordInputs, deps: Deps): void {
  const file = writeRecord(inputs.recordsDir, inputs);
  deps.info(
    `${inputs.kind} ${inputs.platform}${inputs.python ? ` Python ${inputs.python}` : ''}: ${inputs.outcome}`,
  );
  deps.setOutput('artifact-name', recordArtifactName(inputs.artifactPrefix, inputs));
  deps.setOutput('path', file);
}

function parsePlan(raw: string, from: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const p = value as Partial<Plan> | undefined;
  if (!p || !Array.isArray(p.build) || !Array.isArray(p.test) || !Array.isArray(p.rows)) {
    throw new UserError(
      `${from} is not the plan JSON of this action's plan mode. Pass the plan job's 'plan-path' file (its 'plan-artifact'), downloaded into 'records-dir'.`,
    );
  }
  return p as Plan;
}

/** The plan: the `plan` input when given, else the plan file among the downloaded records. */
function readPlan(inputs: SummaryInputs): Plan {
  if (inputs.plan !== '') return parsePlan(inputs.plan, "Input 'plan'");
  const file = findPlanFile(inputs.recordsDir);
  if (file === undefined) {
    throw new UserError(
      `No plan: 'plan' is empty and ${inputs.recordsDir} holds no ${PLAN_FILE}. Upload the plan job's 'plan-path' as its 'plan-artifact' and download the records (records-pattern) into 'records-dir' before this step.`,
    );
  }
  return parsePlan(readFileSync(file, 'utf8'), file);
}

/** Link to the run, for the table's job column ('' outside a runner). */
export function runUrl(runner: RunnerContext): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = runner.env;
  return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : '';
}

async function runSummary(inputs: SummaryInputs, deps: Deps): Promise<void> {
  const planned = readPlan(inputs);
  const summary = summarise(planned, readRecords(inputs.recordsDir), await collectFiles(inputs.artifactsDir));
  const markdown = summaryMarkdown(summary, runUrl(inputs.runner));
  // The same table in the log, where a run without job summaries (act, a raw log) shows it.
  deps.info(markdown);
  await deps.writeSummary('Wheels', markdown);
  deps.setOutput('wheels', JSON.stringify(summary.wheels));
  deps.setOutput('failed', String(summary.failures.length > 0));
  if (summary.failures.length > 0) {
    throw new UserError(
      `${summary.failures.length} leg(s) failed or did not run: ${summary.failures.map(failureText).join('; ')}. See the table in the job summary and the jobs named there.`,
    );
  }
}
