/**
 * The legacy upload API every PyPI-compatible index speaks (what twine uses): one
 * multipart/form-data POST per file with `:action=file_upload`, the core metadata as form fields,
 * the digest and the file as `content`, HTTP Basic auth. Retried on 5xx, 429, timeouts and dropped
 * connections.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '@ferrowheel/kit/errors';
import { fetchWithRetry, type RetryOptions } from '@ferrowheel/kit/http';
import { maskUrl, redactSecrets } from '@ferrowheel/kit/secrets';
import { first, uploadFields } from './core-metadata.js';
import type { Distribution } from './distributions.js';
import type { Pep740Attestation } from './pep740.js';

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

/** The fields (in order) a legacy upload sends for one distribution, besides the file. */
export function uploadFieldList(dist: Distribution, attestation?: Pep740Attestation): [string, string][] {
  const fields: [string, string][] = [
    [':action', 'file_upload'],
    ['protocol_version', '1'],
  ];
  for (const [field, value] of uploadFields(dist.metadata)) {
    // name/version go once, from the checked values below.
    if (field === 'name' || field === 'version' || field === 'metadata_version') continue;
    fields.push([field, value]);
  }
  fields.push(
    ['metadata_version', first(dist.metadata, 'Metadata-Version') ?? '2.1'],
    ['name', dist.name],
    ['version', dist.version],
    ['filetype', dist.kind === 'wheel' ? 'bdist_wheel' : 'sdist'],
    ['pyversion', dist.pyversion],
    ['sha256_digest', dist.sha256],
  );
  // PEP 740: a JSON list of attestation objects for this file.
  if (attestation) fields.push(['attestations', JSON.stringify([attestation])]);
  return fields;
}

const quoted = (s: string) => s.replace(/"/g, '%22').replace(/\r?\n/g, ' ');

/**
 * The multipart/form-data body, built as one buffer rather than streamed from a FormData: an
 * index that refuses an upload answers before reading the body (pypiserver does, for bad
 * credentials) and closes; a streamed body then fails with EPIPE and the answer is lost, while a
 * buffer handed to the socket whole lets the answer through.
 */
export function uploadBody(
  dist: Distribution,
  attestation?: Pep740Attestation,
): { body: Buffer; contentType: string } {
  const boundary = `----ferrowheel${dist.sha256.slice(0, 24)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of uploadFieldList(dist, attestation)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${quoted(dist.filename)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    readFileSync(dist.path),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Messages indexes answer when a file of that name is already there (or was, and was deleted). */
const EXISTS = /already exists|filename has already been used|file exists/i;

/**
 * The readable reason in an error answer: Warehouse puts it in the status line, others in HTML.
 * The answer is the server's text: `secrets` (the credentials sent), each of their lines and
 * every registered secret are redacted before it is cut or its white space collapsed.
 */
export function answerText(statusText: string, body: string, secrets: readonly string[] = []): string {
  const redacted = redactSecrets(`${statusText}\n${body}`, secrets);
  const status = redacted.slice(0, redacted.indexOf('\n'));
  const page = redacted.slice(redacted.indexOf('\n') + 1);
  const pre = /<pre>([\s\S]*?)<\/pre>/i.exec(page);
  const text = (pre ? pre[1]! : page.replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ''))
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#0*39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  // Collapsed white space joins the lines of a multi-line secret: redact that form too.
  const collapsed = secrets.map((secret) => secret.replace(/\s+/g, ' ').trim());
  return redactSecrets([status, text].filter((s) => s !== '' && s !== undefined).join(': '), collapsed).slice(
    0,
    400,
  );
}

/** Uploads one file; returns whether it went up or was already there, throws otherwise. */
export async function uploadDistribution(
  dist: Distribution,
  options: {
    repositoryUrl: string;
    credentials: Credentials;
    retry: RetryOptions;
    label: string;
    attestation?: Pep740Attestation;
  },
): Promise<UploadResult> {
  let retried = false;
  const { body: payload, contentType } = uploadBody(dist, options.attestation);
  const response = await fetchWithRetry(
    options.repositoryUrl,
    () => ({
      method: 'POST',
      headers: {
        Authorization: basicAuth(options.credentials),
        'Content-Type': contentType,
        'User-Agent': 'ferrowheel-publish/1',
      },
      body: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
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
  const reason = answerText(response.statusText, body, [
    options.credentials.password,
    basicAuth(options.credentials).slice('Basic '.length),
  ]);
  if ((response.status === 400 || response.status === 409) && EXISTS.test(reason)) {
    return { outcome: 'exists', retried, message: reason };
  }
  throw refusal(dist, {
    status: response.status,
    reason,
    location: response.headers.get('location'),
    label: options.label,
    repositoryUrl: options.repositoryUrl,
  });
}

/** The error for an upload the index refused: what the status means, and what to do. */
function refusal(
  dist: Distribution,
  answer: { status: number; reason: string; location: string | null; label: string; repositoryUrl: string },
): UserError {
  const { status, reason } = answer;
  const where = `${answer.label} (${answer.repositoryUrl})`;
  if (status === 401 || status === 403) {
    const kind = status === 401 ? 'not authenticated' : 'forbidden';
    return new UserError(
      `${where} refused the upload of ${dist.filename} with HTTP ${status} (${kind}): ${reason}. The usual causes: the token is wrong, expired or revoked; it is scoped to another project than '${dist.name}'; the account may not upload to '${dist.name}' (not an owner or maintainer, or the name is taken); 'username' is not '__token__' for an API token. Pass the whole token (pypi-...) from a secret scoped to this project with 'username: __token__'; for trusted publishing, check the publisher registered on the index matches this repository, workflow and environment.`,
    );
  }
  if (status >= 300 && status < 400) {
    // The Location is the server's text and may carry a token of its own (or ours): masked.
    const shown = answer.location
      ? maskUrl(new URL(answer.location, answer.repositoryUrl).href).display
      : 'no Location';
    return new UserError(
      `${where} redirected the upload of ${dist.filename} (HTTP ${status} to ${shown}). A redirect is not followed with the credentials, which would go wherever it points. Set 'repository-url' to the upload endpoint itself, e.g. https://upload.pypi.org/legacy/ with the trailing slash (for another index, the upload URL its documentation gives).`,
    );
  }
  if (status >= 500 || status === 429 || status === 408) {
    return new UserError(
      `${where} kept failing the upload of ${dist.filename}: HTTP ${status} (${reason}) on every attempt. The index is having trouble; run the job again later (with 'skip-existing: true' files that did go up are skipped), or raise 'retries'.`,
    );
  }
  return new UserError(
    `${where} rejected ${dist.filename} with HTTP ${status}: ${reason}. Fix what the index says (e.g. invalid metadata, a version that was deleted and cannot be reused, a file too large) and run again.`,
  );
}
