/** A MaturinBuild for the pure argv tests: a release build of the host target, overridable. */
import { unwrap } from '@ferrowheel/kit/result';
import { resolveTarget, type Target } from '@ferrowheel/kit/targets';
import type { MaturinBuild } from '../src/maturin-args.js';

export function target(spec: string, os: 'linux' | 'macos' | 'windows', musl = false): Target {
  return unwrap(resolveTarget(spec, { os, musl }));
}

export function maturinBuild(overrides: Partial<MaturinBuild> = {}): MaturinBuild {
  return {
    outDir: '/w/dist',
    target: target('x64', 'linux'),
    targetExplicit: false,
    release: true,
    interpreters: { kind: 'default' },
    features: [],
    allFeatures: false,
    compatibility: { kind: 'auto' },
    zig: false,
    sdist: false,
    args: [],
    ...overrides,
  };
}
