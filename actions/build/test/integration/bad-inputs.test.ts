/**
 * The build action's bad inputs, through the bundle (see packages/harness/src/bad-inputs.ts for
 * what each case checks). Every case fails while reading the inputs or the project: nothing is
 * compiled.
 */

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BAD,
  type BadInputCase,
  badInputTable,
  booleanInputCases,
  directoryInputCases,
  HUGE_FIX,
  inputCases,
  itemCases,
  withFiles,
} from '@ferrowheel/harness/bad-inputs';
import { runAction } from '@ferrowheel/harness/run-action';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';

const workspace = () => freshDir('bad-build');

const CARGO =
  '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n[lib]\ncrate-type = ["cdylib"]\n[dependencies]\npyo3 = "0.23"\n';
const PYPROJECT =
  '[build-system]\nrequires = ["maturin>=1.6,<2.0"]\nbuild-backend = "maturin"\n[project]\nname = "demo"\n';
/** A project whose Cargo.toml, pyproject.toml and src/lib.rs are replaced by `files`. */
const project = (files: Record<string, string>) =>
  withFiles(workspace, { 'Cargo.toml': CARGO, 'pyproject.toml': PYPROJECT, 'src/lib.rs': '', ...files });

const MANYLINUX_FIX = 'Use auto, off, 2014, 2_17, 2_28';

