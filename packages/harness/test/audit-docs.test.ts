/**
 * The build README's table of audit rules is kit's rule table (packages/kit/src/audit/rules.ts):
 * the same rules, in the same order, checked by the same tools. publish's README points there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RULE_ORDER, RULES } from '@ferrowheel/kit/audit/rules';
import { expect, it } from '@jest/globals';
import { readmeTable } from '../src/action-metadata.js';
import { repoRoot } from '../src/workdirs.js';

const read = (action: string) => readFileSync(path.join(repoRoot, 'actions', action, 'README.md'), 'utf8');

it("build's README lists every audit rule, in order, with the tool that checks it", () => {
  const table = readmeTable(read('build'), 'The audit');
  expect(table?.header).toEqual(['Rule', 'Checks', 'By', 'Fix a finding gives']);
  const rows = table!.rows.map(([rule, , by]) => ({
    rule: rule!.replace(/`/g, ''),
    by: by!.replace(/`/g, ''),
  }));
  expect(rows.map((r) => r.rule)).toEqual([...RULE_ORDER]);
  for (const { rule, by } of rows)
    expect(RULES[rule as keyof typeof RULES].checkedBy.startsWith(by)).toBe(true);
});

it("publish's README documents its audit and links build's rules", () => {
  const readme = read('publish');
  expect(readme).toContain('## The audit');
  expect(readme).toContain('../build/README.md#the-audit');
});
