/**
 * Where the tests run. By default in place, in the checkout: a test that reads
 * `Path(__file__).parent / "../../data/x.json"`, or a conftest.py that reads a sibling crate's
 * file, finds it as in the repository. `import <package>` still finds the installed wheel, never
 * the sources beside the tests: the test venv's hook (wheel-first.ts) looks the wheel's names up
 * in site-packages only. Nothing is written into the checkout by the action: pytest runs with
 * `-p no:cacheprovider`, no bytecode is written (PYTHONDONTWRITEBYTECODE), the JUnit report and
 * Hypothesis' database go to runner temp (pytest-run.ts).
 *
 * With `test-sources` (cibuildwheel's option), the tests run from a temporary copy instead, as in
 * cibuildwheel: the tests directory with the conftest.py and pytest configuration files of every
 * directory above it, and each test source, all at their paths relative to the project (or to the
 * workspace when outside it), so pytest sees the same configuration and relative paths.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isWithin } from '@ferrowheel/kit/containment';

export interface TestTree {
  /** The directory pytest runs in (and its rootdir): `base` itself, or a copy of it. */
  root: string;
  /** The tests directory relative to `base` (and to `root`). */
  testsRelative: string;
  /** The original directory that `root` is or mirrors. */
  base: string;
  /** True when the tests run in the checkout, false in a temporary copy. */
  inPlace: boolean;
}

/**
 * Variables for every command of a test run (pytest, test-command, before-test) that keep it from
 * writing into the checkout it runs in: no bytecode, Hypothesis' database in `scratch`. The
 * user's `test-environment` is applied over them.
 */
export function checkoutSafeEnvironment(scratch: string): Record<string, string> {
  return {
    PYTHONDONTWRITEBYTECODE: '1',
    HYPOTHESIS_STORAGE_DIRECTORY: path.join(scratch, 'hypothesis'),
  };
}

/**
 * The tree the tests of one wheel run in: in place, or with `sources` a copy under `copyRoot`.
 * Paths are relative to the project, or to the workspace when the tests live outside it.
 */
export function testTree(options: {
  workingDirectory: string;
  workspace: string;
  tests: string;
  sources: readonly string[];
  copyRoot: string;
}): TestTree {
  const { tests, workspace } = options;
  const base = isWithin(options.workingDirectory, tests) ? options.workingDirectory : workspace;
  if (options.sources.length === 0) {
    return { root: base, testsRelative: path.relative(base, tests), base, inPlace: true };
  }
  const tree = copyTestTree({ base, tests, root: options.copyRoot });
  copyTestSources({ base, root: tree.root, sources: options.sources, workspace });
  return tree;
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
  return { root, testsRelative, base, inPlace: false };
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
