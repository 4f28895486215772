/**
 * Attaches the published files and SHA256SUMS to the GitHub release of a tag, through the REST
 * API with fetch (no Octokit: four endpoints do not justify its weight). The release is created
 * when missing; an asset already there with the same content is kept, a stale one replaced.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '@ferrowheel/kit/errors';
import { sha256 } from '@ferrowheel/kit/files';
import { fetchWithRetry, HttpError, type RetryOptions } from '@ferrowheel/kit/http';

export interface ReleaseOptions {
  apiUrl: string;
  /** owner/repo */
  repository: string;
  tag: string;
  token: string;
  /** The commit a new tag points at (GITHUB_SHA), so a missing tag is not made on the default branch's head. */
  sha: string | undefined;
  /** Text of a new release. */
  body: string;
  retry: RetryOptions;
}

interface ApiAsset {
  id: number;
  name: string;
  size: number;
  digest?: string | null;
  browser_download_url: string;
}

interface ApiRelease {
  id: number;
  html_url: string;
  upload_url: string;
}

export interface AssetResult {
  name: string;
  url: string;
  action: 'uploaded' | 'unchanged' | 'replaced';
}

async function api<T>(
  options: ReleaseOptions,
  method: string,
  url: string,
  body?: { json?: unknown; data?: Buffer; contentType?: string },
): Promise<{ status: number; value: T | undefined; text: string }> {
  const response = await fetchWithRetry(
    url,
    () => ({
      method,
      headers: {
        Authorization: `Bearer ${options.token}`,
        Accept: 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'ferrowheel-publish',
        ...(body?.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(body?.data !== undefined
          ? { 'Content-Type': body.contentType ?? 'application/octet-stream' }
          : {}),
      },
      ...(body?.json !== undefined ? { body: JSON.stringify(body.json) } : {}),
      ...(body?.data !== undefined ? { body: new Uint8Array(body.data) } : {}),
    }),
    options.retry,
  );
  const text = await response.text().catch(() => '');
  if (response.status === 401 || response.status === 403) {
    throw new UserError(
      `The GitHub API refused ${method} ${url} (HTTP ${response.status}: ${text.slice(0, 200)}). Give the job 'permissions: contents: write' and pass 'github-token: \${{ github.token }}' (or a token with contents write on ${options.repository}).`,
    );
  }
  let value: T | undefined;
  try {
    value = text ? (JSON.parse(text) as T) : undefined;
  } catch {
    value = undefined;
  }
  return { status: response.status, value, text };
}

function expect2xx(url: string, result: { status: number; text: string }): void {
  if (result.status < 200 || result.status >= 300) throw new HttpError(url, result.status, result.text);
}

async function findOrCreateRelease(
  options: ReleaseOptions,
): Promise<{ release: ApiRelease; created: boolean }> {
  const base = `${options.apiUrl}/repos/${options.repository}/releases`;
  const byTag = `${base}/tags/${encodeURIComponent(options.tag)}`;
  const found = await api<ApiRelease>(options, 'GET', byTag);
  if (found.status === 200 && found.value) return { release: found.value, created: false };
  if (found.status !== 404) expect2xx(byTag, found);
  const created = await api<ApiRelease>(options, 'POST', base, {
    json: {
      tag_name: options.tag,
      name: options.tag,
      body: options.body,
      ...(options.sha ? { target_commitish: options.sha } : {}),
    },
  });
  if (created.status === 422 && /already_exists/.test(created.text)) {
    // Another job made it in the meantime (a matrix of publishers): use theirs.
    const again = await api<ApiRelease>(options, 'GET', byTag);
    expect2xx(byTag, again);
    return { release: again.value!, created: false };
  }
  expect2xx(base, created);
  return { release: created.value!, created: true };
}

async function listAssets(options: ReleaseOptions, release: ApiRelease): Promise<ApiAsset[]> {
  const assets: ApiAsset[] = [];
  for (let page = 1; ; page++) {
    const url = `${options.apiUrl}/repos/${options.repository}/releases/${release.id}/assets?per_page=100&page=${page}`;
    const result = await api<ApiAsset[]>(options, 'GET', url);
    expect2xx(url, result);
    const batch = result.value ?? [];
    assets.push(...batch);
    if (batch.length < 100) return assets;
  }
}

/** Whether an existing asset holds exactly `data`: by its digest when the API gives one, else by size. */
export function sameContent(asset: ApiAsset, data: Buffer): boolean {
  if (asset.digest) return asset.digest.toLowerCase() === `sha256:${sha256(data)}`;
  return asset.size === data.length;
}

/** Uploads `files` as assets of the tag's release (created when missing). */
export async function publishRelease(
  files: readonly string[],
  options: ReleaseOptions,
): Promise<{ url: string; created: boolean; assets: AssetResult[] }> {
  const { release, created } = await findOrCreateRelease(options);
  const existing = await listAssets(options, release);
  const uploadBase = release.upload_url.replace(/\{[^}]*\}$/, '');
  const results: AssetResult[] = [];
  for (const file of files) {
    const name = path.basename(file);
    const data = readFileSync(file);
    const current = existing.find((a) => a.name === name);
    if (current && sameContent(current, data)) {
      results.push({ name, url: current.browser_download_url, action: 'unchanged' });
      continue;
    }
    if (current) {
      const url = `${options.apiUrl}/repos/${options.repository}/releases/assets/${current.id}`;
      const deleted = await api(options, 'DELETE', url);
      if (deleted.status !== 404) expect2xx(url, deleted);
    }
    const url = `${uploadBase}?name=${encodeURIComponent(name)}`;
    const uploaded = await api<ApiAsset>(options, 'POST', url, {
      data,
      contentType: name.endsWith('.whl')
        ? 'application/zip'
        : name.endsWith('.tar.gz')
          ? 'application/gzip'
          : 'text/plain',
    });
    if (uploaded.status === 422 && /already_exists/.test(uploaded.text)) {
      // A retried upload whose first attempt went through after all: accept it if it is ours.
      const now = (await listAssets(options, release)).find((a) => a.name === name);
      if (now && sameContent(now, data)) {
        results.push({ name, url: now.browser_download_url, action: current ? 'replaced' : 'uploaded' });
        continue;
      }
    }
    expect2xx(url, uploaded);
    results.push({
      name,
      url: uploaded.value?.browser_download_url ?? '',
      action: current ? 'replaced' : 'uploaded',
    });
  }
  return { url: release.html_url, created, assets: results };
}
