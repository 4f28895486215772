/**
 * The Python interpreter the wheels are tested with: how to start it, and what it is. Its facts
 * come from the interpreter itself (facts.py, run with argv); its supported wheel tags are
 * pip's own list when pip is importable (the exact answer the installer will use), else computed
 * with the kit's tag logic from the same facts.
 */
import { fileURLToPath } from 'node:url';
import { CommandError, UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { defaultPythonCommand, type Os, pathFor } from '@ferrowheel/kit/platform';
import { fail, ok, type Result } from '@ferrowheel/kit/result';
import {
  type Interpreter,
  type PlatformDescription,
  platformTags,
  supportedTags,
} from '@ferrowheel/kit/wheel';

/** A program and the arguments that select the interpreter (`py -3.12` on Windows). */
export interface PythonCommand {
  program: string;
  args: string[];
  /** As the user would type it, for messages. */
  display: string;
}

/**
 * The command for a `python` input: '' → `python3` (`python` on Windows); a version (`3.12`,
 * `3.13t`) → `python3.12` (`py -3.12` on Windows); a path (resolved against the workspace) or a
 * command name as given. The problem for anything else.
 */
export function pythonCommand(raw: string, options: { os: Os; workspace: string }): Result<PythonCommand> {
  const value = raw.trim();
  if (value === '') {
    const program = defaultPythonCommand(options.os);
    return ok({ program, args: [], display: program });
  }
  if (/^3\.\d+t?$/.test(value)) {
    if (options.os === 'windows') return ok({ program: 'py', args: [`-${value}`], display: `py -${value}` });
    return ok({ program: `python${value}`, args: [], display: `python${value}` });
  }
  const paths = pathFor(options.os);
  if (value.includes('/') || (options.os === 'windows' && value.includes('\\'))) {
    const program = paths.resolve(options.workspace, value);
    return ok({ program, args: [], display: program });
  }
  if (/\s/.test(value)) return fail('holds spaces but is not a path');
  if (value.startsWith('-')) return fail('starts with -, so it would be read as an option');
  if (!/^[A-Za-z0-9._+-]+$/.test(value)) return fail('is not a command name, a path or a version');
  return ok({ program: value, args: [], display: value });
}

/**
 * The command for a `python` input when the tests run in a container: the image's program, which
 * the runner cannot see or check. '' → `python3`; a version → `python3.12`; an absolute path in
 * the image or a command name as given. A relative path has nothing to be relative to there.
 */
export function containerPythonCommand(raw: string): Result<PythonCommand> {
  const value = raw.trim();
  if (value.startsWith('/') && !/\s/.test(value) && !value.includes('\\')) {
    return ok({ program: value, args: [], display: value });
  }
  if (value.includes('/') || value.includes('\\'))
    return fail('is a relative path, and a container has no directory it is relative to');
  return pythonCommand(value, { os: 'linux', workspace: '/' });
}

/**
 * The probe the interpreter under test runs: facts.py, a real Python file (linted with ruff, and
 * run by the tests) next to this module in the sources and next to the bundle in dist/.
 */
export function factsProbe(): string {
  // In the bundle, ncc's asset relocator copies facts.py next to it and turns this URL into that
  // copy's path, a string; from the sources it is a file: URL.
  const location: URL | string = new URL('./facts.py', import.meta.url);
  return typeof location === 'string' ? location : fileURLToPath(location);
}

/** What facts.py prints. */
export interface FactsReport {
  executable: string;
  prefix: string;
  implementation: string;
  version: string;
  major: number;
  minor: number;
  abiflags: string;
  gil_disabled: boolean;
  soabi: string;
  platform: string;
  system: string;
  machine: string;
  bits: number;
  mac_ver: string;
  glibc: string | null;
  musl: string | null;
  tags: string[] | null;
  /** The PEP 508 marker environment (packaging's default_environment()). */
  markers?: Record<string, string> | null;
}

export interface InterpreterFacts {
  executable: string;
  /** `cpython`, `pypy`, ... as sys.implementation.name. */
  implementation: string;
  /** The full version, `3.11.7`. */
  version: string;
  major: number;
  minor: number;
  freeThreaded: boolean;
  /** Supported wheel tags, most preferred first. */
  tags: string[];
  /** Where `tags` came from: pip's packaging, or the kit's computation. */
  tagSource: 'pip' | 'computed';
  /** The platform, in words: `linux x86_64, glibc 2.36`. */
  platform: string;
  /** platform.machine() (`x86_64`, `AMD64`, `arm64`), for lock files' environment markers. */
  machine: string;
  /** The interpreter's own PEP 508 marker environment. */
  markers: Record<string, string>;
}

function versionPair(text: string | null | undefined): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(text ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** The platform description the kit's tag logic takes, from the interpreter's own report. */
export function platformFromReport(report: FactsReport): Result<PlatformDescription> {
  const machine = report.machine.toLowerCase();
  if (report.system === 'Linux') {
    let arch = machine;
    // A 32-bit interpreter on a 64-bit kernel installs 32-bit wheels (as packaging decides).
    if (report.bits === 32)
      arch = ({ x86_64: 'i686', aarch64: 'armv8l' } as Record<string, string>)[arch] ?? arch;
    const glibc = versionPair(report.glibc);
    const musl = versionPair(report.musl);
    const libc = glibc
      ? { kind: 'glibc' as const, major: glibc[0], minor: glibc[1] }
      : musl
        ? { kind: 'musl' as const, major: musl[0], minor: musl[1] }
        : undefined;
    return ok({ os: 'linux', arch, ...(libc ? { libc } : {}) });
  }
  if (report.system === 'Darwin') {
    const macos = versionPair(report.mac_ver) ?? [11, 0];
    return ok({ os: 'macos', arch: machine === 'arm64' ? 'arm64' : 'x86_64', macos });
  }
  if (report.system === 'Windows') {
    const arch = ({ 'win-amd64': 'x86_64', win32: 'i686', 'win-arm64': 'arm64' } as Record<string, string>)[
      report.platform
    ];
    if (!arch) return fail(`unknown Windows platform ${report.platform}`);
    return ok({ os: 'windows', arch });
  }
  return fail(`unsupported operating system ${report.system}`);
}

function describePlatform(platform: PlatformDescription): string {
  const parts = [`${platform.os} ${platform.arch}`];
  if (platform.libc) parts.push(`${platform.libc.kind} ${platform.libc.major}.${platform.libc.minor}`);
  if (platform.macos) parts.push(`macOS ${platform.macos.join('.')}`);
  return parts.join(', ');
}

/** Interpreter facts from its report; tags computed when pip did not give them. */
export function factsFromReport(report: FactsReport): InterpreterFacts {
  const described = platformFromReport(report);
  if (!described.ok) {
    throw new UserError(
      `The Python interpreter ${report.executable} runs on an ${described.problem}; ferrowheel tests wheels on Linux, macOS and Windows.`,
    );
  }
  const platform = described.value;
  const freeThreaded = report.gil_disabled || report.abiflags.includes('t');
  let tags = report.tags ?? [];
  const tagSource = tags.length > 0 ? 'pip' : 'computed';
  if (tags.length === 0) {
    const implementation = ({ cpython: 'cp', pypy: 'pp' } as Record<string, 'cp' | 'pp'>)[
      report.implementation
    ];
    if (!implementation) {
      throw new UserError(
        `Cannot tell which wheels the ${report.implementation} interpreter ${report.executable} installs: it has no pip to ask. ` +
          'Install pip into it (python -m ensurepip), or test with CPython or PyPy.',
      );
    }
    const interpreter: Interpreter = {
      implementation,
      major: report.major,
      minor: report.minor,
      abiFlags: freeThreaded ? 't' : '',
      platforms: platformTags(platform),
    };
    // PyPy's ABI tag is its SOABI with '-' → '_': pypy310-pp73-x86_64-linux-gnu → pypy310_pp73.
    if (implementation === 'pp' && report.soabi)
      interpreter.pypyAbi = report.soabi.split('-').slice(0, 2).join('_');
    tags = supportedTags(interpreter);
  }
  return {
    executable: report.executable,
    implementation: report.implementation,
    version: report.version,
    major: report.major,
    minor: report.minor,
    freeThreaded,
    tags,
    tagSource,
    platform: describePlatform(platform),
    machine: report.machine,
    markers: report.markers ?? {},
  };
}

/**
 * Runs the interpreter once to learn its facts. `where` says where it runs when that is not the
 * runner (`in python:3.12-slim (linux/arm64)`), and `probe` is facts.py as that place sees it.
 */
export async function queryInterpreter(
  python: PythonCommand,
  exec: Exec,
  options: { probe?: string; where?: string } = {},
): Promise<InterpreterFacts> {
  let stdout: string;
  try {
    ({ stdout } = await exec(python.program, [...python.args, options.probe ?? factsProbe()], {
      silent: true,
    }));
  } catch (thrown) {
    const detail =
      thrown instanceof CommandError ? thrown.output.trim().split('\n').slice(-3).join(' ') : String(thrown);
    throw new UserError(
      options.where
        ? `Input 'python' ('${python.display}') could not be run ${options.where}: ${detail}. ` +
            "Use an image that has this interpreter in 'container', or set 'python' to a command, absolute path or version the image has."
        : `Input 'python' ('${python.display}') could not be run: ${detail}. ` +
            "Install the interpreter first (actions/setup-python), or set 'python' to its path or version.",
    );
  }
  const line = stdout.trim().split(/\r?\n/).at(-1) ?? '';
  let report: FactsReport;
  try {
    report = JSON.parse(line) as FactsReport;
  } catch {
    throw new UserError(
      `Input 'python' ('${python.display}') ran but did not answer like a Python 3 interpreter (printed ${JSON.stringify(line.slice(0, 200))}). ` +
        "Set 'python' to a CPython or PyPy 3 interpreter.",
    );
  }
  return factsFromReport(report);
}

/** `CPython 3.11.7 (linux x86_64, glibc 2.36)`, `CPython 3.13.1 free-threaded (...)`. */
export function describeInterpreter(facts: InterpreterFacts): string {
  const name =
    ({ cpython: 'CPython', pypy: 'PyPy' } as Record<string, string>)[facts.implementation] ??
    facts.implementation;
  return `${name} ${facts.version}${facts.freeThreaded ? ' free-threaded' : ''} (${facts.platform})`;
}
