/**
 * Containment by real path: is a path inside the workspace once every symbolic link (and, on
 * Windows, junction) on the way is resolved? Comparing path text is not enough: a symlink
 * `ws/etc -> /etc` makes `ws/etc/passwd` read /etc/passwd (issue 9, class 4). Every action checks
 * paths from inputs with {@link checkContained} (through kit inputs.ts `getWorkspacePath`, or
 * directly for lists, globs and requirement files).
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The real path of `p`: `realpath` of its deepest existing ancestor, with the rest (which does not
 * exist yet, such as an output directory) appended as written.
 */
export function realPathOf(p: string): string {
  const absolute = path.resolve(p);
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(realpathSync(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/** True when `child` is `root` or below it, as text (both absolute, normalised). */
export function isWithin(root: string, child: string): boolean {
  const relative = path.relative(root, child);
  // `..` as a whole segment leaves; a name such as `..cache` does not.
  return !(relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative));
}

export type Containment =
  | { inside: true; path: string }
  /** `real` is where the path really leads (differs from `path` when a symlink took it out). */
  | { inside: false; path: string; real: string; viaLink: boolean };

/**
 * Whether `candidate` (absolute, or relative to `root`) stays inside `root` both as text and by
 * real path. `path` is the absolute path as written (links not resolved), for messages and use.
 */
export function checkContained(root: string, candidate: string): Containment {
  const absoluteRoot = path.resolve(root);
  const absolute = path.resolve(absoluteRoot, candidate);
  // Only where the path really leads counts (the workspace itself may sit behind a link, as
  // /var does on macOS); the text tells whether a link inside the workspace took it out.
  const real = realPathOf(absolute);
  if (isWithin(realPathOf(absoluteRoot), real)) return { inside: true, path: absolute };
  return { inside: false, path: absolute, real, viaLink: isWithin(absoluteRoot, absolute) };
}

/** The words for a path that left `root`: "points outside the workspace (...)", naming a link. */
export function describeEscape(result: Extract<Containment, { inside: false }>, root: string): string {
  return result.viaLink
    ? `leads outside the workspace (${path.resolve(root)}) through a symbolic link, to ${result.real}`
    : `points outside the workspace (${path.resolve(root)})`;
}

/** The first of `files` that is not really inside `root`, with the words for where it leads. */
export function firstEscape(
  root: string,
  files: Iterable<string>,
): { file: string; problem: string } | undefined {
  for (const file of files) {
    const contained = checkContained(root, file);
    if (!contained.inside) return { file, problem: describeEscape(contained, root) };
  }
  return undefined;
}

const GLOB_CHARS = /[*?[{]/;

/**
 * The part of a glob pattern before its first segment with a wildcard: `dist` for `dist/*.whl`,
 * `.` for `*.whl`, `/etc` for `/etc/**`. A pattern without wildcards is returned as it is. Check
 * this base for containment, then each file the pattern matches.
 */
export function globBase(pattern: string): string {
  if (!GLOB_CHARS.test(pattern)) return pattern;
  const segments = pattern.split(/[/\\]/);
  const first = segments.findIndex((segment) => GLOB_CHARS.test(segment));
  const base = segments.slice(0, first).join('/');
  if (base === '') return pattern.startsWith('/') || pattern.startsWith('\\') ? '/' : '.';
  return base;
}
