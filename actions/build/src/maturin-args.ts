/**
 * The `maturin build` argv, assembled from the inputs by one pure function, so every platform's
 * command line (universal2, Windows, musllinux, zig) is unit-tested anywhere. The same argv runs
 * on the host and in a container (paths are mounted at the same place).
 */
import type { Target } from '@ferrowheel/kit/targets';
import type { Compatibility } from './compatibility.js';

export interface MaturinBuild {
  outDir: string;
  manifestPath?: string | undefined;
  target: Target;
  /** Pass `--target` (a named or non-host target); the host build leaves it to cargo. */
  targetExplicit: boolean;
  release: boolean;
  profile?: string | undefined;
  interpreters: { kind: 'default' } | { kind: 'find' } | { kind: 'list'; items: string[] };
  features: string[];
  allFeatures: boolean;
  compatibility: Compatibility;
  zig: boolean;
  sdist: boolean;
  /** Extra arguments from the `args` input, appended last. */
  args: string[];
  /**
   * rustc arguments for the project's own crate only (maturin's trailing arguments, `cargo rustc
   * -- …`): after the user's own when `args` already holds a `--`.
   */
  rustcArgs?: string[];
}

/** `3.12` → `python3.12`, `3.13t` → `python3.13t`; commands and paths pass unchanged. */
export function interpreterArg(spec: string): string {
  return /^3\.\d+t?$/.test(spec) ? `python${spec}` : spec;
}

export function maturinBuildArgs(build: MaturinBuild): string[] {
  const argv = ['build', '--out', build.outDir];
  if (build.profile !== undefined) argv.push('--profile', build.profile);
  else if (build.release) argv.push('--release');
  if (build.targetExplicit) argv.push('--target', build.target.triple);
  if (build.manifestPath !== undefined) argv.push('--manifest-path', build.manifestPath);
  if (build.interpreters.kind === 'find') argv.push('--find-interpreter');
  else if (build.interpreters.kind === 'list' && build.interpreters.items.length > 0) {
    argv.push('--interpreter', ...build.interpreters.items.map(interpreterArg));
  }
  if (build.features.length > 0) argv.push('--features', build.features.join(','));
  if (build.allFeatures) argv.push('--all-features');
  // Platform tags only mean something for Linux wheels; maturin ignores them elsewhere.
  if (build.target.os === 'linux') {
    if (build.compatibility.kind === 'off') argv.push('--compatibility', 'linux');
    else if (build.compatibility.kind !== 'auto') argv.push('--compatibility', build.compatibility.tag);
  }
  if (build.zig) argv.push('--zig');
  if (build.sdist) argv.push('--sdist');
  argv.push(...build.args);
  const rustc = build.rustcArgs ?? [];
  if (rustc.length > 0) argv.push(...(build.args.includes('--') ? [] : ['--']), ...rustc);
  return argv;
}
