/**
 * How far the container's build script got, told by the script itself: container-build.sh appends
 * the phase it enters, one a line, to a file in a directory the host mounts for it. The host reads
 * the last phase after `docker run` and tells the kinds of failure apart by it (docker could not
 * start the script, the image has no CPython, installing Rust or maturin failed, the before-build
 * hook failed, maturin failed), never by reading the log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** The phases, in the order the script enters them. */
export const CONTAINER_PHASES = [
  'started',
  'install-rust',
  'add-targets',
  'find-python',
  'no-cpython',
  'install-maturin',
  'before-build',
  'maturin',
] as const;
export type ContainerPhase = (typeof CONTAINER_PHASES)[number];

/** Where the status directory is mounted in the container, and the file the script appends to. */
export const CONTAINER_STATUS_DIR_AT = '/opt/ferrowheel/status';
export const CONTAINER_STATUS_FILE_AT = `${CONTAINER_STATUS_DIR_AT}/phases`;

/** A fresh status directory on the host (under the runner's temp directory), for one run. */
export function makeStatusDir(runnerTemp: string): string {
  return mkdtempSync(path.join(runnerTemp, 'ferrowheel-container-'));
}

/** The phases written to a status file, in order; a line the script does not write is left out. */
export function parsePhases(text: string): ContainerPhase[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line): line is ContainerPhase => (CONTAINER_PHASES as readonly string[]).includes(line));
}

/**
 * The last phase the script entered, read from the status directory, which is then removed;
 * undefined when the script wrote none (it never started).
 */
export function takeLastPhase(statusDir: string): ContainerPhase | undefined {
  let text = '';
  try {
    text = readFileSync(path.join(statusDir, path.basename(CONTAINER_STATUS_FILE_AT)), 'utf8');
  } catch {
    // No file: the script did not start.
  }
  rmSync(statusDir, { recursive: true, force: true });
  return parsePhases(text).at(-1);
}
