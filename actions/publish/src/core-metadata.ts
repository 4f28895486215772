/**
 * Python core metadata (METADATA / PKG-INFO): an email-style header block, then the description
 * as the body. Parsed into fields, and turned into the form fields of the legacy upload API the
 * way Warehouse reads them (so the project page shows the summary, description, classifiers...).
 */

export interface CoreMetadata {
  /** Header name (as written) → every value, in order. */
  fields: Map<string, string[]>;
  /** The body: the long description (or the Description header's value). */
  description: string;
}

/** Parses METADATA / PKG-INFO text. */
export function parseCoreMetadata(text: string): CoreMetadata {
  const fields = new Map<string, string[]>();
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  let last: { name: string; index: number } | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      i++;
      break;
    }
    if (/^[ \t]/.test(line) && last) {
      // A continuation line: setuptools folds Description with 8 spaces (7 and a '|' before v36).
      const values = fields.get(last.name)!;
      values[last.index] = `${values[last.index]}\n${line.replace(/^ {7}\||^ {8}|^[ \t]/, '')}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    const values = fields.get(name) ?? [];
    values.push(value);
    fields.set(name, values);
    last = { name, index: values.length - 1 };
  }
  const body = lines.slice(i).join('\n').replace(/\n+$/, '');
  const description = body !== '' ? body : (first({ fields, description: '' }, 'Description') ?? '');
  return { fields, description };
}

/** The first value of a field (header names are case-insensitive). */
export function first(metadata: CoreMetadata, name: string): string | undefined {
  for (const [key, values] of metadata.fields) {
    if (key.toLowerCase() === name.toLowerCase()) return values[0];
  }
  return undefined;
}

/** Header names whose upload form field is not simply lower_snake_case (Warehouse's mapping). */
const FORM_NAMES: Record<string, string> = {
  classifier: 'classifiers',
  'project-url': 'project_urls',
  'home-page': 'home_page',
};

/** The metadata as legacy-upload form fields: [name, value] pairs, repeated for multi-use fields. */
export function uploadFields(metadata: CoreMetadata): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, values] of metadata.fields) {
    const lower = name.toLowerCase();
    if (lower === 'description') continue;
    const field = FORM_NAMES[lower] ?? lower.replace(/-/g, '_');
    for (const value of values) pairs.push([field, value]);
  }
  if (metadata.description !== '') pairs.push(['description', metadata.description]);
  return pairs;
}
