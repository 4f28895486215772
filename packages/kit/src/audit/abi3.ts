/**
 * The abi3 rule: what `abi3audit --report` finds in each extension module of a wheel tagged abi3.
 * A module that calls a function outside the limited API (`non_abi3_symbols`) loads only where
 * that function happens to be exported (never on Windows, whose python3.dll has only the stable
 * ABI); one that needs a newer limited API than its tag (`computed` > `baseline`) fails to load
 * on the older Pythons the tag admits.
 */
import type { Finding } from './rules.js';
import { RULES } from './rules.js';

interface Abi3Result {
  is_abi3: boolean;
  is_abi3_baseline_compatible: boolean;
  baseline: string;
  computed: string;
  non_abi3_symbols: string[];
  future_abi3_objects: Record<string, string>;
}

/** `abi3audit --report` (abi3audit 0.0.x): one spec per argument, each a wheel's modules. */
export interface Abi3auditReport {
  specs: Record<string, { kind: string; wheel?: { name: string; result: Abi3Result }[] }>;
}

/** Whether abi3audit applies: the wheel's ABI tag is abi3 (abi3t, PEP 803, it does not know). */
export function isAbi3(abiTags: readonly string[]): boolean {
  return abiTags.includes('abi3');
}

/**
 * Whether a wheel serves only Pythons from 3.15 (its python tags, from the file name): there
 * PEP 793's `PyModExport_<m>`, the module's own entry point, is part of the limited API, which
 * abi3audit 0.0.x does not know yet (PyO3 exports it for an abi3t wheel, PEP 803).
 */
function modExportInLimitedApi(wheel: string): boolean {
  const pythonTags =
    wheel
      .replace(/\.whl$/, '')
      .split('-')
      .at(-3)
      ?.split('.') ?? [];
  return (
    pythonTags.length > 0 &&
    pythonTags.every((tag) => {
      const match = /^cp3(\d+)$/.exec(tag);
      return match !== null && Number(match[1]) >= 15;
    })
  );
}

function problemOf(module: string, result: Abi3Result, wheel: string): string | undefined {
  const parts: string[] = [];
  const outside = modExportInLimitedApi(wheel)
    ? result.non_abi3_symbols.filter((name) => !name.startsWith('PyModExport_'))
    : result.non_abi3_symbols;
  if (outside.length > 0) {
    const names = [...outside].sort();
    parts.push(`calls ${names.length} function(s) outside the limited API: ${names.join(', ')}`);
  }
  if (!result.is_abi3_baseline_compatible) {
    const newer = Object.entries(result.future_abi3_objects)
      .map(([name, added]) => `${name} (${added})`)
      .sort();
    parts.push(
      `needs the limited API of Python ${result.computed}${newer.length > 0 ? ` (${newer.join(', ')})` : ''}, but the wheel is tagged for ${result.baseline}`,
    );
  }
  return parts.length > 0 ? `${module} ${parts.join('; and ')}` : undefined;
}

/** Findings of the abi3 rule for one wheel's report; none when every module keeps to its tag. */
export function abi3Findings(wheel: string, report: Abi3auditReport): Finding[] {
  const findings: Finding[] = [];
  for (const spec of Object.values(report.specs)) {
    for (const module of spec.wheel ?? []) {
      const problem = problemOf(module.name, module.result, wheel);
      if (problem) findings.push({ wheel, rule: 'abi3', problem, fix: RULES.abi3.fix, severity: 'error' });
    }
  }
  return findings;
}
