/**
 * The audit's tools from PyPI, run from their hash-locked venv (tool-venv.ts) as
 * `<venv python> -m <tool>`, one wheel per call so each verdict is that wheel's exit code or report:
 * `twine check --strict`, `auditwheel show --json`, `abi3audit --report`.
 */
import type { Exec } from '../exec.js';
import { shippedFile } from '../files.js';
import type { ToolVenvRequest } from '../tool-venv.js';
import type { WheelName } from '../wheel.js';
import { type Abi3auditReport, abi3Findings } from './abi3.js';
import { type AuditwheelReport, claimedPolicies, policyFindings } from './manylinux.js';
import { type Finding, RULES, type RuleId } from './rules.js';

/** The lock beside this module in the sources, and beside the bundle in dist/. */
export function auditToolsLock(): string {
  return shippedFile(new URL('./audit-tools.txt', import.meta.url));
}

/** The tool venv the audit needs: abi3audit, auditwheel and twine at the lock's versions. */
export function auditToolsRequest(): ToolVenvRequest {
  return { name: 'ferrowheel-audit-tools', lock: auditToolsLock(), minimumPython: { major: 3, minor: 10 } };
}

export interface ToolRunner {
  /** The tool venv's Python. */
  python: string;
  exec: Exec;
  env: Record<string, string>;
}

export interface AuditedWheel {
  path: string;
  name: WheelName;
}

/** rich's colour codes (ESC [ … m), which NO_COLOR does not always stop. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

async function runTool(runner: ToolRunner, args: string[]) {
  return runner.exec(runner.python, args, {
    silent: true,
    allowFailure: true,
    // rich (in all three) would colour and wrap for a terminal, and print emoji that a Windows
    // console's code page cannot encode.
    env: {
      ...runner.env,
      NO_COLOR: '1',
      TERM: 'dumb',
      COLUMNS: '200',
      PYTHONUTF8: '1',
      PYTHONIOENCODING: 'utf-8',
    },
  });
}

function outputTail(text: string, lines = 8): string {
  return text
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .join('\n');
}

/** A tool that ran but gave no report: the rule cannot be shown to hold, so it is a finding. */
function toolFailure(wheel: string, rule: RuleId, tool: string, output: string): Finding {
  return {
    wheel,
    rule,
    problem: `${tool} could not check it: ${outputTail(output) || 'no output'}`,
    fix: `${RULES[rule].fix} If the wheel is fine, this is a problem of ${tool}: report it with the wheel.`,
    severity: 'error',
  };
}

function parseJson<T>(stdout: string): T | undefined {
  try {
    return JSON.parse(stdout.trim()) as T;
  } catch {
    return undefined;
  }
}

/** metadata: `twine check --strict` (README rendering, missing description). */
export async function checkMetadata(runner: ToolRunner, wheel: AuditedWheel): Promise<Finding[]> {
  const result = await runTool(runner, ['-m', 'twine', 'check', '--strict', wheel.path]);
  if (result.exitCode === 0) return [];
  // It says "Checking <path>: FAILED" (wrapped as rich likes), then the reasons, each starting
  // with its level: keep those.
  const output = `${result.stdout}\n${result.stderr}`.replace(ANSI, '');
  const first = output.search(/^(ERROR|WARNING)\b/m);
  const reasons = outputTail(first === -1 ? output : output.slice(first), 12).replace(/ {2,}/g, ' ');
  return [
    {
      wheel: wheel.name.filename,
      rule: 'metadata',
      problem: `twine check --strict fails: ${reasons.replace(/\s*\n\s*/g, ' ')}`,
      fix: RULES.metadata.fix,
      severity: 'error',
    },
  ];
}

/**
 * musl's own library search path (its loader's default when no /etc/ld-musl-<arch>.path exists),
 * which auditwheel searches for a wheel it knows is musl.
 */
export const MUSL_LD_PATHS = '/lib:/usr/local/lib:/usr/lib';

/**
 * `auditwheel show`'s arguments for a wheel. A musllinux wheel gets musl's search path
 * (`--ldpaths`): auditwheel tells an extension's libc by its interpreter, a musl NEEDED name or a
 * `-linux-musl.so` file name, and an abi3 extension built by rust-musl-cross or zig has none
 * (`abi3.abi3.so`, NEEDED `libc.so`). It then searched glibc's paths on a glibc runner, opened
 * glibc's `libc.so` linker script as an ELF file and crashed ("Magic number does not match").
 */
export function auditwheelShowArgs(wheel: AuditedWheel): string[] {
  const musl = claimedPolicies(wheel.name).some((policy) => policy.family === 'musllinux');
  return ['-m', 'auditwheel', 'show', '--json', ...(musl ? ['--ldpaths', MUSL_LD_PATHS] : []), wheel.path];
}

/** manylinux-policy: `auditwheel show --json`, read against the wheel's tags. */
export async function checkPolicy(runner: ToolRunner, wheel: AuditedWheel): Promise<Finding[]> {
  const result = await runTool(runner, auditwheelShowArgs(wheel));
  const report = parseJson<AuditwheelReport>(result.stdout);
  if (report?.version !== 1) {
    return [
      toolFailure(
        wheel.name.filename,
        'manylinux-policy',
        'auditwheel show',
        `${result.stdout}${result.stderr}`,
      ),
    ];
  }
  return policyFindings(wheel.name, report);
}

/** abi3: `abi3audit --report` of the wheel's extension modules. */
export async function checkAbi3(runner: ToolRunner, wheel: AuditedWheel): Promise<Finding[]> {
  const result = await runTool(runner, ['-m', 'abi3audit', '--report', '--strict', wheel.path]);
  const report = parseJson<Abi3auditReport>(result.stdout);
  if (!report?.specs) {
    return [toolFailure(wheel.name.filename, 'abi3', 'abi3audit', `${result.stdout}${result.stderr}`)];
  }
  return abi3Findings(wheel.name.filename, report);
}
