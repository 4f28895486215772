import { ProjectError, UserError } from '@ferrowheel/kit/errors';
import { describe, expect, it } from '@jest/globals';
import { resolveGroups } from '../src/dependency-groups.js';

const project = {
  file: 'pyproject.toml',
  table: {
    'dependency-groups': {
      test: ['pytest>=8', { 'include-group': 'Typing_Extra' }],
      'typing-extra': ['mypy', { 'include-group': 'base' }],
      base: ['attrs', 'pytest>=8'],
      docs: ['sphinx'],
    },
  },
};
const sample = {
  file: 'sample/pyproject.toml',
  table: { 'dependency-groups': { 'sample-test': ['hypothesis'] } },
};

describe('resolveGroups', () => {
  it('expands include-group recursively with normalised names, without duplicates', () => {
    expect(resolveGroups([project], ['test'])).toEqual(['pytest>=8', 'mypy', 'attrs']);
    expect(resolveGroups([project], ['docs', 'TEST'])).toEqual(['sphinx', 'pytest>=8', 'mypy', 'attrs']);
  });

  it("looks in the course layout's sample/pyproject.toml after the project's", () => {
    expect(resolveGroups([project, sample], ['sample_test', 'docs'])).toEqual(['hypothesis', 'sphinx']);
  });

  it('names the unknown group and the groups that exist', () => {
    expect(() => resolveGroups([project, sample], ['tests'])).toThrow(UserError);
    expect(() => resolveGroups([project, sample], ['tests'])).toThrow(
      "Input 'groups' names 'tests', which is not a dependency group in pyproject.toml or sample/pyproject.toml. Defined groups: test, typing-extra, base, docs, sample-test.",
    );
    expect(() => resolveGroups([{ file: 'pyproject.toml', table: {} }], ['test'])).toThrow(
      /No \[dependency-groups\] table is defined there; add one \(PEP 735\)/,
    );
  });

  it('reports cycles, missing includes and bad entries in the file', () => {
    const file = (groups: Record<string, unknown>) => ({
      file: 'pyproject.toml',
      table: { 'dependency-groups': groups },
    });
    const cycle = file({ a: [{ 'include-group': 'b' }], b: [{ 'include-group': 'a' }] });
    expect(() => resolveGroups([cycle], ['a'])).toThrow(ProjectError);
    expect(() => resolveGroups([cycle], ['a'])).toThrow(
      "pyproject.toml: dependency group 'a' includes itself (a → b → a). Remove the include-group cycle.",
    );
    expect(() => resolveGroups([file({ a: [{ 'include-group': 'zzz' }] })], ['a'])).toThrow(
      "pyproject.toml: dependency group 'a' includes 'zzz', which is not defined. Define [dependency-groups] zzz, or remove the include.",
    );
    expect(() => resolveGroups([file({ a: [42] })], ['a'])).toThrow(
      /holds 42, which is neither a requirement nor/,
    );
    expect(() => resolveGroups([file({ a: 'pytest' })], ['a'])).toThrow("dependency group 'a' is not a list");
    expect(() =>
      resolveGroups([file({ a: ['pytest', ' --index-url=https://evil.example/simple'] })], ['a']),
    ).toThrow(
      "pyproject.toml: dependency group 'a' holds ' --index-url=https://evil.example/simple', an installer option, not a requirement. PEP 735",
    );
  });
});
