/**
 * The project's own locked test environment. A project that locks its test tools (uv.lock, or a
 * PEP 751 pylock.toml) tests with those versions; installing the newest instead tests something
 * else (a newer pytest that turns a new deprecation into an error under `filterwarnings =
 * "error"`). The lock gives pinned requirements with hashes for the project's runtime
 * dependencies, extras and dependency groups. The project itself never comes from the lock: the
 * wheel under test is the project.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommandError, messageOf, ProjectError, showValue, UserError } from '@ferrowheel/kit/errors';
import { childEnv, type Exec } from '@ferrowheel/kit/exec';
import { isValidVersion, satisfies } from '@ferrowheel/kit/pep440';
import { readToml, type TomlTable, tomlGet } from '@ferrowheel/kit/project';
import type { PythonLock, TomlFile } from '@ferrowheel/kit/project-layout';
import type { Result } from '@ferrowheel/kit/result';
import { isValidProjectName, normaliseName } from '@ferrowheel/kit/wheel';
import { evaluateMarker, type MarkerEnvironment, type MarkerFacts, markerEnvironment } from './markers.js';
import { pylockGroups, selectPylockPackages } from './pylock.js';

export const LOCK_MODES = ['auto', 'off', 'require'] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** The project's lock, as kit's project locator finds it (uv.lock at the uv workspace root...). */
export type LockFile = PythonLock;

/** The locked requirements for one test run. */
export interface LockedSet {
  lock: LockFile;
  /** Pinned requirement lines with hashes (markers kept; the installer evaluates them). */
  lines: string[];
  /** Normalised names of the packages the lock pins, to leave out of the unlocked install. */
  pinned: Set<string>;
  /** `name==version ; marker` lines: constraints that keep later installs at the locked versions. */
  constraints: string[];
  /** The groups the lock installed (the rest come from pyproject.toml, unlocked). */
  groups: string[];
  /** One line for the log and the summary: `uv.lock (8 packages)`. */
  description: string;
}

export interface LockRequest {
  mode: LockMode;
  lock: LockFile | undefined;
  /**
   * The uv executable, asked for only when a uv.lock is to be exported (uv.lock can only be read
   * by uv): the one on PATH, else the pinned one (kit uv.ts), or why there is none.
   */
  uv: () => Promise<Result<string>>;
  workingDirectory: string;
  /** Where the groups are defined: the project's pyproject.toml, then its uv workspace root's. */
  groupSources: readonly TomlFile[];
  /** True for a member of a uv workspace (its lock is the root's). */
  workspaceMember: boolean;
  /** The projects of the wheels under test, normalised: never installed from the lock. */
  projects: ReadonlySet<string>;
  extras: readonly string[];
  groups: readonly string[];
  interpreter: MarkerFacts & { executable: string; description: string };
  /**
   * An interpreter on this host for `uv export --locked` to check the lock with: the one under
   * test when the tests run here. uv always runs on the runner (it only exports); when the tests
   * run elsewhere (a container), leave it out and uv finds one on PATH, never downloading one.
   */
  hostPython: string | undefined;
  /** Where the exported requirements go. */
  workDir: string;
}

/** What happened: a locked set, or no lock used and why (for the log). */
export type LockOutcome = ({ locked: LockedSet } | { unlocked: string }) & { warning?: string };

const REFRESH = {
  uv: 'Refresh it with `uv lock` in the project and commit it',
  pylock: 'Regenerate it (pip lock, or uv export --format pylock.toml) and commit it',
};

/** Does the lock cover the interpreter (`requires-python`, environment markers)? A problem, or undefined. */
export function lockCoverage(
  table: TomlTable,
  lock: LockFile,
  env: MarkerEnvironment,
  interpreter: string,
): string | undefined {
  const requiresPython = tomlGet(table, ['requires-python']);
  if (typeof requiresPython === 'string' && requiresPython.trim() !== '') {
    const version = env.values.python_full_version!;
    if (!satisfies(version, requiresPython.replace(/\s+/g, ''))) {
      return `${lock.label} is locked for Python ${requiresPython}, which does not cover the test interpreter, ${interpreter}`;
    }
  }
  const markers =
    lock.kind === 'uv' ? tomlGet(table, ['supported-markers']) : tomlGet(table, ['environments']);
  if (Array.isArray(markers) && markers.length > 0) {
    const covered = markers.some((m) => {
      try {
        return typeof m === 'string' && evaluateMarker(m, env);
      } catch {
        return true; // A marker we cannot read is not evidence against the lock.
      }
    });
    if (!covered) {
      return `${lock.label} is locked only for the environments ${markers.map((m) => `"${m}"`).join(' or ')}, which do not include the test interpreter, ${interpreter}`;
    }
  }
  return undefined;
}

