/** The only place setup-rust reads its inputs. */

import { type RunnerContext, runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { pathKind } from '@ferrowheel/kit/files';
import {
  envInputSource,
  getBoolean,
  getEnum,
  getList,
  getString,
  getWorkspacePath,
  type InputSource,
} from '@ferrowheel/kit/inputs';
import type { Os } from '@ferrowheel/kit/platform';
import { ok, type Result, unwrap } from '@ferrowheel/kit/result';
import { looksLikeTriple, resolveTarget, TARGET_ALIASES } from '@ferrowheel/kit/targets';
import {
  checkComponent,
  PROFILES,
  type Profile,
  parseToolchain,
  TOOLCHAIN_HELP,
  type ToolchainSpec,
} from './toolchain-spec.js';

export interface Inputs {
  /** Undefined: from rust-toolchain(.toml), else stable. */
  toolchain: ToolchainSpec | undefined;
  /** Rust target triples (aliases resolved; universal2 gives two). */
  targets: string[];
  components: string[];
  /** Undefined: from the toolchain file, else minimal. */
  profile: Profile | undefined;
  workingDirectory: string;
  cache: boolean;
  cacheKey: string;
  matcher: boolean;
  /** The runner this runs on (workspace, platform, environment). */
  runner: RunnerContext;
}

/**
 * Resolves a target input item: a known triple or an alias (for the runner's OS), or any other
 * well-formed triple (wasm32-unknown-unknown...), which rustup then checks.
 */
export function resolveTargetInput(item: string, os: Os): Result<string[]> {
  const target = resolveTarget(item, { os });
  if (target.ok) return ok(target.value.rustTargets);
  if (looksLikeTriple(item.toLowerCase()) && item.includes('-')) return ok([item.toLowerCase()]);
  return target;
}

/** The user's part of the cache key; prefix, OS, arch, job and two hashes take the rest of 512. */
const CACHE_KEY_PART_MAX = 256;

function readToolchain(source: InputSource): ToolchainSpec | undefined {
  const raw = getString(source, 'toolchain');
  if (raw === '') return undefined;
  const parsed = parseToolchain(raw);
  if (!parsed.ok) throw new InputError('toolchain', raw, parsed.problem, TOOLCHAIN_HELP);
  return parsed.value;
}

/** Triples and aliases, resolved for the runner's OS, each once. */
function readTargets(source: InputSource, os: Os): string[] {
  const items = getList(source, 'targets', {
    validate: (item) => {
      const resolved = resolveTargetInput(item, os);
      return resolved.ok ? undefined : resolved.problem;
    },
    allowed: `Use a Rust target triple such as x86_64-unknown-linux-gnu, or an alias: ${TARGET_ALIASES.join(', ')}.`,
  });
  return [...new Set(items.flatMap((item) => unwrap(resolveTargetInput(item, os))))];
}

function readCacheKey(source: InputSource): string {
  const cacheKey = getString(source, 'cache-key', {
    maxLength: CACHE_KEY_PART_MAX,
    maxLengthReason:
      'GitHub caps a whole cache key at 512 characters, and the rest of the key needs the others',
  });
  if (/[,\r\n]/.test(cacheKey)) {
    throw new InputError(
      'cache-key',
      cacheKey,
      'contains a comma or a line break, which cache keys cannot',
      'Give one line and join the parts with - or _ instead.',
    );
  }
  return cacheKey;
}

export function readInputs(
  source: InputSource = envInputSource(),
  context: RunnerContext = runnerContext(),
): Inputs {
  return {
    toolchain: readToolchain(source),
    targets: readTargets(source, context.platform.os),
    components: getList(source, 'components', {
      validate: checkComponent,
      allowed: 'Use names such as clippy, rustfmt, rust-src, llvm-tools.',
    }),
    profile:
      getString(source, 'profile') === '' ? undefined : getEnum(source, 'profile', PROFILES, 'minimal'),
    // In the order the inputs were always read, so the first bad one is still the one named.
    cacheKey: readCacheKey(source),
    workingDirectory: getWorkspacePath(source, 'working-directory', {
      workspace: context.workspace,
      mustExist: 'directory',
      exists: pathKind,
    }),
    cache: getBoolean(source, 'cache', true),
    matcher: getBoolean(source, 'matcher', true),
    runner: context,
  };
}
