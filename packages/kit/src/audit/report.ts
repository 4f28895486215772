/**
 * What the audit says: one annotation per finding (naming the wheel, the rule and the fix), one
 * for tools that could not be installed, the job summary's per-wheel table, and the verdict the
 * `audit` mode draws (error: any error finding, or missing tools, fails the step; warn: never).
 */
import { formatDuration, markdownTable } from '../summary.js';
import type { AuditReport } from './audit.js';
import { type Finding, RULE_ORDER, RULES, type RuleId, type RuleOutcome } from './rules.js';

export interface Annotator {
  error(message: string, title: string): void;
  warning(message: string, title: string): void;
}

export interface AuditVerdict {
  /** Findings that fail the step in `error` mode. */
  errors: number;
  warnings: number;
  toolsMissing: boolean;
  /** The step must fail: `error` mode and an error finding or missing tools. */
  fails: boolean;
}

/** A finding as its annotation says it. */
export function findingMessage(finding: Finding): string {
  return `${finding.wheel} breaks the audit rule '${finding.rule}': ${finding.problem}. Fix: ${finding.fix}`;
}

/** Annotates every finding and returns the verdict of `mode`. */
export function annotateAudit(
  report: AuditReport,
  mode: 'error' | 'warn',
  annotate: Annotator,
): AuditVerdict {
  const findings = report.wheels.flatMap((w) => w.findings);
  for (const finding of findings) {
    const title = `Audit: ${finding.rule} (${finding.wheel})`;
    if (mode === 'error' && finding.severity === 'error') annotate.error(findingMessage(finding), title);
    else annotate.warning(findingMessage(finding), title);
  }
  if (!report.tools.ok) {
    const message = `${report.tools.problem}. Fix: ${report.tools.fix}`;
    if (mode === 'error') annotate.error(message, 'Audit: tools unavailable');
    else annotate.warning(message, 'Audit: tools unavailable');
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const toolsMissing = !report.tools.ok;
  return {
    errors,
    warnings: findings.length - errors,
    toolsMissing,
    fails: mode === 'error' && (errors > 0 || toolsMissing),
  };
}

const MARKS: Record<RuleOutcome['status'], string> = {
  passed: '✅',
  failed: '❌',
  warned: '⚠️',
  'not-applicable': '–',
  'not-checked': 'not checked',
};

const HEADERS: Record<RuleId, string> = {
  abi3: 'abi3',
  'manylinux-policy': 'manylinux policy',
  metadata: 'metadata',
  'build-paths': 'build paths',
  'top-level': 'top level',
  'pyinit-export': 'PyInit',
};

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}

/** The job summary's audit section: a table of rules per wheel, then each finding and gap. */
export function auditSummary(report: AuditReport, mode: 'error' | 'warn'): string {
  const rows = report.wheels.map((w) => [
    `\`${w.filename}\``,
    ...RULE_ORDER.map((rule) => MARKS[w.outcomes[rule].status]),
    formatDuration(w.durationMs),
  ]);
  const lines = [
    markdownTable(['Wheel', ...RULE_ORDER.map((r) => HEADERS[r]), 'Time'], rows),
    ...report.wheels.flatMap((w) =>
      w.findings.map(
        (f) =>
          `- ${f.severity === 'error' && mode === 'error' ? '❌' : '⚠️'} \`${w.filename}\` · **${f.rule}**: ${oneLine(f.problem)}. Fix: ${f.fix}`,
      ),
    ),
    ...report.wheels.flatMap((w) =>
      RULE_ORDER.flatMap((rule) => {
        const outcome = w.outcomes[rule];
        return outcome.status === 'not-checked'
          ? [`- \`${w.filename}\` · **${rule}** not checked: ${outcome.reason}.`]
          : [];
      }),
    ),
  ];
  const tools = report.tools.ok
    ? `Tools: ${RULE_ORDER.filter((r) => !RULES[r].checkedBy.startsWith('ferrowheel'))
        .map((r) => RULES[r].checkedBy)
        .join(', ')} (Python ${report.tools.venv.base.version}; venv ${
        report.tools.venv.created
          ? `created with ${report.tools.venv.installer} in ${formatDuration(report.tools.venv.durationMs)}`
          : 'from the tool cache'
      }); the other rules are ferrowheel's own checks.`
    : `Tools unavailable: ${oneLine(report.tools.problem)}. ${report.tools.fix}`;
  return ['', `**Audit** (\`audit: ${mode}\`)`, '', ...lines, '', tools, ''].join('\n');
}
