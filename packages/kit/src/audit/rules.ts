/**
 * The audit's rules, as data: what each checks, with which tool, and the fix a finding of it
 * gives (a finding may give a more precise one). The READMEs' rule tables are this table.
 */

export type RuleId = 'abi3' | 'manylinux-policy' | 'metadata' | 'build-paths' | 'top-level' | 'pyinit-export';

export type AuditMode = 'error' | 'warn' | 'off';

export interface Rule {
  id: RuleId;
  /** What it checks, for the summary and the docs. */
  title: string;
  /** The tool from PyPI that checks it, or ferrowheel's own check. */
  checkedBy: string;
  /** Which wheels it applies to. */
  appliesTo: string;
  /** The fix a finding gives when it has no more precise one. */
  fix: string;
}

export const RULES: Record<RuleId, Rule> = {
  abi3: {
    id: 'abi3',
    title: 'abi3: only the limited API of the abi3 version the tag claims',
    checkedBy: 'abi3audit',
    appliesTo: 'wheels tagged abi3',
    fix: 'Call only functions of the limited API of the abi3 version the wheel claims (pyo3 with its abi3-py3X feature does; a raw FFI declaration of another function does not), raise the minimum (abi3-py3X), or build version-specific wheels instead of abi3.',
  },
  'manylinux-policy': {
    id: 'manylinux-policy',
    title: 'manylinux/musllinux policy: symbol versions and external libraries the tag allows',
    checkedBy: 'auditwheel show',
    appliesTo: 'Linux wheels tagged manylinux or musllinux (checked on a Linux runner)',
    fix: "Build where the tag's libc is (the manylinux/musllinux image: container: auto, or zig: true for glibc), let maturin vendor libraries outside the policy (its default --auditwheel repair, which needs patchelf), or claim the level the wheel really meets (manylinux: auto).",
  },
  metadata: {
    id: 'metadata',
    title: 'metadata: the README renders on PyPI, nothing missing',
    checkedBy: 'twine check --strict',
    appliesTo: 'every wheel',
    fix: 'Set [project] readme in pyproject.toml to a README that renders (README.md, or README.rst without markup errors: check it with `python -m readme_renderer README.rst`); its content type follows the file extension.',
  },
  'build-paths': {
    id: 'build-paths',
    title: "no build paths: the workspace, the runner's temp dir, the target dir, CARGO_HOME",
    checkedBy: 'ferrowheel (every file of the wheel, binaries and the SBOM included)',
    appliesTo: 'every wheel',
    fix: 'Build with ferrowheel build, which remaps these directories (rustc --remap-path-prefix) and cleans them from the SBOM; a path that still leaks comes from code rustc does not remap (env!("CARGO_MANIFEST_DIR"), include_str! of an absolute path, a path a build script writes, C code compiled by the cc crate: add -ffile-prefix-map to CFLAGS).',
  },
  'top-level': {
    id: 'top-level',
    title: 'only expected top-level entries: the package and its modules, .dist-info, .data, .libs, .pth',
    checkedBy: 'ferrowheel',
    appliesTo: 'every wheel',
    fix: 'Everything at the top of a wheel is installed straight into site-packages, where it collides with other packages: move it into the package, or out of the wheel ([tool.maturin] include/exclude, python-source, python-packages).',
  },
  'pyinit-export': {
    id: 'pyinit-export',
    title: 'every extension module exports PyInit_<module> (ELF, Mach-O, PE)',
    checkedBy: 'ferrowheel (its own ELF, Mach-O and PE reader)',
    appliesTo: 'wheels with extension modules',
    fix: 'Python imports a module <m> by calling PyInit_<m>: name the #[pymodule] function (or #[pyo3(name = ...)]) exactly as the last part of the module name ([lib] name, or [tool.maturin] module-name).',
  },
};

export const RULE_ORDER: readonly RuleId[] = [
  'abi3',
  'manylinux-policy',
  'metadata',
  'build-paths',
  'top-level',
  'pyinit-export',
];

/** One problem the audit found in one wheel. */
export interface Finding {
  /** The wheel's file name. */
  wheel: string;
  rule: RuleId;
  /** What is wrong, in words, naming the file inside the wheel where there is one. */
  problem: string;
  fix: string;
  /**
   * `warning` for a finding that is expected where the wheel was built the way it was (a cargo
   * registry path in a wheel built without remapping): shown, never failing the step.
   */
  severity: 'error' | 'warning';
}

/** How a rule went for one wheel. */
export type RuleOutcome =
  | { status: 'passed' }
  | { status: 'failed' }
  | { status: 'warned' }
  | { status: 'not-applicable' }
  | { status: 'not-checked'; reason: string };
