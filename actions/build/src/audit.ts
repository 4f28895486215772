/**
 * The audit phase: every wheel of this build checked where it was built, before it leaves the job
 * (an upload step after a failed build step does not run). kit's audit (abi3audit, auditwheel
 * show, twine check --strict, and ferrowheel's own checks of build paths, top-level entries and
 * PyInit exports) is loaded with this module, which run.ts imports only when it audits, so the
 * build's start-up does not grow.
 */
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { type AuditReport, auditWheels } from '@ferrowheel/kit/audit/audit';
import type { BuildRoot, RootKind } from '@ferrowheel/kit/audit/build-paths';
import { type AuditVerdict, annotateAudit, auditSummary } from '@ferrowheel/kit/audit/report';
import { childEnv, type Exec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import { formatDuration } from '@ferrowheel/kit/summary';
import type { WheelInfo } from './artifacts.js';
import { CONTAINER_CARGO_HOME } from './container.js';
import type { Inputs } from './inputs.js';
import { declaredPackages, type Project } from './project.js';
import type { Reproducibility } from './reproducibility.js';

export interface AuditFacts {
  /** Where the build ran, and the directories whose paths must not leak into a wheel. */
  cargoHome: string;
  targetDir: string;
  inContainer: boolean;
  /**
   * The directories the build remapped (rustc --remap-path-prefix, the SBOM cleaned). A path of
   * one of them in a wheel is an error (the remapping missed it); of one it did not remap, a
   * warning: expected, as a cargo registry path in a panic message is without remapping.
   */
  remapped: ReadonlySet<RootKind>;
}

export interface AuditOutcome {
  report: AuditReport;
  verdict: AuditVerdict;
  summary: string;
}

/**
 * The roots a build remapped: with `reproducible` on, all four (reproducible.ts pathRemaps; in a
 * container the image's CARGO_HOME, the others mounted at their host paths), so a path of any of
 * them left in a wheel is an error; with it off, none, and such paths are expected (warnings).
 */
export function remappedRoots(reproducibility: Reproducibility): ReadonlySet<RootKind> {
  return new Set<RootKind>(
    reproducibility.kind === 'on' ? ['workspace', 'runner-temp', 'target-dir', 'cargo-home'] : [],
  );
}

function roots(inputs: Inputs, facts: AuditFacts): BuildRoot[] {
  const root = (kind: RootKind, dir: string): BuildRoot => ({
    kind,
    path: dir,
    whenFound: facts.remapped.has(kind) ? 'error' : 'warning',
  });
  return [
    root('workspace', inputs.runner.workspace),
    root('runner-temp', inputs.runner.runnerTemp),
    root('target-dir', facts.targetDir),
    root('cargo-home', facts.cargoHome),
    // In a container, cargo's home is the image's (the host's registry is mounted there).
    ...(facts.inContainer ? [root('cargo-home', CONTAINER_CARGO_HOME)] : []),
  ];
}

/** Audits the wheels (unless `audit: off`), annotates each finding and renders the summary. */
export async function auditPhase(
  inputs: Inputs,
  deps: { exec: Exec },
  wheels: readonly WheelInfo[],
  context: { project: Project; facts: AuditFacts },
): Promise<AuditOutcome | undefined> {
  if (inputs.audit === 'off') {
    core.info("audit: off (the wheels are not audited; set 'audit' to error or warn to check them)");
    return undefined;
  }
  const mode = inputs.audit;
  const { env: runnerEnv } = inputs.runner;
  const report = await auditWheels(
    {
      wheels: wheels.map((w) => w.path),
      roots: roots(inputs, context.facts),
      packages: declaredPackages(context.project),
    },
    {
      toolCache: runnerEnv.RUNNER_TOOL_CACHE || path.join(os.tmpdir(), 'ferrowheel-tool-cache'),
      tempDir: inputs.runner.runnerTemp,
      python: inputs.auditPython,
      os: inputs.runner.platform.os,
      env: childEnv({}, runnerEnv),
      exec: deps.exec,
    },
  );
  const verdict = annotateAudit(report, mode, {
    error: (message, title) => core.error(message, { title }),
    warning: (message, title) => core.warning(message, { title }),
  });
  for (const wheel of report.wheels) {
    const failed = wheel.findings.length;
    core.info(
      logText`audit: ${wheel.filename}: ${failed === 0 ? 'every rule passed' : `${failed} finding(s)`} (${formatDuration(wheel.durationMs)})`,
    );
  }
  if (report.tools.ok) {
    const venv = report.tools.venv;
    core.info(
      logText`audit tools: ${venv.created ? `venv created with ${venv.installer} in ${formatDuration(venv.durationMs)}` : 'venv from the tool cache'} (${venv.dir})`,
    );
  }
  return { report, verdict, summary: auditSummary(report, mode) };
}
