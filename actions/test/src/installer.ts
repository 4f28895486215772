/**
 * Which installer the test venv is made with: the `installer` input against what is on PATH. The
 * commands themselves are kit's (python-installer.ts).
 */
import { UserError } from '@ferrowheel/kit/errors';
import type { Installer } from '@ferrowheel/kit/python-installer';

/** The installer for an `installer` input, given where uv is (undefined when not on PATH). */
export function chooseInstaller(choice: 'auto' | 'uv' | 'pip', uvPath: string | undefined): Installer {
  if (choice === 'pip') return { kind: 'pip' };
  if (uvPath) return { kind: 'uv', uv: uvPath };
  if (choice === 'uv') {
    throw new UserError(
      "Input 'installer' is 'uv', but uv is not on PATH. Install it first (astral-sh/setup-uv), or set 'installer' to 'auto' or 'pip'.",
    );
  }
  return { kind: 'pip' };
}
