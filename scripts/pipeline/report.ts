/**
 * The pipeline's report: every step's job summary (what each action wrote to
 * GITHUB_STEP_SUMMARY), behind a table of the steps with their result and time, as Markdown and
 * as a standalone HTML page. Summaries are GitHub-flavoured Markdown with some HTML (core.summary
 * writes headings as `<h3>`); `markdownToHtml` covers what the actions write: headings, tables,
 * lists, fenced code, paragraphs, inline code, bold and links. Text is HTML-escaped; lines that
 * are HTML tags pass through.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type StepStatus = 'ok' | 'failed' | 'skipped' | 'not run';

export interface StepRecord {
  name: string;
  status: StepStatus;
  /** Wall time in ms; undefined when the step did not run. */
  ms: number | undefined;
  /** The step's job summary (already masked), or a note. */
  summary: string;
  /** What it did, in one line (already masked). */
  note?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(text: string): string {
  const parts = text.split(/(`[^`]+`)/);
  return parts
    .map((part) => {
      if (/^`[^`]+`$/.test(part)) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\[([^\]]+)\]\(((?:https?:\/\/|\.{0,2}\/)[^)\s]*)\)/g, '<a href="$2">$1</a>');
    })
    .join('');
}

function tableCells(line: string): string[] {
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return body.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** A block that starts at `lines[i]`: its HTML and the line after it, or undefined if it is not one. */
type Block = (lines: readonly string[], i: number) => { html: string[]; next: number } | undefined;

const fencedCode: Block = (lines, i) => {
  const fence = /^(```|~~~)/.exec(lines[i]!)?.[1];
  if (fence === undefined) return undefined;
  let end = i + 1;
  while (end < lines.length && !lines[end]!.startsWith(fence)) end++;
  return {
    html: [`<pre><code>${escapeHtml(lines.slice(i + 1, end).join('\n'))}</code></pre>`],
    next: end + 1,
  };
};

const htmlLine: Block = (lines, i) =>
  /^\s*<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i.test(lines[i]!) ? { html: [lines[i]!], next: i + 1 } : undefined;

const heading: Block = (lines, i) => {
  const match = /^(#{1,6})\s+(.*)$/.exec(lines[i]!);
  if (!match) return undefined;
  const level = match[1]!.length;
  return { html: [`<h${level}>${inline(match[2]!)}</h${level}>`], next: i + 1 };
};

/** The lines from `i` on that `test` accepts, and the index of the first it does not. */
function run(
  lines: readonly string[],
  i: number,
  test: (line: string) => boolean,
): { items: string[]; next: number } {
  let next = i;
  while (next < lines.length && test(lines[next]!)) next++;
  return { items: lines.slice(i, next), next };
}

const table: Block = (lines, i) => {
  if (!lines[i]!.trim().startsWith('|') || !/^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) return undefined;
  const head = tableCells(lines[i]!);
  const rows = run(lines, i + 2, (line) => line.trim().startsWith('|'));
  const cells = rows.items.map(tableCells);
  return {
    html: [
      '<table>',
      `<thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead>`,
      `<tbody>${cells.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('\n')}</tbody>`,
      '</table>',
    ],
    next: rows.next,
  };
};

const ITEM = /^\s*[-*]\s+/;

const list: Block = (lines, i) => {
  if (!ITEM.test(lines[i]!)) return undefined;
  const items = run(lines, i, (line) => ITEM.test(line));
  const html = items.items.map((item) => `<li>${inline(item.replace(ITEM, ''))}</li>`).join('');
  return { html: [`<ul>${html}</ul>`], next: items.next };
};

const BLOCKS: readonly Block[] = [fencedCode, htmlLine, heading, table, list];

/** The Markdown subset the actions' summaries use, as HTML: the blocks above, else paragraphs. */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.split(/\r?\n/);
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.map(inline).join('<br>\n')}</p>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const block = line.trim() === '' ? { html: [], next: i + 1 } : firstBlock(lines, i);
    if (block) {
      flush();
      out.push(...block.html);
      i = block.next;
    } else {
      paragraph.push(line);
      i++;
    }
  }
  flush();
  return out.join('\n');
}

function firstBlock(lines: readonly string[], i: number): { html: string[]; next: number } | undefined {
  for (const block of BLOCKS) {
    const found = block(lines, i);
    if (found) return found;
  }
  return undefined;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`;
}

/** The report as Markdown. */
export function reportMarkdown(
  title: string,
  steps: readonly StepRecord[],
  closing: readonly string[],
): string {
  const table = [
    '| step | result | time | |',
    '| --- | --- | --- | --- |',
    ...steps.map(
      (s) => `| ${s.name} | ${s.status} | ${seconds(s.ms)} | ${(s.note ?? '').replace(/\|/g, '\\|')} |`,
    ),
  ];
  const sections = steps
    .filter((s) => s.summary.trim() !== '')
    .map((s) => `## ${s.name}\n\n${s.summary.trim()}\n`);
  return `# ${title}\n\n${table.join('\n')}\n\n${closing.join('\n\n')}\n\n${sections.join('\n')}`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1f2328}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #d0d7de;padding:4px 10px;text-align:left}
th{background:#f6f8fa}code,pre{font:13px ui-monospace,monospace;background:#f6f8fa}pre{padding:8px;overflow:auto}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.3em;margin-top:2em}`;

/** The report as a standalone HTML page. */
export function reportHtml(title: string, markdown: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${markdownToHtml(markdown)}\n</body></html>\n`;
}

/** Writes report.md and report.html into `dir`; returns the HTML file's path. */
export function writeReport(
  dir: string,
  title: string,
  steps: readonly StepRecord[],
  closing: readonly string[],
): { html: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const md = reportMarkdown(title, steps, closing);
  const markdown = path.join(dir, 'report.md');
  const html = path.join(dir, 'report.html');
  writeFileSync(markdown, md);
  writeFileSync(html, reportHtml(title, md));
  return { html, markdown };
}
