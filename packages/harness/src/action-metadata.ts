/** Reads an action's `action.yml` and the inputs/outputs tables of its README. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './workdirs.js';

export interface ActionMetadata {
  name: string;
  description: string;
  branding?: { icon?: string; color?: string };
  inputs: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main?: string; post?: string; steps?: unknown[] };
}

export function readActionMetadata(action: string): ActionMetadata {
  const text = readFileSync(path.join(repoRoot, 'actions', action, 'action.yml'), 'utf8');
  const parsed = parse(text) as ActionMetadata;
  return { ...parsed, inputs: parsed.inputs ?? {}, outputs: parsed.outputs ?? {} };
}

export interface ReadmeTable {
  header: string[];
  rows: string[][];
}

/** The first Markdown table after the `## <heading>` line of a README, or undefined. */
export function readmeTable(readme: string, heading: string): ReadmeTable | undefined {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
  let i = start + 1;
  while (i < lines.length && !lines[i]!.trim().startsWith('|')) {
    if (lines[i]!.startsWith('## ')) return undefined;
    i++;
  }
  if (i >= lines.length) return undefined;
  const header = cells(lines[i]!);
  const rows: string[][] = [];
  for (i += 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++) rows.push(cells(lines[i]!));
  return { header, rows };
}

/** The `name` of a table's first cell written as `` `name` ``. */
export function cellName(cell: string): string {
  return cell.replace(/^`|`$/g, '');
}
