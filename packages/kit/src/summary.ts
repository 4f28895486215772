/** Job-summary rendering: Markdown tables built from rows, written once per action run. */
import * as core from '@actions/core';

export type Cell = string | number;

/** Escapes a table cell: pipes and newlines would break the Markdown table. */
function cell(value: Cell): string {
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A GitHub-flavoured Markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Appends a heading and Markdown body to the job summary (no-op outside a runner). */
export async function writeSummary(heading: string, markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addHeading(heading, 3).addRaw(markdown, true).write();
}

/** Milliseconds as `1.2 s` or `2 min 3 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
