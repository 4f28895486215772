/**
 * What the action knows about package indexes: where PyPI and TestPyPI take uploads, serve their
 * simple API and run trusted publishing, and how to derive the same for any compatible index.
 */
import { InputError } from '@ferrowheel/kit/errors';
import { isLoopbackHost } from '@ferrowheel/kit/http';
import { hasControlCharacter } from '@ferrowheel/kit/inputs';
import { maskUrl } from '@ferrowheel/kit/secrets';

export const PYPI_UPLOAD_URL = 'https://upload.pypi.org/legacy/';

export interface IndexEndpoints {
  /** The legacy upload API (POST). */
  repositoryUrl: string;
  /** The simple API, ending in `/`. */
  indexUrl: string;
  /** Where `/_/oidc/audience` and `/_/oidc/mint-token` live (no trailing slash). */
  oidcBase: string;
  /** A short name for logs: PyPI, TestPyPI or the host. */
  label: string;
  /** True when index-url was derived rather than given. */
  indexUrlDerived: boolean;
}

const KNOWN: Record<string, { indexUrl: string; oidcBase: string; label: string }> = {
  'upload.pypi.org': { indexUrl: 'https://pypi.org/simple/', oidcBase: 'https://pypi.org', label: 'PyPI' },
  'pypi.org': { indexUrl: 'https://pypi.org/simple/', oidcBase: 'https://pypi.org', label: 'PyPI' },
  'test.pypi.org': {
    indexUrl: 'https://test.pypi.org/simple/',
    oidcBase: 'https://test.pypi.org',
    label: 'TestPyPI',
  },
};

/** Parses an index URL input: http(s) only, and https unless the host is loopback. */
export function parseIndexUrl(input: string, raw: string): URL {
  // Messages name the URL only with its credential-bearing parts masked.
  const shown = maskUrl(raw).display;
  // The URL parser drops line breaks and tabs silently; a value holding them is not what was meant.
  if (hasControlCharacter(raw)) {
    throw new InputError(
      input,
      shown,
      'holds a line break or control character',
      'Use the URL alone, on one line.',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(input, shown, 'is not a URL', `Use a full URL such as ${PYPI_UPLOAD_URL}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, shown, `uses ${url.protocol}, not https`, 'Use an https:// URL.');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    // Credentials go with every upload: plain http would send them in the clear.
    throw new InputError(
      input,
      shown,
      `is plain http to ${url.hostname}, which would send the token unencrypted`,
      'Use the https:// URL of the index (plain http is allowed only for 127.0.0.1/localhost).',
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      input,
      shown,
      'has credentials in it',
      "Remove them from the URL; pass the token in the 'token' input (from a secret).",
    );
  }
  return url;
}

const withSlash = (s: string) => (s.endsWith('/') ? s : `${s}/`);

/** The endpoints of the index behind `repository-url`, with `index-url` when given. */
export function resolveIndex(repositoryRaw: string, indexRaw: string): IndexEndpoints {
  const repository = parseIndexUrl('repository-url', repositoryRaw || PYPI_UPLOAD_URL);
  const known = KNOWN[repository.hostname];
  let indexUrl: string;
  if (indexRaw !== '') {
    indexUrl = withSlash(parseIndexUrl('index-url', indexRaw).href);
  } else if (known) {
    indexUrl = known.indexUrl;
  } else {
    // pypiserver, devpi, Artifactory and friends serve `<base>/simple/` next to `<base>/legacy/`.
    const base = withSlash(repository.href.replace(/[?#].*$/, '')).replace(/legacy\/$/, '');
    indexUrl = `${base}simple/`;
  }
  return {
    repositoryUrl: repository.href,
    indexUrl,
    oidcBase: known?.oidcBase ?? repository.origin,
    label: known?.label ?? repository.host,
    indexUrlDerived: indexRaw === '',
  };
}