/** `uv export`'s environment: no UV_FROZEN/UV_LOCKED from the job overriding the flag chosen. */
function exportEnv(): Record<string, string> {
  return childEnv({ UV_FROZEN: undefined, UV_LOCKED: undefined, UV_NO_SYNC: undefined });
}

/** uv's output without its progress lines (`Using CPython ...`, `Resolved 12 packages ...`). */
function withoutProgress(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^(Using|Resolved|Audited|Prepared) /.test(l))
    .join('\n')
    .trim();
}

function lastLines(thrown: unknown, count = 8): string {
  const text = thrown instanceof CommandError ? thrown.output : messageOf(thrown);
  return text.trim().split(/\r?\n/).slice(-count).join('\n');
}

/**
 * The groups to take from the lock: those the locked project's pyproject.toml defines, or its uv
 * workspace root's (`uv export --group` finds a root's group from a member too). The course
 * layout's sample/ groups are in no lock; they install unlocked.
 */
function lockedGroups(sources: readonly TomlFile[], groups: readonly string[]): string[] {
  const names = new Set(
    sources.flatMap((source) => {
      const defined = tomlGet(source.table, ['dependency-groups']);
      return defined && typeof defined === 'object' ? Object.keys(defined as object).map(normaliseName) : [];
    }),
  );
  return groups.filter((g) => names.has(normaliseName(g)));
}

/**
 * The default groups of a uv workspace member, found as a named group is: `[tool.uv]
 * default-groups` (the member's, else the root's; `dev` when neither sets it, as uv's default),
 * each from the member's pyproject.toml, else the root's. uv's own default for a member takes only
 * the member's groups, so a member whose `dev` group (pytest) lives at the workspace root would
 * test with no locked pytest; `uv run pytest` at the root, as its maintainers run it, has it.
 */
function memberDefaultGroups(sources: readonly TomlFile[]): string[] {
  const declared = sources
    .map((source) => tomlGet(source.table, ['tool', 'uv', 'default-groups']))
    .find((value) => value !== undefined);
  const defined = (source: TomlFile) => {
    const groups = tomlGet(source.table, ['dependency-groups']);
    return groups && typeof groups === 'object' ? Object.keys(groups as object) : [];
  };
  const names =
    declared === 'all'
      ? sources.flatMap(defined)
      : Array.isArray(declared)
        ? declared.filter((g): g is string => typeof g === 'string')
        : ['dev'];
  return [...new Set(lockedGroups(sources, names))];
}

function packages(count: number): string {
  return `${count} package${count === 1 ? '' : 's'}`;
}

/**
 * Parses `uv export`'s requirements.txt: pinned lines with their hashes, joined. The lines go into
 * a requirements file the installer reads, so each is parsed whole, as strictly as a pylock.toml
 * entry: a PEP 508 name, a PEP 440 version, an optional marker that holds no option, and only
 * `--hash=` options with hex digests. Anything else (an `--extra-index-url` smuggled in through
 * a version, say) is refused rather than passed on. `file` names the lock it was exported from.
 */
