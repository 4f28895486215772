/**
 * A venv of Python tools (the audit's abi3audit, auditwheel and twine), installed from a
 * hash-locked requirements file (`--require-hashes`: every package pinned, every file checked) and
 * kept in the runner's tool cache under a key of the lock's digest and the interpreter's version, so a
 * runner creates it once and every later step reuses it. uv installs it when on PATH, else pip.
 *
 * It is built in a staging directory and renamed into place: a half-installed venv is never
 * found, and two jobs creating it at once both end with a complete one. The tools are run as
 * `<venv python> -m <tool>`, which works from the moved venv (its console scripts' shebangs would
 * still name the staging path).
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CommandError } from './errors.js';
import type { Exec } from './exec.js';
import { findOnPath, pathKind, sha256 } from './files.js';
import { defaultPythonCommand, type Os, venvPython } from './platform.js';
import { type Command, type Installer, installCommand, venvCommand } from './python-installer.js';

export interface ToolVenvRequest {
  /** The tool set's directory in the tool cache (`ferrowheel-audit-tools`). */
  name: string;
  /** The hash-locked requirements file. */
  lock: string;
  /** The oldest Python the lock was resolved for. */
  minimumPython: { major: number; minor: number };
}

export interface ToolVenvContext {
  toolCache: string;
  /** Where the venv goes when the tool cache is not writable (the job's temp dir). */
  tempDir: string;
  /** The interpreter to make the venv from (a command or a path); default: see {@link candidates}. */
  python?: string | undefined;
  os: Os;
  /** The environment the interpreter and uv are found in, and the installers run with. */
  env: Record<string, string>;
  exec: Exec;
}

export interface ToolVenv {
  /** The venv's Python: run a tool as `python -m <tool>`. */
  python: string;
  dir: string;
  /** False when the tool cache already held it. */
  created: boolean;
  installer: Installer['kind'];
  /** The interpreter it was made from, and its version. */
  base: { python: string; version: string };
  durationMs: number;
}

/** Why there is no tool venv, as a kind (never told apart by its text) and the details. */
export type ToolVenvFailure =
  | { kind: 'no-python'; command: string }
  | { kind: 'old-python'; python: string; version: string; minimum: string }
  | { kind: 'install-failed'; installer: Installer['kind']; python: string; output: string }
  | { kind: 'no-place'; dirs: string[] };

export type ToolVenvOutcome = { ok: true; value: ToolVenv } | { ok: false; failure: ToolVenvFailure };

const MANIFEST = 'ferrowheel-tool-venv.json';

/**
 * The interpreters tried, in order: the one asked for, else the versioned commands of the CPythons
 * the lock has wheels for (never a free-threaded `python3.13t`), then `python3`. On Windows, where
 * installers make no versioned commands, `python`.
 */
function candidates(context: ToolVenvContext): string[] {
  if (context.python !== undefined) return [context.python];
  if (context.os === 'windows') return [defaultPythonCommand('windows')];
  return [
    'python3.13',
    'python3.12',
    'python3.11',
    'python3.10',
    'python3.14',
    defaultPythonCommand(context.os),
  ];
}

/** A candidate's version from `--version`, or undefined when it does not run (a pyenv shim of another version). */
async function versionOf(python: string, context: ToolVenvContext) {
  const printed = await context
    .exec(python, ['--version'], { silent: true, allowFailure: true, env: context.env })
    .catch(() => undefined);
  if (printed?.exitCode !== 0) return undefined;
  const match = /Python (\d+)\.(\d+)(\S*)/.exec(`${printed.stdout}${printed.stderr}`);
  return match
    ? { major: Number(match[1]), minor: Number(match[2]), text: `${match[1]}.${match[2]}${match[3]}` }
    : undefined;
}

/** The first candidate that runs and is new enough, and its version; else why there is none. */
async function baseInterpreter(
  request: ToolVenvRequest,
  context: ToolVenvContext,
): Promise<{ ok: true; python: string; version: string } | { ok: false; failure: ToolVenvFailure }> {
  const { major, minor } = request.minimumPython;
  const minimum = `${major}.${minor}`;
  let tooOld: { python: string; version: string } | undefined;
  for (const command of candidates(context)) {
    const python =
      findOnPath(command, context.env, context.os) ??
      (command.includes('/') || command.includes('\\') ? command : undefined);
    if (python === undefined) continue;
    const version = await versionOf(python, context);
    if (version === undefined) continue;
    if (version.major === major && version.minor >= minor) return { ok: true, python, version: version.text };
    tooOld ??= { python, version: version.text };
  }
  if (tooOld) return { ok: false, failure: { kind: 'old-python', ...tooOld, minimum } };
  return { ok: false, failure: { kind: 'no-python', command: candidates(context).join(', ') } };
}

/**
 * The lock's digest and the interpreter's exact version: one venv serves every interpreter of that
 * version (a pyenv shim and the binary behind it, two runners' identical builds), and a venv
 * whose interpreter has gone is noticed by {@link reusable} and made again.
 */