const cases: BadInputCase[] = [
  ...directoryInputCases('working-directory', workspace),
  // manifest-path
  ...inputCases('manifest-path', 'Check the path', [
    ['missing', 'crate/Cargo.toml'],
    ['a newline', 'Cargo.toml\n::warning::INJECTED'],
    ['100 KB', BAD.huge],
  ]),
  ...inputCases('manifest-path', 'inside the checkout', [
    ['a traversal', '../../../etc/Cargo.toml'],
    ['an absolute path outside', '/etc/passwd'],
  ]),
  {
    name: 'manifest-path: a directory',
    inputs: { 'manifest-path': 'src' },
    workspace: project({}),
    expect: { input: 'manifest-path', fix: 'Give the path of a file.' },
  },
  // target
  ...inputCases('target', 'Use a Rust target triple', [
    ['an unknown alias', 'sparc'],
    ['an option', '--target=x86_64-unknown-linux-gnu'],
    ['unicode', BAD.unicode],
    ['a newline', 'x64\n::warning::INJECTED'],
    ['100 KB', BAD.huge],
  ]),
  // booleans
  ...booleanInputCases('release', ['maybe']),
  ...booleanInputCases('all-features', ['--all']),
  ...booleanInputCases('zig', [BAD.unicode]),
  ...booleanInputCases('sdist', ['yes please']),
  ...booleanInputCases('cache', ['2']),
  ...booleanInputCases('sccache', ['on\n::warning::INJECTED']),
  // audit
  ...inputCases('audit', 'Use one of: error, warn, off.', [
    ['a boolean', 'true'],
    ['a line break', 'warn\n::error::INJECTED'],
  ]),
  // profile
  ...inputCases('profile', 'Use a name such as release or dev.', [
    ['two words', 'a b'],
    ['an option', '--release'],
    ['unicode', BAD.unicode],
    ['100 KB', BAD.huge],
  ]),
  // interpreters
  ...itemCases('interpreters', "List versions such as '3.9 3.13'", [
    ['a Python that does not exist', '3.13 3.99', '3.99'],
    ['an option', `3.12 ${BAD.option}`, BAD.option],
    ['a word', '3.9 three', 'three'],
    ['a newline-smuggled command', '3.12\n::warning::INJECTED', '::warning::INJECTED'],
  ]),
  // features
  ...itemCases('features', 'List cargo feature names', [
    ['an option', 'fast --all-targets', '--all-targets'],
    ['shell text', 'a;b', 'a;b'],
    ['unicode', BAD.unicode, BAD.unicode],
  ]),
  // manylinux
  ...inputCases('manylinux', MANYLINUX_FIX, [
    ['a glibc that does not exist', '2_99'],
    ['a musl that has no tag', 'musllinux_1_99'],
    ['a distribution name', 'centos7'],
    ['an option', BAD.option],
    ['manylinux2010', '2010'],
    ['100 KB', BAD.huge],
  ]),
  // container
  ...inputCases('container', "Use 'auto', 'off', or an image", [
    ['an option', '--privileged'],
    ['two words', 'image --rm'],
    ['a newline', 'image\n::warning::INJECTED'],
    ['shell text', 'image:1;ls'],
    ['upper case', 'Manylinux:1'],
  ]),
  // out-dir (relative to working-directory)
  ...inputCases('out-dir', 'Use a directory inside the checkout', [
    ['a traversal', BAD.traversal],
    ['an absolute path outside', BAD.absolute],
    ['100 KB', BAD.huge],
  ]),
  // args
  ...inputCases('args', "set 'out-dir' to the directory instead", [
    ['--out', '--locked --out elsewhere'],
    ['-o', '-o elsewhere'],
  ]),
  ...inputCases('args', 'Close the quote', [['an unclosed quote', '-F "a b']]),
  ...inputCases('args', HUGE_FIX, [['100 KB', BAD.huge]]),
  // before-build: a script file inside the workspace
  ...inputCases('before-build', 'Check the path', [
    ['missing', 'nope.sh'],
    ['a command line', 'my hook'],
  ]),
  ...inputCases('before-build', 'inside the checkout', [
    ['a traversal', '../../../etc/passwd'],
    ['an absolute path outside', '/bin/sh'],
  ]),
  {
    name: 'before-build: a directory',
    inputs: { 'before-build': 'src' },
    workspace: project({}),
    expect: { input: 'before-build', fix: 'Give the path of a file.' },
  },
  // maturin: one executable path, never a command line
  ...inputCases('maturin', 'one path to an executable file', [
    ['a command line', '/bin/sh -c "touch MARKER"'],
    ['a missing path', './no/maturin'],
  ]),
  // reproducible
  ...booleanInputCases('reproducible', ['maybe', 'sometimes\n::warning::INJECTED']),
  ...inputCases('source-date-epoch', 'seconds since 1970-01-01 UTC', [
    ['a date', '2026-11-30'],
    ['negative', '-1'],
    ['a fraction', '1700000000.5'],
    ['an option', BAD.option],
    ['a newline', '1700000000\n::warning::INJECTED'],
    ['100 KB', BAD.huge],
  ]),
  {
    name: 'source-date-epoch: with reproducible false',
    inputs: { 'source-date-epoch': '1700000000', reproducible: 'false' },
    expect: { input: 'source-date-epoch', fix: "Remove 'source-date-epoch', or set 'reproducible: true'." },
  },
  // pgo: true, false, or one script of the repository (never a command line)
  ...inputCases('pgo', "Use 'true' (the training is [tool.maturin] pgo-command", [
    ['a command line', 'python train.py'],
    ['a shell command', 'sh -c "touch MARKER"'],
    ['an option', '--pgo'],
  ]),
  ...inputCases('pgo', 'Check the path', [
    ['a missing script', 'train.py'],
    ['a newline', 'train.py\n::warning::INJECTED'],
    ['100 KB', BAD.huge],
  ]),
  ...inputCases('pgo', 'inside the checkout', [
    ['a traversal', '../../../etc/passwd'],
    ['an absolute path outside', '/bin/sh'],
  ]),
  {
    name: 'pgo: a directory',
    inputs: { pgo: 'src' },
    workspace: project({}),
    expect: { input: 'pgo', fix: 'Give the path of a file.' },
  },
  {
    name: 'pgo: a batch file on Linux',
    inputs: { pgo: 'train.bat' },
    workspace: project({ 'train.bat': '@echo off' }),
    expect: { input: 'pgo', fix: 'Use a .sh, .bash, .py or .ps1 script' },
  },
  {
    name: 'pgo: a file that is not executable and has no known extension',
    inputs: { pgo: 'train' },
    workspace: project({ train: 'python3 bench.py' }),
    expect: { input: 'pgo', fix: 'Make it executable' },
  },
  ...booleanInputCases('pgo-measure', ['twice']),
  {
    name: 'pgo-measure: without pgo',
    inputs: { 'pgo-measure': 'true' },
    expect: { input: 'pgo-measure', value: 'true', fix: "Set 'pgo' to true or to a training script" },
  },
  {
    name: 'project: pgo: true without [tool.maturin] pgo-command',
    inputs: { container: 'off', pgo: 'true' },
    workspace: project({}),
    expect: {
      mentions: ['pyproject.toml', 'has no [tool.maturin] pgo-command'],
      fix: 'Add pgo-command = "python train.py"',
    },
  },
  ...inputCases('audit-python', 'one path to an executable file', [
    ['a command line', 'python3 -I'],
    ['a directory', '.'],
  ]),
  // the project
  {
    name: 'project: no Cargo.toml',
    inputs: { container: 'off' },
    expect: { mentions: ['Cargo.toml', 'does not exist'], fix: "Set 'working-directory'" },
  },
  {
    name: 'project: [lib] path outside the crate',
    inputs: { container: 'off' },
    workspace: project({ 'Cargo.toml': CARGO.replace('[lib]', '[lib]\npath = "../../etc/lib.rs"') }),
    expect: { mentions: ['Cargo.toml', 'points outside the crate'], fix: 'Move the library source' },
  },
  {
    name: 'project: no src/lib.rs',
    inputs: { container: 'off' },
    workspace: withFiles(workspace, { 'Cargo.toml': CARGO, 'pyproject.toml': PYPROJECT }),
    expect: { mentions: ['Cargo.toml', 'has no library source'], fix: 'Create src/lib.rs' },
  },
  {
    name: 'project: pyproject.toml is a directory',
    inputs: { container: 'off' },
    workspace: withFiles(workspace, { 'Cargo.toml': CARGO, 'src/lib.rs': '', 'pyproject.toml/': '' }),
    expect: {
      mentions: ['pyproject.toml', 'is a directory, not a file'],
      fix: 'Remove or rename that directory',
    },
  },
  {
    name: 'project: [lib] path leading out of the workspace through a link',
    inputs: { container: 'off' },
    workspace: () => {
      const outside = freshDir('bad-build-outside');
      writeFileSync(path.join(outside, 'lib.rs'), '');
      const dir = withFiles(workspace, {
        'Cargo.toml': CARGO.replace('[lib]', '[lib]\npath = "rust/lib.rs"'),
        'pyproject.toml': PYPROJECT,
      })();
      symlinkSync(outside, path.join(dir, 'rust'));
      return dir;
    },
    expect: {
      mentions: [
        'Cargo.toml',
        '[lib] path = "rust/lib.rs" leads outside the workspace',
        'through a symbolic link',
      ],
      fix: 'Keep the library source in the repository',
    },
  },
  {
    name: 'project: src/lib.rs that is not UTF-8',
    inputs: { container: 'off' },
    workspace: () => {
      const dir = project({})();
      writeFileSync(
        path.join(dir, 'src', 'lib.rs'),
        Buffer.from('// na\xefve\nuse pyo3::prelude::*;\n', 'latin1'),
      );
      return dir;
    },
    expect: {
      mentions: [`${path.sep}src${path.sep}lib.rs: is not UTF-8 (byte 0xEF at line 1, column 6)`],
      fix: 'Save it as UTF-8',
    },
  },
  {
    name: 'project: a crate with no #[pymodule] (an empty src/lib.rs)',
    inputs: { container: 'off' },
    workspace: project({}),
    expect: {
      mentions: ['The crate defines no #[pymodule]', 'exports no PyInit_demo'],
      fix: 'Add the module function to lib.rs: #[pymodule] fn demo(',
    },
  },
  {
    name: 'interpreters: a path that does not exist (building on the host)',
    inputs: { container: 'off', interpreters: '3.12 .venv/bin/python3' },
    workspace: project({ 'src/lib.rs': '#[pymodule]\nfn demo() {}\n' }),
    expect: {
      input: 'interpreters',
      value: '.venv/bin/python3',
      fix: 'Give the path of a Python interpreter on this runner',
    },
  },
  {
    name: 'container: an image with no docker engine (and no maturin on PATH either)',
    inputs: { container: 'quay.io/pypa/manylinux_2_28_x86_64' },
    workspace: project({ 'src/lib.rs': '#[pymodule]\nfn demo() {}\n' }),
    // Neither docker nor maturin can be found: the container would bring maturin, the engine is
    // what is missing.
    env: { PATH: emptyDir(), DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    expect: {
      mentions: [
        "Input 'container' asks for the image quay.io/pypa/manylinux_2_28_x86_64",
        'no docker engine answers',
      ],
      fix: 'Start a docker engine on the runner',
    },
  },
];

/** A directory with nothing in it, for a PATH that finds no program. */
function emptyDir(): string {
  const dir = path.join(freshDir('empty-path'), 'bin');
  mkdirSync(dir);
  return dir;
}

badInputTable('build', { workspace, cases });

describe('a crate with no #[pymodule]', () => {
  it('is annotated at src/lib.rs, and nothing is compiled', async () => {
    const dir = project({})();
    const run = await runAction('build', { workspace: dir, inputs: { container: 'off' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^::error file=src\/lib\.rs,line=1::The crate defines no #\[pymodule\]/m);
    expect(run.stdout).not.toContain('maturin build');
    expect(run.errors.join('\n')).not.toContain('function name differs');
  });
});
