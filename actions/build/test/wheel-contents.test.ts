import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { findExtensionModule, zipEntryNames } from '../src/wheel-contents.js';
import { writeZip } from './zip-fixture.js';

describe('zipEntryNames', () => {
  it('lists the entries of a zip', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'zip-')), 'x.whl');
    writeZip(file, [
      'setup/__init__.py',
      'setup/setup.cpython-311-x86_64-linux-gnu.so',
      'setup-0.1.0.dist-info/RECORD',
    ]);
    expect(zipEntryNames(file)).toEqual([
      'setup/__init__.py',
      'setup/setup.cpython-311-x86_64-linux-gnu.so',
      'setup-0.1.0.dist-info/RECORD',
    ]);
  });

  it('says when a file is not a zip', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'zip-')), 'x.whl');
    writeFileSync(file, 'not a zip at all');
    expect(() => zipEntryNames(file)).toThrow('is not a zip file');
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
});
