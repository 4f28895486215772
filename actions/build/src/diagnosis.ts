/**
 * Known build failures as data: how each shows in maturin's/cargo's output, what causes it and
 * how to fix it. When a build fails, its log is matched against this table and every match is
 * reported as an error annotation with its fix. Add an entry here when a new failure is learnt.
 */

export interface KnownFailure {
  id: string;
  /** Any of these in the log recognises the failure. */
  patterns: RegExp[];
  cause: string;
  fix: string;
  /** An upstream issue or doc that explains it. */
  reference?: string;
  /** maturin only warns, but the wheel it builds cannot work: fail the build anyway. */
  failsEvenWhenBuilt?: boolean;
  /** Only for projects where this holds (the same log line can have different causes). */
  when?: (project: ProjectFacts) => boolean;
}

/** What the project says about a failure its log cannot tell apart. */
export interface ProjectFacts {
  /** Whether the library defines any #[pymodule] (project.ts). */
  definesPyModule: boolean;
}

const PYINIT_MISSING = [
  /Couldn't find the symbol `PyInit_\w+`/,
  /dynamic module does not define module export function \(PyInit_\w+\)/,
];

export const KNOWN_FAILURES: readonly KnownFailure[] = [
  {
    id: 'no-cdylib',
    patterns: [/Cargo didn't build a cdylib/, /Did you miss crate-type = \["cdylib"\]/],
    cause: 'The crate does not build a cdylib, so there is no Python extension module to put in the wheel.',
    fix: 'Add crate-type = ["cdylib"] under [lib] in Cargo.toml.',
  },
  {
    id: 'no-pymodule',
    patterns: PYINIT_MISSING,
    cause:
      'The crate defines no #[pymodule], so the library exports no PyInit_<name> function and Python cannot import it.',
    fix: "Add a #[pymodule] function named like the module ([lib] name, or the last part of module-name) to src/lib.rs: #[pymodule] fn name(m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }.",
    failsEvenWhenBuilt: true,
    when: (project) => !project.definesPyModule,
  },
  {
    id: 'module-name-mismatch',
    patterns: PYINIT_MISSING,
    cause:
      'The #[pymodule] function name differs from the module name maturin packages ([lib] name or [tool.maturin] module-name), so Python cannot import the module.',
    fix: 'Name the #[pymodule] function like [lib] name (or the last part of module-name), or add #[pyo3(name = "...")].',
    failsEvenWhenBuilt: true,
    when: (project) => project.definesPyModule,
  },
  {
    id: 'source-not-utf8',
    patterns: [/couldn't read `?[^\n]*\.rs`?: stream did not contain valid UTF-8/],
    cause: 'A Rust source file of the crate is not UTF-8; rustc reads only UTF-8 source files.',
    fix: 'Save the file the compiler names as UTF-8 (from Latin-1: iconv -f latin1 -t utf-8), or remove the bytes that are not.',
  },
  {
    id: 'libpython-link',
    patterns: [
      /ld: library '?python3(\.\d+)?'? not found/,
      /cannot find -lpython3/,
      /LINK : fatal error LNK1181: cannot open input file 'python3\d*\.lib'/,
      /undefined reference to `_?Py[A-Z_]\w*'/,
      /Undefined symbols for architecture \w+:\s*$/m,
    ],
    cause:
      'The extension was linked against libpython, which is wrong for an extension module (the interpreter provides those symbols) and fails where libpython is not installed, e.g. with a Python from rye/uv-managed builds.',
    fix: 'Enable pyo3\'s extension-module feature (features = ["pyo3/extension-module"] under [tool.maturin] in pyproject.toml), make sure PYO3_PYTHON points at a real interpreter of the version you build for (or unset it), and build with maturin rather than a bare cargo build.',
    reference: 'https://pyo3.rs/latest/building-and-distribution.html#the-extension-module-feature',
  },
  {
    id: 'pyo3-too-old',
    patterns: [/is newer than PyO3's maximum supported version/],
    cause: 'The pyo3 version in Cargo.toml predates the Python interpreter being built for.',
    fix: "Upgrade pyo3 in Cargo.toml (cargo update -p pyo3, or raise the version), or for abi3 builds set PYO3_USE_ABI3_FORWARD_COMPATIBILITY=1 in the step's env; or drop that interpreter from 'interpreters'.",
  },
  {
    id: 'requires-python',
    patterns: [/requires-python/i],
    cause: "The project's requires-python excludes the interpreters maturin was asked to build for.",
    fix: "Set 'interpreters' to versions requires-python admits, or widen requires-python in pyproject.toml.",
  },
  {
    id: 'no-interpreter',
    patterns: [/Couldn't find any python interpreters/, /no python interpreter found/i],
    cause:
      'maturin found no Python interpreter to build for: none is on PATH, or none of them satisfies requires-python (maturin-action#71).',
    fix: "Install Python first (actions/setup-python) and set 'interpreters' (e.g. '3.12') to versions that requires-python admits; for abi3 projects one interpreter is enough.",
    reference: 'https://github.com/PyO3/maturin-action/issues/71',
  },
  {
    id: 'target-missing',
    patterns: [/can't find crate for `(std|core)`/, /the `[\w-]+` target may not be installed/],
    cause: 'The Rust standard library for the target is not installed.',
    fix: "Install the target (ferrowheel/ferrowheel/actions/setup-rust with 'targets', or rustup target add), or build in a container.",
  },
  {
    id: 'zig-missing',
    patterns: [/Failed to find zig/i, /zig: (command )?not found/],
    cause: 'The build asked for zig (zig: true or a manylinux level on the host), but zig is not installed.',
    fix: "Install it with 'pip install ziglang' (or maturin[zig]) before this step.",
  },
];

/**
 * The known failures whose patterns occur in `log`, in table order; with the project's facts, only
 * those that hold for it (without, every entry whose patterns match).
 */
export function diagnose(log: string, project?: ProjectFacts): KnownFailure[] {
  return KNOWN_FAILURES.filter(
    (failure) =>
      failure.patterns.some((pattern) => pattern.test(log)) &&
      (project === undefined || failure.when === undefined || failure.when(project)),
  );
}

/** One annotation-ready message for a diagnosed failure. */
export function describeFailure(failure: KnownFailure): string {
  const see = failure.reference ? ` (see ${failure.reference})` : '';
  return `${failure.cause} Fix: ${failure.fix}${see}`;
}
