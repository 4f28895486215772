/**
 * The manylinux/musllinux rule: the policy every Linux tag of a wheel claims, against what
 * `auditwheel show --json` finds the wheel really meets (the most compatible policy whose symbol
 * versions, library whitelist and ISA the binaries satisfy). A tag is broken when auditwheel's
 * verdict is a newer level, another libc, or no policy at all (`linux_<arch>`); the finding says
 * why from the same report: symbol versions beyond the tag's libc, libraries outside the
 * policy's whitelist, blacklisted symbols, ISA extensions.
 */
import type { WheelName } from '../wheel.js';
import type { Finding } from './rules.js';
import { RULES } from './rules.js';

/** `auditwheel show --json` (auditwheel 6.x, report version 1). */
export interface AuditwheelReport {
  version: number;
  wheel: string;
  pure?: boolean;
  error?: string;
  overall_tag?: string;
  sym_tag?: string;
  unsupported_isa?: boolean;
  versioned_symbols?: Record<string, string[]>;
  external_libs?: Record<string, string | null>;
  policy_upgrades?: Record<
    string,
    { libs_to_eliminate?: string[]; blacklisted_symbols?: Record<string, string[]> }
  >;
}

export interface PolicyTag {
  family: 'manylinux' | 'musllinux';
  major: number;
  minor: number;
  arch: string;
  /** The PEP 600/656 spelling auditwheel names its policies by: `manylinux_2_17_x86_64`. */
  name: string;
}

const LEGACY: Record<string, [number, number]> = {
  manylinux1: [2, 5],
  manylinux2010: [2, 12],
  manylinux2014: [2, 17],
};

/** A manylinux/musllinux platform tag (legacy aliases included), or undefined for any other. */
export function parsePolicyTag(tag: string): PolicyTag | undefined {
  const legacy = /^(manylinux1|manylinux2010|manylinux2014)_(.+)$/.exec(tag);
  if (legacy) {
    const [major, minor] = LEGACY[legacy[1]!]!;
    const arch = legacy[2]!;
    return { family: 'manylinux', major, minor, arch, name: `manylinux_${major}_${minor}_${arch}` };
  }
  const match = /^(manylinux|musllinux)_(\d+)_(\d+)_(.+)$/.exec(tag);
  if (!match) return undefined;
  const family = match[1] as PolicyTag['family'];
  const [major, minor, arch] = [Number(match[2]), Number(match[3]), match[4]!];
  return { family, major, minor, arch, name: `${family}_${major}_${minor}_${arch}` };
}

/** The wheel's policy tags, each once (`manylinux2014_x86_64` and `manylinux_2_17_x86_64` are one). */
export function claimedPolicies(wheel: WheelName): PolicyTag[] {
  const byName = new Map<string, PolicyTag>();
  for (const tag of wheel.platformTags) {
    const policy = parsePolicyTag(tag);
    if (policy) byName.set(policy.name, policy);
  }
  return [...byName.values()];
}

function meets(found: PolicyTag | undefined, claimed: PolicyTag): boolean {
  if (!found || found.family !== claimed.family) return false;
  return found.major < claimed.major || (found.major === claimed.major && found.minor <= claimed.minor);
}

