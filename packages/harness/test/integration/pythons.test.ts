/**
 * Every CPython this machine can have, through the bundles as a runner runs them: the build
 * action compiles (one maturin call for the GIL-enabled versions, one per free-threaded version)
 * and the test action installs each wheel into a fresh venv of its own interpreter and runs the
 * project's pytest suite. 3.10–3.13 come from this machine (pyenv here; setup-python on GitHub's
 * runner: see ci.yml), 3.14 and 3.15 from the sid image (container-pythons.test.ts). No
 * free-threaded CPython exists here: the cp314t/cp315t/abi3t wheels are built by what maturin
 * supports without one (its bundled sysconfig data), never by a renamed wheel or a fake
 * interpreter, and checked by their tags, their extension's file name and PyO3's build config.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type PythonBuild, parsePythonBuilds } from '@ferrowheel/kit/python-builds';
import { zipEntryNames } from '@ferrowheel/kit/zip';
import { describe, expect, it } from '@jest/globals';
import { copyExample } from '../../src/example-wheel.js';
import { type HostPython, hostPythonOf, pathWith } from '../../src/host-python.js';
import { type ActionRun, runAction } from '../../src/run-action.js';
import { cargoTargetDir, repoRoot, toolsBin } from '../../src/workdirs.js';

interface Wheel {
  path: string;
  filename: string;
  tags: string[];
}

const HOST_VERSIONS = ['3.10', '3.11', '3.12', '3.13'];

/** The build action on a copy of a project (an example's name, or a path), on the host; `edit` may change the copy. */
async function build(
  example: string,
  interpreters: string,
  pythons: readonly HostPython[],
  edit?: (dir: string) => void,
): Promise<{ run: ActionRun; dir: string; workspace: string }> {
  const dir = copyExample(example);
  edit?.(dir);
  const workspace = path.dirname(dir);
  const run = await runAction('build', {
    workspace,
    inputs: { 'working-directory': path.basename(dir), interpreters, container: 'off', cache: 'false' },
    env: {
      // As setup-python leaves a runner: each version's directory first, maturin from the tools venv.
      PATH: pathWith(pythons, `${toolsBin}${path.delimiter}${process.env.PATH}`),
      CARGO_TARGET_DIR: cargoTargetDir(),
      CARGO_TERM_COLOR: 'never',
    },
  });
  return { run, dir, workspace };
}

/** The test action on the built wheels, with one interpreter. */
async function testOn(workspace: string, dir: string, python: HostPython): Promise<ActionRun> {
  return runAction('test', {
    workspace,
    inputs: {
      // Relative to working-directory.
      wheels: 'dist',
      python: python.path,
      'working-directory': path.basename(dir),
    },
    env: { PATH: `${toolsBin}${path.delimiter}${process.env.PATH}` },
  });
}

function wheelsOf(run: ActionRun): Wheel[] {
  return JSON.parse(run.outputs.wheels ?? '[]') as Wheel[];
}

function pythonBuilds(run: ActionRun): PythonBuild[] {
  const parsed = parsePythonBuilds(run.outputs['python-builds'] ?? '');
  if (!parsed.ok) throw new Error(`python-builds ${parsed.problem}`);
  return parsed.value;
}

