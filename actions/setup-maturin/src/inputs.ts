/** The only place setup-maturin reads its inputs. */

import { pathKind } from '@ferrowheel/kit/files';
import {
  envInputSource,
  getVersionConstraint,
  getWorkspacePath,
  type InputSource,
} from '@ferrowheel/kit/inputs';

export interface Inputs {
  /** A PEP 440 constraint (`==1.16.0`, `>=1.6,<2`), `latest`, or '' (read pyproject.toml). */
  version: string;
  workingDirectory: string;
}

export function readInputs(
  source: InputSource = envInputSource(),
  workspace = process.env.GITHUB_WORKSPACE ?? process.cwd(),
): Inputs {
  return {
    version: getVersionConstraint(source, 'version'),
    workingDirectory: getWorkspacePath(source, 'working-directory', {
      workspace,
      mustExist: 'directory',
      exists: pathKind,
    }),
  };
}
