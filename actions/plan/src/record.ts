/**
 * What each build and test leg leaves for the summary job: a small JSON record of its outcome,
 * uploaded as its own artifact. A matrix job's result is one word for all its legs; the records
 * say which leg failed, and a leg with no record never ran.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type PythonBuild, parsePythonBuilds } from '@ferrowheel/kit/python-builds';
import type { Outcome } from './inputs.js';

export interface LegRecord {
  kind: 'build' | 'test';
  platform: string;
  /** '' for a build leg. */
  python: string;
  outcome: Outcome;
  /** A build leg's per-interpreter outcomes: which version failed, and why (typed). */
  pythonBuilds?: PythonBuild[];
}

/** The record's artifact name; never matches the wheels' `<prefix>-*` pattern. */
export function recordArtifactName(prefix: string, record: Pick<LegRecord, 'platform' | 'python'>): string {
  return `records-${prefix}-${record.platform}${record.python === '' ? '' : `-py${record.python}`}`;
}

/** The pattern matching every record artifact of one build-wheels call. */
export function recordsPattern(prefix: string): string {
  return `records-${prefix}-*`;
}

/** Writes the record into `dir`; returns the file. */
export function writeRecord(dir: string, record: LegRecord): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(
    dir,
    `${record.kind}-${record.platform}${record.python ? `-${record.python}` : ''}.json`,
  );
  // Only the record's own fields: the caller may hand in more (the inputs, with the runner's
  // environment), and this file is uploaded as an artifact.
  const { kind, platform, python, outcome, pythonBuilds } = record;
  const fields: LegRecord = {
    kind,
    platform,
    python,
    outcome,
    ...(pythonBuilds?.length ? { pythonBuilds } : {}),
  };
  writeFileSync(file, `${JSON.stringify(fields)}\n`);
  return file;
}

function isRecord(value: unknown): value is LegRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    (r.kind === 'build' || r.kind === 'test') &&
    typeof r.platform === 'string' &&
    typeof r.python === 'string' &&
    typeof r.outcome === 'string' &&
    (r.pythonBuilds === undefined || parsePythonBuilds(JSON.stringify(r.pythonBuilds)).ok)
  );
}

/** Every record under `dir` (download-artifact puts each artifact in its own subdirectory). */
export function readRecords(dir: string): LegRecord[] {
  const records: LegRecord[] = [];
  const walk = (d: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) {
        try {
          const parsed: unknown = JSON.parse(readFileSync(full, 'utf8'));
          if (isRecord(parsed)) records.push(parsed);
        } catch {
          // Not a record: ignore.
        }
      }
    }
  };
  walk(dir);
  return records;
}
