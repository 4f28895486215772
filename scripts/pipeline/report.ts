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

/** The Markdown subset the actions' summaries use, as HTML. */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.split(/\r?\n/);
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.map(inline).join('<br>\n')}</p>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith(fence[1]!); i++) code.push(lines[i]!);
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (/^\s*<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i.test(line)) {
      flush();
      out.push(line);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      out.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`);
      continue;
    }
    if (line.trim().startsWith('|') && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) {
      flush();
      const head = tableCells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++)
        rows.push(tableCells(lines[i]!));
      i--;
      out.push(
        '<table>',
        `<thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead>`,
        `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('\n')}</tbody>`,
        '</table>',
      );
      continue;
    }
    if (/^\s*[-*]\s+/.test(line)) {
      flush();
      const items: string[] = [];
      for (; i < lines.length && /^\s*[-*]\s+/.test(lines[i]!); i++)
        items.push(lines[i]!.replace(/^\s*[-*]\s+/, ''));
      i--;
      out.push(`<ul>${items.map((it) => `<li>${inline(it)}</li>`).join('')}</ul>`);
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return out.join('\n');
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
