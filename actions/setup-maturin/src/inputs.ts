/** The only place setup-maturin reads its inputs. */

import { type RunnerContext, runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import { pathKind } from '@ferrowheel/kit/files';
import { isLoopbackHost } from '@ferrowheel/kit/http';
import {
  envInputSource,
  getBoolean,
  getEnum,
  getUrlInput,
  getVersionConstraint,
  getWorkspacePath,
  type InputSource,
} from '@ferrowheel/kit/inputs';
import { maskUrl } from '@ferrowheel/kit/secrets';

export const METHODS = ['auto', 'wheel', 'venv'] as const;
export type Method = (typeof METHODS)[number];

export interface Inputs {
  /** A PEP 440 constraint (`==1.16.0`, `>=1.6,<2`), `latest`, or '' (read pyproject.toml). */
  version: string;
  workingDirectory: string;
  /** Ask the index even when the tool cache already has a satisfying version. */
  checkLatest: boolean;
  /** Base URL of a PyPI-compatible index with the JSON API, without a trailing slash. */
  indexUrl: string;
  /** How to install when the tool cache has nothing: the wheel's binary, a venv, or auto. */
  method: Method;
  zig: boolean;
  /** Constraint for ziglang ('' = any, 'latest' = newest). */
  zigVersion: string;
  sccache: boolean;
  sccacheVersion: string;
  /** The runner this runs on (workspace, runner temp, platform, environment). */
  runner: RunnerContext;
}

function getIndexUrl(source: InputSource, mask: RunnerContext['mask']): string {
  // Every credential-bearing part (user info, a /TOKEN/ path segment, query values) is masked
  // from the raw value before anything checks it, and messages show only the masked form.
  const raw = getUrlInput(source, 'index-url', mask, { default: 'https://pypi.org' });
  const masked = maskUrl(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(
      'index-url',
      masked.display,
      'is not a URL',
      'Use the base URL of a PyPI-compatible index, e.g. https://pypi.org.',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      'index-url',
      masked.display,
      'is not an http(s) URL',
      'Use the base URL of a PyPI-compatible index, e.g. https://pypi.org.',
    );
  }
  if (url.username !== '' || url.password !== '') {
    // Node's fetch refuses URLs with credentials.
    throw new InputError(
      'index-url',
      masked.display,
      'has a user name or password in it, which the index lookup cannot send',
      'Use an index that serves its JSON API without credentials (a devpi or proxy mirror), and keep tokens out of workflow inputs.',
    );
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    // maturin's binary comes from here: over plain http anyone on the way could swap it (and its
    // SHA256, which comes from the same answer).
    throw new InputError(
      'index-url',
      raw,
      `is plain http to ${url.hostname}, so the binaries downloaded from it could be swapped on the way`,
      'Use the https:// URL of the index (plain http is allowed only for 127.0.0.1/localhost).',
    );
  }
  return raw.replace(/\/+$/, '');
}

export function readInputs(
  source: InputSource = envInputSource(),
  context: RunnerContext = runnerContext(),
): Inputs {
  const { workspace } = context;
  return {
    version: getVersionConstraint(source, 'version'),
    workingDirectory: getWorkspacePath(source, 'working-directory', {
      workspace,
      mustExist: 'directory',
      exists: pathKind,
    }),
    checkLatest: getBoolean(source, 'check-latest', false),
    indexUrl: getIndexUrl(source, context.mask),
    method: getEnum(source, 'method', METHODS, 'auto'),
    zig: getBoolean(source, 'zig', false),
    zigVersion: getVersionConstraint(source, 'zig-version'),
    sccache: getBoolean(source, 'sccache', false),
    sccacheVersion: getVersionConstraint(source, 'sccache-version'),
    runner: context,
  };
}
