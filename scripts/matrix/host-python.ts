/**
 * A CPython of this machine for the x86_64 leg's wheels that no image here has (3.10, 3.12 from
 * pyenv, say): on GitHub that leg is tested on the runner itself, so a host interpreter tests it
 * as faithfully, as long as the host's glibc is as new as the wheel's manylinux level.
 */
import { findHostPython } from '../../packages/harness/src/host-pythons.js';

/** CPython `3.10` of this host (pyenv's, else a working python3.10 on PATH); undefined when it has none. */
export function hostPython(version: string): string | undefined {
  return findHostPython(version)?.path;
}

/** The host's glibc (`2.36`), from node's own report. */
export function hostGlibc(): string | undefined {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
    ?.header;
  return header?.glibcVersionRuntime;
}

/** Whether a wheel's manylinux tags (`manylinux_2_34_x86_64`) install with the host's glibc. */
export function installsOnHost(platformTags: string[], glibc: string | undefined): boolean {
  if (glibc === undefined) return false;
  const [major, minor] = glibc.split('.').map(Number);
  return platformTags.some((tag) => {
    const m = /^manylinux_(\d+)_(\d+)_/.exec(tag);
    return m !== null && (Number(m[1]) < major! || (Number(m[1]) === major && Number(m[2]) <= minor!));
  });
}
