/**
 * The files a build produced, described the way the test and publish actions consume them:
 * the `wheels` output is a JSON array of {@link WheelInfo} (that shape is a contract).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256File } from '@ferrowheel/kit/files';
import { parseWheelFilename, wheelTags } from '@ferrowheel/kit/wheel';

export interface WheelInfo {
  /** Absolute path. */
  path: string;
  filename: string;
  /** Distribution name as in the file name. */
  name: string;
  version: string;
  /** Every `python-abi-platform` tag, compressed tag sets expanded. */
  tags: string[];
  /** Bytes. */
  size: number;
  sha256: string;
}

/** Paths maturin reports: `📦 Built wheel for CPython 3.11 to /…/x.whl`, `📦 Built source distribution to /…/x.tar.gz`. */
export function reportedArtifacts(log: string): { wheels: string[]; sdist: string | undefined } {
  const wheels: string[] = [];
  let sdist: string | undefined;
  for (const line of log.split(/\r?\n/)) {
    const wheel = /Built wheel(?: for .+?)? to (.+\.whl)\s*$/.exec(line);
    if (wheel) wheels.push(wheel[1]!);
    const source = /Built source distribution to (.+\.(?:tar\.gz|zip))\s*$/.exec(line);
    if (source) sdist = source[1]!;
  }
  return { wheels: [...new Set(wheels)], sdist };
}

/** Wheels and sdists in `outDir` written at or after `since` (ms): the fallback when the log says nothing. */
export function recentArtifacts(
  outDir: string,
  since: number,
): { wheels: string[]; sdist: string | undefined } {
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return { wheels: [], sdist: undefined };
  }
  const recent = names
    .map((name) => path.join(outDir, name))
    .filter((file) => statSync(file).mtimeMs >= since - 1000)
    .sort();
  return {
    wheels: recent.filter((f) => f.endsWith('.whl')),
    sdist: recent.find((f) => f.endsWith('.tar.gz')),
  };
}

/** Describes one wheel file. */
export async function describeWheel(file: string): Promise<WheelInfo> {
  const filename = path.basename(file);
  const result = parseWheelFilename(filename);
  if (!result.ok) throw new Error(`maturin produced ${filename}, which ${result.problem}`);
  const parsed = result.value;
  return {
    path: path.resolve(file),
    filename,
    name: parsed.name,
    version: parsed.version,
    tags: wheelTags(parsed),
    size: statSync(file).size,
    sha256: await sha256File(file),
  };
}
