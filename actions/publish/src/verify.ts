/**
 * The verify phases: the index lists every file with the SHA256 it should have (looked at a few
 * times: an index behind a CDN can take a moment), and serves the attestations this run uploaded.
 */
import * as core from '@actions/core';
import { UserError } from '@ferrowheel/kit/errors';
import { HttpError } from '@ferrowheel/kit/http';
import { logText } from '@ferrowheel/kit/log-text';
import { maskUrl } from '@ferrowheel/kit/secrets';
import { checkProvenance } from './integrity.js';
import { type Authenticated, type Publish, readIndex, retryOptions } from './publishing.js';
import { type IndexFile, RedirectRefused } from './simple-index.js';

/** What is wrong with the listing; fills in each published file's URL on the way. */
function listingProblems(publish: Authenticated, listed: readonly IndexFile[]): string[] {
  const { dists, report } = publish;
  const problems: string[] = [];
  for (const dist of dists) {
    const file = listed.find((f) => f.filename === dist.filename);
    const entry = [...report.published, ...report.skipped].find((p) => p.file === dist.filename);
    // A file kept from an earlier build must still be listed, under the digest it had.
    const expected = publish.earlier.get(dist.filename)?.sha256 ?? dist.sha256;
    if (!file) problems.push(`${dist.filename} is not listed`);
    else if (file.sha256 === undefined)
      core.warning(`${dist.filename}: the index lists no SHA256 for it; only its presence is verified.`);
    else if (file.sha256 !== expected)
      problems.push(`${dist.filename} is listed with SHA256 ${file.sha256}, not ${expected}`);
    if (file && entry && 'url' in entry) entry.url = file.url;
  }
  return problems;
}

function verificationError({ inputs }: Authenticated, problems: readonly string[]): UserError {
  const where = inputs.index.indexUrlDerived
    ? `'index-url' is not set, so this URL was derived from 'repository-url': set 'index-url' to the simple API of that index`
    : `check 'index-url' points at the simple API of the index given in 'repository-url'`;
  return new UserError(
    `Verification failed at ${inputs.index.indexUrl}: ${problems.join('; ')}. The upload was accepted but the index does not serve the files as uploaded; ${where} (or set 'verify: false' for an index without one).`,
  );
}

/**
 * Why the index could not be read for verification, with the causes and the fix; other errors
 * (the network) as they are.
 */
function unreadableIndex({ inputs }: Authenticated, thrown: unknown): unknown {
  const where = inputs.index.indexUrlDerived
    ? `'index-url' is not set, so ${maskUrl(inputs.index.indexUrl).display} was derived from 'repository-url'`
    : `'index-url' is ${maskUrl(inputs.index.indexUrl).display}`;
  if (thrown instanceof RedirectRefused) {
    return new UserError(
      `Verification could not read the index: ${thrown.message}, which is not followed (it leaves the index, or carries a query that may hold a token). ${where}: set 'index-url' to the simple API the index serves directly, or set 'verify: false'.`,
    );
  }
  if (thrown instanceof HttpError && (thrown.status === 401 || thrown.status === 403)) {
    return new UserError(
      `Verification could not read the index: ${thrown.message}. HTTP ${thrown.status} (${thrown.status === 401 ? 'not authenticated' : 'forbidden'}) on a read usually means the index wants credentials to read and gets none (they are sent only to the origin of 'repository-url'), or the token may upload but not read. ${where}: set 'index-url' to a simple API these credentials can read, or set 'verify: false'.`,
    );
  }
  return thrown;
}

export async function verify(publish: Authenticated): Promise<void> {
  const { inputs, deps, dists, report } = publish;
  await core.group(logText`Verify through ${inputs.index.indexUrl}`, async () => {
    let problems: string[] = [];
    // Indexes behind a CDN can take a moment to list a new file: look again a few times.
    for (let attempt = 1; attempt <= inputs.retries + 1; attempt++) {
      const listed = await readIndex(publish).catch((thrown: unknown) => {
        throw unreadableIndex(publish, thrown);
      });
      problems = listingProblems(publish, listed);
      if (problems.length === 0) break;
      if (attempt <= inputs.retries)
        await (deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(inputs.retryDelayMs);
    }
    if (problems.length > 0) throw verificationError(publish, problems);
    for (const dist of dists)
      core.info(
        publish.earlier.has(dist.filename)
          ? logText`${dist.filename}: listed with the SHA256 of the earlier build the index kept`
          : logText`${dist.filename}: listed with the right SHA256`,
      );
    report.verified = true;
  });
}

/** Checks, through the integrity API, that the index serves each attestation this run uploaded. */
export async function verifyProvenance(publish: Publish): Promise<void> {
  const { inputs, dists, report } = publish;
  const uploaded = report.attestations.filter((a) => report.published.some((p) => p.file === a.file));
  if (uploaded.length === 0) return;
  await core.group(logText`Verify attestations through ${inputs.index.oidcBase}/integrity/`, async () => {
    for (const a of uploaded) {
      const result = await checkProvenance({
        base: inputs.index.oidcBase,
        label: inputs.index.label,
        project: dists[0]!.name,
        version: dists[0]!.version,
        filename: a.file,
        attestation: a.attestation,
        expected: inputs.index.label === 'PyPI' || inputs.index.label === 'TestPyPI',
        retry: retryOptions(publish, { what: `provenance of ${a.file}` }),
      });
      a.provenance = result;
      core.info(
        result === 'verified'
          ? `${a.file}: the index serves its attestation`
          : `${a.file}: ${inputs.index.label} has no integrity API; the attestation was sent with the upload`,
      );
    }
  });
}
