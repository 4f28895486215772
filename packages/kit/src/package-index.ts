/**
 * The release list of a package from a PyPI-compatible JSON API (`<index>/pypi/<name>/json`, as
 * pypi.org and devpi serve it): every version with its files and their SHA256 digests, so the
 * wheel downloaded later is checked against what the index published.
 */
import { BadAnswerError, getJson, HttpError, type RetryOptions } from './http.js';

export interface ReleaseFile {
  filename: string;
  /** Absolute download URL (relative URLs in the JSON are resolved against the JSON's URL). */
  url: string;
  sha256: string;
  size?: number;
  yanked: boolean;
}

export interface Release {
  version: string;
  files: ReleaseFile[];
  /** Every file of the release is yanked (PEP 592). */
  yanked: boolean;
}

export interface PackageIndex {
  /** Releases of `name`, in the index's order; throws when the index cannot be reached. */
  releases(name: string): Promise<Release[]>;
}

interface JsonFile {
  filename: string;
  url: string;
  digests?: { sha256?: string };
  size?: number;
  yanked?: boolean;
}

interface JsonProject {
  releases?: Record<string, JsonFile[]>;
}

/** Parses the JSON API's answer; `base` is the URL it came from. */
export function parseProjectJson(json: unknown, base: string): Release[] {
  const releases = (json as JsonProject | null)?.releases;
  if (!releases || typeof releases !== 'object') {
    throw new BadAnswerError(base, 'answered JSON that is not a PyPI JSON API answer (no "releases")');
  }
  return Object.entries(releases).map(([version, files]) => {
    const parsed = (Array.isArray(files) ? files : [])
      .filter((f) => typeof f?.filename === 'string' && typeof f.url === 'string')
      .map((f) => ({
        filename: f.filename,
        url: new URL(f.url, base).href,
        sha256: (f.digests?.sha256 ?? '').toLowerCase(),
        ...(typeof f.size === 'number' ? { size: f.size } : {}),
        yanked: f.yanked === true,
      }));
    return { version, files: parsed, yanked: parsed.length > 0 && parsed.every((f) => f.yanked) };
  });
}

/** The JSON API of the index at `indexUrl` (e.g. https://pypi.org). */
export function jsonApiIndex(indexUrl: string, retry: RetryOptions = {}): PackageIndex {
  const root = indexUrl.replace(/\/+$/, '');
  return {
    async releases(name) {
      const url = `${root}/pypi/${encodeURIComponent(name)}/json`;
      try {
        return parseProjectJson(await getJson<unknown>(url, {}, retry), url);
      } catch (thrown) {
        if (thrown instanceof HttpError && thrown.status === 404) {
          throw new BadAnswerError(url, `answered 404: the index has no package '${name}'`);
        }
        throw thrown;
      }
    },
  };
}
