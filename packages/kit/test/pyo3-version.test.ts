import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { formatRange, formatSemVer } from '../src/cargo-semver.js';
import { locateProject } from '../src/project-layout.js';
import {
  describePyo3,
  type Pyo3Version,
  pyo3VersionOf,
  readForwardCompatibility,
} from '../src/pyo3-version.js';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fw-pyo3-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const lockOf = (...packages: string[]) => `version = 4\n\n${packages.join('\n')}`;
const pkg = (name: string, version: string, deps: string[] = []) =>
  `[[package]]\nname = "${name}"\nversion = "${version}"\n${deps.length ? `dependencies = [${deps.map((d) => `"${d}"`).join(', ')}]\n` : ''}`;

/** The PyO3 of the project in `dir` of the checkout `root` (kit's locator finds its files). */
const readPyo3Version = (dir: string, root = dir) => pyo3VersionOf(locateProject({ dir, workspace: root }));

const show = (v: Pyo3Version) =>
  v.kind === 'locked'
    ? `locked ${formatSemVer(v.version)} ${path.basename(v.file)}`
    : v.kind === 'required'
      ? `required ${v.requirement} (${formatRange(v.range)}) ${path.basename(v.file)}`
      : `unknown: ${v.reason}`;

describe('the project PyO3 version', () => {
  it('takes the version Cargo.lock pins', () => {
    const root = project({
      'Cargo.toml': '[package]\nname = "ext"\n[dependencies]\npyo3 = "0.22"\n',
      'Cargo.lock': lockOf(pkg('ext', '0.1.0', ['pyo3']), pkg('pyo3', '0.22.6')),
    });
    expect(show(readPyo3Version(root))).toBe('locked 0.22.6 Cargo.lock');
  });

  it('falls back to the Cargo.toml requirement when there is no lock (libraries often commit none)', () => {
    const root = project({
      'Cargo.toml': '[package]\nname = "ext"\n[dependencies.pyo3]\nversion = "0.21.2"\n',
    });
    expect(show(readPyo3Version(root))).toBe('required 0.21.2 (≥ 0.21.2, < 0.22.0) Cargo.toml');
  });

  it("finds a workspace member's lock at the workspace root and follows workspace = true", () => {
    const root = project({
      'Cargo.toml':
        '[workspace]\nmembers = ["crates/*"]\n[workspace.dependencies]\npyo3 = { version = "0.23.4" }\n',
      'Cargo.lock': lockOf(
        pkg('ext', '0.1.0', ['pyo3 0.23.5']),
        pkg('pyo3', '0.23.5'),
        pkg('pyo3', '0.20.3'),
      ),
      'crates/ext/Cargo.toml': '[package]\nname = "ext"\n[dependencies]\npyo3 = { workspace = true }\n',
    });
    const member = path.join(root, 'crates', 'ext');
    // Two PyO3s in the lock: the one the crate's own entry names.
    expect(show(readPyo3Version(member, root))).toBe('locked 0.23.5 Cargo.lock');
    writeFileSync(path.join(root, 'Cargo.lock'), lockOf(pkg('other', '1.0.0')));
    expect(show(readPyo3Version(member, root))).toBe('required 0.23.4 (≥ 0.23.4, < 0.24.0) Cargo.toml');
  });

  it('reads renamed, target-specific and pyo3-ffi dependencies', () => {
    const renamed = project({
      'Cargo.toml':
        '[package]\nname = "ext"\n[target.\'cfg(unix)\'.dependencies]\npy = { package = "pyo3", version = ">=0.20, <0.26" }\n',
    });
    expect(show(readPyo3Version(renamed))).toBe('required >=0.20, <0.26 (≥ 0.20.0, < 0.26.0) Cargo.toml');
    const ffi = project({
      'Cargo.toml': '[package]\nname = "ext"\n[dependencies]\npyo3-ffi = "0.25"\n',
      'Cargo.lock': lockOf(pkg('ext', '0.1.0', ['pyo3-ffi']), pkg('pyo3-ffi', '0.25.1')),
    });
    expect(show(readPyo3Version(ffi))).toBe('locked 0.25.1 Cargo.lock');
  });

  it('says why it cannot tell', () => {
    const none = project({ 'Cargo.toml': '[package]\nname = "ext"\n[dependencies]\nserde = "1"\n' });
    expect(show(readPyo3Version(none))).toBe(
      `unknown: ${path.join(none, 'Cargo.toml')} has no pyo3 or pyo3-ffi dependency with a version`,
    );
    const bad = project({ 'Cargo.toml': '[package]\nname = "ext"\n[dependencies]\npyo3 = "newest"\n' });
    expect(show(readPyo3Version(bad))).toBe(
      `unknown: ${path.join(bad, 'Cargo.toml')}: pyo3 'newest' is not a Cargo version requirement`,
    );
    expect(describePyo3({ kind: 'unknown', reason: 'x' })).toBe('PyO3 (version unknown)');
  });

  it('honours PYO3_USE_ABI3_FORWARD_COMPATIBILITY from the environment and .cargo/config.toml [env]', () => {
    const root = project({ 'ext/Cargo.toml': '[package]\nname = "ext"\n' });
    const dir = path.join(root, 'ext');
    expect(readForwardCompatibility(dir, {}, { stop: root })).toBe(false);
    expect(readForwardCompatibility(dir, { PYO3_USE_ABI3_FORWARD_COMPATIBILITY: '1' }, { stop: root })).toBe(
      true,
    );
    expect(readForwardCompatibility(dir, { PYO3_USE_STABLE_ABI_FORWARD_COMPATIBILITY: '1' })).toBe(true);
    mkdirSync(path.join(root, '.cargo'));
    writeFileSync(
      path.join(root, '.cargo', 'config.toml'),
      '[env]\nPYO3_USE_ABI3_FORWARD_COMPATIBILITY = "1"\n',
    );
    expect(readForwardCompatibility(dir, {}, { stop: root })).toBe(true);
    // As in cargo, [env] does not replace what the environment sets, unless forced.
    expect(readForwardCompatibility(dir, { PYO3_USE_ABI3_FORWARD_COMPATIBILITY: '0' }, { stop: root })).toBe(
      false,
    );
    writeFileSync(
      path.join(root, '.cargo', 'config.toml'),
      '[env]\nPYO3_USE_ABI3_FORWARD_COMPATIBILITY = { value = "1", force = true }\n',
    );
    expect(readForwardCompatibility(dir, { PYO3_USE_ABI3_FORWARD_COMPATIBILITY: '0' }, { stop: root })).toBe(
      true,
    );
    // Nothing above the checkout is read.
    expect(readForwardCompatibility(dir, {}, { stop: dir })).toBe(false);
  });
});
