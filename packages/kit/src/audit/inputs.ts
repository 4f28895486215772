/**
 * The audit's two inputs, read the same way by every action that audits (build, publish):
 * `audit` (error, warn or off; each action has its own default) and `audit-python`. Only this,
 * not the audit itself, is in an action's entry chunk.
 */
import type { RunnerContext } from '../context.js';
import { getEnum, getProgram, type InputSource } from '../inputs.js';
import type { AuditMode } from './rules.js';

export interface AuditInputs {
  /** What a finding does: fail the step, warn, or no audit at all. */
  audit: AuditMode;
  /** The Python the audit's tools run on (a command or an absolute path), or undefined: found on PATH. */
  auditPython: string | undefined;
}

export function readAuditInputs(
  source: InputSource,
  context: RunnerContext,
  defaultMode: AuditMode,
): AuditInputs {
  return {
    audit: getEnum(source, 'audit', ['error', 'warn', 'off'], defaultMode),
    auditPython:
      getProgram(source, 'audit-python', {
        base: context.workspace,
        os: context.platform.os,
        env: context.env,
        what: 'a Python interpreter (3.10 or newer)',
      }) || undefined,
  };
}
