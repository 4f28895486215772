/**
 * One annotation per compiler diagnostic. setup-rust registers problem matchers for rustc's output
 * (actions/setup-rust/matchers/rust.json) so that any later step that compiles Rust (cargo test,
 * clippy) gets annotations. The build action annotates rustc's diagnostics itself, with paths
 * resolved against the cargo workspace (a matcher can only take the path as rustc printed it,
 * relative to wherever cargo ran). With both, every error of a build was annotated twice.
 *
 * So build yields nothing and the matcher yields during build: setup-rust exports where its file
 * is (RUST_MATCHER_ENV); while maturin runs, build takes off the matcher for rustc's long-form
 * diagnostics (the form its own parser reads) and puts the file back afterwards, failure or not.
 * The runner keeps a job's matchers from step to step, so the steps after build still have it.
 */
import path from 'node:path';
import { pathKind } from './files.js';

/** Set by setup-rust (to its matcher file) when it registered the matchers. */
export const RUST_MATCHER_ENV = 'FERROWHEEL_RUST_MATCHER';

/** The owner of the matcher for rustc's long-form diagnostics (`error[E…]: …` + `--> file:l:c`). */
export const RUSTC_MATCHER_OWNER = 'ferrowheel-rustc';

/**
 * The matcher file a step before registered, if the variable names one: a single-line absolute
 * path of an existing `.json` file (anything else in the variable is not ours to echo into a
 * workflow command).
 */
export function registeredRustMatcher(env: NodeJS.ProcessEnv): string | undefined {
  const file = env[RUST_MATCHER_ENV];
  if (!file || /[\r\n]/.test(file) || !path.isAbsolute(file) || !file.endsWith('.json')) return undefined;
  return pathKind(file) === 'file' ? file : undefined;
}

/**
 * Runs `work` with the rustc matcher taken off when a step before registered it, and puts it
 * back afterwards. `work` is told whether it was taken off, so it can annotate what the matcher
 * would have (warnings too). `write` prints one line to the log.
 */
export async function withoutRustcMatcher<T>(
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
  work: (matcherSuspended: boolean) => Promise<T>,
): Promise<T> {
  const file = registeredRustMatcher(env);
  if (file === undefined) return work(false);
  write(`::remove-matcher owner=${RUSTC_MATCHER_OWNER}::`);
  try {
    return await work(true);
  } finally {
    write(`::add-matcher::${file}`);
  }
}
