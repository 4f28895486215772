/**
 * What each interpreter of a build got, from its maturin call's result: built (with the wheels
 * that serve it, told by their tags), or failed with a typed reason — its call failed (exit code,
 * known failures), made no wheel for it, was never attempted because the call of the GIL-enabled
 * versions failed first, or preflight took it out. This is the build's `python-builds` output,
 * which the reusable workflow's records and summary turn into rows. Pure.
 */
import type { PythonBuild, PythonBuildFailure } from '@ferrowheel/kit/python-builds';
import { checkCompatibility, parseWheelFilename, supportedTags } from '@ferrowheel/kit/wheel';
import { type MaturinCall, pythonLabel } from './maturin-calls.js';

/** One maturin call that ran: its wheels (file names) when it succeeded, or why it failed. */
export type CallOutcome = { call: MaturinCall } & (
  | { ok: true; wheels: string[] }
  | { ok: false; failure: PythonBuildFailure }
);

/** Whether the wheel `file` installs on CPython `label` (`3.13`, `3.14t`), whatever its platform. */
export function wheelServesVersion(file: string, label: string): boolean {
  const parsed = parseWheelFilename(file);
  const version = /^3\.(\d+)(t?)$/.exec(label);
  if (!parsed.ok || !version) return false;
  const tags = supportedTags({
    implementation: 'cp',
    major: 3,
    minor: Number(version[1]),
    abiFlags: version[2] ?? '',
    platforms: parsed.value.platformTags,
  });
  return checkCompatibility(parsed.value, tags).compatible;
}

function builtOrMissing(item: string, wheels: readonly string[]): PythonBuild {
  const python = pythonLabel(item);
  // An interpreter given as a path names no version: every wheel of its call is its.
  const versioned = /^3\.\d+t?$/.test(python);
  const served = versioned ? wheels.filter((w) => wheelServesVersion(w, python)) : [...wheels];
  if (served.length > 0) return { python, outcome: 'built', wheels: served };
  return {
    python,
    outcome: 'failed',
    failure: {
      kind: 'no-wheel',
      message: `maturin succeeded but made no wheel for CPython ${python} (its wheels: ${wheels.join(', ') || 'none'}). Check requires-python and the build log.`,
    },
  };
}

const NOT_ATTEMPTED: PythonBuildFailure = {
  kind: 'not-attempted',
  message:
    'not built: the maturin call of the GIL-enabled versions failed first (see its errors), so this free-threaded build was not attempted.',
};

/**
 * Every interpreter's outcome, in the order they were asked for: those preflight took out, then
 * each planned call's (a call that did not run was not attempted). Empty when maturin chose the
 * interpreters itself (no list given): then there is nothing per version to say.
 */
export function pythonOutcomes(options: {
  calls: readonly MaturinCall[];
  ran: readonly CallOutcome[];
  dropped: readonly PythonBuild[];
}): PythonBuild[] {
  if (options.calls.some((call) => call.kind === 'any')) return [];
  const outcomes: PythonBuild[] = [...options.dropped];
  for (const call of options.calls) {
    const ran = options.ran.find((r) => r.call === call);
    for (const item of call.interpreters) {
      const python = pythonLabel(item);
      if (ran === undefined) outcomes.push({ python, outcome: 'failed', failure: NOT_ATTEMPTED });
      else if (!ran.ok) outcomes.push({ python, outcome: 'failed', failure: ran.failure });
      else outcomes.push(builtOrMissing(item, ran.wheels));
    }
  }
  return outcomes;
}

/** The step's closing error when versions asked for are missing: which, why, and what was built. */
export function missingVersionsMessage(outcomes: readonly PythonBuild[]): string | undefined {
  const failed = outcomes.filter((o): o is PythonBuild & { outcome: 'failed' } => o.outcome === 'failed');
  if (failed.length === 0) return undefined;
  // Versions of one call share its failure: name them together, the reason once.
  const byMessage = new Map<string, string[]>();
  for (const o of failed)
    byMessage.set(o.failure.message, [...(byMessage.get(o.failure.message) ?? []), o.python]);
  const which = [...byMessage]
    .map(([message, pythons]) => `CPython ${pythons.join(', ')}: ${message}`)
    .join(' ');
  const built = outcomes.filter((o) => o.outcome === 'built').map((o) => o.python);
  const rest =
    built.length > 0
      ? ` The other wheels (${built.join(', ')}) were built and are in the outputs, so later steps can still upload and test them.`
      : '';
  return `${failed.length} of the Python versions asked for ${failed.length === 1 ? 'was' : 'were'} not built. ${which}${rest}`;
}