/** The tested wheel and its counts, from the test action's `results`. */
function tested(run: ActionRun): { wheel: string; passed: number; failed: number }[] {
  if (run.exitCode !== 0) throw new Error(`the test action failed:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.outputs.results!);
}

describe('every CPython of this machine: 3.10–3.13 on the host', () => {
  const pythons = HOST_VERSIONS.map(hostPythonOf);

  it('examples/setup: one maturin call for 3.10–3.13, each wheel tested on its own interpreter', async () => {
    const { run, dir, workspace } = await build('setup', HOST_VERSIONS.join(' '), pythons);
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.match(/::group::maturin build/g)).toHaveLength(1);
    const wheels = wheelsOf(run);
    expect(wheels.map((w) => w.tags[0]!.replace(/manylinux_2_\d+/, 'manylinux'))).toEqual(
      HOST_VERSIONS.map((v) => `cp${v.replace('.', '')}-cp${v.replace('.', '')}-manylinux_x86_64`),
    );
    expect(pythonBuilds(run).map((b) => `${b.python} ${b.outcome}`)).toEqual(
      HOST_VERSIONS.map((v) => `${v} built`),
    );
    for (const python of pythons) {
      const [result, ...rest] = tested(await testOn(workspace, dir, python));
      expect(rest).toEqual([]);
      expect(result).toMatchObject({ passed: 1, failed: 0 });
      expect(result!.wheel).toContain(`-cp${python.version.replace('.', '')}-`);
    }
  }, 900_000);

  it('examples/abi3: the abi3 wheel from 3.10 tested on 3.10 and 3.13; cp314t and abi3.abi3t wheels built in calls of their own', async () => {
    const { run, dir, workspace } = await build('abi3', '3.10 3.14t 3.15t', pythons);
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.match(/::group::maturin build/g)).toHaveLength(3);
    expect(wheelsOf(run).map((w) => w.filename.replace(/manylinux_2_\d+/, 'manylinux'))).toEqual([
      'abi3-0.3.0-cp39-abi3-manylinux_x86_64.whl',
      'abi3-0.3.0-cp314-cp314t-manylinux_x86_64.whl',
      'abi3-0.3.0-cp315-abi3.abi3t-manylinux_x86_64.whl',
    ]);
    // The abi3t extension is named for both builds; the cp314t one for the free-threaded 3.14.
    const abi3t = wheelsOf(run).find((w) => w.filename.includes('abi3t'))!;
    expect(zipEntryNames(abi3t.path).filter((e) => e.endsWith('.so'))).toEqual([
      expect.stringMatching(/^abi3\/abi3\.abi3t[.-]/),
    ]);
    expect(pythonBuilds(run).map((b) => `${b.python} ${b.outcome}`)).toEqual([
      '3.10 built',
      '3.14t built',
      '3.15t built',
    ]);
    for (const python of [pythons[0]!, pythons.at(-1)!]) {
      const [result] = tested(await testOn(workspace, dir, python));
      // Of the three wheels, a GIL-enabled 3.10–3.13 installs only the abi3 one.
      expect(result).toMatchObject({ wheel: expect.stringContaining('-cp39-abi3-'), passed: 2, failed: 0 });
    }
  }, 900_000);
});

/** `cargo:KEY=VALUE` lines of a build script's output file. */
function buildScriptLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n');
}

/**
 * PyO3's build config for the build maturin configured with `configFile` (maturin's
 * PYO3_CONFIG_FILE for an interpreter it has no executable of): the output of the pyo3-ffi build
 * script that read that file, newest first, with the config it resolved (hex in PYO3_CONFIG).
 */
function pyo3BuildConfig(targetDir: string, configFile: string): { config: string; cfgs: string[] } {
  const buildDir = path.join(targetDir, 'release', 'build');
  const outputs = readdirSync(buildDir)
    .filter((d) => d.startsWith('pyo3-ffi-'))
    .map((d) => path.join(buildDir, d, 'output'))
    .filter((f) => {
      try {
        return buildScriptLines(f).includes(`cargo:rerun-if-changed=${configFile}`);
      } catch {
        return false;
      }
    })
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  const lines = buildScriptLines(outputs[0]!);
  const hex = lines.find((l) => l.startsWith('cargo:PYO3_CONFIG='))!.slice('cargo:PYO3_CONFIG='.length);
  return {
    config: Buffer.from(hex, 'hex').toString('utf8'),
    cfgs: lines
      .filter((l) => l.startsWith('cargo:rustc-cfg='))
      .map((l) => l.slice('cargo:rustc-cfg='.length)),
  };
}

describe('a free-threaded wheel without a free-threaded CPython', () => {
  it('examples/setup for 3.14t: cp314-cp314t tags, a .cpython-314t- extension, Py_GIL_DISABLED in PyO3’s build config', async () => {
    // No python3.14t anywhere here: maturin takes CPython 3.14t's sysconfig from the data it
    // bundles and hands PyO3 a PYO3_CONFIG_FILE for it (maturin's compile.rs); nothing is renamed.
    const { run } = await build('setup', '3.14t', []);
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const [wheel, ...rest] = wheelsOf(run);
    expect(rest).toEqual([]);
    expect(wheel!.tags).toEqual([expect.stringMatching(/^cp314-cp314t-manylinux_2_\d+_x86_64$/)]);
    expect(zipEntryNames(wheel!.path).filter((e) => e.endsWith('.so'))).toEqual([
      'setup/setup.cpython-314t-x86_64-linux-gnu.so',
    ]);
    const configFile = path.join(
      cargoTargetDir(),
      'maturin',
      'pyo3-config-x86_64-unknown-linux-gnu-3.14.txt',
    );
    const given = readFileSync(configFile, 'utf8');
    expect(given).toContain('build_flags=Py_GIL_DISABLED');
    expect(given).toContain('target_abi=CPython-free_threaded-3.14');
    const resolved = pyo3BuildConfig(cargoTargetDir(), configFile);
    expect(resolved.config).toContain('build_flags=Py_GIL_DISABLED');
    expect(resolved.config).toContain('version=3.14');
    expect(resolved.cfgs).toContain('Py_GIL_DISABLED');
    expect(pythonBuilds(run)).toEqual([{ python: '3.14t', outcome: 'built', wheels: [wheel!.filename] }]);
  }, 600_000);
});

const GIL_BUILD_ONLY = `#[allow(dead_code)]
fn refcount_field(obj: *mut pyo3::ffi::PyObject) -> usize {
    unsafe { std::ptr::addr_of!((*obj).ob_refcnt) as usize }
}
`;

describe('free-threaded builds isolated, and the preflight for PyO3', () => {
  it('a 3.14t call that fails to compile: the GIL wheel is still built and reported, the step fails naming 3.14t', async () => {
    // A real compile error of the free-threaded build only: code written for the GIL-enabled
    // build's object header (free-threaded CPython's PyObject has no ob_refcnt field).
    const { run } = await build('setup', '3.11 3.14t', [hostPythonOf('3.11')], (dir) => {
      const lib = path.join(dir, 'src', 'lib.rs');
      writeFileSync(lib, `${readFileSync(lib, 'utf8')}\n${GIL_BUILD_ONLY}`);
    });
    expect(run.exitCode).toBe(1);
    const [wheel, ...rest] = wheelsOf(run);
    expect(rest).toEqual([]);
    expect(wheel!.tags[0]).toMatch(/^cp311-cp311-/);
    expect(pythonBuilds(run)).toEqual([
      { python: '3.11', outcome: 'built', wheels: [wheel!.filename] },
      {
        python: '3.14t',
        outcome: 'failed',
        failure: {
          kind: 'maturin-failed',
          exitCode: 1,
          known: [],
          message: 'maturin build failed with exit code 1. See the compiler errors above and the build log.',
        },
      },
    ]);
    // The compiler's error, annotated; the summary lists what was not built; the step says why it fails.
    expect(run.errors.join('\n')).toContain('no field `ob_refcnt`');
    expect(run.summary).toContain('- CPython 3.14t (maturin-failed): maturin build failed with exit code 1');
    expect(run.errors.at(-1)).toContain(
      '1 of the Python versions asked for was not built. CPython 3.14t: maturin build failed with exit code 1.',
    );
  }, 900_000);

  it('a project on PyO3 0.22.6 (crates.io): 3.14t is refused before compiling with both fixes, its 3.13 wheel still builds', async () => {
    const fixture = path.join(repoRoot, 'actions', 'build', 'test', 'fixtures', 'pyo3-0.22');
    const { run, dir, workspace } = await build(fixture, '3.13 3.14t', [hostPythonOf('3.13')]);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toBe(
      `CPython 3.14t cannot be built with PyO3 0.22.6 (${path.basename(dir)}/Cargo.lock): CPython 3.14 needs PyO3 ≥ 0.25, and free-threaded CPython needs PyO3 ≥ 0.23. Either upgrade PyO3 to 0.25 or later (pyo3 = "0.25" in Cargo.toml, then cargo update -p pyo3), or stop building 3.14t: leave 3.14t out of 'interpreters'.`,
    );
    // Nothing was compiled for 3.14t: one maturin call, for 3.13.
    expect(run.stdout.match(/::group::maturin build/g)).toHaveLength(1);
    const [wheel] = wheelsOf(run);
    expect(wheel!.tags[0]).toMatch(/^cp313-cp313-manylinux_2_\d+_x86_64$/);
    expect(
      pythonBuilds(run).map((b) => (b.outcome === 'failed' ? `${b.python} ${b.failure.kind}` : b.python)),
    ).toEqual(['3.14t pyo3-unsupported', '3.13']);
    const [result] = tested(await testOn(workspace, dir, hostPythonOf('3.13')));
    expect(result).toMatchObject({ passed: 1, failed: 0 });
  }, 900_000);
});
