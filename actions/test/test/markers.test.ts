import { describe, expect, it } from '@jest/globals';
import { evaluateMarker, markerEnvironment } from '../src/markers.js';

const linux311 = markerEnvironment(
  { os: 'linux', implementation: 'cpython', version: '3.11.7', major: 3, minor: 11, machine: 'x86_64' },
  { extras: ['plot'], groups: ['test'] },
);
const windows39 = markerEnvironment({
  os: 'windows',
  implementation: 'cpython',
  version: '3.9.13',
  major: 3,
  minor: 9,
  machine: 'AMD64',
});

describe('evaluateMarker', () => {
  it.each<[string, boolean, boolean]>([
    ["python_full_version >= '3.10'", true, false],
    ["python_full_version < '3.10'", false, true],
    ["python_version == '3.11'", true, false],
    ["'3.10' <= python_version", true, false],
    ["sys_platform == 'win32'", false, true],
    ["sys_platform == 'linux' and platform_machine == 'x86_64'", true, false],
    ["sys_platform == 'darwin' or (os_name == 'nt' and platform_machine == 'AMD64')", false, true],
    ["platform_python_implementation == 'CPython' and implementation_name == 'cpython'", true, true],
    ["platform_system != 'Windows'", true, false],
    ["'linux' in sys_platform", true, false],
    ["'plot' in extras", true, false],
    ["'test' in dependency_groups and 'docs' not in dependency_groups", true, false],
    ["extra == 'plot'", true, false],
    ['python_version ~= "3.9"', true, true],
    ['python_full_version === "3.9.13"', false, true],
  ])('%s: linux 3.11 %s, windows 3.9 %s', (marker, onLinux, onWindows) => {
    expect(evaluateMarker(marker, linux311)).toBe(onLinux);
    expect(evaluateMarker(marker, windows39)).toBe(onWindows);
  });

  it.each([
    "python_version >= '3.9' and",
    "sys_platform = 'linux'",
    "unknown_var == '1'",
    "(python_version > '3'",
    "'x",
  ])('refuses %s', (marker) => {
    expect(() => evaluateMarker(marker, linux311)).toThrow(/marker/);
  });
});
