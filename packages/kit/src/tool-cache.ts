/**
 * The runner's tool cache (RUNNER_TOOL_CACHE), in @actions/tool-cache's layout:
 * `<root>/<tool>/<version>/<arch>/` plus an empty `<arch>.complete` marker, so other actions'
 * `tc.find` see these entries too. Done here without @actions/tool-cache: it ranks versions by
 * semver (it cannot read `1.0.0b7` or `0.11.0.post1`), costs start-up time on the path that must
 * be fastest, and saves by copying (see {@link stagingDir}).
 *
 * Each entry ferrowheel writes holds `ferrowheel-tool.json`: the exact version, how it was
 * installed and where the program is. Entries without it (put there by something else) are not
 * trusted, because nothing says they were verified.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { maxSatisfying } from './pep440.js';

/** A tool as the cache knows it: the folder name under the tool cache (the PyPI package name). */
export interface Tool {
  name: string;
}

export type InstallMethod = 'wheel' | 'venv';

export interface CacheManifest {
  tool: string;
  version: string;
  method: InstallMethod;
  /** The directory holding the program, relative to the entry. */
  binDir: string;
  /** The program's file name. */
  program: string;
  /** SHA256 of the wheel it came from (wheel installs). */
  wheelSha256?: string;
}

export const MANIFEST = 'ferrowheel-tool.json';

export interface CachedTool {
  version: string;
  /** The entry's directory. */
  dir: string;
  /** Directory to put on PATH. */
  binDir: string;
  /** The program's absolute path. */
  program: string;
  method: InstallMethod;
  /** SHA256 of the wheel it came from (wheel installs). */
  wheelSha256?: string;
}

function readManifest(dir: string): CacheManifest | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as CacheManifest;
  } catch {
    return undefined;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Every complete entry of `tool` this action wrote, for `arch`. */
export function cachedVersions(root: string, tool: Tool, arch: string): CachedTool[] {
  const found: CachedTool[] = [];
  const toolDir = path.join(root, tool.name);
  for (const versionDir of listDir(toolDir)) {
    const dir = path.join(toolDir, versionDir, arch);
    if (!listDir(path.join(toolDir, versionDir)).includes(`${arch}.complete`)) continue;
    const manifest = readManifest(dir);
    if (!manifest || manifest.tool !== tool.name) continue;
    const binDir = path.join(dir, manifest.binDir);
    const program = path.join(binDir, manifest.program);
    if (!listDir(binDir).includes(manifest.program)) continue;
    found.push({
      version: manifest.version,
      dir,
      binDir,
      program,
      method: manifest.method,
      ...(manifest.wheelSha256 ? { wheelSha256: manifest.wheelSha256 } : {}),
    });
  }
  return found;
}

/** The highest cached version satisfying `constraint` ('' admits any final release). */
export function findCached(
  root: string,
  tool: Tool,
  constraint: string,
  arch: string,
): CachedTool | undefined {
  const entries = cachedVersions(root, tool, arch);
  const best = maxSatisfying(
    entries.map((e) => e.version),
    constraint,
  );
  return entries.find((e) => e.version === best);
}

/**
 * The directory of an entry built in place. @actions/tool-cache names the version folder
 * `semver.clean(version) || version`, which is the version itself for every PEP 440 version
 * PyPI serves (normalised, no `v`), so both writers agree.
 */
export function entryDir(root: string, tool: Tool, version: string, arch: string): string {
  return path.join(root, tool.name, version, arch);
}

/**
 * A fresh staging directory beside the entry's final place: the same file system, so finishing is
 * a rename. (@actions/tool-cache's cacheDir copies file by file instead: 19 s for zig's 19,503
 * files on this machine, against an instant rename.)
 */
export function stagingDir(root: string, tool: Tool, version: string, arch: string): string {
  const parent = path.dirname(entryDir(root, tool, version, arch));
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(path.join(parent, `${arch}.partial-`));
}

/**
 * Moves a verified staging directory into place and marks it complete. When another job on the
 * same runner finished the same entry first, theirs is used; when the rename is refused (on
 * Windows an antivirus scan can hold a handle on the fresh binary), the files are copied instead.
 */
export function commitStaged(
  staging: string,
  root: string,
  tool: Tool,
  manifest: CacheManifest,
  arch: string,
): CachedTool {
  const dir = entryDir(root, tool, manifest.version, arch);
  rmSync(`${dir}.complete`, { force: true });
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch (thrown) {
    const theirs = findCached(root, tool, `==${manifest.version}`, arch);
    if (theirs) return theirs;
    const code = (thrown as { code?: unknown } | null)?.code;
    if (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES') throw thrown;
    cpSync(staging, dir, { recursive: true });
  }
  return completeInPlace(dir, manifest);
}

/** Marks an entry built in place (a venv, which cannot be moved) as complete. */
export function completeInPlace(dir: string, manifest: CacheManifest): CachedTool {
  writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(`${dir}.complete`, '');
  const binDir = path.join(dir, manifest.binDir);
  return {
    version: manifest.version,
    dir,
    binDir,
    program: path.join(binDir, manifest.program),
    method: manifest.method,
    ...(manifest.wheelSha256 ? { wheelSha256: manifest.wheelSha256 } : {}),
  };
}
