/**
 * The scripts the actions run by path (facts.py, import-check.py, wheel_first.py, the container's
 * build and chown scripts...) are real files beside the sources, located with
 * `new URL('./file', import.meta.url)`, which ncc copies into dist/. Every such file is in the committed dist/ byte for byte, so what
 * ruff and shellcheck checked is what ships (and `build-bundles.mjs --check` keeps dist/ current).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '../src/workdirs.js';

const SHIPPED = /new URL\('\.\/([\w.-]+)', import\.meta\.url\)/g;

function shippedFiles(action: string): string[] {
  const src = path.join(repoRoot, 'actions', action, 'src');
  return readdirSync(src)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(path.join(src, f), 'utf8').matchAll(SHIPPED)].map((m) => m[1]!))
    .sort();
}

const actions = readdirSync(path.join(repoRoot, 'actions')).filter((a) =>
  existsSync(path.join(repoRoot, 'actions', a, 'src', 'main.ts')),
);

describe('files shipped beside the bundles', () => {
  it('are the scripts the build and test actions run by path', () => {
    expect(shippedFiles('build')).toEqual([
      'container-build.sh',
      'container-chown.sh',
      'container-run.sh',
      'python-version.py',
    ]);
    expect(shippedFiles('test')).toEqual([
      'facts.py',
      'import-check.py',
      'pip-download.py',
      'wheel_first.py',
    ]);
  });

  it.each(actions)('%s: every one is in dist/, byte for byte', (action) => {
    for (const file of shippedFiles(action)) {
      const source = path.join(repoRoot, 'actions', action, 'src', file);
      const shipped = path.join(repoRoot, 'actions', action, 'dist', file);
      expect({ file, inDist: existsSync(shipped) }).toEqual({ file, inDist: true });
      expect(readFileSync(shipped).equals(readFileSync(source))).toBe(true);
    }
  });
});
