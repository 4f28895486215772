/**
 * Checks of the project that fail in seconds what would otherwise fail after minutes of
 * compiling — or worse, succeed with a wheel that cannot be imported. Pure: the facts come in
 * (project files, requested interpreters, installed targets), findings go out.
 */
import path from 'node:path';
import { admitsMinor } from '@ferrowheel/kit/pep440';
import { tomlGet, tomlString, tomlStrings } from '@ferrowheel/kit/project';
import type { Target } from '@ferrowheel/kit/targets';
import { isFreeThreadedSpec } from './maturin-calls.js';
import { expectedModuleName, isAbi3, type Project, usesPyo3 } from './project.js';
import { findPyModules } from './pymodule.js';

export interface Finding {
  level: 'error' | 'warning';
  message: string;
  /** Absolute file the finding is about, for the annotation. */
  file?: string;
  line?: number;
}

export interface PreflightFacts {
  project: Project;
  /**
   * The Python versions (`3.11`) the build will use, each with how the user named it; undefined
   * when unknown (`find`, a path, a container's interpreters).
   */
  interpreters: { label: string; version: string | undefined }[] | undefined;
  target: Target;
  /** `rustup target list --installed`; undefined when rustup is absent or the build is in a container. */
  installedTargets: string[] | undefined;
}

/** The `3.X` of an interpreter spec: `3.9`, `3.13t`, `python3.12`, `pypy3.10`; else undefined. */
export function pythonVersionOf(spec: string): string | undefined {
  return /^(?:python|pypy)?(3\.\d{1,2})t?(?:\.exe)?$/.exec(spec)?.[1];
}

/** Whether `requires-python` admits Python `X.Y` (any patch release of it). */
export function admits(requiresPython: string, version: string): boolean {
  return admitsMinor(requiresPython, version);
}

function checkCrateType(project: Project): Finding[] {
  const crateTypes = tomlStrings(project.cargo, ['lib', 'crate-type']);
  if (crateTypes.includes('cdylib')) return [];
  const declared =
    crateTypes.length === 0 ? 'has no crate-type' : `has crate-type = ${JSON.stringify(crateTypes)}`;
  // maturin ≥ 0.14 asks cargo for a cdylib itself (`cargo rustc --crate-type cdylib`, Rust ≥ 1.64),
  // so the wheel builds; `cargo build`, IDEs and other build tools still make no extension module.
  return [
    {
      level: 'warning',
      file: project.cargoToml,
      message: `[lib] ${declared}, so only maturin's own override makes a Python extension module (cargo build and other tools do not). Add crate-type = ["cdylib"] (and "rlib" if Rust code or tests use the crate) under [lib] in Cargo.toml.`,
    },
  ];
}

function checkModuleName(project: Project): Finding[] {
  const expected = expectedModuleName(project);
  if (expected === undefined || project.libSource === undefined) return [];
  if (!project.definesPyModule) return [noPyModule(project.libSource.file, expected)];
  const modules = findPyModules(project.libSource.text);
  // None found: the module may come from a macro or another file; the import test will tell.
  if (modules.length === 0 || modules.some((m) => m.name === expected)) return [];
  const first = modules[0]!;
  const source = tomlString(project.pyproject, ['tool', 'maturin', 'module-name'])
    ? '[tool.maturin] module-name in pyproject.toml'
    : tomlString(project.cargo, ['lib', 'name'])
      ? '[lib] name in Cargo.toml'
      : '[package] name in Cargo.toml';
  return [
    {
      level: 'error',
      file: project.libSource.file,
      line: first.line,
      message: `The #[pymodule] is named '${first.name}' but ${source} makes the module '${expected}': Python would fail with "ImportError: dynamic module does not define module export function (PyInit_${expected})". Rename the function to '${expected}' (or add #[pyo3(name = "${expected}")]), or change ${source} to '${first.name}'.`,
    },
  ];
}

