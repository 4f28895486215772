/**
 * How the plan reaches the summary job: as a file in an artifact, downloaded with the legs'
 * records, not as an input. An input arrives as one environment variable (INPUT_PLAN), which
 * Linux caps at 128 KiB and kit's inputs at 32 KiB; the plan of the default matrix (15 legs ×
 * every CPython, typed reasons for every row) is past the second, and grows with every row.
 * The artifact is named like a record (`records-<prefix>-plan`), so the summary's one download of
 * `records-<prefix>-*` brings it, and several build-wheels calls in a run keep theirs apart.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plan } from './matrix.js';

export const PLAN_FILE = 'plan.json';

/** The plan's artifact: matched by the records pattern, and by no leg's record name. */
export function planArtifactName(prefix: string): string {
  return `records-${prefix}-plan`;
}

/** Writes the plan into `dir`; returns the file. */
export function writePlanFile(dir: string, plan: Plan): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, PLAN_FILE);
  writeFileSync(file, `${JSON.stringify(plan)}\n`);
  return file;
}

/**
 * The plan file under `dir`: download-artifact puts each artifact in its own directory, so it is
 * `<dir>/<artifact>/plan.json` (or `<dir>/plan.json` when the directory was downloaded alone).
 * Undefined when there is none.
 */
export function findPlanFile(dir: string): string | undefined {
  const direct = path.join(dir, PLAN_FILE);
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  if (entries.some((e) => e.isFile() && e.name === PLAN_FILE)) return direct;
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => path.join(dir, e.name, PLAN_FILE))
    .sort()
    .find((file) => existsSync(file));
}