/** `GLIBC_2.34` → [2, 34]; undefined for other version names. */
function glibcVersion(name: string): [number, number] | undefined {
  const match = /^GLIBC_(\d+)\.(\d+)/.exec(name);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * The names musl's dynamic loader takes as itself (any `libc.*`: musl's reserved names), so a
 * musllinux wheel that needs one needs nothing outside the policy. auditwheel disagrees for
 * `libc.so`: it rewrites its musllinux whitelist's `libc.so` to Alpine's soname
 * (`libc.musl-x86_64.so.1`), while the musl toolchains that build musllinux wheels off Alpine
 * (rust-cross's rust-musl-cross images, zig) link against a libc whose soname is `libc.so`.
 * maturin's own audit accepts both (PyO3/maturin#643); so does this rule.
 */
const MUSL_LIBC = /^(?:libc\.so|libc\.musl-[\w-]+\.so\.1|ld-musl-[\w-]+\.so\.1)$/;

/** The libraries auditwheel says `claimed` needs eliminated, less musl's own libc for musllinux. */
function libsToEliminate(report: AuditwheelReport, claimed: PolicyTag): string[] {
  const libs = report.policy_upgrades?.[claimed.name]?.libs_to_eliminate ?? [];
  return claimed.family === 'musllinux' ? libs.filter((lib) => !MUSL_LIBC.test(lib)) : libs;
}

/**
 * Whether auditwheel refuses a musllinux tag only for musl's own libc: the symbols meet the tag,
 * nothing blacklisted, no ISA extension, and every library it names is musl's libc.
 */
function onlyMuslLibc(report: AuditwheelReport, claimed: PolicyTag): boolean {
  const upgrade = report.policy_upgrades?.[claimed.name];
  return (
    claimed.family === 'musllinux' &&
    upgrade !== undefined &&
    (upgrade.libs_to_eliminate ?? []).length > 0 &&
    libsToEliminate(report, claimed).length === 0 &&
    Object.keys(upgrade.blacklisted_symbols ?? {}).length === 0 &&
    !report.unsupported_isa &&
    meets(parsePolicyTag(report.sym_tag ?? ''), claimed)
  );
}

/** Why the wheel does not meet `claimed`, from auditwheel's report. */
function reasons(report: AuditwheelReport, claimed: PolicyTag): string[] {
  const found: string[] = [];
  const symbols = parsePolicyTag(report.sym_tag ?? '');
  if (!meets(symbols, claimed)) {
    const newer = Object.values(report.versioned_symbols ?? {})
      .flat()
      .filter((name) => {
        const version = glibcVersion(name);
        return (
          version &&
          (version[0] > claimed.major || (version[0] === claimed.major && version[1] > claimed.minor))
        );
      })
      .sort();
    const detail =
      newer.length > 0 ? ` (${newer.join(', ')}, newer than glibc ${claimed.major}.${claimed.minor})` : '';
    found.push(`its symbol versions need ${report.sym_tag ?? 'a newer libc'}${detail}`);
  }
  const upgrade = report.policy_upgrades?.[claimed.name];
  const libs = libsToEliminate(report, claimed);
  if (libs.length > 0) found.push(`it links libraries outside the policy: ${libs.join(', ')}`);
  for (const [lib, names] of Object.entries(upgrade?.blacklisted_symbols ?? {})) {
    found.push(`it uses symbols of ${lib} the policy forbids: ${names.join(', ')}`);
  }
  if (report.unsupported_isa) found.push('it uses instruction-set extensions the policy does not allow');
  return found;
}

/** Findings of the manylinux/musllinux rule for one wheel; none when every tag it claims holds. */
export function policyFindings(wheel: WheelName, report: AuditwheelReport): Finding[] {
  const claimed = claimedPolicies(wheel);
  if (report.error !== undefined) {
    return [
      {
        wheel: wheel.filename,
        rule: 'manylinux-policy',
        problem: `claims ${claimed.map((c) => c.name).join(', ')}, but auditwheel show cannot check it: ${report.error}`,
        fix: RULES['manylinux-policy'].fix,
        severity: 'error',
      },
    ];
  }
  const found = parsePolicyTag(report.overall_tag ?? '');
  const broken = claimed.filter((tag) => !meets(found, tag) && !onlyMuslLibc(report, tag));
  if (broken.length === 0) return [];
  // The most compatible broken tag explains the rest: what breaks manylinux_2_28 breaks 2_17.
  const worst = broken.reduce((a, b) => (b.major * 1000 + b.minor < a.major * 1000 + a.minor ? b : a));
  const why = reasons(report, worst);
  return [
    {
      wheel: wheel.filename,
      rule: 'manylinux-policy',
      problem: `claims ${broken.map((b) => b.name).join(', ')}, but auditwheel show finds it meets only ${
        report.overall_tag ?? 'no policy'
      }${why.length > 0 ? `: ${why.join('; ')}` : ''}`,
      fix: RULES['manylinux-policy'].fix,
      severity: 'error',
    },
  ];
}
