import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { extensionModules, listZipEntries, topLevelNames } from '../src/wheel-contents.js';

/** A real zip written by Python's zipfile (the module wheel tools use). */
function makeZip(names: string[], options: { zip64?: boolean; comment?: string } = {}): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-zip-')), 'x.whl');
  const script = `
import sys, zipfile
names = sys.argv[3:]
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.comment = sys.argv[2].encode()
    for n in names:
        if sys.argv[2] == "zip64":
            with z.open(n, "w", force_zip64=True) as f:
                f.write(b"x")
        else:
            z.writestr(n, "x" * 100)
`;
  execFileSync('python3', ['-c', script, file, options.zip64 ? 'zip64' : (options.comment ?? ''), ...names]);
  return file;
}

describe('listZipEntries', () => {
  it('lists entries from the central directory, UTF-8 names and an archive comment included', async () => {
    const names = [
      'setup/__init__.py',
      'setup/setup.cpython-312-x86_64-linux-gnu.so',
      'déjà/vu.py',
      'setup-0.1.0.dist-info/RECORD',
    ];
    expect(await listZipEntries(makeZip(names, { comment: 'c'.repeat(300) }))).toEqual(names);
  });

  it('reads entries written with zip64 extra fields', async () => {
    expect(await listZipEntries(makeZip(['a.py', 'b/c.so'], { zip64: true }))).toEqual(['a.py', 'b/c.so']);
  });

  it('fails on a file that is not a zip', async () => {
    await expect(listZipEntries(path.join(import.meta.dirname ?? '.', 'installer.test.ts'))).rejects.toThrow(
      /is not a zip file/,
    );
  });
});

describe('extensionModules', () => {
  it('finds .so and .pyd modules with their dotted names, on every OS', () => {
    expect(
      extensionModules([
        'setup/__init__.py',
        'setup/setup.cpython-312-x86_64-linux-gnu.so',
        'mixed/_core.cp312-win_amd64.pyd',
        'flat.abi3.so',
        'pkg/sub/_native.cpython-312-darwin.so',
        'setup-0.1.0.data/platlib/plat_mod.cpython-312-x86_64-linux-gnu.so',
      ]),
    ).toEqual([
      { entry: 'setup/setup.cpython-312-x86_64-linux-gnu.so', module: 'setup.setup' },
      { entry: 'mixed/_core.cp312-win_amd64.pyd', module: 'mixed._core' },
      { entry: 'flat.abi3.so', module: 'flat' },
      { entry: 'pkg/sub/_native.cpython-312-darwin.so', module: 'pkg.sub._native' },
      { entry: 'setup-0.1.0.data/platlib/plat_mod.cpython-312-x86_64-linux-gnu.so', module: 'plat_mod' },
    ]);
  });

  it('ignores vendored shared libraries, metadata and scripts', () => {
    expect(
      extensionModules([
        'setup.libs/libssl-1a2b3c.so.3',
        'setup.libs/libz-4d5e.so',
        'setup/.dylibs/libfoo.so',
        'setup-0.1.0.data/scripts/tool.so',
        'setup-0.1.0.dist-info/odd.so',
        'setup/README.md',
      ]),
    ).toEqual([]);
  });
});

describe('topLevelNames', () => {
  it('lists importable top-level packages and modules', () => {
    expect(
      topLevelNames([
        'setup/__init__.py',
        'setup/py.typed',
        'helper.py',
        'flat.abi3.so',
        'setup.libs/libz.so',
        'setup-0.1.0.dist-info/METADATA',
        'setup-0.1.0.data/purelib/extra/__init__.py',
        'setup-0.1.0.data/scripts/run',
        'README.txt',
      ]),
    ).toEqual(['extra', 'flat', 'helper', 'setup']);
  });
});
