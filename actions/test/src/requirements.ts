import { fileURLToPath } from 'node:url';

/**
 * Test requirements as users write them in a `requirements:` input: PEP 508 requirements
 * (`pytest>=8`, `hypothesis[cli] >= 6, < 7`, `tomli ; python_version < "3.11"`), paths and URLs.
 * Version specifiers hold commas and spaces, so a list cannot be split on those blindly.
 */

/** One requirement: a name, optional extras, then comma-joined version specifiers. */
const REQUIREMENT =
  /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*((?:(?:===|~=|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+(?:\s*,\s*(?:===|~=|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+)*)?)/;

/**
 * Splits a requirements input: one requirement per line, and on a line several separated by
 * spaces or commas (`pytest>=8, hypothesis numpy`). A line with an environment marker (`;`) or a
 * direct reference (`@`) is one requirement; `-r file` names a requirements file. `#` starts a
 * comment. Any other word starting with `-` is an installer option (`--index-url=...`, `-e`),
 * which pip and uv would obey: it is refused, not passed on. Returns the items, or the text that
 * is not a requirement.
 */
export function splitRequirements(raw: string): { items: string[] } | { bad: string } {
  const items: string[] = [];
  for (const fullLine of raw.split(/\r?\n/)) {
    const line = fullLine.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    // A requirements file, as pip and uv both take it: one argv word, `--requirement=<file>`.
    const file = /^(?:-r|--requirement)(?:\s+|=)(\S+)$/.exec(line);
    if (file) {
      items.push(`--requirement=${file[1]}`);
      continue;
    }
    if (line.startsWith('-')) return { bad: line.split(/\s/)[0]! };
    if (line.includes(';') || /\s@\s|^\S+\s*@/.test(line)) {
      items.push(line);
      continue;
    }
    let rest = line;
    while (rest !== '') {
      // Paths, URLs and wheel files are single words.
      const word = /^[^\s,]+/.exec(rest)![0];
      if (word.startsWith('-')) return { bad: word };
      if (/[/\\]|^\.|\.whl$|\.tar\.gz$|\.zip$/.test(word)) {
        items.push(word);
        rest = rest.slice(word.length).replace(/^[\s,]+/, '');
        continue;
      }
      const match = REQUIREMENT.exec(rest);
      if (!match || match[0].trim() === '') return { bad: rest.split(/[\s,]/)[0] ?? rest };
      const [whole, name, extras = '', specifiers = ''] = match;
      items.push(`${name}${extras.replace(/\s+/g, '')}${specifiers.replace(/\s+/g, '')}`);
      rest = rest.slice(whole.trimEnd().length);
      if (rest !== '' && !/^[\s,]/.test(rest)) return { bad: line };
      rest = rest.replace(/^[\s,]+/, '');
    }
  }
  return { items: [...new Set(items)] };
}

/**
 * The local file a requirement item reads, when it reads one: `--requirement=<file>`, a path
 * (`./pkg`, `../x.whl`, `wheels/x.whl`) or a `file:` URL; undefined for a name or a remote URL.
 * Each must stay inside the workspace (kit containment): `-r ../../../etc/passwd` would be read.
 */
export function requirementPath(item: string): string | undefined {
  if (item.startsWith('--requirement=')) return item.slice('--requirement='.length);
  const direct = /@\s*(file:\S+)/.exec(item)?.[1] ?? (item.startsWith('file:') ? item : undefined);
  if (direct !== undefined) {
    try {
      return fileURLToPath(direct);
    } catch {
      // Not a well-formed file URL: give the text after the scheme, checked as a path.
      return direct.replace(/^file:(\/\/)?/, '');
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(item) || item.includes(';') || /\s@\s|^\S+\s*@/.test(item)) {
    return undefined;
  }
  return /[/\\]|^\.|\.whl$|\.tar\.gz$|\.zip$/.test(item) ? item : undefined;
}
