/**
 * PATHs for tests of the test action, which installs with uv when it is on PATH and exports a
 * uv.lock with the pinned uv when it is not.
 */
import { existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { freshDir, tool } from './workdirs.js';

/** This process's PATH without any directory holding uv. */
export function withoutUv(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !existsSync(path.join(dir, 'uv')))
    .join(path.delimiter);
}

/** {@link withoutUv} with the tools venv's uv (and nothing else from it) in front. */
export function pathWithUv(): string {
  const dir = freshDir('uv-bin');
  symlinkSync(tool('uv'), path.join(dir, 'uv'));
  return `${dir}${path.delimiter}${withoutUv()}`;
}
