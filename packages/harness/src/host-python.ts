/**
 * The CPython `python3` on PATH is — the one interpreter every machine the tests run on is sure
 * to have, and the one builds use by default: 3.11 on this Debian, 3.12 on GitHub's ubuntu-latest.
 * Tests that name a version, a wheel tag or a job named after the version take it from here
 * rather than writing one down.
 */
import { execFileSync } from 'node:child_process';

export interface HostPython {
  /** `3.12` */
  version: string;
  /** The wheel tag of its ABI: `cp312`. */
  tag: string;
}

let cached: HostPython | undefined;

/** Asks `python3 --version` once (`Python 3.12.1`). */
export function hostPython(): HostPython {
  if (cached) return cached;
  const said = execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
  const match = /^Python (3)\.(\d+)\./.exec(said);
  if (!match) throw new Error(`python3 --version said "${said}", not a CPython 3 version.`);
  cached = { version: `${match[1]}.${match[2]}`, tag: `cp${match[1]}${match[2]}` };
  return cached;
}
