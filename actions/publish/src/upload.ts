/**
 * The upload phase: each file to the index, unless the index already has it. What the index has
 * decides: the same bytes (an earlier run) are skipped; other bytes from an earlier build are kept
 * with skip-existing (and fail without it); a truncated copy (a cut-off upload) always fails.
 */
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { messageOf, UserError } from '@ferrowheel/kit/errors';
import { UnreachableError } from '@ferrowheel/kit/http';
import { logText } from '@ferrowheel/kit/log-text';
import { maskUrl } from '@ferrowheel/kit/secrets';
import type { Distribution } from './distributions.js';
import { type UploadResult, uploadDistribution } from './legacy-upload.js';
import { type Authenticated, indexCopy, indexListing, progress, retryOptions } from './publishing.js';
import type { IndexFile } from './simple-index.js';

const EARLIER_RUN = 'already on the index with the same SHA256: an earlier run delivered it';

/** A file and the index's entry of the same name. */
interface Clash {
  dist: Distribution;
  theirs: IndexFile;
}

/** Uploads every file; `listed` (with skip-existing) is what the index had before. */
export async function upload(publish: Authenticated, listed: IndexFile[] | undefined): Promise<void> {
  const { inputs, dists } = publish;
  await core.group(logText`Upload to ${inputs.index.label} (${inputs.index.repositoryUrl})`, async () => {
    // With skip-existing, what the index already has (`listed`) is not sent again at all.
    for (const dist of dists) {
      const there = listed?.find((f) => f.filename === dist.filename);
      if (there?.sha256 === dist.sha256) skipEarlierRun(publish, dist);
      else if (there?.sha256 !== undefined) await keepEarlier(publish, { dist, theirs: there });
      else await uploadOne(publish, dist);
    }
  });
}

function skipEarlierRun({ report }: Authenticated, dist: Distribution): void {
  core.info(
    logText`${dist.filename}: already on the index with the same SHA256 (an earlier run delivered it), skipped`,
  );
  report.skipped.push({ file: dist.filename, sha256: dist.sha256, reason: EARLIER_RUN });
}

function published({ inputs, report }: Authenticated, dist: Distribution, how: string): void {
  core.info(logText`${dist.filename}: ${how}`);
  report.published.push({
    file: dist.filename,
    sha256: dist.sha256,
    url: '',
    repository: inputs.index.repositoryUrl,
  });
}

async function uploadOne(publish: Authenticated, dist: Distribution): Promise<void> {
  const { inputs, report } = publish;
  const attestation = report.attestations.find((a) => a.file === dist.filename)?.attestation;
  let result: UploadResult;
  try {
    result = await uploadDistribution(dist, {
      ...(attestation ? { attestation } : {}),
      repositoryUrl: inputs.index.repositoryUrl,
      credentials: publish.creds,
      label: inputs.index.label,
      retry: retryOptions(publish, { what: `uploading ${dist.filename}`, timeoutMs: 15 * 60_000 }),
    });
  } catch (thrown) {
    throw uploadFailure(publish, { dist, thrown });
  }
  if (result.outcome === 'uploaded') published(publish, dist, `uploaded (${dist.sha256})`);
  else await alreadyThere(publish, { dist, result });
}

/**
 * The index answered that it has a file of that name: ours (an earlier run, or an attempt that
 * went through before its answer was lost) or another.
 */
async function alreadyThere(
  publish: Authenticated,
  { dist, result }: { dist: Distribution; result: Extract<UploadResult, { outcome: 'exists' }> },
): Promise<void> {
  const { inputs, report } = publish;
  const now = (await indexListing(publish))?.find((f) => f.filename === dist.filename);
  if (now?.sha256 !== undefined && now.sha256 !== dist.sha256) {
    if (!inputs.skipExisting) throw await differentFile(publish, { dist, theirs: now });
    await keepEarlier(publish, { dist, theirs: now });
    return;
  }
  const same = now?.sha256 === dist.sha256;
  if (result.retried && same) {
    published(
      publish,
      dist,
      'uploaded (an earlier attempt went through; the index has it with the same SHA256)',
    );
  } else if (inputs.skipExisting) {
    core.info(logText`${dist.filename}: already exists on the index, skipped (${result.message})`);
    report.skipped.push({ file: dist.filename, sha256: dist.sha256, reason: result.message });
  } else {
    throw new UserError(
      `${dist.filename} already exists on ${inputs.index.label} (${result.message})${
        same ? '; the index has it with the same SHA256, so an earlier run published it' : ''
      }. An index never accepts a file twice: set 'skip-existing: true' to make re-runs skip files that are already there, or bump the version to publish new files.${progress(report)}`,
    );
  }
}

