/**
 * Reads members out of an sdist, a gzipped tar (ustar, with GNU long names and pax `path`
 * records), with node's zlib alone. (Wheels are zips: `@ferrowheel/kit/zip` reads those.)
 */
import { gunzipSync } from 'node:zlib';
import { messageOf } from '@ferrowheel/kit/errors';

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

export interface TarMember {
  name: string;
  data: Buffer;
}

function tarString(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.toString('utf8', 0, end === -1 ? raw.length : end);
}

function tarSize(block: Buffer): number {
  // Sizes over 8 GiB use base-256 (high bit set); no sdist is that large.
  if ((block[124]! & 0x80) !== 0) throw new ArchiveError('has a member larger than 8 GiB');
  const octal = tarString(block, 124, 12).trim();
  return octal === '' ? 0 : Number.parseInt(octal, 8);
}

/** Calls `visit` for each regular file of a .tar.gz until it returns true. */
export function walkTarGz(tgz: Buffer, visit: (member: TarMember) => boolean): void {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz);
  } catch (thrown) {
    throw new ArchiveError(`is not a gzip file (${messageOf(thrown)})`);
  }
  let p = 0;
  let longName: string | undefined;
  while (p + 512 <= tar.length) {
    const header = tar.subarray(p, p + 512);
    if (header.every((b) => b === 0)) return;
    const size = tarSize(header);
    const type = String.fromCharCode(header[156]!);
    const data = tar.subarray(p + 512, p + 512 + size);
    p += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = tarString(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (match) longName = match[1];
      continue;
    }
    if (type === 'g') continue;
    const prefix = tarString(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${tarString(header, 0, 100)}` : tarString(header, 0, 100));
    longName = undefined;
    if ((type === '0' || type === '\0') && visit({ name, data: Buffer.from(data) })) return;
  }
  if (p === 0) throw new ArchiveError('is an empty tar archive');
}
