/**
 * The legacy upload API every PyPI-compatible index speaks (what twine uses): one
 * multipart/form-data POST per file with `:action=file_upload`, the core metadata as form fields,
 * the digest and the file as `content`, HTTP Basic auth. Retried on 5xx, 429, timeouts and dropped
 * connections.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '@ferrowheel/kit/errors';
import { fetchWithRetry, type RetryOptions } from '@ferrowheel/kit/http';
import { first, uploadFields } from './core-metadata.js';
import type { Distribution } from './distributions.js';

export interface Credentials {
  username: string;
  password: string;
}

export type UploadResult =
  | { outcome: 'uploaded'; retried: boolean }
  /** The index already has a file of that name (PyPI 400, pypiserver 409). */
  | { outcome: 'exists'; retried: boolean; message: string };

/** The Authorization header value; callers mask it before anything logs. */
export function basicAuth(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** The form a legacy upload sends for one distribution. */
export function uploadForm(dist: Distribution): FormData {
  const form = new FormData();
  form.append(':action', 'file_upload');
  form.append('protocol_version', '1');
  for (const [field, value] of uploadFields(dist.metadata)) {
    // name/version go once, from the checked values below.
    if (field === 'name' || field === 'version' || field === 'metadata_version') continue;
    form.append(field, value);
  }
  form.append('metadata_version', first(dist.metadata, 'Metadata-Version') ?? '2.1');
  form.append('name', dist.name);
  form.append('version', dist.version);
  form.append('filetype', dist.kind === 'wheel' ? 'bdist_wheel' : 'sdist');
  form.append('pyversion', dist.pyversion);
  form.append('sha256_digest', dist.sha256);
  form.append(
    'content',
    new Blob([readFileSync(dist.path)], { type: 'application/octet-stream' }),
    dist.filename,
  );
  return form;
}

/** Messages indexes answer when a file of that name is already there (or was, and was deleted). */
const EXISTS = /already exists|filename has already been used|file exists/i;

/** The readable reason in an error answer: Warehouse puts it in the status line, others in HTML. */
export function answerText(statusText: string, body: string): string {
  const pre = /<pre>([\s\S]*?)<\/pre>/i.exec(body);
  const text = (pre ? pre[1]! : body.replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ''))
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#0*39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return [statusText, text]
    .filter((s) => s !== '' && s !== undefined)
    .join(': ')
    .slice(0, 400);
}

/** Uploads one file; returns whether it went up or was already there, throws otherwise. */
export async function uploadDistribution(
  dist: Distribution,
  options: { repositoryUrl: string; credentials: Credentials; retry: RetryOptions; label: string },
): Promise<UploadResult> {
  let retried = false;
  const response = await fetchWithRetry(
    options.repositoryUrl,
    () => ({
      method: 'POST',
      headers: { Authorization: basicAuth(options.credentials), 'User-Agent': 'ferrowheel-publish/1' },
      body: uploadForm(dist),
      redirect: 'manual',
    }),
    {
      ...options.retry,
      onRetry: (attempt, reason, delayMs) => {
        retried = true;
        options.retry.onRetry?.(attempt, reason, delayMs);
      },
    },
  );
  const body = await response.text().catch(() => '');
  if (response.ok) return { outcome: 'uploaded', retried };
  const reason = answerText(response.statusText, body);
  if ((response.status === 400 || response.status === 409) && EXISTS.test(reason)) {
    return { outcome: 'exists', retried, message: reason };
  }
  const where = `${options.label} (${options.repositoryUrl})`;
  if (response.status === 401 || response.status === 403) {
    throw new UserError(
      `${where} refused the upload of ${dist.filename} with HTTP ${response.status}: ${reason}. The credentials are wrong or lack the right to upload '${dist.name}': for an API token, keep 'username: __token__' and pass the whole token (pypi-...) from a secret scoped to this project; for trusted publishing, check the publisher registered on the index matches this repository, workflow and environment.`,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    throw new UserError(
      `${where} redirected the upload of ${dist.filename} (HTTP ${response.status} to ${response.headers.get('location') ?? '?'}). 'repository-url' must be the upload endpoint itself, e.g. https://upload.pypi.org/legacy/ with the trailing slash.`,
    );
  }
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    throw new UserError(
      `${where} kept failing the upload of ${dist.filename}: HTTP ${response.status} (${reason}) on every attempt. The index is having trouble; run the job again later (with 'skip-existing: true' files that did go up are skipped), or raise 'retries'.`,
    );
  }
  throw new UserError(
    `${where} rejected ${dist.filename} with HTTP ${response.status}: ${reason}. Fix what the index says (e.g. invalid metadata, a version that was deleted and cannot be reused, a file too large) and run again.`,
  );
}
