/**
 * Rust toolchain spellings and the rust-toolchain files that name one. rustup accepts a channel
 * (`stable`, `beta`, `nightly`), a version (`1.85`, `1.85.0`) or a dated channel
 * (`nightly-2025-01-15`); anything else is a typo we can name before calling rustup.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ProjectError } from '@ferrowheel/kit/errors';
import { findUp } from '@ferrowheel/kit/files';
import { readToml, type TomlTable, tomlGet, tomlString, tomlStrings } from '@ferrowheel/kit/project';
import { fail, ok, type Result } from '@ferrowheel/kit/result';

export const CHANNELS = ['stable', 'beta', 'nightly'] as const;
export const PROFILES = ['minimal', 'default', 'complete'] as const;
export type Profile = (typeof PROFILES)[number];

export interface ToolchainSpec {
  /** The name rustup knows, e.g. `stable`, `1.85`, `nightly-2025-01-15`. */
  name: string;
  kind: 'channel' | 'version' | 'dated';
}

export const TOOLCHAIN_HELP =
  "Use a channel (stable, beta, nightly), a version such as '1.85' or '1.85.0', or a dated channel such as 'nightly-2025-01-15'.";

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Levenshtein distance, for "did you mean" on short words. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** Parses a toolchain spelling; the problem goes into an InputError or ProjectError. */
export function parseToolchain(raw: string): Result<ToolchainSpec> {
  const value = raw.trim();
  const lower = value.toLowerCase();
  if ((CHANNELS as readonly string[]).includes(lower)) return ok({ name: lower, kind: 'channel' });
  if (/^\d+\.\d+(\.\d+)?$/.test(value)) return ok({ name: value, kind: 'version' });
  const dated = /^(stable|beta|nightly)-(\d{4})-(\d{2})-(\d{2})$/.exec(lower);
  if (dated) {
    const [, , y, m, d] = dated;
    const year = Number(y);
    const month = Number(m);
    const day = Number(d);
    if (month < 1 || month > 12) return fail(`has no month ${m} in its date`);
    if (day < 1 || day > daysInMonth(year, month)) return fail(`has no day ${d} in ${y}-${m}`);
    return ok({ name: lower, kind: 'dated' });
  }
  if (/^(stable|beta|nightly)-\d/.test(lower)) return fail('has a date that is not YYYY-MM-DD');
  if (/^(stable|beta|nightly|\d+\.\d+(\.\d+)?)-[a-z0-9_]+-/.test(lower)) {
    return fail('names a host triple; give the toolchain without it (the runner picks its host)');
  }
  const near = CHANNELS.find((c) => distance(lower, c) <= 2);
  if (near) return fail(`is not a toolchain (did you mean '${near}'?)`);
  if (/^\d/.test(value)) return fail('is not a Rust version (major.minor or major.minor.patch)');
  return fail('is not a toolchain');
}

/** A rustup component name (`clippy`, `llvm-tools-preview`); a problem string otherwise. */
export function checkComponent(item: string): string | undefined {
  return /^[a-z][a-z0-9-]*$/.test(item) ? undefined : 'is not a rustup component name';
}

/**
 * A target as a toolchain file may list it: a triple (also two-part ones such as wasm32-wasip1,
 * which rustup checks) or an alias. Never a word starting with `-`, which rustup would read as
 * an option of `rustup target add`.
 */
function checkFileTarget(item: string): string | undefined {
  return /^[a-z0-9][a-z0-9_.-]*$/i.test(item) ? undefined : 'is not a Rust target triple';
}

/** What a rust-toolchain file asks for. */
export interface ToolchainFile {
  file: string;
  spec: ToolchainSpec;
  components: string[];
  targets: string[];
  profile?: Profile;
}

/**
 * The rust-toolchain file that applies to `dir`: `rust-toolchain` or `rust-toolchain.toml` in it
 * or a parent, up to the workspace (rustup's order: the legacy name first in each directory).
 */
export function findToolchainFile(dir: string, workspace: string): string | undefined {
  return findUp(dir, ['rust-toolchain', 'rust-toolchain.toml'], workspace);
}

/**
 * The channel a rust-toolchain file names: the whole of a legacy `rust-toolchain` file, else
 * `[toolchain] channel` of the TOML (read into `table`).
 */
function readChannel(file: string): { channel: string; table: TomlTable | undefined } {
  const text = readFileSync(file, 'utf8');
  if (path.basename(file) === 'rust-toolchain' && !/^\s*\[/m.test(text)) {
    return { channel: text.trim(), table: undefined };
  }
  const table = readToml(file);
  if (tomlGet(table, ['toolchain', 'path']) !== undefined) {
    throw new ProjectError(
      file,
      'names a custom toolchain by path, which setup-rust cannot install',
      "Use 'channel' in [toolchain], or set the 'toolchain' input.",
    );
  }
  const channel = tomlString(table, ['toolchain', 'channel']);
  if (channel === undefined) {
    throw new ProjectError(
      file,
      'has no [toolchain] channel',
      'Add channel = "stable" (or a version such as "1.85.0") under [toolchain].',
    );
  }
  return { channel, table };
}

function readProfile(file: string, table: TomlTable | undefined): Profile | undefined {
  const profile = tomlString(table, ['toolchain', 'profile']);
  if (profile !== undefined && !(PROFILES as readonly string[]).includes(profile)) {
    throw new ProjectError(
      file,
      `profile ${JSON.stringify(profile)} is not a rustup profile`,
      `Use one of: ${PROFILES.join(', ')}.`,
    );
  }
  return profile as Profile | undefined;
}

/** `[toolchain] components` or `targets`; they reach rustup's argv, so a bad entry is named here. */
function readToolchainList(
  file: string,
  table: TomlTable | undefined,
  key: 'components' | 'targets',
): string[] {
  const [check, example] =
    key === 'components'
      ? [checkComponent, 'clippy, rustfmt']
      : [checkFileTarget, 'aarch64-unknown-linux-gnu, wasm32-wasip1'];
  const items = tomlStrings(table, ['toolchain', key]);
  for (const item of items) {
    const problem = check(item);
    if (problem !== undefined) {
      throw new ProjectError(
        file,
        `${key} entry ${JSON.stringify(item)} ${problem}`,
        `List names such as ${example} in [toolchain] ${key}.`,
      );
    }
  }
  return items;
}

/** Reads a rust-toolchain(.toml) file; errors name the file and the fix. */
export function readToolchainFile(file: string): ToolchainFile {
  const { channel, table } = readChannel(file);
  const parsed = parseToolchain(channel);
  if (!parsed.ok) {
    throw new ProjectError(file, `channel ${JSON.stringify(channel)} ${parsed.problem}`, TOOLCHAIN_HELP);
  }
  const profile = readProfile(file, table);
  return {
    file,
    spec: parsed.value,
    components: readToolchainList(file, table, 'components'),
    targets: readToolchainList(file, table, 'targets'),
    ...(profile !== undefined ? { profile } : {}),
  };
}
