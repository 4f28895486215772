import { describe, expect, it } from '@jest/globals';
import { type ImageOverrides, officialPythonImage, parseImageLine, testImage } from '../src/images.js';

const options = (withPython: boolean) => ({
  withPython,
  isPlatform: (id: string) => ['linux-aarch64', 'musllinux-x86_64'].includes(id),
  isPython: (v: string) => /^3\.\d+t?$/.test(v),
});

describe('official python images', () => {
  it("name each platform's own: Docker Hub's per-architecture namespaces", () => {
    expect(officialPythonImage('3.13', 'linux/arm64', 'slim')).toBe('arm64v8/python:3.13-slim');
    expect(officialPythonImage('3.11', 'linux/386', 'alpine')).toBe('i386/python:3.11-alpine');
    expect(officialPythonImage('3.12', 'linux/arm/v7', 'slim')).toBe('arm32v7/python:3.12-slim');
    expect(officialPythonImage('3.10', 'linux/s390x', 'slim')).toBe('s390x/python:3.10-slim');
    expect(officialPythonImage('3.10', 'linux/ppc64le', 'slim')).toBe('ppc64le/python:3.10-slim');
    expect(officialPythonImage('3.14', 'linux/amd64', 'alpine')).toBe('amd64/python:3.14-alpine');
  });
});

describe('image overrides', () => {
  it('parse <platform>=<image> and <platform> <python>=<image> lines', () => {
    expect(
      parseImageLine('linux-aarch64 = registry.example.com:5000/arm64v8/python:{python}-slim', options(true)),
    ).toEqual({
      ok: true,
      value: { key: 'linux-aarch64', image: 'registry.example.com:5000/arm64v8/python:{python}-slim' },
    });
    expect(
      parseImageLine(
        'linux-aarch64 3.11=ferrowheel-stand-in/python:3.11-bookworm-aarch64-810f',
        options(true),
      ),
    ).toEqual({
      ok: true,
      value: { key: 'linux-aarch64 3.11', image: 'ferrowheel-stand-in/python:3.11-bookworm-aarch64-810f' },
    });
    expect(parseImageLine('musllinux-x86_64=ghcr.io/x/musl-build:1', options(false))).toMatchObject({
      ok: true,
    });
  });

  it('say what is wrong with a line', () => {
    const problem = (line: string, withPython = true) => {
      const parsed = parseImageLine(line, options(withPython));
      return parsed.ok ? undefined : parsed.problem;
    };
    expect(problem('arm64v8/python:3.11')).toBe('holds a line that is not <platform>=<image>');
    expect(problem('linux-arm=python:3.11')).toBe("names 'linux-arm', which is not a platform id");
    expect(problem('linux-aarch64 3.11 x=python:3.11')).toContain('which is not one CPython version');
    expect(problem('linux-aarch64 3.11=python:3.11', false)).toContain('build images are per platform');
    expect(problem('linux-aarch64=python:{version}')).toBe(
      'holds {version}, which this input does not replace',
    );
    expect(problem('linux-aarch64=img:{python}', false)).toBe(
      'holds {python}, which this input does not replace',
    );
    expect(problem('linux-aarch64=--privileged')).toContain('is not a docker image reference');
    expect(problem('linux-aarch64=python:3.11;ls')).toContain('is not a docker image reference');
  });

  it('pick the override for the CPython, then the platform, then the official image', () => {
    const overrides: ImageOverrides = {
      build: new Map(),
      test: new Map([
        ['linux-aarch64', 'mirror.example/arm64v8/python:{python}-slim'],
        ['linux-aarch64 3.11', 'stand-in/python:3.11-arm64'],
      ]),
    };
    const aarch64 = { id: 'linux-aarch64', dockerPlatform: 'linux/arm64', family: 'slim' as const };
    expect(testImage(overrides, aarch64, '3.11')).toBe('stand-in/python:3.11-arm64');
    expect(testImage(overrides, aarch64, '3.13')).toBe('mirror.example/arm64v8/python:3.13-slim');
    expect(
      testImage(
        overrides,
        { id: 'musllinux-aarch64', dockerPlatform: 'linux/arm64', family: 'alpine' },
        '3.13',
      ),
    ).toBe('arm64v8/python:3.13-alpine');
  });
});
