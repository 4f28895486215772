import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { checkoutSafeEnvironment, copyTestTree, testTree } from '../src/test-tree.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-tree-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('copyTestTree', () => {
  it('copies the tests at the same relative path, with conftest and pytest config above them', () => {
    const base = project({
      'sample/tests/test_a.py': '',
      'sample/tests/data/input.txt': 'x',
      'sample/tests/__pycache__/test_a.cpython-312.pyc': '',
      'sample/conftest.py': '',
      'sample/pyproject.toml': '[project]\nname = "sample"\n\n[tool.pytest.ini_options]\naddopts = "-ra"\n',
      'pyproject.toml': '[project]\nname = "setup"\n',
      'pytest.ini': '[pytest]\n',
      'setup.cfg': '[metadata]\nname = setup\n',
      'src/lib.rs': '',
      'sample/src/sample/__init__.py': '',
    });
    const root = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-run-'));
    const tree = copyTestTree({ base, tests: path.join(base, 'sample', 'tests'), root });
    expect(tree).toEqual({ root, testsRelative: path.join('sample', 'tests'), base, inPlace: false });
    const has = (p: string) => existsSync(path.join(root, p));
    expect(has('sample/tests/test_a.py')).toBe(true);
    expect(has('sample/tests/data/input.txt')).toBe(true);
    expect(has('sample/tests/__pycache__')).toBe(false);
    expect(has('sample/conftest.py')).toBe(true);
    // pyproject.toml only where it configures pytest; other config files always.
    expect(has('sample/pyproject.toml')).toBe(true);
    expect(has('pyproject.toml')).toBe(false);
    expect(has('setup.cfg')).toBe(false);
    expect(has('pytest.ini')).toBe(true);
    // Never the sources: nothing to import by accident.
    expect(has('src')).toBe(false);
    expect(has('sample/src')).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['pytest.ini', 'sample']);
  });

  it('handles tests at the project root', () => {
    const base = project({ 'test_root.py': '', 'conftest.py': '' });
    const root = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-run-'));
    expect(copyTestTree({ base, tests: base, root }).testsRelative).toBe('');
    expect(readdirSync(root).sort()).toEqual(['conftest.py', 'test_root.py']);
  });
});

describe('testTree', () => {
  const files = { 'crates/demo/tests/test_a.py': '', 'crates/demo/conftest.py': '', 'data/x.json': '{}' };

  it('runs in place by default: nothing is copied, paths are relative to the project', () => {
    const ws = project(files);
    const copyRoot = path.join(mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-run-')), 'run');
    const wd = path.join(ws, 'crates', 'demo');
    expect(
      testTree({ workingDirectory: wd, workspace: ws, tests: path.join(wd, 'tests'), sources: [], copyRoot }),
    ).toEqual({
      root: wd,
      base: wd,
      testsRelative: 'tests',
      inPlace: true,
    });
    expect(existsSync(copyRoot)).toBe(false);
    // Tests outside the project: relative to the workspace.
    expect(
      testTree({ workingDirectory: wd, workspace: ws, tests: path.join(ws, 'data'), sources: [], copyRoot }),
    ).toMatchObject({
      root: ws,
      testsRelative: 'data',
    });
  });

  it('with test-sources: a copy holding the tests and each source at its relative path', () => {
    const ws = project(files);
    const copyRoot = path.join(mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-run-')), 'run');
    const wd = path.join(ws, 'crates', 'demo');
    const tree = testTree({
      workingDirectory: wd,
      workspace: ws,
      tests: path.join(wd, 'tests'),
      sources: [path.join(ws, 'data', 'x.json')],
      copyRoot,
    });
    expect(tree).toEqual({ root: copyRoot, base: wd, testsRelative: 'tests', inPlace: false });
    // A source outside the project keeps its path relative to the workspace.
    expect(readdirSync(copyRoot).sort()).toEqual(['conftest.py', 'data', 'tests']);
    expect(existsSync(path.join(copyRoot, 'data', 'x.json'))).toBe(true);
  });

  it('keeps a run from writing into the checkout: no bytecode, Hypothesis in scratch', () => {
    expect(checkoutSafeEnvironment('/tmp/w')).toEqual({
      PYTHONDONTWRITEBYTECODE: '1',
      HYPOTHESIS_STORAGE_DIRECTORY: path.join('/tmp/w', 'hypothesis'),
    });
  });
});
