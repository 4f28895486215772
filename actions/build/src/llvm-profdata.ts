/**
 * The llvm-profdata that merges a PGO training's raw profiles. rustc writes profiles in its own
 * LLVM's format, which only an llvm-profdata of the same LLVM major version reads: Debian's
 * system llvm-profdata (LLVM 14) cannot read rustc 1.95's (LLVM 22). maturin takes the first
 * llvm-profdata it finds without looking at its version (PyO3/maturin src/pgo.rs), so a
 * mismatch fails late and obscurely; here it fails before anything compiles, naming both versions.
 *
 * Where it is looked for, in order:
 * 1. the toolchain's own, `<sysroot>/lib/rustlib/<host>/bin/llvm-profdata` (rustup's llvm-tools
 *    component, which always matches);
 * 2. when rustup is there and that is missing: `rustup component add llvm-tools`, then 1 again
 *    (rustup's server may not answer: then its reason is kept for the error);
 * 3. `llvm-profdata-<major>` on PATH (Debian/Ubuntu's llvm-<major>), then `llvm-profdata`.
 * Each candidate is asked its version; the first of rustc's major wins.
 */
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { exeName, type Os, pathFor } from '@ferrowheel/kit/platform';

export interface LlvmProfdata {
  /** The command or path to run. */
  program: string;
  /** Its LLVM version (`22.1.8`). */
  version: string;
  /** How it was found, for the log and the summary. */
  via: string;
}

/** rustc's LLVM version (`22.1.2`) from `rustc -vV`. */
export function rustcLlvmVersion(verbose: string | undefined): string | undefined {
  return verbose ? /^LLVM version: (\d+(?:\.\d+)*)/m.exec(verbose)?.[1] : undefined;
}

/** The LLVM version an `llvm-profdata --version` prints (`LLVM version 22.1.8`, Debian or not). */
export function profdataVersion(output: string): string | undefined {
  return /LLVM version (\d+(?:\.\d+)*)/.exec(output)?.[1];
}

const major = (version: string) => version.split('.')[0];

/**
 * The LLVM version of a candidate, or undefined when it does not run. `merge --version`: LLVM 14's
 * llvm-profdata answers a bare `--version` with "Unknown command!".
 */
async function versionOf(exec: Exec, program: string): Promise<string | undefined> {
  try {
    const result = await exec(program, ['merge', '--version'], { silent: true, allowFailure: true });
    return result.exitCode === 0 ? profdataVersion(`${result.stdout}\n${result.stderr}`) : undefined;
  } catch {
    return undefined;
  }
}

async function stdout(exec: Exec, program: string, args: string[], cwd: string): Promise<string | undefined> {
  try {
    const result = await exec(program, args, { silent: true, allowFailure: true, cwd });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

export interface ProfdataSearch {
  exec: Exec;
  /** `rustc -vV` of the toolchain that builds. */
  rustcVerbose: string | undefined;
  os: Os;
  /** Where rustup would resolve the toolchain (rust-toolchain.toml). */
  cwd: string;
  /** Run `rustup component add llvm-tools` when the toolchain lacks it (host builds). */
  installWithRustup: boolean;
}

/** What was tried, for the error when nothing matched. */
interface Tried {
  mismatched: { program: string; version: string }[];
  rustup: string | undefined;
}

async function fromToolchain(search: ProfdataSearch, tried: Tried): Promise<LlvmProfdata | undefined> {
  const { exec, cwd, os } = search;
  const sysroot = await stdout(exec, 'rustc', ['--print', 'sysroot'], cwd);
  const host = search.rustcVerbose ? /^host: (\S+)/m.exec(search.rustcVerbose)?.[1] : undefined;
  if (sysroot === undefined || host === undefined) return undefined;
  const program = pathFor(os).join(sysroot, 'lib', 'rustlib', host, 'bin', exeName(os, 'llvm-profdata'));
  const check = async (via: string) => {
    const version = await versionOf(exec, program);
    return version !== undefined ? { program, version, via } : undefined;
  };
  const present = await check('the toolchain (llvm-tools)');
  if (present || !search.installWithRustup) return present;
  // No rustup (a distribution's rustc): the PATH route is the only one.
  if ((await stdout(exec, 'rustup', ['--version'], cwd)) === undefined) return undefined;
  const add = await exec('rustup', ['component', 'add', 'llvm-tools'], { cwd, allowFailure: true });
  if (add.exitCode !== 0) {
    const last = `${add.stderr}\n${add.stdout}`.trim().split(/\r?\n/).at(-1);
    tried.rustup = `rustup component add llvm-tools failed: ${last ?? `exit code ${add.exitCode}`}`;
    return undefined;
  }
  return check('rustup component add llvm-tools');
}

/** The matching llvm-profdata, or a UserError naming what was found and how to get the right one. */
export async function findLlvmProfdata(search: ProfdataSearch): Promise<LlvmProfdata> {
  const wanted = rustcLlvmVersion(search.rustcVerbose);
  if (wanted === undefined) {
    throw new UserError(
      "pgo: rustc -vV names no LLVM version, so no matching llvm-profdata can be chosen. Install Rust with rustup (ferrowheel/ferrowheel/actions/setup-rust), or set 'pgo: false'.",
    );
  }
  const tried: Tried = { mismatched: [], rustup: undefined };
  const own = await fromToolchain(search, tried);
  if (own && major(own.version) === major(wanted)) return own;
  if (own) tried.mismatched.push(own);
  for (const program of [`llvm-profdata-${major(wanted)}`, 'llvm-profdata']) {
    const version = await versionOf(search.exec, program);
    if (version === undefined) continue;
    if (major(version) === major(wanted)) return { program, version, via: 'PATH' };
    tried.mismatched.push({ program, version });
  }
  throw profdataError(wanted, tried);
}

function profdataError(wanted: string, tried: Tried): UserError {
  const m = major(wanted);
  const found =
    tried.mismatched.length > 0
      ? `found only ${tried.mismatched.map((t) => `${t.program} of LLVM ${t.version}`).join(', ')}, which cannot read rustc's profiles`
      : 'found none';
  const rustup = tried.rustup ? ` (${tried.rustup})` : '';
  return new UserError(
    `pgo: rustc is built on LLVM ${wanted}, so merging its profiles needs an llvm-profdata of LLVM ${m}; ${found}${rustup}. Install a matching one before this step: 'rustup component add llvm-tools' (setup-rust's components: llvm-tools), or LLVM ${m}'s llvm-profdata-${m} on PATH (Debian/Ubuntu: apt-get install llvm-${m}); or set 'pgo: false'.`,
  );
}