export function parseExport(
  text: string,
  file = 'uv.lock',
): { lines: string[]; constraints: string[]; pinned: Set<string> } {
  const lines: string[] = [];
  const constraints: string[] = [];
  const pinned = new Set<string>();
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of logical) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const match =
      /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+?)(?:\s*;(.*?))?((?:\s+--hash=(?:sha256|sha384|sha512):[0-9a-f]+)*)$/.exec(
        line,
      );
    if (!match) {
      throw new UserError(
        `uv export gave a requirement the test cannot install with hashes: ${showValue(line)}. ` +
          'Only released packages can be installed from the lock; a path or VCS dependency has no hash.',
      );
    }
    const [, name, version, marker] = match as unknown as [string, string, string, string | undefined];
    if (!isValidProjectName(name)) {
      throw new ProjectError(
        file,
        `uv export gave a package whose name is not a valid project name: ${showValue(name)}`,
        'A name has only letters, digits and -_. (PEP 508); regenerate the lock with uv lock.',
      );
    }
    if (!isValidVersion(version) || (marker !== undefined && /(^|\s)-/.test(marker))) {
      const [what, value] = isValidVersion(version)
        ? ['a marker holding an option', marker!]
        : ['a version that is not a PEP 440 version', version];
      throw new ProjectError(
        file,
        `uv export gave package '${name}' ${what}: ${showValue(value)}`,
        'Regenerate the lock with uv lock; do not edit uv.lock by hand.',
      );
    }
    lines.push(line.replace(/\s+/g, ' '));
    pinned.add(normaliseName(name));
    constraints.push(`${name}==${version}${marker !== undefined ? ` ; ${marker.trim()}` : ''}`);
  }
  return { lines, constraints, pinned };
}

type UvCheck = '--locked' | '--frozen';

/** `uv export`'s arguments: the lock's pins for the groups and extras asked, as requirements.txt. */
function uvExportArgv(
  request: LockRequest,
  context: { groups: string[]; explicitDefaults: boolean },
  output: string,
  check: UvCheck,
): string[] {
  return [
    'export',
    check,
    '--format',
    'requirements.txt',
    '--no-header',
    // Neither the project nor any workspace member: the wheel under test is the project.
    '--no-emit-workspace',
    ...(request.groups.length > 0 || context.explicitDefaults
      ? ['--no-default-groups', ...context.groups.flatMap((g) => ['--group', g])]
      : []),
    ...request.extras.flatMap((e) => ['--extra', e]),
    // The interpreter under test, when it is on this host: uv need not look for one that suits
    // requires-python; else one on PATH, never a download.
    ...(request.hostPython !== undefined ? ['--python', request.hostPython] : ['--no-python-downloads']),
    '--output-file',
    output,
  ];
}

/**
 * Runs `uv export --locked`; a lock out of date with pyproject.toml is an error under `lock:
 * require`, else exported `--frozen` with a warning (returned). Any other failure is an error.
 */
async function runUvExport(
  request: LockRequest,
  lock: LockFile,
  run: (check: UvCheck) => Promise<unknown>,
): Promise<string | undefined> {
  try {
    await run('--locked');
    return undefined;
  } catch (thrown) {
    const detail = lastLines(thrown);
    const stale = detail.split('\n').find((l) => /needs to be updated|out of date/.test(l));
    if (stale === undefined) {
      throw new UserError(
        `uv export of ${lock.label} failed:\n${withoutProgress(detail)}\n` +
          "Check 'groups' and 'extras' against pyproject.toml, or set 'lock' to off to install without the lock.",
      );
    }
    // uv's own line (its first lines name the interpreter and the resolution).
    const problem = `${lock.label} is out of date with pyproject.toml (uv export --locked: ${stale.replace(/^error:\s*/, '').trim()})`;
    if (request.mode === 'require') {
      throw new UserError(`${problem}. ${REFRESH.uv}, or set 'lock' to auto to test with it as it is.`);
    }
    try {
      await run('--frozen');
    } catch (again) {
      throw new UserError(
        `uv export of ${lock.label} failed:\n${lastLines(again)}\n${REFRESH.uv}, or set 'lock' to off.`,
      );
    }
    return `${problem}; testing with its locked versions anyway. ${REFRESH.uv}.`;
  }
}

async function exportUvLock(
  request: LockRequest,
  lock: LockFile,
  exec: Exec,
  context: { uv: string; groups: string[]; explicitDefaults: boolean },
): Promise<LockOutcome> {
  const output = path.join(request.workDir, 'uv-export.txt');
  const warning = await runUvExport(request, lock, (check) =>
    exec(context.uv, uvExportArgv(request, context, output, check), {
      cwd: request.workingDirectory,
      env: exportEnv(),
    }),
  );
  const parsed = parseExport(readFileSync(output, 'utf8'), lock.label);
  const locked: LockedSet = {
    lock,
    ...parsed,
    groups: context.groups,
    description: `${lock.label} (${packages(parsed.pinned.size)})`,
  };
  return warning ? { locked, warning } : { locked };
}

