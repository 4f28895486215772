/**
 * The audit of built wheels before they leave the job (or before publish uploads them): every rule
 * of rules.ts on every wheel, the tools' rules (abi3audit, auditwheel show, twine check --strict)
 * from their hash-locked venv and ferrowheel's own (build paths, top-level entries, PyInit
 * exports). It reports; the caller annotates and decides (report.ts) by the `audit` mode.
 */
import path from 'node:path';
import { type ToolVenv, type ToolVenvContext, type ToolVenvFailure, toolVenv } from '../tool-venv.js';
import { parseWheelFilename, type WheelName } from '../wheel.js';
import { listZipEntries } from '../zip.js';
import { isAbi3 } from './abi3.js';
import { type BuildRoot, buildPathFindings } from './build-paths.js';
import { pyinitFindings, topLevelFindings } from './contents.js';
import { claimedPolicies } from './manylinux.js';
import { type Finding, RULE_ORDER, type RuleId, type RuleOutcome } from './rules.js';
import {
  type AuditedWheel,
  auditToolsRequest,
  checkAbi3,
  checkMetadata,
  checkPolicy,
  type ToolRunner,
} from './tools.js';

export interface AuditRequest {
  /** Absolute paths of the wheels. */
  wheels: readonly string[];
  /** The directories whose paths must not be in a wheel. */
  roots: readonly BuildRoot[];
  /** Top-level import names the project declares besides its distribution name (module-name, python-packages). */
  packages?: readonly string[];
}

/**
 * Where and how the audit's tools run: exactly the tool venv's context (the tool cache, the temp
 * dir when it cannot be written, `audit-python`, the OS — auditwheel runs on Linux only — and exec).
 */
export type AuditContext = ToolVenvContext;

export interface WheelAudit {
  filename: string;
  path: string;
  outcomes: Record<RuleId, RuleOutcome>;
  findings: Finding[];
  durationMs: number;
}

/** The tool venv, or why the tools' rules could not be checked. */
export type ToolsState = { ok: true; venv: ToolVenv } | { ok: false; problem: string; fix: string };

export interface AuditReport {
  wheels: WheelAudit[];
  tools: ToolsState;
}

const TOOLS = 'the audit tools (abi3audit, auditwheel, twine)';

/** A tool venv failure in words: what is wrong and how to fix it. */
export function describeToolsFailure(failure: ToolVenvFailure): { problem: string; fix: string } {
  const setUp =
    "Put CPython 3.10 or newer on PATH before this step (actions/setup-python), or set 'audit' to warn or off.";
  switch (failure.kind) {
    case 'no-python':
      return {
        problem: `${TOOLS} need CPython 3.10 or newer, and none of ${failure.command} runs here`,
        fix: setUp,
      };
    case 'old-python':
      return {
        problem: `${TOOLS} need Python ${failure.minimum} or newer, and ${failure.python} is Python ${failure.version}`,
        fix: setUp,
      };
    case 'no-place':
      return {
        problem: `${TOOLS} have nowhere to go: neither ${failure.dirs.join(' nor ')} can be written`,
        fix: "Give the runner's user write access to RUNNER_TOOL_CACHE (or RUNNER_TEMP), or set 'audit' to warn or off.",
      };
    case 'install-failed':
      return {
        problem: `Could not install ${TOOLS} from their hash-locked requirements with ${failure.installer}:\n${failure.output}`,
        fix: "The runner must reach PyPI (or the index PIP_INDEX_URL / UV_INDEX_URL names) once; the venv is kept in the tool cache after that. Offline, set 'audit' to warn (the tools' rules are then reported as not checked) or off.",
      };
  }
}

async function tools(context: AuditContext): Promise<ToolsState> {
  const outcome = await toolVenv(auditToolsRequest(), context);
  return outcome.ok
    ? { ok: true, venv: outcome.value }
    : { ok: false, ...describeToolsFailure(outcome.failure) };
}

type Check =
  | { rule: RuleId; run: () => Promise<Finding[]> | Finding[] }
  | { rule: RuleId; notChecked: string };

/** Which rules apply to a wheel, and how each is checked (or why it is not). */
function checksFor(
  wheel: AuditedWheel,
  request: AuditRequest,
  context: AuditContext,
  state: ToolsState,
): Check[] {
  const runner: ToolRunner | undefined = state.ok
    ? { python: state.venv.python, exec: context.exec, env: context.env }
    : undefined;
  const tool = (rule: RuleId, run: (r: ToolRunner) => Promise<Finding[]>): Check =>
    runner ? { rule, run: () => run(runner) } : { rule, notChecked: `${TOOLS} are not available` };
  const entries = listZipEntries(wheel.path);
  const names = entries.map((e) => e.name);
  const checks: Check[] = [];
  if (isAbi3(wheel.name.abiTags)) checks.push(tool('abi3', (r) => checkAbi3(r, wheel)));
  if (claimedPolicies(wheel.name).length > 0) {
    checks.push(
      context.os === 'linux'
        ? tool('manylinux-policy', (r) => checkPolicy(r, wheel))
        : {
            rule: 'manylinux-policy',
            notChecked: `auditwheel runs on Linux only, and this runner is ${context.os}`,
          },
    );
  }
  checks.push(tool('metadata', (r) => checkMetadata(r, wheel)));
  checks.push({
    rule: 'build-paths',
    run: () => buildPathFindings(wheel.name.filename, wheel.path, request.roots),
  });
  checks.push({ rule: 'top-level', run: () => topLevelFindings(wheel.name, names, request.packages ?? []) });
  checks.push({ rule: 'pyinit-export', run: () => pyinitFindings(wheel.name, wheel.path, entries) });
  return checks;
}

function outcomeOf(check: Check | undefined, findings: readonly Finding[]): RuleOutcome {
  if (!check) return { status: 'not-applicable' };
  if ('notChecked' in check) return { status: 'not-checked', reason: check.notChecked };
  if (findings.some((f) => f.severity === 'error')) return { status: 'failed' };
  return findings.length > 0 ? { status: 'warned' } : { status: 'passed' };
}

async function auditOne(
  wheel: AuditedWheel,
  request: AuditRequest,
  context: AuditContext,
  state: ToolsState,
) {
  const started = Date.now();
  const checks = checksFor(wheel, request, context, state);
  // The tools of one wheel run side by side (each is mostly Python's start-up); wheels one by one.
  const results = await Promise.all(checks.map(async (check) => ('run' in check ? await check.run() : [])));
  const findings = results.flat();
  const outcomes = Object.fromEntries(
    RULE_ORDER.map((rule) => [
      rule,
      outcomeOf(
        checks.find((c) => c.rule === rule),
        findings.filter((f) => f.rule === rule),
      ),
    ]),
  ) as Record<RuleId, RuleOutcome>;
  return {
    filename: wheel.name.filename,
    path: wheel.path,
    outcomes,
    findings,
    durationMs: Date.now() - started,
  };
}

/** Audits every wheel; the tool venv is made (or found in the tool cache) once for all. */
export async function auditWheels(request: AuditRequest, context: AuditContext): Promise<AuditReport> {
  const state = await tools(context);
  const wheels: WheelAudit[] = [];
  for (const file of request.wheels) {
    const parsed = parseWheelFilename(path.basename(file));
    // The build and publish name their wheels before this: a bad name here is a bug.
    if (!parsed.ok) throw new Error(`${file} ${parsed.problem}`);
    const name: WheelName = parsed.value;
    wheels.push(await auditOne({ path: file, name }, request, context, state));
  }
  return { wheels, tools: state };
}
