/**
 * The build-paths rule: no file of the wheel (binaries, the SBOM under `.dist-info/sboms/`,
 * scripts, anything) holds a path inside the directories the build ran in: the workspace, the
 * runner's temp dir, the target dir, CARGO_HOME. Each is searched as the bytes a build writes it:
 * as is, with `/` for `\` (file URLs, rustc on Windows), with JSON's doubled `\\`, and through
 * symlinks resolved. A match must end at a path boundary, so `/work/p` does not match `/work/p2`.
 *
 * Roots shorter than two components (`/`, `/tmp`, `C:\`) are not searched: they are in every
 * binary (the standard library names `/tmp`) and say nothing about the builder.
 */
import { realpathSync } from 'node:fs';
import { listZipEntries, readZipEntry, type ZipSource } from '../zip.js';
import { type Finding, RULES } from './rules.js';

export type RootKind = 'workspace' | 'runner-temp' | 'target-dir' | 'cargo-home';

export interface BuildRoot {
  kind: RootKind;
  path: string;
  /**
   * What a path under it found in a wheel is. `error`: it must not be there (the build remapped it,
   * or nothing could have put it there legitimately). `warning`: expected where the wheel was built
   * without remapping it (CARGO_HOME's registry paths in panic messages): shown, never failing.
   */
  whenFound: 'error' | 'warning';
}

const ROOT_NAMES: Record<RootKind, string> = {
  workspace: 'the workspace',
  'runner-temp': "the runner's temp dir",
  'target-dir': 'the target dir',
  'cargo-home': 'CARGO_HOME',
};

const ROOT_FIXES: Record<RootKind, string> = {
  workspace: RULES['build-paths'].fix,
  'runner-temp': RULES['build-paths'].fix,
  'target-dir':
    'Paths under the target dir come from build-script output (OUT_DIR) compiled into the crate, e.g. include!(concat!(env!("OUT_DIR"), ...)) or a path a build script writes: remap it (build does, with --remap-path-prefix), or embed the contents instead of the path.',
  'cargo-home':
    'Paths under CARGO_HOME are the sources of dependencies (…/registry/src/…), named by their panic messages. build remaps CARGO_HOME with --remap-path-prefix; a wheel built elsewhere needs RUSTFLAGS="--remap-path-prefix=<CARGO_HOME>=/cargo" (and -ffile-prefix-map in CFLAGS for C code the cc crate compiles).',
};

/** Fewer than two components: too common to mean anything. */
function tooShort(root: string): boolean {
  return (
    root
      .replace(/^[A-Za-z]:/, '')
      .split(/[\\/]+/)
      .filter((part) => part !== '').length < 2
  );
}

/** Every spelling of a directory a build can write into a file. */
export function spellings(root: string): string[] {
  const trimmed = root.replace(/[\\/]+$/, '');
  const forms = new Set<string>([trimmed]);
  try {
    forms.add(realpathSync(trimmed));
  } catch {
    // A directory that is gone (or another OS's path in a test) is searched as given.
  }
  for (const form of [...forms]) {
    if (form.includes('\\')) {
      forms.add(form.replace(/\\/g, '/'));
      forms.add(form.replace(/\\/g, '\\\\'));
    }
  }
  return [...forms].filter((form) => !tooShort(form));
}

/** A path character: a match followed by one continues into another name. */
const NAME_CHAR = /[A-Za-z0-9_.-]/;

/** The printable run starting at `at` (the leaked path as the file holds it), cut to 160 chars. */
function pathAt(bytes: Buffer, at: number): string {
  let end = at;
  while (
    end < bytes.length &&
    end - at < 160 &&
    bytes[end]! >= 0x20 &&
    bytes[end]! < 0x7f &&
    bytes[end] !== 0x22
  )
    end++;
  return bytes.toString('latin1', at, end);
}

interface Match {
  file: string;
  example: string;
}

interface Searched {
  root: BuildRoot;
  /** Each spelling as bytes; Windows drive paths lower-cased, matched against the lower-cased file. */
  needles: { bytes: Buffer; folded: boolean }[];
}

function searched(root: BuildRoot): Searched {
  const needles = spellings(root.path).map((form) => {
    const folded = /^[A-Za-z]:/.test(form);
    return { bytes: Buffer.from(folded ? form.toLowerCase() : form, 'latin1'), folded };
  });
  return { root, needles };
}

/** A file's bytes, and lower-cased (for Windows paths) only when first needed. */
function haystack(bytes: Buffer) {
  let lower: Buffer | undefined;
  return (folded: boolean) => {
    if (!folded) return bytes;
    lower ??= Buffer.from(bytes.toString('latin1').toLowerCase(), 'latin1');
    return lower;
  };
}

function matchesAt(text: (folded: boolean) => Buffer, at: number, root: Searched): boolean {
  return root.needles.some((n) => {
    const hay = text(n.folded);
    if (!hay.subarray(at, at + n.bytes.length).equals(n.bytes)) return false;
    const next = hay[at + n.bytes.length];
    return next === undefined || !NAME_CHAR.test(String.fromCharCode(next));
  });
}

/**
 * The first path under `root` in a file, not counting one that is also under a more specific root
 * (the target dir inside the workspace is the target dir's).
 */
function firstMatch(bytes: Buffer, root: Searched, deeper: readonly Searched[]): string | undefined {
  const text = haystack(bytes);
  for (const needle of root.needles) {
    const hay = text(needle.folded);
    for (let at = hay.indexOf(needle.bytes); at !== -1; at = hay.indexOf(needle.bytes, at + 1)) {
      if (!matchesAt(text, at, root) || deeper.some((d) => matchesAt(text, at, d))) continue;
      return pathAt(bytes, at);
    }
  }
  return undefined;
}

/** build-paths: one finding per root that leaks, naming the files and one path found. */
export function buildPathFindings(wheel: string, source: ZipSource, roots: readonly BuildRoot[]): Finding[] {
  const unique = roots.filter((root, i) => roots.findIndex((other) => other.path === root.path) === i);
  const all = unique.map(searched).filter((r) => r.needles.length > 0);
  const found = new Map<BuildRoot, Match[]>();
  for (const entry of listZipEntries(source)) {
    if (entry.name.endsWith('/') || entry.name.endsWith('.dist-info/RECORD')) continue;
    const bytes = readZipEntry(source, entry);
    for (const root of all) {
      const deeper = all.filter((r) => r !== root && r.root.path.length > root.root.path.length);
      const example = firstMatch(bytes, root, deeper);
      if (example !== undefined)
        found.set(root.root, [...(found.get(root.root) ?? []), { file: entry.name, example }]);
    }
  }
  return [...found].map(([root, matches]) => ({
    wheel,
    rule: 'build-paths' as const,
    problem: `holds paths under ${ROOT_NAMES[root.kind]} (${root.path}) in ${matches.map((m) => m.file).join(', ')}, e.g. ${matches[0]!.example}${
      root.whenFound === 'warning' ? ' (expected: the build did not remap it)' : ''
    }`,
    fix: ROOT_FIXES[root.kind],
    severity: root.whenFound,
  }));
}
