/**
 * The bundle, run as the runner runs it, against real wheels built by maturin from
 * examples/setup, real venvs, real pip/uv and pytest.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildExampleWheel, copyExample } from '@ferrowheel/harness/example-wheel';
import { hostPython } from '@ferrowheel/harness/host-python';
import { rewriteWheel } from '@ferrowheel/harness/python-archives';
import { type ActionRun, runAction } from '@ferrowheel/harness/run-action';
import { pathWithUv, withoutUv } from '@ferrowheel/harness/uv-path';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/** A wheel of this interpreter's ABI (cp311 here, cp312 on GitHub's ubuntu-latest) for another platform. */
const windowsWheel = `setup-0.1.0-${hostPython().tag}-${hostPython().tag}-win_amd64.whl`;

/** `::error file=...,line=...::message` lines, with their properties. */
function errorAnnotations(
  run: ActionRun,
): { file?: string; line?: string; title?: string; message: string }[] {
  return run.stdout
    .split(/\r?\n/)
    .filter((l) => l.startsWith('::error'))
    .map((l) => {
      const end = l.indexOf('::', 2);
      const props = Object.fromEntries(
        l
          .slice('::error'.length, end)
          .trim()
          .split(',')
          .filter((p) => p.includes('='))
          .map((p) => [
            p.slice(0, p.indexOf('=')),
            p
              .slice(p.indexOf('=') + 1)
              .replace(/%2C/g, ',')
              .replace(/%3A/g, ':'),
          ]),
      );
      return {
        ...props,
        message: l
          .slice(end + 2)
          .replace(/%0A/g, '\n')
          .replace(/%25/g, '%'),
      };
    });
}

/**
 * Copies wheels (one file, or a directory's .whl files) into `workspace/wheelhouse/<name>`, as a
 * download step would: the action takes wheels only from inside the workspace (issue 9, class 4).
 */
function intoWorkspace(workspace: string, source: string): string {
  const target = path.join(workspace, 'wheelhouse', path.basename(source).replace(/\.whl$/, ''));
  mkdirSync(target, { recursive: true });
  const files = source.endsWith('.whl')
    ? [source]
    : readdirSync(source)
        .filter((name) => name.endsWith('.whl'))
        .map((name) => path.join(source, name));
  for (const file of files) cpSync(file, path.join(target, path.basename(file)));
  return source.endsWith('.whl') ? path.join(target, path.basename(source)) : target;
}

let wheel: string;
let wheelDir: string;
let uvPath: string;

beforeAll(() => {
  ({ wheel, dir: wheelDir } = buildExampleWheel('setup'));
  uvPath = pathWithUv();
}, 600_000);

