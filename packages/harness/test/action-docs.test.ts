/**
 * Every action's metadata follows the house rules, and its README's inputs/outputs tables list
 * exactly what action.yml declares, with the same defaults.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cellName, readActionMetadata, readmeTable } from '../src/action-metadata.js';
import { repoRoot } from '../src/workdirs.js';

const actions = readdirSync(path.join(repoRoot, 'actions')).filter((a) =>
  existsSync(path.join(repoRoot, 'actions', a, 'action.yml')),
);

describe('readmeTable', () => {
  it('reads the table under a heading, with escaped pipes kept in cells', () => {
    const readme =
      '# x\n\n## Inputs\n\nSome text.\n\n| Input | Description | Default |\n| --- | --- | --- |\n| `a` | one \\| two | `x` |\n\n## Outputs\n';
    expect(readmeTable(readme, 'Inputs')).toEqual({
      header: ['Input', 'Description', 'Default'],
      rows: [['`a`', 'one \\| two', '`x`']],
    });
    expect(readmeTable(readme, 'Outputs')).toBeUndefined();
  });
});

it('there are actions to check', () => {
  expect(actions.length).toBeGreaterThan(0);
});

describe.each(actions)('actions/%s', (action) => {
  const meta = readActionMetadata(action);
  const readmePath = path.join(repoRoot, 'actions', action, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';

  it('has a README', () => {
    expect(readme).not.toBe('');
  });

  it('runs on node24 from its committed bundle, with branding', () => {
    expect(meta.runs.using).toBe('node24');
    expect(meta.runs.main).toBe('dist/index.js');
    if (meta.runs.post !== undefined) expect(meta.runs.post).toBe('dist/index.js');
    expect(existsSync(path.join(repoRoot, 'actions', action, 'dist', 'index.js'))).toBe(true);
    expect(meta.branding?.icon).toBeTruthy();
  });

  it('starts without the HTTP stack: undici, @actions/cache and friends load only where used', () => {
    // Start-up cost is mostly module evaluation; @actions/core's OIDC client (patched to load
    // lazily, patches/@actions__core*.patch) and @actions/cache would pull undici in eagerly.
    const entry = readFileSync(path.join(repoRoot, 'actions', action, 'dist', 'index.js'), 'utf8');
    expect(entry).not.toContain('undici');
  });

  it('starts without @actions/exec and @actions/io: they load with the first command', () => {
    // kit's exec imports @actions/exec lazily, and the @actions/core patch does the same for
    // core.platform; eagerly they cost node's assert, child_process and friends at every start.
    const entry = readFileSync(path.join(repoRoot, 'actions', action, 'dist', 'index.js'), 'utf8');
    expect(entry).not.toContain('mkdirP');
    // toolrunner.js's own code (kit names the ToolRunner class it loads, so that word is no sign).
    expect(entry).not.toContain('argStringToArray');
  });

  it('names inputs and outputs in kebab-case, each with a description', () => {
    for (const [name, input] of [...Object.entries(meta.inputs), ...Object.entries(meta.outputs)]) {
      expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(input.description?.trim()).toBeTruthy();
    }
  });

  it('keeps expressions out of descriptions (act 0.2.89 refuses to load such an action.yml)', () => {
    // Only a default may be an expression (`${{ github.token }}`); a description is text.
    for (const [name, entry] of [...Object.entries(meta.inputs), ...Object.entries(meta.outputs)]) {
      expect({ name, expression: entry.description?.includes('${{') }).toEqual({ name, expression: false });
    }
  });

  it('documents exactly the inputs of action.yml, with their defaults', () => {
    const table = readmeTable(readme, 'Inputs');
    if (Object.keys(meta.inputs).length === 0) return;
    expect(table?.header).toEqual(['Input', 'Description', 'Default']);
    const documented = new Map(table!.rows.map((row) => [cellName(row[0]!), row[2] ?? '']));
    expect([...documented.keys()].sort()).toEqual(Object.keys(meta.inputs).sort());
    for (const [name, input] of Object.entries(meta.inputs)) {
      const expected =
        input.default === undefined || input.default === '' ? '' : `\`${String(input.default)}\``;
      const cell = documented.get(name)!;
      // A README may explain an empty default in words; a non-empty one must be shown as is.
      if (expected !== '') expect({ name, default: cell }).toEqual({ name, default: expected });
    }
  });

  it('documents exactly the outputs of action.yml', () => {
    if (Object.keys(meta.outputs).length === 0) return;
    const table = readmeTable(readme, 'Outputs');
    expect(table?.header).toEqual(['Output', 'Description']);
    expect(table!.rows.map((row) => cellName(row[0]!)).sort()).toEqual(Object.keys(meta.outputs).sort());
  });
});
