import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { checkContained, firstEscape, globBase, realPathOf } from '../src/containment.js';
import { InputError } from '../src/errors.js';
import { containedInputPath, getWorkspacePath, mapInputSource } from '../src/inputs.js';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'fw-contain-'));
mkdirSync(path.join(workspace, 'src'));
writeFileSync(path.join(workspace, 'src', 'a.whl'), '');
symlinkSync('/etc', path.join(workspace, 'etc-link'));
symlinkSync(path.join(workspace, 'src'), path.join(workspace, 'inner-link'));
symlinkSync('/etc/hostname', path.join(workspace, 'src', 'evil.whl'));

describe('realPathOf', () => {
  it('resolves links on the way and keeps a tail that does not exist yet', () => {
    expect(realPathOf(path.join(workspace, 'etc-link', 'nope', 'x'))).toBe(
      path.join(realPathOf('/etc'), 'nope', 'x'),
    );
    expect(realPathOf(path.join(workspace, 'inner-link', 'a.whl'))).toBe(
      path.join(realPathOf(workspace), 'src', 'a.whl'),
    );
  });
});

describe('checkContained', () => {
  it.each([
    ['.', true],
    ['src/a.whl', true],
    ['inner-link/a.whl', true],
    ['dist/not/yet', true],
    ['..cache', true],
    ['etc-link', false],
    ['etc-link/passwd', false],
    ['etc-link/new-dir/out', false],
    ['src/evil.whl', false],
    ['..', false],
    ['../x', false],
    ['/etc/passwd', false],
  ])('%s inside: %s', (candidate, inside) => {
    expect(checkContained(workspace, candidate).inside).toBe(inside);
  });
  it('judges by where the path really leads when the workspace itself sits behind a link', () => {
    const linkToWorkspace = path.join(mkdtempSync(path.join(os.tmpdir(), 'fw-ws-link-')), 'ws');
    symlinkSync(workspace, linkToWorkspace);
    expect(checkContained(linkToWorkspace, path.join(realPathOf(workspace), 'src', 'a.whl')).inside).toBe(
      true,
    );
    expect(checkContained(linkToWorkspace, 'etc-link').inside).toBe(false);
  });
  it('says when a symlink took the path out, and where to', () => {
    expect(checkContained(workspace, 'etc-link/passwd')).toMatchObject({
      inside: false,
      viaLink: true,
      real: path.join(realPathOf('/etc'), 'passwd'),
    });
    expect(checkContained(workspace, '../x')).toMatchObject({ inside: false, viaLink: false });
  });
  it('finds the first file that leads outside', () => {
    const files = [path.join(workspace, 'src', 'a.whl'), path.join(workspace, 'src', 'evil.whl')];
    expect(firstEscape(workspace, files)).toEqual({
      file: path.join(workspace, 'src', 'evil.whl'),
      problem: `leads outside the workspace (${workspace}) through a symbolic link, to ${realPathOf('/etc/hostname')}`,
    });
    expect(firstEscape(workspace, files.slice(0, 1))).toBeUndefined();
  });
});

describe('globBase', () => {
  it.each([
    ['dist/*.whl', 'dist'],
    ['*.whl', '.'],
    ['/etc/**/*.whl', '/etc'],
    ['../**', '..'],
    ['a/b/c.whl', 'a/b/c.whl'],
    ['etc-link/*', 'etc-link'],
  ])('%s → %s', (pattern, base) => expect(globBase(pattern)).toBe(base));
});

describe('getWorkspacePath and containedInputPath', () => {
  it('refuses a symlink to /etc inside the workspace, naming the input, the value and the link', () => {
    let error: unknown;
    try {
      getWorkspacePath(mapInputSource({ 'working-directory': 'etc-link' }), 'working-directory', {
        workspace,
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `Input 'working-directory' leads outside the workspace (${workspace}) through a symbolic link, to ${realPathOf('/etc')}: got "etc-link". Use a path relative to the repository root, inside the checkout.`,
    );
    expect(() =>
      containedInputPath('requirements', '../etc-link/passwd', {
        workspace,
        base: path.join(workspace, 'src'),
      }),
    ).toThrow("Input 'requirements' leads outside the workspace");
  });
  it('takes links that stay inside', () => {
    expect(getWorkspacePath(mapInputSource({ d: 'inner-link' }), 'd', { workspace })).toBe(
      path.join(workspace, 'inner-link'),
    );
  });
});
