import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { unwrap } from '@ferrowheel/kit/result';
import { describe, expect, it } from '@jest/globals';
import { parseWheelsInput, resolveWheelFiles } from '../src/wheel-source.js';

describe('resolveWheelFiles', () => {
  const dir = freshDir('wheel-source');
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'dist', 'a-1.0-py3-none-any.whl'), '');
  const spec = (raw: string) => unwrap(parseWheelsInput(raw));

  it('refuses a wheel that is a symlink to a file outside the workspace, in a directory or a glob', async () => {
    const ws = freshDir('wheel-source-link');
    mkdirSync(path.join(ws, 'dist'));
    symlinkSync('/etc/hostname', path.join(ws, 'dist', 'evil-1.0-py3-none-any.whl'));
    const expected = `Input 'wheels' matched ${path.join(ws, 'dist', 'evil-1.0-py3-none-any.whl')}, which leads outside the workspace (${ws}) through a symbolic link, to ${realpathSync('/etc/hostname')}.`;
    await expect(resolveWheelFiles(spec('dist'), ws, ws)).rejects.toThrow(expected);
    await expect(resolveWheelFiles(spec('dist/*.whl'), ws, ws)).rejects.toThrow(expected);
  });

  it('takes a directory, or the JSON list of files', async () => {
    const wheel = path.join(dir, 'dist', 'a-1.0-py3-none-any.whl');
    await expect(resolveWheelFiles(spec('dist'), dir)).resolves.toEqual([wheel]);
    await expect(resolveWheelFiles(spec(JSON.stringify([{ path: wheel }])), dir)).resolves.toEqual([wheel]);
  });

  it('says a directory in the JSON list is a directory, not that it is missing', async () => {
    await expect(resolveWheelFiles(spec('[{"path": "dist"}]'), dir)).rejects.toThrow(
      `Input 'wheels' lists ${path.join(dir, 'dist')}, which is a directory, not a wheel file.`,
    );
    await expect(resolveWheelFiles(spec('["gone.whl"]'), dir)).rejects.toThrow('which does not exist');
  });

  it('names a dangling wheel symlink in the directory, not a raw ENOENT', async () => {
    const linked = freshDir('wheel-source-link');
    mkdirSync(path.join(linked, 'dist'));
    symlinkSync(
      path.join(linked, 'gone', 'b-1.0-py3-none-any.whl'),
      path.join(linked, 'dist', 'b-1.0-py3-none-any.whl'),
    );
    await expect(resolveWheelFiles(spec('dist'), linked)).rejects.toThrow(
      `Input 'wheels' found ${path.join(linked, 'dist', 'b-1.0-py3-none-any.whl')}, a symbolic link to ${path.join(linked, 'gone', 'b-1.0-py3-none-any.whl')}, which does not exist. Remove the link`,
    );
  });
});
