import { describe, expect, it } from '@jest/globals';
import { beforeBuildEnv } from '../src/before-build.js';

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
