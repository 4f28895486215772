/**
 * A CPython of this machine for the x86_64 leg's wheels that no image here has (3.10, 3.12 from
 * pyenv, say): on GitHub that leg is tested on the runner itself, so a host interpreter tests it
 * as faithfully, as long as the host's glibc is as new as the wheel's manylinux level.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** `python3.10` on PATH, else pyenv's newest 3.10.x; undefined when neither exists. */
export function hostPython(version: string): string | undefined {
  const name = `python${version}`;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    // pyenv's shims answer for every version and fail for those not installed: skip them.
    if (dir === '' || dir.endsWith(`${path.sep}shims`)) continue;
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  const versions = path.join(process.env.PYENV_ROOT ?? path.join(homedir(), '.pyenv'), 'versions');
  if (!existsSync(versions)) return undefined;
  const found = readdirSync(versions)
    .filter((v) => v.startsWith(`${version}.`) && /^\d+\.\d+\.\d+$/.test(v))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
    .map((v) => path.join(versions, v, 'bin', name))
    .filter((p) => existsSync(p));
  return found.at(-1);
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
