/**
 * Where the wheels to test come from: a directory, a glob, a file, or the JSON `wheels` output of
 * the build action (an array of `{ path, filename, ... }`).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { firstEscape } from '@ferrowheel/kit/containment';
import { messageOf, UserError } from '@ferrowheel/kit/errors';
import { danglingLinkTarget, pathKind } from '@ferrowheel/kit/files';
import { fail, ok, type Result } from '@ferrowheel/kit/result';

export type WheelsSpec =
  /** Paths from the build action's JSON output (absolute, or relative to working-directory). */
  | { kind: 'files'; files: string[] }
  /** Directories, files or globs, one per line, relative to working-directory. */
  | { kind: 'patterns'; patterns: string[] };

/** Parses the `wheels` input; the problem in words when it cannot be used. */
export function parseWheelsInput(raw: string): Result<WheelsSpec> {
  const text = raw.trim();
  if (text.startsWith('[') || text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (thrown) {
      return fail(`looks like JSON but does not parse (${messageOf(thrown)})`);
    }
    if (!Array.isArray(parsed)) return fail('is JSON but not an array of wheels');
    if (parsed.length === 0) return fail('is an empty list: the build step produced no wheels');
    const files: string[] = [];
    for (const entry of parsed) {
      if (typeof entry === 'string') files.push(entry);
      else if (
        entry !== null &&
        typeof entry === 'object' &&
        typeof (entry as { path?: unknown }).path === 'string'
      ) {
        files.push((entry as { path: string }).path);
      } else {
        return fail(`holds an entry without a "path": ${JSON.stringify(entry)}`);
      }
    }
    return ok({ kind: 'files', files });
  }
  const patterns = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (patterns.length === 0) return fail('is empty');
  return ok({ kind: 'patterns', patterns });
}

const GLOB_CHARS = /[*?[{]/;

/** The wheels one entry names: a glob's matches, a directory's wheels, or the file itself. */
async function wheelsOfEntry(entry: string, spec: WheelsSpec, workingDirectory: string): Promise<string[]> {
  const absolute = path.resolve(workingDirectory, entry);
  if (spec.kind === 'patterns' && GLOB_CHARS.test(entry)) {
    // Loaded only here: most runs pass a directory or the build action's JSON.
    const glob = await import('@actions/glob');
    const globber = await glob.create(absolute, { matchDirectories: false });
    return (await globber.glob()).filter((file) => file.endsWith('.whl'));
  }
  const kind = pathKind(absolute);
  if (kind === 'directory' && spec.kind === 'patterns') {
    return readdirSync(absolute)
      .filter((name) => name.endsWith('.whl'))
      .map((name) => path.join(absolute, name));
  }
  if (kind === 'file') {
    if (absolute.endsWith('.whl')) return [absolute];
    throw new UserError(
      `Input 'wheels' names ${absolute}, which is not a wheel (.whl). Point 'wheels' at the wheel files or their directory.`,
    );
  }
  if (kind === 'directory') {
    throw new UserError(
      `Input 'wheels' lists ${absolute}, which is a directory, not a wheel file. Pass the build action's \`wheels\` output unchanged, or give the directory as a plain path (not JSON).`,
    );
  }
  throw new UserError(
    `Input 'wheels' names ${absolute}, which does not exist. ` +
      'Build the wheels first (ferrowheel/ferrowheel/actions/build) in this job, or download their artifact, and pass its path.',
  );
}

/** Every file found must be a real wheel inside `workspace`, not a dangling link or a link out. */
function checkFound(found: ReadonlySet<string>, workspace: string): void {
  for (const file of found) {
    // A dangling link listed by the directory would otherwise fail later as a raw ENOENT.
    const target = danglingLinkTarget(file);
    if (target !== undefined) {
      throw new UserError(
        `Input 'wheels' found ${file}, a symbolic link to ${target}, which does not exist. ` +
          'Remove the link or make it point at the built wheel (was the artifact downloaded completely?).',
      );
    }
  }
  const outside = firstEscape(workspace, found);
  if (outside) {
    throw new UserError(
      `Input 'wheels' matched ${outside.file}, which ${outside.problem}. Keep the wheels to test inside the checkout (a real file, not a link to one elsewhere).`,
    );
  }
}

/**
 * The wheel files the spec names, absolute, sorted, without duplicates. Each must really be
 * inside `workspace` (symlinks resolved): a link in dist/ to a file elsewhere is refused.
 */
export async function resolveWheelFiles(
  spec: WheelsSpec,
  workingDirectory: string,
  workspace: string = workingDirectory,
): Promise<string[]> {
  const found = new Set<string>();
  const entries = spec.kind === 'files' ? spec.files : spec.patterns;
  for (const entry of entries) {
    for (const file of await wheelsOfEntry(entry, spec, workingDirectory)) found.add(file);
  }
  checkFound(found, workspace);
  if (found.size === 0) {
    throw new UserError(
      `No wheel files (.whl) found in ${entries.join(', ')} (relative to ${workingDirectory}). ` +
        "Build the wheels first, or set 'wheels' to the build action's `wheels` output.",
    );
  }
  return [...found].sort();
}
