/**
 * The project locator on each layout it decides for, and (at the end) its rules checked against
 * the real tools: `cargo metadata` for the cargo workspace root, `uv lock` for where uv puts the
 * lock of a uv workspace (member, excluded, not listed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { ProjectError } from '../src/errors.js';
import { locateProject, matchesWorkspaceGlob } from '../src/project-layout.js';

/** A fresh checkout with `files` (path → text) written into it. */
function checkout(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fw-layout-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const CRATE = (name: string) => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n`;
const PYPROJECT = (name: string, extra = '') =>
  `[build-system]\nrequires = ["maturin>=1.6,<2.0"]\nbuild-backend = "maturin"\n[project]\nname = "${name}"\nversion = "0.1.0"\n${extra}`;

describe('locateProject', () => {
  it('a plain project: everything beside pyproject.toml', () => {
    const ws = checkout({
      'pyproject.toml': PYPROJECT('demo', '[dependency-groups]\ndev = ["pytest"]\n'),
      'Cargo.toml': CRATE('demo'),
      'Cargo.lock': '',
      'uv.lock': '',
    });
    const layout = locateProject({ dir: ws, workspace: ws });
    expect(layout.manifest).toMatchObject({ file: path.join(ws, 'Cargo.toml'), from: 'default' });
    expect(layout.manifest.table).toMatchObject({ package: { name: 'demo' } });
    expect(layout.cargo).toEqual({ root: ws, member: false, lock: path.join(ws, 'Cargo.lock') });
    expect(layout.uv).toEqual({ root: ws, member: false, pyproject: undefined });
    expect(layout.lock).toEqual({ kind: 'uv', path: path.join(ws, 'uv.lock'), label: 'uv.lock' });
    expect(layout.groupSources.map((s) => s.file)).toEqual([path.join(ws, 'pyproject.toml')]);
  });

  it('[tool.maturin] manifest-path: the crate in rust/, its Cargo.lock there', () => {
    const ws = checkout({
      'pyproject.toml': PYPROJECT('demo', '[tool.maturin]\nmanifest-path = "rust/Cargo.toml"\n'),
      'rust/Cargo.toml': CRATE('demo'),
      'rust/Cargo.lock': '',
    });
    const layout = locateProject({ dir: ws, workspace: ws });
    expect(layout.manifest).toMatchObject({
      file: path.join(ws, 'rust', 'Cargo.toml'),
      from: '[tool.maturin] manifest-path',
    });
    expect(layout.cargo.lock).toBe(path.join(ws, 'rust', 'Cargo.lock'));
    expect(layout.pyproject?.file).toBe(path.join(ws, 'pyproject.toml'));
    expect(layout.lock).toBeUndefined();
  });

  it('the manifest-path input wins; pyproject.toml is found next to it, else up to the project', () => {
    const ws = checkout({
      'pyproject.toml': PYPROJECT('demo', '[tool.maturin]\nmanifest-path = "elsewhere/Cargo.toml"\n'),
      'crate/Cargo.toml': CRATE('demo'),
    });
    const layout = locateProject({
      dir: ws,
      workspace: ws,
      manifestPath: path.join(ws, 'crate', 'Cargo.toml'),
    });
    expect(layout.manifest).toMatchObject({
      file: path.join(ws, 'crate', 'Cargo.toml'),
      from: 'manifest-path input',
    });
    expect(layout.pyproject?.file).toBe(path.join(ws, 'pyproject.toml'));
  });

  it('refuses a [tool.maturin] manifest-path out of the checkout, as written or through a link', () => {
    const outside = checkout({ 'Cargo.toml': CRATE('elsewhere') });
    const ws = checkout({
      'pyproject.toml': PYPROJECT('demo', '[tool.maturin]\nmanifest-path = "../x/Cargo.toml"\n'),
    });
    expect(() => locateProject({ dir: ws, workspace: ws })).toThrow(ProjectError);
    expect(() => locateProject({ dir: ws, workspace: ws })).toThrow(
      /pyproject\.toml: \[tool\.maturin\] manifest-path = "\.\.\/x\/Cargo\.toml" points outside the workspace .*Point manifest-path at the Cargo\.toml of a crate inside the repository/,
    );
    const linked = checkout({
      'pyproject.toml': PYPROJECT('demo', '[tool.maturin]\nmanifest-path = "rust/Cargo.toml"\n'),
    });
    symlinkSync(outside, path.join(linked, 'rust'));
    expect(() => locateProject({ dir: linked, workspace: linked })).toThrow(/through a symbolic link/);
  });

  it('a cargo workspace member: Cargo.lock at the root; an excluded crate is its own root', () => {
    const ws = checkout({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/vendored"]\nresolver = "2"\n',
      'Cargo.lock': '',
      'crates/demo/Cargo.toml': CRATE('demo'),
      'crates/demo/pyproject.toml': PYPROJECT('demo'),
      'crates/vendored/Cargo.toml': CRATE('vendored'),
    });
    const member = locateProject({ dir: path.join(ws, 'crates', 'demo'), workspace: ws });
    expect(member.cargo).toEqual({ root: ws, member: true, lock: path.join(ws, 'Cargo.lock') });
    const excluded = locateProject({ dir: path.join(ws, 'crates', 'vendored'), workspace: ws });
    expect(excluded.cargo).toEqual({
      root: path.join(ws, 'crates', 'vendored'),
      member: false,
      lock: undefined,
    });
  });

  it('[package] workspace names the root; a [workspace] above the checkout is never read', () => {
    const above = checkout({ 'Cargo.toml': '[workspace]\nmembers = ["*"]\n' });
    const ws = path.join(above, 'repo');
    mkdirSync(path.join(ws, 'py', 'demo'), { recursive: true });
    writeFileSync(path.join(ws, 'py', 'demo', 'Cargo.toml'), CRATE('demo'));
    expect(locateProject({ dir: path.join(ws, 'py', 'demo'), workspace: ws }).cargo.root).toBe(
      path.join(ws, 'py', 'demo'),
    );
    writeFileSync(path.join(ws, 'Cargo.toml'), '[workspace]\nmembers = []\n');
    writeFileSync(path.join(ws, 'py', 'demo', 'Cargo.toml'), `${CRATE('demo')}workspace = "../.."\n`);
    expect(locateProject({ dir: path.join(ws, 'py', 'demo'), workspace: ws }).cargo).toMatchObject({
      root: ws,
      member: true,
    });
  });

  it('a uv workspace member: uv.lock and the groups it lacks at the root', () => {
    const ws = checkout({
      'pyproject.toml':
        '[tool.uv.workspace]\nmembers = ["crates/*"]\nexclude = ["crates/skip*"]\n[dependency-groups]\ndev = ["pytest"]\n',
      'uv.lock': '',
      'crates/demo/pyproject.toml': PYPROJECT('demo', '[dependency-groups]\nlint = ["ruff"]\n'),
      'crates/demo/Cargo.toml': CRATE('demo'),
      'crates/skipped/pyproject.toml': PYPROJECT('skipped'),
      'crates/skipped/pylock.toml': '',
      'other/pyproject.toml': PYPROJECT('other'),
    });
    const member = locateProject({ dir: path.join(ws, 'crates', 'demo'), workspace: ws });
    expect(member.uv).toMatchObject({ root: ws, member: true });
    expect(member.uv.pyproject?.file).toBe(path.join(ws, 'pyproject.toml'));
    expect(member.lock).toEqual({ kind: 'uv', path: path.join(ws, 'uv.lock'), label: 'uv.lock' });
    expect(member.groupSources.map((s) => path.relative(ws, s.file))).toEqual([
      path.join('crates', 'demo', 'pyproject.toml'),
      'pyproject.toml',
    ]);
    const excluded = locateProject({ dir: path.join(ws, 'crates', 'skipped'), workspace: ws });
    expect(excluded.uv.member).toBe(false);
    expect(excluded.lock).toMatchObject({ kind: 'pylock', label: 'crates/skipped/pylock.toml' });
    const notListed = locateProject({ dir: path.join(ws, 'other'), workspace: ws });
    expect(notListed.uv).toEqual({ root: path.join(ws, 'other'), member: false, pyproject: undefined });
    expect(notListed.lock).toBeUndefined();
    expect(notListed.groupSources).toHaveLength(1);
  });
});

describe('matchesWorkspaceGlob', () => {
  it.each([
    ['crates/*', 'crates/demo', true],
    ['crates/*', 'crates/demo/sub', false],
    ['./crates/demo/', 'crates/demo', true],
    ['crates/**', 'crates/a/b', true],
    ['**/py', 'a/b/py', true],
    ['**/py', 'py', true],
    ['crates/d?mo', 'crates/demo', true],
    ['crates/[a-c]*', 'crates/demo', false],
    ['crates/[!a-c]*', 'crates/demo', true],
    ['crates.x/*', 'cratesAx/demo', false],
    ['odd[', 'odd[', true],
  ])('%s matches %s: %s', (pattern, relative, expected) => {
    expect(matchesWorkspaceGlob(pattern, relative)).toBe(expected);
  });
});

/** The real tools decide the same: cargo's workspace root, and the directory uv locks in. */
describe('the rules against real cargo and uv', () => {
  const uv = fileURLToPath(new URL('../../../.venv-tools/bin/uv', import.meta.url));
  const env = { ...process.env, UV_NO_PROGRESS: '1', UV_OFFLINE: '1', UV_PYTHON_DOWNLOADS: 'never' };
  const fresh = () =>
    checkout({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/vendored"]\nresolver = "2"\n',
      'crates/demo/Cargo.toml': CRATE('demo'),
      'crates/demo/src/lib.rs': '',
      'crates/vendored/Cargo.toml': CRATE('vendored'),
      'crates/vendored/src/lib.rs': '',
      'pyproject.toml': '[tool.uv.workspace]\nmembers = ["crates/*"]\nexclude = ["crates/vendored"]\n',
      'crates/demo/pyproject.toml': '[project]\nname = "demo"\nversion = "0.1.0"\n',
      'crates/vendored/pyproject.toml': '[project]\nname = "vendored"\nversion = "0.1.0"\n',
      'loose/pyproject.toml': '[project]\nname = "loose"\nversion = "0.1.0"\n',
    });

  it.each(['crates/demo', 'crates/vendored'])('cargo metadata: the workspace root of %s', (crate) => {
    const ws = fresh();
    const metadata = JSON.parse(
      execFileSync('cargo', ['metadata', '--no-deps', '--format-version', '1', '--offline'], {
        cwd: path.join(ws, crate),
        encoding: 'utf8',
      }),
    ) as { workspace_root: string };
    expect(locateProject({ dir: path.join(ws, crate), workspace: ws }).cargo.root).toBe(
      metadata.workspace_root,
    );
  });

  it.each(['crates/demo', 'crates/vendored', 'loose'])('uv lock: where the lock of %s is written', (dir) => {
    // A checkout of its own: the only uv.lock in it is the one this lock writes.
    const ws = fresh();
    execFileSync(uv, ['lock', '--quiet'], { cwd: path.join(ws, dir), env });
    const layout = locateProject({ dir: path.join(ws, dir), workspace: ws });
    expect(existsSync(path.join(layout.uv.root, 'uv.lock'))).toBe(true);
    expect(layout.lock?.path).toBe(path.join(layout.uv.root, 'uv.lock'));
  });
});
