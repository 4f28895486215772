import { describe, expect, it } from '@jest/globals';
import { beforeBuildCommand, beforeBuildEnv } from '../src/before-build.js';

describe('beforeBuildCommand', () => {
  it.each([
    ['/w/ci/deps.sh', 'linux', { program: 'bash', args: ['/w/ci/deps.sh'] }],
    ['/w/ci/deps.py', 'macos', { program: 'python3', args: ['/w/ci/deps.py'] }],
    ['D:\\a\\ci\\deps.py', 'windows', { program: 'python', args: ['D:\\a\\ci\\deps.py'] }],
    [
      'D:\\a\\ci\\deps.ps1',
      'windows',
      { program: 'pwsh', args: ['-NoProfile', '-File', 'D:\\a\\ci\\deps.ps1'] },
    ],
    ['D:\\a\\ci\\deps.cmd', 'windows', { program: 'cmd.exe', args: ['/d', '/c', 'D:\\a\\ci\\deps.cmd'] }],
    ['/w/ci/deps', 'linux', { program: '/w/ci/deps', args: [] }],
  ] as const)('%s on %s', (script, os, command) => {
    expect(beforeBuildCommand(script, os)).toEqual(command);
  });
});

describe('beforeBuildEnv', () => {
  it('passes the build facts as FERROWHEEL_* variables', () => {
    expect(
      beforeBuildEnv({
        target: 'aarch64-unknown-linux-gnu',
        outDir: '/w/dist',
        workingDirectory: '/w',
        manylinux: 'manylinux_2_28',
        interpreters: ['3.9', '3.13'],
        container: true,
      }),
    ).toEqual({
      FERROWHEEL_TARGET: 'aarch64-unknown-linux-gnu',
      FERROWHEEL_OUT_DIR: '/w/dist',
      FERROWHEEL_WORKING_DIRECTORY: '/w',
      FERROWHEEL_MANYLINUX: 'manylinux_2_28',
      FERROWHEEL_INTERPRETERS: '3.9 3.13',
      FERROWHEEL_IN_CONTAINER: 'true',
    });
  });
});