/** The crate defines no Python module at all: there is no function to rename. */
function noPyModule(libFile: string, expected: string): Finding {
  const where = path.basename(libFile);
  return {
    level: 'error',
    file: libFile,
    line: 1,
    message: `The crate defines no #[pymodule] (none in ${where} or the other .rs files beside it), so the library exports no PyInit_${expected} and Python could not import it. Add the module function to ${where}: #[pymodule] fn ${expected}(m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }, adding each #[pyfunction] with m.add_function(wrap_pyfunction!(name, m)?)?; its name is the module's ('${expected}').`,
  };
}

function checkBackend(project: Project): Finding[] {
  if (project.pyproject === undefined || project.pyprojectToml === undefined) return [];
  const backend = tomlString(project.pyproject, ['build-system', 'build-backend']);
  if (backend === 'maturin') return [];
  const got = backend === undefined ? 'no build-backend' : `build-backend = "${backend}"`;
  return [
    {
      level: 'error',
      file: project.pyprojectToml,
      message: `[build-system] has ${got}, so pip and the sdist would not build with maturin. Set build-backend = "maturin" and requires = ["maturin>=1.6,<2.0"] under [build-system] in pyproject.toml.`,
    },
  ];
}

function checkRequiresPython(facts: PreflightFacts): Finding[] {
  const { project, interpreters } = facts;
  const requires = tomlString(project.pyproject, ['project', 'requires-python']);
  if (requires === undefined || interpreters === undefined || project.pyprojectToml === undefined) return [];
  const known = interpreters.filter((i) => i.version !== undefined);
  if (known.length === 0) return [];
  const excluded = known.filter((i) => !admits(requires, i.version!));
  if (excluded.length === 0) return [];
  const names = excluded.map((i) => `${i.label} (${i.version})`).join(', ');
  if (excluded.length === known.length) {
    return [
      {
        level: 'error',
        file: project.pyprojectToml,
        message: `requires-python = "${requires}" admits none of the interpreters to build for: ${names}. Set 'interpreters' to versions it admits, or widen requires-python in pyproject.toml.`,
      },
    ];
  }
  return [
    {
      level: 'warning',
      file: project.pyprojectToml,
      message: `requires-python = "${requires}" excludes ${names}; wheels for them could not be installed. Drop them from 'interpreters'.`,
    },
  ];
}

function checkTargetInstalled(facts: PreflightFacts): Finding[] {
  if (facts.installedTargets === undefined) return [];
  const missing = facts.target.rustTargets.filter((t) => !facts.installedTargets!.includes(t));
  if (missing.length === 0) return [];
  return [
    {
      level: 'error',
      message: `The Rust target ${missing.join(' and ')} is not installed (installed: ${facts.installedTargets.join(', ') || 'none'}). Add it with ferrowheel/ferrowheel/actions/setup-rust's 'targets' input (or 'rustup target add ${missing.join(' ')}') before this step, or build in a container ('container: auto' on Linux).`,
    },
  ];
}

function checkAbi3(facts: PreflightFacts): Finding[] {
  // Free-threaded CPython cannot load abi3 extensions: each gets its own wheel (cp314t), rightly.
  const gil = (facts.interpreters ?? []).filter((i) => !isFreeThreadedSpec(i.label));
  if (!isAbi3(facts.project) || gil.length <= 1) return [];
  return [
    {
      level: 'warning',
      message: `The project builds abi3 (stable ABI) wheels: one wheel serves every GIL-enabled Python from its minimum up, so one such interpreter is enough (got ${gil.map((i) => i.label).join(', ')}). Set 'interpreters' to the lowest version only (free-threaded ones, such as 3.14t, each get their own wheel).`,
    },
  ];
}

/** Every finding for the project, errors first. */
export function preflight(facts: PreflightFacts): Finding[] {
  const pyo3 = usesPyo3(facts.project);
  const bin = tomlGet(facts.project.pyproject, ['tool', 'maturin', 'bindings']) === 'bin';
  const findings = [
    ...(pyo3 && !bin ? checkCrateType(facts.project) : []),
    ...(pyo3 ? checkModuleName(facts.project) : []),
    ...checkBackend(facts.project),
    ...checkRequiresPython(facts),
    ...checkTargetInstalled(facts),
    ...checkAbi3(facts),
  ];
  return [...findings.filter((f) => f.level === 'error'), ...findings.filter((f) => f.level === 'warning')];
}