describe('a working wheel', () => {
  it('passes with uv: outputs, summary, JUnit file, sample/ installed, tests run outside the source tree', async () => {
    const workspace = copyExample('setup');
    const runnerTemp = freshDir('runner-temp');
    // A requirements file (relative to working-directory) naming a package pytest brings anyway.
    writeFileSync(path.join(workspace, 'sample', 'test-requirements.txt'), 'iniconfig\n');
    const copied = intoWorkspace(workspace, wheelDir);
    const run = await runAction('test', {
      workspace,
      runnerTemp,
      inputs: { wheels: copied, requirements: '-r sample/test-requirements.txt' },
      env: { PATH: uvPath },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`uv pip install`);
    expect(run.stdout).toMatch(/uv pip install .* pytest --requirement=sample\/test-requirements\.txt/);

    const results = JSON.parse(run.outputs.results!);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      wheel: path.basename(wheel),
      passed: 1,
      failed: 0,
      skipped: 0,
      errors: 0,
    });
    expect(results[0].duration).toBeGreaterThanOrEqual(0);
    expect(results[0].installDuration).toBeGreaterThan(0);
    expect(run.outputs.wheel).toBe(path.join(copied, path.basename(wheel)));
    expect(run.outputs['python-version']).toMatch(/^3\.\d+\.\d+/);

    const junit = readFileSync(run.outputs['junit-path']!, 'utf8');
    expect(junit).toContain(`<testsuite name="${path.basename(wheel)}"`);
    expect(junit).toContain('name="test_works"');

    expect(run.summary).toContain(
      '| Wheel | Interpreter | Passed | Failed | Errors | Skipped | Install | Tests |',
    );
    expect(run.summary).toMatch(
      new RegExp(
        `\\| \`${path.basename(wheel).replace(/\./g, '\\.')}\` \\| CPython 3\\.\\d+\\.\\d+ .*\\| 1 \\| 0 \\| 0 \\| 0 \\|`,
      ),
    );
    expect(run.summary).toContain('`sample/tests/test_sample.py::test_works`');

    // The import check ran against the installed module.
    expect(run.stdout).toMatch(/import setup\.setup: ok \(.*venv.*site-packages.*\), PyInit_setup exported/);
    // sample/ (the course layout) is installed next to the wheel.
    const [workDir] = readdirSync(runnerTemp).filter((d) => d.startsWith('ferrowheel-test-'));
    const venvLib = path.join(runnerTemp, workDir!, '1-setup', 'venv', 'lib');
    const sitePackages = path.join(venvLib, readdirSync(venvLib)[0]!, 'site-packages');
    expect(existsSync(path.join(sitePackages, 'sample', '__init__.py'))).toBe(true);
    expect(existsSync(path.join(sitePackages, 'setup'))).toBe(true);
    // pytest ran on a copy: the checkout has no caches or bytecode from it.
    expect(existsSync(path.join(workspace, 'sample', 'tests', '__pycache__'))).toBe(false);
    expect(existsSync(path.join(workspace, '.pytest_cache'))).toBe(false);
  }, 180_000);

  it('passes with pip (auto without uv on PATH), the JSON input of the build action and a dependency group', async () => {
    const workspace = copyExample('setup');
    const json = JSON.stringify([
      {
        path: intoWorkspace(workspace, wheel),
        filename: path.basename(wheel),
        name: 'setup',
        version: '0.1.0',
        tags: [],
        size: 1,
        sha256: 'x',
      },
    ]);
    const run = await runAction('test', {
      workspace,
      inputs: { wheels: json, groups: 'test', 'pytest-args': '-k "works or nothing" -v' },
      env: { PATH: withoutUv() },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    // One resolver call: the wheel by its path, sample/, pytest and the group's requirements.
    expect(run.stdout).toMatch(
      /python -m pip install --disable-pip-version-check --no-input \S+\.whl \S+\/sample pytest pytest>=8/,
    );
    // The group `test` of sample/pyproject.toml ([dependency-groups] test = ["pytest>=8"]).
    expect(run.stdout).toMatch(/pip install .* pytest pytest>=8/);
    expect(run.stdout).toContain('test_sample.py::test_works PASSED');
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ passed: 1, failed: 0 });
  }, 180_000);
});

