/**
 * The copy of the tests that pytest runs. It lives in a fresh temporary directory, never in the
 * source tree, so `import setup` can only find the installed wheel (cibuildwheel's rule: a test
 * run from the checkout silently imports the sources). The copy keeps the tests' path relative
 * to the project, with the conftest.py and pytest configuration files of every directory above
 * them, so pytest sees the same configuration and reports the same relative paths.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface TestTree {
  /** The temporary directory pytest runs in. */
  root: string;
  /** The tests directory relative to `base` (and to `root` in the copy). */
  testsRelative: string;
  /** The original directory that `root` mirrors. */
  base: string;
}

/** Files above the tests that change how pytest runs them, with the section that makes them config. */
const CONFIG_FILES: [file: string, section: RegExp | undefined][] = [
  ['conftest.py', undefined],
  ['pytest.ini', undefined],
  ['.pytest.ini', undefined],
  ['pyproject.toml', /^\[tool\.pytest\b/m],
  ['tox.ini', /^\[pytest\]/m],
  ['setup.cfg', /^\[tool:pytest\]/m],
];

const SKIP = new Set(['__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache']);

/**
 * Copies `tests` (inside `base`) into `root`, keeping its relative path, plus the configuration
 * files of the directories between it and `base`.
 */
export function copyTestTree(options: { base: string; tests: string; root: string }): TestTree {
  const { base, tests, root } = options;
  const testsRelative = path.relative(base, tests);
  cpSync(tests, path.join(root, testsRelative), {
    recursive: true,
    filter: (source) => !SKIP.has(path.basename(source)),
  });
  for (let dir = path.dirname(tests); ; dir = path.dirname(dir)) {
    const relative = path.relative(base, dir);
    if (relative.startsWith('..')) break;
    for (const [file, section] of CONFIG_FILES) {
      const source = path.join(dir, file);
      if (!existsSync(source)) continue;
      if (section && !section.test(readFileSync(source, 'utf8'))) continue;
      mkdirSync(path.join(root, relative), { recursive: true });
      cpSync(source, path.join(root, relative, file));
    }
    if (relative === '') break;
  }
  return { root, testsRelative, base };
}

/**
 * Copies the `test-sources` files and directories into the run's copy, at the same path relative
 * to `base` (a root conftest.py, data files, pyproject.toml for pytest's configuration). A source
 * outside `base` (the tests live outside the project) keeps its path relative to the workspace.
 */
export function copyTestSources(options: {
  base: string;
  root: string;
  sources: readonly string[];
  workspace: string;
}): void {
  for (const source of options.sources) {
    let relative = path.relative(options.base, source);
    if (relative.startsWith('..')) relative = path.relative(options.workspace, source);
    const destination = path.join(options.root, relative);
    if (relative === '') {
      // The whole project: its contents, without what copyTestTree skips.
      cpSync(source, options.root, { recursive: true, filter: (s) => !SKIP.has(path.basename(s)) });
      continue;
    }
    mkdirSync(path.dirname(destination), { recursive: true });
    cpSync(source, destination, { recursive: true, filter: (s) => !SKIP.has(path.basename(s)) });
  }
}