function venvKey(lock: Buffer, version: string): string {
  return sha256(Buffer.concat([lock, Buffer.from(`\0${version}`)])).slice(0, 16);
}

function cached(dir: string, os: Os): boolean {
  return pathKind(path.join(dir, MANIFEST)) === 'file' && pathKind(venvPython(os, dir)) === 'file';
}

/** A complete venv in the tool cache whose Python still runs as the version it was made with. */
async function reusable(dir: string, version: string, context: ToolVenvContext): Promise<boolean> {
  if (!cached(dir, context.os)) return false;
  return (await versionOf(venvPython(context.os, dir), context))?.text === version;
}

function chooseInstaller(context: ToolVenvContext): Installer {
  const uv = findOnPath('uv', context.env, context.os);
  return uv ? { kind: 'uv', uv } : { kind: 'pip' };
}

async function install(
  staging: string,
  base: string,
  request: ToolVenvRequest,
  context: ToolVenvContext,
  installer: Installer,
): Promise<string | undefined> {
  const commands: Command[] = [
    venvCommand(installer, { python: base, venv: staging }),
    installCommand(installer, {
      os: context.os,
      venv: staging,
      requirements: ['--requirement', request.lock],
      requireHashes: true,
    }),
  ];
  for (const command of commands) {
    try {
      // In the tool cache, so no project's uv.toml or pip.conf beside the workspace applies; the
      // runner's own configuration (a mirror in PIP_INDEX_URL, UV_INDEX_URL) still does.
      await context.exec(command.program, command.args, {
        cwd: path.dirname(staging),
        env: context.env,
        silent: true,
      });
    } catch (thrown) {
      if (!(thrown instanceof CommandError)) throw thrown;
      return thrown.output.trim().split(/\r?\n/).slice(-12).join('\n');
    }
  }
  return undefined;
}

/**
 * A staging directory in the first of `parents` this user can write to: the tool cache, else the
 * job's temp dir (a self-hosted runner's tool cache can belong to another user, or be read-only).
 */
function stagingDir(
  parents: readonly string[],
  prefix: string,
): { parent: string; staging: string } | undefined {
  for (const parent of parents) {
    try {
      mkdirSync(parent, { recursive: true });
      return { parent, staging: mkdtempSync(path.join(parent, `${prefix}.partial-`)) };
    } catch (thrown) {
      const code = (thrown as { code?: unknown } | null)?.code;
      if (!['EACCES', 'EPERM', 'EROFS', 'ENOTDIR'].includes(String(code))) throw thrown;
    }
  }
  return undefined;
}

/** Creates the venv in `staging` and moves it to `dir`; the installer's output when it failed. */
async function create(
  place: { staging: string; dir: string },
  base: { python: string; version: string },
  request: ToolVenvRequest,
  context: ToolVenvContext,
  installer: Installer,
): Promise<string | undefined> {
  const { staging, dir } = place;
  const output = await install(staging, base.python, request, context, installer);
  if (output !== undefined) return output;
  writeFileSync(
    path.join(staging, MANIFEST),
    `${JSON.stringify({ python: base.python, version: base.version })}\n`,
  );
  // What a job that died mid-rename left, or a venv whose interpreter has gone.
  if (!(await reusable(dir, base.version, context))) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch (thrown) {
    // Another job on this runner finished the same venv first: use theirs.
    if (!(await reusable(dir, base.version, context))) throw thrown;
  }
  return undefined;
}

/** The tool venv of `request`: from the tool cache (or this job's temp dir), else created there. */
export async function toolVenv(request: ToolVenvRequest, context: ToolVenvContext): Promise<ToolVenvOutcome> {
  const started = Date.now();
  const base = await baseInterpreter(request, context);
  if (!base.ok) return base;
  const name = `${base.version}-${venvKey(readFileSync(request.lock), base.version)}`;
  const parents = [path.join(context.toolCache, request.name), path.join(context.tempDir, request.name)];
  const installer = chooseInstaller(context);
  const done = (dir: string, created: boolean): ToolVenvOutcome => ({
    ok: true,
    value: {
      python: venvPython(context.os, dir),
      dir,
      created,
      installer: installer.kind,
      base: { python: base.python, version: base.version },
      durationMs: Date.now() - started,
    },
  });
  for (const parent of parents) {
    if (await reusable(path.join(parent, name), base.version, context))
      return done(path.join(parent, name), false);
  }
  const place = stagingDir(parents, name);
  if (!place) return { ok: false, failure: { kind: 'no-place', dirs: parents } };
  const dir = path.join(place.parent, name);
  try {
    const output = await create({ staging: place.staging, dir }, base, request, context, installer);
    if (output === undefined) return done(dir, true);
    return {
      ok: false,
      failure: { kind: 'install-failed', installer: installer.kind, python: base.python, output },
    };
  } finally {
    rmSync(place.staging, { recursive: true, force: true });
  }
}
