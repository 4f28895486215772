/** The tarball of a layer made here from a staging directory (no root needed). */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Writes the entries of `staging` to `out`, owned by root, with fixed times and order. The
 * entries, not `.`: the staging directory's own mode (0700) must not become the image's /.
 */
export async function tarLayer(staging: string, out: string): Promise<void> {
  await run(
    'tar',
    [
      '--numeric-owner',
      '--owner=0',
      '--group=0',
      '--mtime=@0',
      '--sort=name',
      '-C',
      staging,
      '-cf',
      out,
      ...readdirSync(staging),
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}
