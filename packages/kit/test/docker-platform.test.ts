import { describe, expect, it } from '@jest/globals';
import {
  DOCKER_PLATFORMS,
  dockerPlatformOfWheelArch,
  formatDockerPlatform,
  linuxTagArch,
  parseDockerPlatform,
  qemuEntry,
  runsNatively,
  sameDockerPlatform,
  wheelArch,
} from '../src/docker-platform.js';
import { unwrap } from '../src/result.js';

const platform = (text: string) => unwrap(parseDockerPlatform(text));

describe('docker platforms', () => {
  it('parse and print as docker normalises them', () => {
    expect(formatDockerPlatform(platform('linux/arm64'))).toBe('linux/arm64');
    expect(formatDockerPlatform(platform('linux/arm64/v8'))).toBe('linux/arm64');
    expect(formatDockerPlatform(platform('linux/arm'))).toBe('linux/arm/v7');
    expect(formatDockerPlatform(platform('Linux/AMD64'))).toBe('linux/amd64');
    expect(sameDockerPlatform(platform('linux/arm'), platform('linux/arm/v7'))).toBe(true);
    expect(sameDockerPlatform(platform('linux/arm64'), platform('linux/amd64'))).toBe(false);
    expect(DOCKER_PLATFORMS).toContain('linux/arm/v7');
    for (const text of DOCKER_PLATFORMS) expect(formatDockerPlatform(platform(text))).toBe(text);
  });

  it('say what is wrong with a platform docker does not run', () => {
    expect(parseDockerPlatform('arm64')).toEqual({
      ok: false,
      problem: 'is not a docker platform of the form os/architecture[/variant] (e.g. linux/arm64)',
    });
    expect(parseDockerPlatform('windows/amd64')).toMatchObject({
      ok: false,
      problem: expect.stringContaining("'windows'"),
    });
    expect(parseDockerPlatform('linux/mips')).toMatchObject({
      ok: false,
      problem: expect.stringContaining("'mips'"),
    });
    expect(parseDockerPlatform('linux/arm/v5')).toMatchObject({
      ok: false,
      problem: expect.stringContaining("'v5'"),
    });
    expect(parseDockerPlatform('linux/amd64/v3')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('has none'),
    });
    expect(parseDockerPlatform('linux/arm64/v8/x').ok).toBe(false);
  });

  it('know QEMU entries, wheel architectures and what runs without emulation', () => {
    expect(qemuEntry(platform('linux/arm64'))).toBe('qemu-aarch64');
    expect(qemuEntry(platform('linux/arm/v7'))).toBe('qemu-arm');
    expect(qemuEntry(platform('linux/386'))).toBe('qemu-i386');
    expect(wheelArch(platform('linux/ppc64le'))).toBe('ppc64le');
    expect(runsNatively(platform('linux/386'), 'amd64')).toBe(true);
    expect(runsNatively(platform('linux/amd64'), 'x86_64')).toBe(true);
    expect(runsNatively(platform('linux/arm64'), 'amd64')).toBe(false);
    expect(runsNatively(platform('linux/arm64'), 'arm64')).toBe(true);
    expect(runsNatively(platform('linux/arm/v7'), 'arm64')).toBe(false);
  });

  it('map wheel platform tags to the docker platform that installs them', () => {
    expect(linuxTagArch('manylinux_2_28_aarch64')).toBe('aarch64');
    expect(linuxTagArch('manylinux2014_x86_64')).toBe('x86_64');
    expect(linuxTagArch('musllinux_1_2_armv7l')).toBe('armv7l');
    expect(linuxTagArch('linux_s390x')).toBe('s390x');
    expect(linuxTagArch('win_amd64')).toBeUndefined();
    expect(dockerPlatformOfWheelArch('armv7l')).toBe('linux/arm/v7');
    expect(dockerPlatformOfWheelArch('i686')).toBe('linux/386');
    expect(dockerPlatformOfWheelArch('sparc')).toBeUndefined();
  });
});