/** Why a file the index has from an earlier build (other bytes) is skipped. */
export function earlierBuildReason(indexSha256: string, localSha256: string): string {
  return `already on the index from an earlier build with different bytes (SHA256 ${indexSha256} vs ${localSha256}); an index never replaces a file, so the earlier upload stands`;
}

/**
 * skip-existing, and the index has the file's name with other bytes: an earlier build (a re-run
 * rebuilt it, and wheels are not byte-reproducible: maturin's SBOM has a random serial number).
 * The index's copy stands and the file is skipped, with a warning; never counted as published,
 * and no attestation goes with it. A copy that is the start of ours is a cut-off upload, not a
 * build: that still fails (see differentFile).
 */
async function keepEarlier(publish: Authenticated, clash: Clash): Promise<void> {
  const { dist, theirs } = clash;
  const indexSha256 = theirs.sha256!;
  const truncated = await truncatedCopy(publish, clash);
  if (truncated) throw truncated;
  const reason = earlierBuildReason(indexSha256, dist.sha256);
  core.warning(`${dist.filename}: ${reason}.`, { title: 'Kept the earlier upload' });
  publish.report.skipped.push({ file: dist.filename, sha256: dist.sha256, indexSha256, reason });
  publish.earlier.set(dist.filename, theirs);
}

/**
 * The index has a file of that name with other content. When its copy is the start of ours, an
 * earlier upload was cut off and the index kept what it got (pypiserver does: it does not check
 * `sha256_digest`; PyPI does and never keeps one): that copy is broken and must go, not be
 * worked around with a new version.
 */
async function differentFile(publish: Authenticated, clash: Clash): Promise<UserError> {
  const truncated = await truncatedCopy(publish, clash);
  if (truncated) return truncated;
  return new UserError(
    `${different(publish, clash)} Published files can never be replaced. If it is an earlier build of the same release (a re-run rebuilt it, and builds are not byte-for-byte reproducible: maturin writes an SBOM with a random serial number into every wheel), set 'skip-existing: true' to keep the earlier upload; otherwise bump the version, rebuild and publish that.`,
  );
}

function different({ inputs }: Authenticated, { dist, theirs }: Clash): string {
  return `${dist.filename} is already on ${inputs.index.label} with different content (SHA256 ${theirs.sha256}, the local file has ${dist.sha256}).`;
}

/** The error for an index copy that is the start of the local file (a cut-off upload), else undefined. */
async function truncatedCopy(publish: Authenticated, clash: Clash): Promise<UserError | undefined> {
  const { inputs } = publish;
  const copy = await indexCopy(publish, clash.theirs.url);
  const local = readFileSync(clash.dist.path);
  if (copy && copy.length < local.length && local.subarray(0, copy.length).equals(copy)) {
    return new UserError(
      `${different(publish, clash)} The index's copy is the first ${copy.length} of the file's ${local.length} bytes: an earlier upload was cut off (a killed job, a dropped connection) and ${inputs.index.label} kept the truncated file instead of refusing it. Delete that file from the index (for pypiserver, from its packages directory), then run again with 'skip-existing: true'.`,
    );
  }
  return undefined;
}

function uploadFailure(
  { inputs, report }: Authenticated,
  { dist, thrown }: { dist: Distribution; thrown: unknown },
): unknown {
  if (thrown instanceof UserError) return new UserError(`${thrown.message}${progress(report)}`);
  const why = messageOf(thrown);
  // A connection cut mid-request (rather than refused or timed out) is also how some indexes and
  // proxies refuse an upload they do not want to read.
  const cut =
    thrown instanceof UnreachableError && thrown.connectionCut
      ? ' If the index is up, it may be cutting off an upload it refuses without answering: check the credentials and the file size limit too.'
      : '';
  return new UserError(
    `Uploading ${dist.filename} to ${inputs.index.label} failed after ${inputs.retries + 1} attempts: ${why}. The index is down or unreachable from this runner; check 'repository-url' (${maskUrl(inputs.index.repositoryUrl).display}) and run the job again with 'skip-existing: true' — files already uploaded are then skipped and the rest published.${cut}${progress(report)}`,
  );
}
