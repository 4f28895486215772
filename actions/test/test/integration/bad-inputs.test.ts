/**
 * The test action's bad inputs, through the bundle (see packages/harness/src/bad-inputs.ts for
 * what each case checks). Every case fails before a venv is made: while reading the inputs, or
 * while finding the wheels.
 */
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import {
  BAD,
  type BadInputCase,
  badInputTable,
  booleanInputCases,
  directoryInputCases,
  fixFor,
  HUGE_FIX,
  inputCases,
  itemCases,
  withFiles,
} from '@ferrowheel/harness/bad-inputs';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { amd64PythonImage } from './container-image.js';

const workspace = () => freshDir('bad-test');
/** A workspace with a wheel-looking file and a tests directory, so other inputs are the problem. */
const project = withFiles(workspace, { 'dist/demo-1.0-py3-none-any.whl': 'x', 'tests/test_x.py': '' });

const PYTHON_FIX = 'one path to an executable file, or a command name on PATH';
const WHEELS_FIX = "Give a directory (dist), a glob (dist/*.whl), or the build action's `wheels` output.";

const cases: BadInputCase[] = [
  ...directoryInputCases('working-directory', workspace),
  // tests (relative to working-directory)
  ...inputCases('tests', 'Give the directory holding your pytest tests', [['missing', 'nope']]),
  ...inputCases('tests', 'inside the checkout', [
    ['a traversal', BAD.traversal],
    ['an absolute path outside', BAD.absolute],
  ]),
  ...inputCases('tests', HUGE_FIX, [['100 KB', BAD.huge]]),
  {
    name: 'tests: a file',
    inputs: { tests: 'tests/test_x.py' },
    workspace: project,
    expect: { input: 'tests', fix: 'Give the directory holding your pytest tests' },
  },
  {
    name: 'tests: a symlink to a directory outside the workspace',
    inputs: { tests: 'escape' },
    workspace: () => {
      const dir = workspace();
      symlinkSync('/etc', path.join(dir, 'escape'));
      return dir;
    },
    expect: { input: 'tests', fix: 'inside the checkout' },
  },
  // requirements: never installer options
  ...itemCases('requirements', 'set index options in the environment instead', [
    ['an index option', 'pytest-xdist\n--index-url https://evil.example/simple', '--index-url'],
    ['an editable option', '-e .', '-e'],
  ]),
  ...itemCases('requirements', 'Give one requirement per line', [
    ['not PEP 508', 'pytest>=(7', 'pytest>=(7'],
    ['a newline-smuggled command', 'pytest\n::warning::INJECTED', '::warning::INJECTED'],
  ]),
  ...inputCases('requirements', HUGE_FIX, [['100 KB', BAD.huge]]),
  // extras and groups
  ...itemCases('extras', 'Give extra names separated by commas', [
    ['shell text', 'a;b', 'a;b'],
    ['an option', '--all', '--all'],
    ['unicode', BAD.unicode, BAD.unicode],
  ]),
  ...itemCases('groups', 'Give dependency group names separated by commas', [
    ['a traversal', '../x', '../x'],
    ['an option', '--all-groups', '--all-groups'],
  ]),
  // pytest-args
  ...inputCases('pytest-args', 'Close the quote', [['an unclosed quote', '-k "not slow']]),
  ...inputCases('pytest-args', HUGE_FIX, [['100 KB', BAD.huge]]),
  // python: one command, path or version
  ...inputCases('python', PYTHON_FIX, [
    ['a command line', 'python -c "import os"'],
    ['shell text', 'py;ls'],
    ['an option', BAD.option],
    ['unicode', BAD.unicode],
    ['100 KB', BAD.huge],
  ]),
  ...inputCases('python', PYTHON_FIX, [['a shell command line with a path', '/bin/sh -c "touch MARKER"']]),
  // wheels
  ...inputCases('wheels', WHEELS_FIX, [
    ['JSON that does not parse', '[nope'],
    ['a JSON object', '{"path": "dist/x.whl"}'],
    ['an empty JSON list', '[]'],
    ['an entry without a path', '[{"file": "x.whl"}]'],
    ['100 KB', BAD.huge],
  ]),
  {
    name: 'wheels: a file that is missing',
    inputs: { wheels: '["dist/missing-1.0-py3-none-any.whl"]' },
    expect: { mentions: ["Input 'wheels'", 'which does not exist'], fix: 'Build the wheels first' },
  },
  {
    name: 'wheels: a file that is not a wheel',
    inputs: { wheels: 'tests/test_x.py' },
    workspace: project,
    expect: {
      mentions: ["Input 'wheels'", 'which is not a wheel'],
      fix: "Point 'wheels' at the wheel files",
    },
  },
  {
    name: 'wheels: a dangling wheel link in the directory',
    inputs: {},
    workspace: () => {
      const dir = withFiles(workspace, { 'dist/': '' })();
      symlinkSync(path.join(dir, 'gone.whl'), path.join(dir, 'dist', 'demo-1.0-py3-none-any.whl'));
      return dir;
    },
    expect: {
      mentions: ["Input 'wheels'", 'a symbolic link to', 'which does not exist'],
      fix: 'Remove the link',
    },
  },
  ...inputCases('wheels', 'inside the checkout', [
    ['a traversal', '../../../tmp/*.whl'],
    ['an absolute path outside', '/tmp'],
  ]),
  // installer and import-check
  ...inputCases('installer', 'Use one of: auto, uv, pip.', [
    ['a wrong enum', 'conda'],
    ['an option', '--pip'],
  ]),
  ...booleanInputCases('import-check', ['maybe']),
  // container and docker-platform: the input, then each thing the container needs, checked in turn
  ...inputCases('container', 'Give an image such as python:3.12-slim', [
    ['an option', BAD.option],
    ['shell text', 'python:3.12;ls'],
    ['upper case', 'Python:3.12'],
    ['100 KB', BAD.huge],
  ]),
  ...(
    [
      ['a platform docker does not run', 'linux/arm65'],
      ['another OS', 'windows/amd64'],
      ['no OS', 'arm64'],
      ['a newline-smuggled command', 'linux/arm64\n::warning::INJECTED'],
    ] as const
  ).map(([what, value]) => ({
    name: `docker-platform: ${what}`,
    inputs: { container: 'python:3.12-slim', 'docker-platform': value },
    expect: {
      input: 'docker-platform',
      fix: fixFor(value, 'Give a docker platform: linux/amd64, linux/386'),
    },
  })),
  {
    name: 'docker-platform: without a container',
    inputs: { 'docker-platform': 'linux/arm64' },
    expect: { input: 'docker-platform', fix: "Set 'container' to an image of that platform" },
  },
  {
    name: 'container: no docker engine answers',
    inputs: { container: 'python:3.12-slim' },
    env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    workspace: project,
    expect: {
      mentions: ["Input 'container' asks for the image python:3.12-slim, but no docker engine answers"],
      fix: 'Run this step on a Linux runner with docker',
    },
  },
  {
    name: 'container: an image that is not here and cannot be pulled',
    inputs: { container: 'ferrowheel-test/no-such-image:1', 'docker-platform': 'linux/amd64' },
    workspace: project,
    expect: {
      mentions: [
        "Input 'container': the image ferrowheel-test/no-such-image:1 is not on this machine, and pulling it for linux/amd64 failed",
      ],
      fix: 'Check the name and tag; build or load it before this step',
    },
  },
  {
    name: 'container: an image of another platform than docker-platform',
    inputs: async () => ({ container: (await amd64PythonImage()).image, 'docker-platform': 'linux/arm64' }),
    workspace: project,
    expect: {
      mentions: ["is linux/amd64, but 'docker-platform' is linux/arm64"],
      fix: 'Use an image built for linux/arm64',
    },
  },
  {
    name: 'docker-platform: a foreign platform whose QEMU is not registered',
    inputs: { container: 'python:3.12-slim', 'docker-platform': 'linux/riscv64' },
    workspace: project,
    expect: {
      mentions: [
        "Input 'docker-platform' is linux/riscv64, which this linux/amd64 docker engine runs only under QEMU, and QEMU is not registered for it",
      ],
      fix: 'Register QEMU before this step',
    },
  },
  {
    name: 'container: an image whose interpreter runs another architecture than the wheels',
    inputs: async () => ({ container: (await amd64PythonImage()).image, python: '3.11', wheels: 'arm' }),
    workspace: withFiles(workspace, {
      'arm/demo-1.0-cp311-cp311-manylinux_2_28_aarch64.whl': 'x',
      'tests/test_x.py': '',
    }),
    // The interpreter's version is known (and given) before the wheels are matched to it.
    partialOutputs: ['python-version'],
    expect: {
      mentions: ['The wheels are for aarch64, but the interpreter in', 'runs x86_64'],
      fix: "Set 'docker-platform' to linux/arm64",
    },
  },
  {
    name: 'python: an interpreter the image does not have',
    inputs: async () => ({ container: (await amd64PythonImage()).image, python: '3.9' }),
    workspace: project,
    expect: {
      mentions: ["Input 'python' ('python3.9') could not be run in"],
      fix: "Use an image that has this interpreter in 'container'",
    },
  },
];

badInputTable('test', { workspace: project, cases });
