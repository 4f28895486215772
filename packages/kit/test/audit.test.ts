/**
 * The audit's own logic, without its tools: reading auditwheel's and abi3audit's reports (recorded
 * from the real tools on the fixture wheels of packages/harness/test/fixtures/audit/), the
 * top-level and build-path checks on in-memory wheels, the verdict and the summary. The tools
 * themselves run in actions/build/test/integration/audit.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { zipBytes } from '../../harness/src/zip-fixture.js';
import { type Abi3auditReport, abi3Findings, isAbi3 } from '../src/audit/abi3.js';
import type { AuditReport } from '../src/audit/audit.js';
import { type BuildRoot, buildPathFindings, spellings } from '../src/audit/build-paths.js';
import { pyinitFindings, topLevelFindings } from '../src/audit/contents.js';
import {
  type AuditwheelReport,
  claimedPolicies,
  parsePolicyTag,
  policyFindings,
} from '../src/audit/manylinux.js';
import { annotateAudit, auditSummary } from '../src/audit/report.js';
import { RULE_ORDER, RULES, type RuleId } from '../src/audit/rules.js';
import { auditwheelShowArgs, MUSL_LD_PATHS } from '../src/audit/tools.js';
import { parseWheelFilename, type WheelName } from '../src/wheel.js';
import { listZipEntries } from '../src/zip.js';

function wheel(filename: string): WheelName {
  const parsed = parseWheelFilename(filename);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value;
}

describe('manylinux policy', () => {
  it('reads every spelling of a policy tag, legacy aliases as their PEP 600 names', () => {
    expect(parsePolicyTag('manylinux2014_x86_64')).toEqual({
      family: 'manylinux',
      major: 2,
      minor: 17,
      arch: 'x86_64',
      name: 'manylinux_2_17_x86_64',
    });
    expect(parsePolicyTag('manylinux1_i686')?.name).toBe('manylinux_2_5_i686');
    expect(parsePolicyTag('manylinux2010_x86_64')?.name).toBe('manylinux_2_12_x86_64');
    expect(parsePolicyTag('musllinux_1_2_aarch64')?.name).toBe('musllinux_1_2_aarch64');
    expect(parsePolicyTag('linux_x86_64')).toBeUndefined();
    expect(parsePolicyTag('macosx_11_0_arm64')).toBeUndefined();
    const w = wheel('x-1-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl');
    expect(claimedPolicies(w).map((p) => p.name)).toEqual(['manylinux_2_17_x86_64', 'manylinux_2_28_x86_64']);
  });

  // auditwheel 6.8.2's `show --json` of the audit-libcrypto fixture (manylinux2014, --auditwheel skip).
  const libcrypto: AuditwheelReport = {
    version: 1,
    wheel: 'audit_libcrypto-0.1.0-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl',
    pure: false,
    overall_tag: 'linux_x86_64',
    sym_tag: 'manylinux_2_34_x86_64',
    unsupported_isa: false,
    versioned_symbols: {
      'libc.so.6': ['GLIBC_2.14', 'GLIBC_2.17', 'GLIBC_2.18', 'GLIBC_2.2.5', 'GLIBC_2.28', 'GLIBC_2.34'],
      'libcrypto.so.3': ['OPENSSL_3.0.0'],
      'libgcc_s.so.1': ['GCC_3.0', 'GCC_4.2.0'],
    },
    external_libs: { 'libcrypto.so.3': '/lib/x86_64-linux-gnu/libcrypto.so.3' },
    policy_upgrades: {
      manylinux_2_34_x86_64: { libs_to_eliminate: ['libcrypto.so.3'] },
      manylinux_2_17_x86_64: { libs_to_eliminate: ['libcrypto.so.3'] },
    },
  };

  it('names the symbol versions beyond the tag and the libraries outside its whitelist', () => {
    expect(policyFindings(wheel(libcrypto.wheel), libcrypto)).toEqual([
      {
        wheel: libcrypto.wheel,
        rule: 'manylinux-policy',
        problem:
          'claims manylinux_2_17_x86_64, but auditwheel show finds it meets only linux_x86_64: its symbol versions need manylinux_2_34_x86_64 (GLIBC_2.18, GLIBC_2.28, GLIBC_2.34, newer than glibc 2.17); it links libraries outside the policy: libcrypto.so.3',
        fix: RULES['manylinux-policy'].fix,
        severity: 'error',
      },
    ]);
  });

  it('passes a wheel that meets its tag or a stricter one, and explains the most compatible tag that breaks', () => {
    const meets = {
      ...libcrypto,
      overall_tag: 'manylinux_2_17_x86_64',
      sym_tag: 'manylinux_2_17_x86_64',
      policy_upgrades: {},
    };
    expect(policyFindings(wheel('x-1-cp312-cp312-manylinux_2_28_x86_64.whl'), meets)).toEqual([]);
    const newer = { ...meets, overall_tag: 'manylinux_2_28_x86_64', sym_tag: 'manylinux_2_28_x86_64' };
    const [finding] = policyFindings(
      wheel('x-1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.manylinux_2_28_x86_64.whl'),
      newer,
    );
    expect(finding?.problem).toBe(
      'claims manylinux_2_17_x86_64, but auditwheel show finds it meets only manylinux_2_28_x86_64: its symbol versions need manylinux_2_28_x86_64 (GLIBC_2.18, GLIBC_2.28, GLIBC_2.34, newer than glibc 2.17)',
    );
  });

  // auditwheel 6.8.2's `show --json` of examples/setup built for x86_64-unknown-linux-musl by the
  // musllinux stand-in (linked through zig, like rust-musl-cross: musl's libc has the soname
  // libc.so), less the fields this rule does not read.
  const muslLibc: AuditwheelReport = {
    version: 1,
    wheel: 'setup-0.1.0-cp313-cp313-musllinux_1_2_x86_64.whl',
    pure: false,
    overall_tag: 'linux_x86_64',
    sym_tag: 'musllinux_1_2_x86_64',
    unsupported_isa: false,
    versioned_symbols: {},
    external_libs: { 'libc.so': null },
    policy_upgrades: { musllinux_1_2_x86_64: { libs_to_eliminate: ['libc.so'] } },
  };

  it("passes a musllinux wheel that needs only musl's own libc (libc.so, which auditwheel maps to Alpine's soname)", () => {
    expect(policyFindings(wheel(muslLibc.wheel), muslLibc)).toEqual([]);
    const alpine = {
      ...muslLibc,
      external_libs: { 'libc.musl-x86_64.so.1': null },
      policy_upgrades: { musllinux_1_2_x86_64: { libs_to_eliminate: ['libc.musl-x86_64.so.1'] } },
    };
    expect(policyFindings(wheel(muslLibc.wheel), alpine)).toEqual([]);
  });

  it('still fails a musllinux wheel for any other library, naming it without the libc', () => {
    const more = {
      ...muslLibc,
      policy_upgrades: { musllinux_1_2_x86_64: { libs_to_eliminate: ['libc.so', 'libgcc_s.so.1'] } },
    };
    expect(policyFindings(wheel(muslLibc.wheel), more)[0]?.problem).toBe(
      'claims musllinux_1_2_x86_64, but auditwheel show finds it meets only linux_x86_64: it links libraries outside the policy: libgcc_s.so.1',
    );
    // A glibc tag gets no such allowance: libc.so is not glibc's libc.
    const glibcTag = wheel('setup-0.1.0-cp313-cp313-manylinux_2_17_x86_64.whl');
    const asGlibc = {
      ...muslLibc,
      sym_tag: 'manylinux_2_17_x86_64',
      policy_upgrades: { manylinux_2_17_x86_64: { libs_to_eliminate: ['libc.so'] } },
    };
    expect(policyFindings(glibcTag, asGlibc)[0]?.problem).toMatch(/outside the policy: libc\.so$/);
  });

  it("runs auditwheel with musl's search path for a musllinux wheel, so glibc's libc.so linker script is never read", () => {
    const musl = {
      path: '/w/abi3-0.3.0-cp39-abi3-musllinux_1_2_x86_64.whl',
      name: wheel('abi3-0.3.0-cp39-abi3-musllinux_1_2_x86_64.whl'),
    };
    expect(auditwheelShowArgs(musl)).toEqual([
      '-m',
      'auditwheel',
      'show',
      '--json',
      '--ldpaths',
      MUSL_LD_PATHS,
      musl.path,
    ]);
    expect(MUSL_LD_PATHS.split(':')).not.toContain('/usr/lib/x86_64-linux-gnu');
    const glibc = {
      path: '/w/x-1-cp39-abi3-manylinux_2_17_x86_64.whl',
      name: wheel('x-1-cp39-abi3-manylinux_2_17_x86_64.whl'),
    };
    expect(auditwheelShowArgs(glibc)).toEqual(['-m', 'auditwheel', 'show', '--json', glibc.path]);
  });

  it('fails a musllinux tag that auditwheel finds only a glibc policy for, and a report that is an error', () => {
    const glibc = { ...libcrypto, overall_tag: 'manylinux_2_17_x86_64', policy_upgrades: {} };
    expect(policyFindings(wheel('x-1-cp312-cp312-musllinux_1_2_x86_64.whl'), glibc)[0]?.problem).toMatch(
      /^claims musllinux_1_2_x86_64, but auditwheel show finds it meets only manylinux_2_17_x86_64/,
    );
    const error = { version: 1, wheel: 'x', error: 'This does not look like a platform wheel' };
    expect(policyFindings(wheel('x-1-py3-none-manylinux_2_17_x86_64.whl'), error)[0]?.problem).toBe(
      'claims manylinux_2_17_x86_64, but auditwheel show cannot check it: This does not look like a platform wheel',
    );
  });
});

describe('abi3', () => {
  it('applies to abi3 wheels only (abi3audit does not know abi3t)', () => {
    expect(isAbi3(['abi3'])).toBe(true);
    expect(isAbi3(['cp312'])).toBe(false);
    expect(isAbi3(['abi3t'])).toBe(false);
  });

  it("names each module's functions outside the limited API, and a limited API newer than the tag", () => {
    // abi3audit 0.0.26's `--report` of the audit-abi3 fixture, plus a module of a newer limited API.
    const report: Abi3auditReport = {
      specs: {
        'w.whl': {
          kind: 'wheel',
          wheel: [
            {
              name: 'audit_abi3.abi3.so',
              result: {
                is_abi3: false,
                is_abi3_baseline_compatible: true,
                baseline: '3.9',
                computed: '3.9',
                non_abi3_symbols: ['PyUnicode_AsUTF8'],
                future_abi3_objects: {},
              },
            },
            {
              name: 'newer.abi3.so',
              result: {
                is_abi3: true,
                is_abi3_baseline_compatible: false,
                baseline: '3.9',
                computed: '3.10',
                non_abi3_symbols: [],
                future_abi3_objects: { PyUnicode_AsUTF8AndSize: '3.10' },
              },
            },
            {
              name: 'fine.abi3.so',
              result: {
                is_abi3: true,
                is_abi3_baseline_compatible: true,
                baseline: '3.9',
                computed: '3.9',
                non_abi3_symbols: [],
                future_abi3_objects: {},
              },
            },
          ],
        },
      },
    };
    expect(abi3Findings('w.whl', report).map((f) => f.problem)).toEqual([
      'audit_abi3.abi3.so calls 1 function(s) outside the limited API: PyUnicode_AsUTF8',
      'newer.abi3.so needs the limited API of Python 3.10 (PyUnicode_AsUTF8AndSize (3.10)), but the wheel is tagged for 3.9',
    ]);
  });

  it("takes PEP 793's PyModExport_<m> as limited API only in a wheel for 3.15 and later", () => {
    const report: Abi3auditReport = {
      specs: {
        w: {
          kind: 'wheel',
          wheel: [
            {
              name: 'abi3.abi3t.so',
              result: {
                is_abi3: true,
                is_abi3_baseline_compatible: true,
                baseline: '3.15',
                computed: '3.15',
                non_abi3_symbols: ['PyModExport_abi3'],
                future_abi3_objects: {},
              },
            },
          ],
        },
      },
    };
    expect(abi3Findings('abi3-0.3.0-cp315-abi3.abi3t-manylinux_2_34_x86_64.whl', report)).toEqual([]);
    expect(
      abi3Findings('abi3-0.3.0-cp39-abi3-manylinux_2_34_x86_64.whl', report).map((f) => f.problem),
    ).toEqual(['abi3.abi3t.so calls 1 function(s) outside the limited API: PyModExport_abi3']);
  });
});

describe('top-level entries', () => {
  const w = wheel('my_pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl');

  it('allows the package and its modules, its .dist-info, .data, .libs and .pth files', () => {
    const entries = [
      'my_pkg/__init__.py',
      'my_pkg/_core.cpython-312-x86_64-linux-gnu.so',
      'my_pkg.pyi',
      '_my_pkg_native.cpython-312-x86_64-linux-gnu.so',
      'my_pkg-1.0.dist-info/METADATA',
      'my_pkg-1.0.data/scripts/tool',
      'my_pkg.libs/libssl-1a2b.so.3',
      'my_pkg-editable.pth',
    ];
    expect(topLevelFindings(w, entries)).toEqual([]);
  });

  it("finds files and directories outside them, another project's metadata included", () => {
    const entries = [
      'my_pkg/__init__.py',
      'README.md',
      'tests/__init__.py',
      'other-2.0.dist-info/METADATA',
      'py.typed',
    ];
    expect(topLevelFindings(w, entries).map((f) => f.problem)).toEqual([
      'installs 4 unexpected top-level entries into site-packages: README.md, other-2.0.dist-info/, py.typed, tests/ (expected: my_pkg, the .dist-info, .data and .libs directories, .pth files)',
    ]);
  });

  it('takes the packages the project declares ([tool.maturin] python-packages)', () => {
    expect(topLevelFindings(w, ['my_pkg/__init__.py', 'helpers/__init__.py'], ['my_pkg', 'helpers'])).toEqual(
      [],
    );
  });
});

describe('PyInit exports', () => {
  it('turns an extension module that is no binary into a finding, not a crash', () => {
    const archive = zipBytes({ 'pkg/__init__.py': '', 'pkg/_core.abi3.so': '#!/bin/sh\n' });
    const [finding] = pyinitFindings(
      wheel('pkg-1-cp39-abi3-linux_x86_64.whl'),
      archive,
      listZipEntries(archive),
    );
    expect(finding?.problem).toBe(
      'pkg/_core.abi3.so is not an ELF, Mach-O or PE binary, so Python cannot import it as pkg._core',
    );
  });
});

describe('build paths', () => {
  const roots: BuildRoot[] = [
    { kind: 'workspace', path: '/home/runner/work/p/p', whenFound: 'error' },
    { kind: 'target-dir', path: '/home/runner/work/p/p/target', whenFound: 'error' },
    { kind: 'cargo-home', path: '/home/runner/.cargo', whenFound: 'warning' },
    { kind: 'runner-temp', path: '/tmp', whenFound: 'error' },
  ];

  it('names each root that leaks, once, by its most specific root, with the files and an example', () => {
    const archive = zipBytes({
      'p/_core.so': Buffer.concat([
        Buffer.from('\0/home/runner/work/p/p/target/release/build/x/out/gen.rs\0'),
        Buffer.from('/home/runner/.cargo/registry/src/index.crates.io-1/pyo3-0.30.1/src/err.rs\0'),
        Buffer.from('/tmp/not-a-finding\0'),
      ]),
      'p-1.dist-info/sboms/p.cyclonedx.json': '{"bom-ref": "path+file:///home/runner/work/p/p#0.1.0"}',
      'p-1.dist-info/RECORD': '/home/runner/work/p/p/ignored',
    });
    const findings = buildPathFindings('p.whl', archive, roots);
    expect(findings.map((f) => [f.severity, f.problem])).toEqual([
      [
        'error',
        'holds paths under the target dir (/home/runner/work/p/p/target) in p/_core.so, e.g. /home/runner/work/p/p/target/release/build/x/out/gen.rs',
      ],
      [
        'warning',
        'holds paths under CARGO_HOME (/home/runner/.cargo) in p/_core.so, e.g. /home/runner/.cargo/registry/src/index.crates.io-1/pyo3-0.30.1/src/err.rs (expected: the build did not remap it)',
      ],
      [
        'error',
        'holds paths under the workspace (/home/runner/work/p/p) in p-1.dist-info/sboms/p.cyclonedx.json, e.g. /home/runner/work/p/p#0.1.0',
      ],
    ]);
  });

  it('does not take a longer name for the root (/work/p2 is not under /work/p)', () => {
    const archive = zipBytes({ 'x.so': '/home/runner/work/p/p2/src/lib.rs and /home/runner/work/p/p.git' });
    expect(buildPathFindings('x.whl', archive, roots)).toEqual([]);
  });

  it('searches Windows paths as rustc, file URLs and JSON write them, in any case', () => {
    expect(spellings('D:\\a\\p\\p')).toEqual(['D:\\a\\p\\p', 'D:/a/p/p', 'D:\\\\a\\\\p\\\\p']);
    expect(spellings('/tmp')).toEqual([]);
    const archive = zipBytes({
      'x.pyd': 'd:\\a\\p\\p\\src\\lib.rs',
      'x-1.dist-info/sboms/x.json': '{"ref": "path+file:///D:/a/p/p#1", "p": "D:\\\\a\\\\p\\\\p"}',
    });
    const windows: BuildRoot[] = [{ kind: 'workspace', path: 'D:\\a\\p\\p', whenFound: 'error' }];
    expect(buildPathFindings('x.whl', archive, windows)[0]?.problem).toBe(
      'holds paths under the workspace (D:\\a\\p\\p) in x.pyd, x-1.dist-info/sboms/x.json, e.g. d:\\a\\p\\p\\src\\lib.rs',
    );
  });
});

describe('verdict and summary', () => {
  const outcomes = Object.fromEntries(
    RULE_ORDER.map((r) => [r, { status: 'passed' }]),
  ) as AuditReport['wheels'][0]['outcomes'];
  const finding = (rule: RuleId, severity: 'error' | 'warning') => ({
    wheel: 'w.whl',
    rule,
    problem: `${rule} problem`,
    fix: `${rule} fix`,
    severity,
  });
  const report = (findings: ReturnType<typeof finding>[], tools: AuditReport['tools']): AuditReport => ({
    wheels: [
      {
        filename: 'w.whl',
        path: '/w.whl',
        outcomes: { ...outcomes, abi3: { status: 'not-applicable' }, metadata: { status: 'failed' } },
        findings,
        durationMs: 1200,
      },
    ],
    tools,
  });
  const venv = {
    ok: true as const,
    venv: {
      python: '/v/bin/python',
      dir: '/v',
      created: false,
      installer: 'uv' as const,
      base: { python: '/usr/bin/python3', version: '3.12.3' },
      durationMs: 5,
    },
  };

  function annotations(r: AuditReport, mode: 'error' | 'warn') {
    const seen: string[] = [];
    const verdict = annotateAudit(r, mode, {
      error: (message, title) => seen.push(`error ${title}: ${message}`),
      warning: (message, title) => seen.push(`warning ${title}: ${message}`),
    });
    return { seen, verdict };
  }

  it('error mode: an error finding fails, a warning does not; one annotation each, naming wheel, rule and fix', () => {
    const { seen, verdict } = annotations(
      report([finding('metadata', 'error'), finding('build-paths', 'warning')], venv),
      'error',
    );
    expect(seen).toEqual([
      "error Audit: metadata (w.whl): w.whl breaks the audit rule 'metadata': metadata problem. Fix: metadata fix",
      "warning Audit: build-paths (w.whl): w.whl breaks the audit rule 'build-paths': build-paths problem. Fix: build-paths fix",
    ]);
    expect(verdict).toEqual({ errors: 1, warnings: 1, toolsMissing: false, fails: true });
    expect(annotations(report([finding('build-paths', 'warning')], venv), 'error').verdict.fails).toBe(false);
  });

  it('warn mode never fails; missing tools fail only in error mode', () => {
    const missing = { ok: false as const, problem: 'no tools', fix: 'get them' };
    expect(annotations(report([finding('metadata', 'error')], missing), 'warn').verdict.fails).toBe(false);
    const { seen, verdict } = annotations(report([], missing), 'error');
    expect(seen).toEqual(['error Audit: tools unavailable: no tools. Fix: get them']);
    expect(verdict.fails).toBe(true);
  });

  it('summarises the rules per wheel, each finding, and where the tools came from', () => {
    const summary = auditSummary(report([finding('metadata', 'error')], venv), 'error');
    expect(summary).toContain(
      '| Wheel | abi3 | manylinux policy | metadata | build paths | top level | PyInit | Time |',
    );
    expect(summary).toContain('| `w.whl` | – | ✅ | ❌ | ✅ | ✅ | ✅ | 1.2 s |');
    expect(summary).toContain('- ❌ `w.whl` · **metadata**: metadata problem. Fix: metadata fix');
    expect(summary).toContain(
      "Tools: abi3audit, auditwheel show, twine check --strict (Python 3.12.3; venv from the tool cache); the other rules are ferrowheel's own checks.",
    );
  });
});
