import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { copyTestTree } from '../src/test-tree.js';

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
    expect(tree).toEqual({ root, testsRelative: path.join('sample', 'tests'), base });
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