/**
 * Decides whether the lock is used, and gives its pinned requirements: `lock: off`; no lock; a
 * lock that cannot be read; one that does not cover the interpreter; else the uv.lock's export or
 * the pylock.toml's selection.
 */
export async function lockedRequirements(request: LockRequest, exec: Exec): Promise<LockOutcome> {
  const { lock, mode } = request;
  if (mode === 'off') return { unlocked: 'lock: off' };
  if (!lock) return noLock(request);
  const table = readLock(lock);
  const env = markerEnvironment(request.interpreter, { extras: request.extras, groups: request.groups });
  const uncovered = lockCoverage(table, lock, env, request.interpreter.description);
  if (uncovered) return uncoveredLock(mode, lock, uncovered);
  return lock.kind === 'uv' ? fromUvLock(request, lock, exec) : fromPylock(request, lock, table);
}

/** No lock found: an error under `lock: require`, else an unlocked install. */
function noLock(request: LockRequest): LockOutcome {
  if (request.mode === 'require') {
    const where = request.workspaceMember
      ? `neither ${request.workingDirectory} nor its uv workspace root has a uv.lock or pylock.toml`
      : `${request.workingDirectory} has no uv.lock or pylock.toml`;
    throw new UserError(
      `Input 'lock' is 'require', but ${where}. ` +
        "Create one with `uv lock` (or `pip lock`) and commit it, or set 'lock' to auto.",
    );
  }
  return { unlocked: 'no uv.lock or pylock.toml in the project' };
}

function readLock(lock: LockFile): TomlTable {
  try {
    return readToml(lock.path);
  } catch (thrown) {
    throw new ProjectError(lock.label, `cannot be read (${messageOf(thrown)})`, `${REFRESH[lock.kind]}.`);
  }
}

/** A lock that does not cover the interpreter: an error under `lock: require`, else a warning. */
function uncoveredLock(mode: LockMode, lock: LockFile, uncovered: string): LockOutcome {
  if (mode === 'require') {
    throw new UserError(
      `${uncovered}. Lock for this Python and platform too (${REFRESH[lock.kind]}), or test with an interpreter the lock covers.`,
    );
  }
  return { unlocked: uncovered, warning: `${uncovered}; installing without the lock.` };
}

/** A uv.lock, exported by uv (pip cannot read it): without uv there is no honouring it. */
async function fromUvLock(request: LockRequest, lock: LockFile, exec: Exec): Promise<LockOutcome> {
  const uv = await request.uv();
  if (!uv.ok) {
    const reason = `${lock.label} can only be exported by uv, and no uv could be had: ${uv.problem}`;
    if (request.mode === 'require')
      throw new UserError(
        `${reason}. Put uv on PATH before this step (astral-sh/setup-uv), or set 'lock' to auto or off.`,
      );
    return {
      unlocked: reason,
      warning: `${reason}; installing without the lock. Put uv on PATH before this step (astral-sh/setup-uv) to test with the locked versions.`,
    };
  }
  const defaults = request.groups.length === 0 && request.workspaceMember;
  return exportUvLock(request, lock, exec, {
    uv: uv.value,
    groups: defaults
      ? memberDefaultGroups(request.groupSources)
      : lockedGroups(request.groupSources, request.groups),
    explicitDefaults: defaults,
  });
}

/** A pylock.toml, read here: its packages for this interpreter, extras and groups. */
function fromPylock(request: LockRequest, lock: LockFile, table: TomlTable): LockOutcome {
  const { extras, groups } = pylockGroups(table, lock.label, {
    extras: request.extras,
    groups: request.groups,
  });
  const selection = selectPylockPackages(
    table,
    lock.label,
    markerEnvironment(request.interpreter, { extras, groups }),
    request.projects,
  );
  const skipped = selection.skipped.length > 0 ? `; not from the lock: ${selection.skipped.join('; ')}` : '';
  return {
    locked: {
      lock,
      lines: selection.lines,
      pinned: new Set(selection.pins.keys()),
      constraints: [...selection.pins].map(([name, version]) => `${name}==${version}`),
      groups: request.groups.length > 0 ? [...request.groups] : groups,
      description: `${lock.label} (${packages(selection.pins.size)}${skipped})`,
    },
  };
}
