/**
 * The problem matchers that turn rustc diagnostics (`error[E0308]: …` + `--> file:line:col`, and
 * the `--message-format short` form) and panics into annotations on the lines they name. The JSON
 * ships beside dist/ (`matchers/rust.json`); its regexes allow the colour codes that
 * CARGO_TERM_COLOR=always puts around the words.
 */
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { exportVariable } from '@ferrowheel/kit/outputs';
import { RUST_MATCHER_ENV } from '@ferrowheel/kit/rust-matcher';

/** The matcher file: `../matchers/rust.json` from dist/index.js (and from src/ in tests). */
export function matcherFile(moduleUrl: string = import.meta.url): string {
  return fileURLToPath(new URL('../matchers/rust.json', moduleUrl));
}

/**
 * Registers the matchers with the runner (a workflow command on stdout), and tells later steps
 * where the file is: the build action takes the rustc matcher off while it annotates the
 * compiler's messages itself, and puts it back (kit rust-matcher.ts).
 */
export function registerMatchers(file: string = matcherFile()): void {
  core.info(`::add-matcher::${file}`);
  exportVariable(RUST_MATCHER_ENV, file);
}
