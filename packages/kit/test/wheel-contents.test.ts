import { describe, expect, it } from '@jest/globals';
import { extensionModules, findExtensionModule, topLevelNames } from '../src/wheel-contents.js';

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

describe('findExtensionModule', () => {
  it('finds the module with the suffix each OS loads', () => {
    expect(
      findExtensionModule(['setup/setup.cpython-311-x86_64-linux-gnu.so'], 'setup', 'linux'),
    ).toBeDefined();
    expect(findExtensionModule(['mixed/_core.cpython-312-darwin.so'], '_core', 'macos')).toBeDefined();
    expect(findExtensionModule(['abi3/abi3.abi3.so'], 'abi3', 'linux')).toBeDefined();
    expect(findExtensionModule(['setup/setup.cp312-win_amd64.pyd'], 'setup', 'windows')).toBe(
      'setup/setup.cp312-win_amd64.pyd',
    );
  });

  it("finds nothing for another OS's suffix, another module, or metadata files", () => {
    expect(findExtensionModule(['setup/setup.cp312-win_amd64.pyd'], 'setup', 'linux')).toBeUndefined();
    expect(
      findExtensionModule(['setup/setup.cpython-311-x86_64-linux-gnu.so'], 'setup', 'windows'),
    ).toBeUndefined();
    expect(
      findExtensionModule(['setup/other.cpython-311-x86_64-linux-gnu.so'], 'setup', 'linux'),
    ).toBeUndefined();
    expect(findExtensionModule(['setup-0.1.0.dist-info/setup.so'], 'setup', 'linux')).toBeUndefined();
  });

  it('takes a module installed from .data/platlib, not a vendored library or a script', () => {
    const lib = 'setup-0.1.0.data/platlib/setup.cpython-312-x86_64-linux-gnu.so';
    expect(findExtensionModule([lib], 'setup', 'linux')).toBe(lib);
    expect(findExtensionModule(['setup.libs/setup.cpython-312.so'], 'setup', 'linux')).toBeUndefined();
    expect(findExtensionModule(['setup-0.1.0.data/scripts/setup.so'], 'setup', 'linux')).toBeUndefined();
  });
});