describe('several wheels found', () => {
  it('a glob: tests the one this interpreter installs, and says why it skipped the others', async () => {
    const dir = freshDir('mixed-wheels');
    cpSync(wheel, path.join(dir, path.basename(wheel)));
    cpSync(wheel, path.join(dir, windowsWheel));
    cpSync(wheel, path.join(dir, 'setup-0.1.0-cp39-abi3-macosx_11_0_arm64.whl'));
    const workspace = copyExample('setup');
    const copied = intoWorkspace(workspace, dir);
    const run = await runAction('test', {
      workspace,
      inputs: { wheels: `${copied}/*.whl` },
      env: { PATH: uvPath },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `skipping ${windowsWheel}: platform tag win_amd64 does not match this platform`,
    );
    expect(run.stdout).toContain('skipping setup-0.1.0-cp39-abi3-macosx_11_0_arm64.whl: platform tag');
    expect(JSON.parse(run.outputs.results!).map((r: { wheel: string }) => r.wheel)).toEqual([
      path.basename(wheel),
    ]);
    expect(run.outputs.wheel).toBe(path.join(copied, path.basename(wheel)));
    expect(run.summary).toContain(
      `- \`${windowsWheel}\`: platform tag win_amd64 does not match this platform`,
    );
  }, 120_000);
});

describe('a wheel whose test fails', () => {
  it('fails the step and annotates the assertion in sample/tests/test_sample.py', async () => {
    const project = copyExample('setup');
    const lib = path.join(project, 'src', 'lib.rs');
    writeFileSync(
      lib,
      readFileSync(lib, 'utf8').replace(
        /fn it_works\(\) -> bool \{\s*true/,
        'fn it_works() -> bool {\n    false',
      ),
    );
    expect(readFileSync(lib, 'utf8')).toContain('false');
    const broken = buildExampleWheel('setup-broken', { projectDir: project });
    const run = await runAction('test', {
      workspace: project,
      inputs: { wheels: intoWorkspace(project, broken.dir) },
      env: { PATH: uvPath },
    });
    expect(run.exitCode).toBe(1);
    const assertLine = readFileSync(path.join(project, 'sample', 'tests', 'test_sample.py'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('assert it_works()'));
    const annotations = errorAnnotations(run);
    const annotation = annotations.find((a) => a.file === 'sample/tests/test_sample.py');
    expect(annotation).toMatchObject({ file: 'sample/tests/test_sample.py', line: String(assertLine + 1) });
    expect(annotation!.message).toContain('assert False');
    expect(annotation!.title).toContain('Failed: sample/tests/test_sample.py::test_works');
    expect(annotations.at(-1)!.message).toMatch(
      /^Tests failed: setup-0\.1\.0-.*\.whl \(1 failed, 0 errors of 1\)/,
    );
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ passed: 0, failed: 1 });
    expect(run.summary).toMatch(/\| 0 \| 1 \| 0 \| 0 \|/);
    expect(existsSync(run.outputs['junit-path']!)).toBe(true);
  }, 600_000);
});

describe('a test module that does not import', () => {
  it('counts the collection error and annotates the import line', async () => {
    const workspace = copyExample('setup');
    writeFileSync(
      path.join(workspace, 'sample', 'tests', 'test_missing.py'),
      '# Needs a function the extension does not have.\nfrom setup import not_there\n\n\ndef test_it():\n    assert not_there()\n',
    );
    const run = await runAction('test', {
      workspace,
      inputs: { wheels: intoWorkspace(workspace, wheelDir) },
      env: { PATH: uvPath },
    });
    expect(run.exitCode).toBe(1);
    const annotation = errorAnnotations(run).find((a) => a.file === 'sample/tests/test_missing.py');
    expect(annotation).toMatchObject({ line: '2' });
    expect(annotation!.title).toMatch(/^Error in /);
    expect(annotation!.message).toMatch(/collection failure|ImportError/);
    expect(JSON.parse(run.outputs.results!)[0]).toMatchObject({ errors: 1 });
  }, 120_000);
});

describe('clear errors', () => {
  it('an extension whose #[pymodule] is misnamed: the import check names the fix', async () => {
    const project = copyExample('setup');
    const lib = path.join(project, 'src', 'lib.rs');
    writeFileSync(lib, readFileSync(lib, 'utf8').replace('fn setup(', 'fn not_setup('));
    const misnamed = buildExampleWheel('setup-misnamed', { projectDir: project });
    const misnamedWheels = intoWorkspace(project, misnamed.dir);
    const run = await runAction('test', {
      workspace: project,
      inputs: { wheels: misnamedWheels },
      env: { PATH: uvPath },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      /the extension module 'setup\.setup' \(setup\/setup\..*\.so\) does not import: ImportError: dynamic module does not define module export function \(PyInit_setup\)\. The library's #\[pymodule\] function is not named 'setup'/,
    );
    // The check can be turned off; then the tests meet the same import error.
    const unchecked = await runAction('test', {
      workspace: project,
      inputs: { wheels: misnamedWheels, 'import-check': 'false' },
      env: { PATH: uvPath },
    });
    expect(unchecked.exitCode).toBe(1);
    expect(unchecked.stdout).not.toContain('::group::Import check');
    expect(unchecked.errors.at(-1)).toMatch(/^Tests failed: .*\(0 failed, 1 errors of 1\)/);
  }, 600_000);

  it('no compatible wheel: lists every wheel found and why', async () => {
    const dir = freshDir('incompatible-wheels');
    const cp39 = 'setup-0.1.0-cp39-cp39-manylinux_2_17_x86_64.whl';
    const windows = windowsWheel;
    cpSync(wheel, path.join(dir, cp39));
    cpSync(wheel, path.join(dir, windows));
    const workspace = copyExample('setup');
    const run = await runAction('test', { workspace, inputs: { wheels: intoWorkspace(workspace, dir) } });
    expect(run.exitCode).toBe(1);
    const message = run.errors.join('\n');
    expect(message).toMatch(
      /None of the 2 wheel\(s\) found can be installed by CPython 3\.\d+\.\d+ \(linux x86_64, glibc/,
    );
    expect(message).toMatch(
      new RegExp(
        `- ${cp39.replace(/\./g, '\\.')}: built for CPython 3\\.9 only \\(ABI cp39\\); this interpreter is CPython 3\\.\\d+`,
      ),
    );
    expect(message).toContain(`- ${windows}: platform tag win_amd64 does not match this platform`);
    expect(message).toContain("or test with a matching 'python'");
  }, 60_000);

  it('tests folder missing: the default layout, and an explicit input', async () => {
    const workspace = copyExample('setup');
    rmSync(path.join(workspace, 'sample', 'tests'), { recursive: true });
    const wheels = intoWorkspace(workspace, wheelDir);
    const run = await runAction('test', { workspace, inputs: { wheels } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `No tests found: neither sample/tests nor tests is a directory in ${workspace}. Set 'tests' to the directory of your pytest tests (relative to working-directory).`,
    ]);
    const explicit = await runAction('test', {
      workspace,
      inputs: { wheels, tests: 'python/tests' },
    });
    expect(explicit.errors).toEqual([
      `Input 'tests' does not exist (looked for ${path.join(workspace, 'python', 'tests')}): got "python/tests". Give the directory holding your pytest tests, relative to working-directory.`,
    ]);
  }, 60_000);

  describe('pytest not installable', () => {
    let server: Server;
    let index: string;
    beforeAll(async () => {
      // An index that refuses everyone, as a misconfigured private index does.
      server = createServer((_request, response) => {
        response.writeHead(403, { 'content-type': 'text/plain' });
        response.end('forbidden');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      index = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('a requirement the real index does not have: the resolver says so', async () => {
      const workspace = copyExample('setup');
      const run = await runAction('test', {
        workspace,
        inputs: {
          wheels: intoWorkspace(workspace, wheelDir),
          requirements: 'ferrowheel-no-such-package-7f3a',
        },
        env: { PATH: uvPath },
      });
      expect(run.exitCode).toBe(1);
      const message = run.errors.join('\n');
      expect(message).toMatch(/^Could not install the test requirements of .* with uv:/);
      expect(message).toMatch(/ferrowheel-no-such-package-7f3a was not found in the package registry/);
    }, 120_000);

    it.each([
      ['uv', () => uvPath],
      ['pip', () => withoutUv()],
    ])(
      'with %s: names the requirements, the tool output and the fix',
      async (installer, pathFor) => {
        const workspace = copyExample('setup');
        const run = await runAction('test', {
          workspace,
          inputs: {
            wheels: intoWorkspace(workspace, wheelDir),
            requirements: 'ferrowheel-no-such-package>=1',
            installer,
          },
          env: {
            PATH: pathFor(),
            PIP_INDEX_URL: index,
            UV_INDEX_URL: index,
            UV_DEFAULT_INDEX: index,
            PIP_RETRIES: '0',
            UV_NO_CACHE: '1',
          },
        });
        expect(run.exitCode).toBe(1);
        const message = run.errors.join('\n');
        expect(message).toMatch(
          new RegExp(
            `^Could not install the test requirements of setup-0\\.1\\.0-.*\\.whl \\(.*sample, pytest, ferrowheel-no-such-package>=1\\) with ${installer}:`,
          ),
        );
        expect(message).toMatch(/403|Forbidden|No matching distribution|not found/i);
        expect(message).toContain("Check the names and versions in 'requirements', 'groups' and 'extras'");
      },
      120_000,
    );
  });

  it('a wheel that imports but lacks the extension module', async () => {
    const dir = freshDir('no-module-wheel');
    const crafted = path.join(dir, path.basename(wheel));
    // The same wheel with its .so removed and a pure-Python setup/__init__.py, RECORD rewritten.
    rewriteWheel(wheel, crafted, {
      drop: ['.so', '.pyd'],
      replace: { 'setup/__init__.py': '"""No native code here."""\n' },
    });
    mkdirSync(dir, { recursive: true });
    const workspace = copyExample('setup');
    const run = await runAction('test', {
      workspace,
      inputs: { wheels: intoWorkspace(workspace, dir) },
      env: { PATH: uvPath },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `${path.basename(wheel)} holds no extension module (no .so or .pyd file): it installs, and 'import setup' works, but that is Python code only. ` +
        'The Rust library was not packaged: set crate-type = ["cdylib"] under [lib] in Cargo.toml, ' +
        'and for a mixed Rust/Python project point tool.maturin module-name at the package (e.g. "mypkg._core").',
    ]);
  }, 120_000);

  it.each([
    ['uv', () => uvPath],
    ['pip', () => withoutUv()],
  ])(
    'a wheel whose requires-python excludes the interpreter (%s)',
    async (installer, pathFor) => {
      const dir = freshDir('requires-python');
      rewriteWheel(wheel, path.join(dir, path.basename(wheel)), {
        substitute: [
          { in: '.dist-info/METADATA', pattern: '^Requires-Python: .*$', repl: 'Requires-Python: >=3.99' },
        ],
      });
      const workspace = copyExample('setup');
      const run = await runAction('test', {
        workspace,
        inputs: { wheels: intoWorkspace(workspace, dir), installer },
        env: { PATH: pathFor() },
      });
      expect(run.exitCode).toBe(1);
      const message = run.errors.join('\n');
      expect(message).toMatch(
        new RegExp(
          `^The wheel ${path.basename(wheel).replace(/\./g, '\\.')} does not install into a fresh venv of CPython 3\\.\\d+`,
        ),
      );
      expect(message).toMatch(/3\.99/);
      expect(message).toContain("Check the wheel's requires-python and tags against this interpreter.");
    },
    120_000,
  );

  it('bad inputs name the input, the value and the fix', async () => {
    const workspace = copyExample('setup');
    const inside = intoWorkspace(workspace, wheelDir);
    const cases: [Record<string, string>, string][] = [
      [
        { installer: 'conda' },
        `Input 'installer' is not one of the allowed values: got "conda". Use one of: auto, uv, pip.`,
      ],
      [
        { 'pytest-args': `-k 'unclosed` },
        `Input 'pytest-args' cannot be split into arguments (unclosed single quote at character 4): got "-k 'unclosed". Close the quote, or escape it with a backslash.`,
      ],
      [
        { wheels: '[{"file": "x.whl"}]' },
        `Input 'wheels' holds an entry without a "path": {"file":"x.whl"}: got "[{\\"file\\": \\"x.whl\\"}]". Give a directory (dist), a glob (dist/*.whl), or the build action's \`wheels\` output.`,
      ],
      [
        { wheels: 'nowhere' },
        `Input 'wheels' names ${path.join(workspace, 'nowhere')}, which does not exist. Build the wheels first (ferrowheel/ferrowheel/actions/build) in this job, or download their artifact, and pass its path.`,
      ],
      [
        { python: 'python3.99-missing', wheels: inside },
        `Input 'python' is not a command found on PATH: got "python3.99-missing". Install it in an earlier step, or give its path.`,
      ],
      [
        { groups: 'docs', wheels: inside },
        `Input 'groups' names 'docs', which is not a dependency group in pyproject.toml or sample/pyproject.toml. Defined groups: test.`,
      ],
      [
        { 'import-check': 'maybe' },
        `Input 'import-check' is not a boolean: got "maybe". Use 'true' or 'false'.`,
      ],
    ];
    for (const [inputs, expected] of cases) {
      const run = await runAction('test', { workspace, inputs });
      expect({ inputs, exitCode: run.exitCode }).toEqual({ inputs, exitCode: 1 });
      expect(run.errors.join('\n')).toContain(expected);
    }
  }, 120_000);
});
