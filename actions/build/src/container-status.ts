/**
 * How far the container's build script got, told by the script itself: container-build.sh appends
 * the phase it enters, one a line, to a file in a directory the host mounts for it. The host reads
 * the last phase after `docker run` and tells the kinds of failure apart by it (docker could not
 * start the script, the image has no CPython, installing Rust or maturin failed, the before-build
 * hook failed, maturin failed), never by reading the log. Each maturin call is written there too:
 * `maturin-call <n>` when it starts and `maturin-call <n> exited <code>` after, so each call's
 * outcome is read from the file as well.
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

/** What the script wrote: the last phase it entered, and each maturin call that started. */
export interface ContainerStatus {
  /** undefined when the script wrote nothing (it never started). */
  phase: ContainerPhase | undefined;
  /** Each call that started, in order: its exit code, undefined when it did not finish. */
  calls: { exitCode: number | undefined }[];
}

const CALL_LINE = /^maturin-call (\d+)(?: exited (\d+))?$/;

function isPhase(line: string): line is ContainerPhase {
  return (CONTAINER_PHASES as readonly string[]).includes(line);
}

/** A status file's text, read; a line the script does not write is left out. */
export function parseStatus(text: string): ContainerStatus {
  const status: ContainerStatus = { phase: undefined, calls: [] };
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (isPhase(line)) status.phase = line;
    const call = CALL_LINE.exec(line);
    if (call === null) continue;
    const index = Number(call[1]) - 1;
    // Only the next call, or the one that started last, can be written: anything else is not the script's.
    if (index === status.calls.length) status.calls.push({ exitCode: undefined });
    const last = status.calls[status.calls.length - 1];
    if (index === status.calls.length - 1 && last && call[2] !== undefined) last.exitCode = Number(call[2]);
  }
  return status;
}

/** The phases written to a status file, in order. */
export function parsePhases(text: string): ContainerPhase[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(isPhase);
}

/**
 * What the script wrote, read from the status directory, which is then removed; no phase and no
 * calls when the script wrote nothing (it never started).
 */
export function takeStatus(statusDir: string): ContainerStatus {
  let text = '';
  try {
    text = readFileSync(path.join(statusDir, path.basename(CONTAINER_STATUS_FILE_AT)), 'utf8');
  } catch {
    // No file: the script did not start.
  }
  rmSync(statusDir, { recursive: true, force: true });
  return parseStatus(text);
}
