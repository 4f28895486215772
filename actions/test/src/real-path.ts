/**
 * Containment by real path: a path inside the workspace by its name can still lead outside it
 * through a symbolic link in the checkout (`ci/setup.sh -> /etc/...`). Paths the action runs or
 * copies are checked once more with their links resolved.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';

/** The real location of an existing `file` when it lies outside the real `workspace`, else undefined. */
export function realPathOutside(file: string, workspace: string): string | undefined {
  const real = realpathSync(file);
  const relative = path.relative(realpathSync(workspace), real);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside ? real : undefined;
}
