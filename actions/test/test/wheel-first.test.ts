/**
 * wheel_first.py, the hook that keeps `import <package>` on the installed wheel while tests run in
 * the checkout: linted like facts.py, and run for real in a fresh venv where a directory of
 * sources named like the package sits first on sys.path (the current directory of `python -c`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ruffCheck } from '@ferrowheel/harness/script-lint';
import { freshDir, tool } from '@ferrowheel/harness/workdirs';
import { writeZip } from '@ferrowheel/harness/zip-fixture';
import { exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import { installWheelFirst, wheelFirstScript } from '../src/wheel-first.js';

describe('wheel_first.py', () => {
  it('passes ruff check and ruff format', () => {
    expect(() => ruffCheck(wheelFirstScript())).not.toThrow();
  });

  it('makes the wheel’s names import from site-packages, not from sources first on sys.path', async () => {
    const dir = freshDir('wheel-first');
    const venv = path.join(dir, 'venv');
    execFileSync(tool('python'), ['-m', 'venv', '--without-pip', venv]);
    const lib = path.join(venv, 'lib');
    const site = path.join(lib, readdirSync(lib)[0]!, 'site-packages');
    // "Installed": demo/ in site-packages. The checkout: demo/ with other code, and helper.py.
    for (const [root, where] of [
      [site, 'wheel'],
      [path.join(dir, 'checkout'), 'sources'],
    ] as const) {
      mkdirSync(path.join(root, 'demo'), { recursive: true });
      writeFileSync(path.join(root, 'demo', '__init__.py'), `WHERE = "${where}"\n`);
    }
    writeFileSync(path.join(dir, 'checkout', 'helper.py'), 'WHERE = "checkout"\n');
    const wheel = path.join(dir, 'demo-0.1.0-py3-none-any.whl');
    writeZip(wheel, ['demo/__init__.py', 'demo-0.1.0.dist-info/RECORD']);
    const python = path.join(venv, 'bin', 'python');
    const where = () =>
      execFileSync(python, ['-c', 'import demo, helper; print(demo.WHERE, helper.WHERE)'], {
        cwd: path.join(dir, 'checkout'),
        encoding: 'utf8',
      }).trim();
    // Without the hook the sources win: this is what the hook is for.
    expect(where()).toBe('sources checkout');
    expect(await installWheelFirst({ os: 'linux', venv, wheel: { path: wheel } }, exec)).toEqual(['demo']);
    // With it, the wheel's package comes from site-packages; other modules are found as before.
    expect(where()).toBe('wheel checkout');
  });
});
