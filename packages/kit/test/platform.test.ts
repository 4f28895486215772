import { describe, expect, it } from '@jest/globals';
import {
  currentPlatform,
  defaultPythonCommand,
  exeName,
  extensionModuleSuffix,
  pathListSeparator,
  venvBinDir,
  venvPython,
} from '../src/platform.js';

describe('platform', () => {
  it('maps node platform and arch names', () => {
    expect(currentPlatform('linux', 'x64')).toEqual({ os: 'linux', arch: 'x86_64' });
    expect(currentPlatform('darwin', 'arm64')).toEqual({ os: 'macos', arch: 'aarch64' });
    expect(currentPlatform('win32', 'x64')).toEqual({ os: 'windows', arch: 'x86_64' });
    expect(() => currentPlatform('aix', 'ppc64')).toThrow('Unsupported runner platform aix/ppc64');
  });
  it('knows executable names', () => {
    expect(exeName('windows', 'maturin')).toBe('maturin.exe');
    expect(exeName('macos', 'maturin')).toBe('maturin');
  });
  it('knows the venv layout of each OS', () => {
    expect(venvBinDir('linux', '/tmp/v')).toBe('/tmp/v/bin');
    expect(venvPython('macos', '/tmp/v')).toBe('/tmp/v/bin/python');
    expect(venvBinDir('windows', 'D:\\a\\_temp\\v')).toBe('D:\\a\\_temp\\v\\Scripts');
    expect(venvPython('windows', 'D:\\a\\_temp\\v')).toBe('D:\\a\\_temp\\v\\Scripts\\python.exe');
  });
  it('knows separators, module suffixes and the Python command', () => {
    expect(pathListSeparator('windows')).toBe(';');
    expect(pathListSeparator('linux')).toBe(':');
    expect(extensionModuleSuffix('windows')).toBe('.pyd');
    expect(extensionModuleSuffix('macos')).toBe('.so');
    expect(defaultPythonCommand('windows')).toBe('python');
    expect(defaultPythonCommand('linux')).toBe('python3');
  });
});
