/**
 * The audit before anything is uploaded, for wheels this job did not see built (`audit: error` or
 * `warn`; off by default, because ferrowheel's build audits every wheel where it is built). The
 * same kit code as the build's, loaded only when asked for. Build paths are searched as this
 * runner spells them (GitHub's runners give every job of a repository the same workspace path);
 * CARGO_HOME's registry paths are warnings here: expected from builders that do not remap them.
 */
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { auditWheels } from '@ferrowheel/kit/audit/audit';
import type { BuildRoot } from '@ferrowheel/kit/audit/build-paths';
import { type AuditVerdict, annotateAudit, auditSummary } from '@ferrowheel/kit/audit/report';
import { childEnv, type Exec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import { currentPlatform } from '@ferrowheel/kit/platform';
import type { Distribution } from './distributions.js';
import type { Inputs } from './inputs.js';

function roots(inputs: Inputs, env: NodeJS.ProcessEnv): BuildRoot[] {
  const cargoHome = env.CARGO_HOME || path.join(os.homedir(), '.cargo');
  return [
    { kind: 'workspace', path: inputs.runner.workspace, whenFound: 'error' },
    { kind: 'runner-temp', path: inputs.runner.runnerTemp, whenFound: 'error' },
    {
      kind: 'target-dir',
      path: path.resolve(inputs.runner.workspace, env.CARGO_TARGET_DIR || 'target'),
      whenFound: 'error',
    },
    { kind: 'cargo-home', path: cargoHome, whenFound: 'warning' },
  ];
}

/** Audits the wheels among `dists`; the summary section and the verdict, or undefined when off. */
export async function auditPhase(
  inputs: Inputs,
  dists: readonly Distribution[],
  deps: { exec: Exec; env: NodeJS.ProcessEnv },
): Promise<{ summary: string; verdict: AuditVerdict } | undefined> {
  if (inputs.audit === 'off') return undefined;
  const wheels = dists.filter((d) => d.kind === 'wheel');
  const report = await auditWheels(
    { wheels: wheels.map((w) => w.path), roots: roots(inputs, deps.env) },
    {
      toolCache: deps.env.RUNNER_TOOL_CACHE || path.join(os.tmpdir(), 'ferrowheel-tool-cache'),
      tempDir: inputs.runner.runnerTemp,
      python: inputs.auditPython,
      os: currentPlatform().os,
      env: childEnv({}, deps.env),
      exec: deps.exec,
    },
  );
  const verdict = annotateAudit(report, inputs.audit, {
    error: (message, title) => core.error(message, { title }),
    warning: (message, title) => core.warning(message, { title }),
  });
  for (const wheel of report.wheels) {
    core.info(
      logText`audit: ${wheel.filename}: ${wheel.findings.length === 0 ? 'every rule passed' : `${wheel.findings.length} finding(s)`}`,
    );
  }
  return { summary: auditSummary(report, inputs.audit), verdict };
}
