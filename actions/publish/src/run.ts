/**
 * Publish: check the files → SHA256SUMS → credentials (token or trusted publishing) → upload
 * each file (skipping what the index already has, with skip-existing) → verify through the
 * simple index → GitHub release assets → outputs and job summary. Outputs are written even when
 * a phase fails, so a partial publish is reported as exactly what happened.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { firstEscape } from '@ferrowheel/kit/containment';
import { UserError } from '@ferrowheel/kit/errors';
import { sha256 as sha256Hex } from '@ferrowheel/kit/files';
import { fetchWithRetry, type RetryOptions } from '@ferrowheel/kit/http';
import { logText } from '@ferrowheel/kit/log-text';
import {
  checksumsText,
  type Distribution,
  globFiles,
  inspectDistributions,
  isOwnOutput,
  listPackagesDir,
  writeChecksums,
} from './distributions.js';
import { githubEnv } from './github-env.js';
import { requestIdToken } from './github-oidc.js';
import type { ReleaseFile } from './github-release.js';
import { type Inputs, readInputs } from './inputs.js';
import { checkProvenance } from './integrity.js';
import { basicAuth, type Credentials, uploadDistribution } from './legacy-upload.js';
import { type PublishReport, writeReport } from './report.js';
import { type IndexFile, projectFiles } from './simple-index.js';
import { mintUploadToken } from './trusted-publishing.js';

export interface Deps {
  sleep?: (ms: number) => Promise<void>;
}

export const defaultDeps: Deps = {};

/** What every phase works with: the inputs, the injected dependencies, the files and the report. */
interface Publish {
  inputs: Inputs;
  deps: Deps;
  dists: Distribution[];
  report: PublishReport;
}

/** A phase that talks to the index, with the upload credentials. */
interface Authenticated extends Publish {
  creds: Credentials;
  /**
   * Files the index already had from an earlier build with other bytes (skip-existing kept its
   * copy): their index entries, by filename. The release must match these, not the local files.
   */
  earlier: Map<string, IndexFile>;
}

function retryOptions(inputs: Inputs, deps: Deps, what: string, timeoutMs = 60_000): RetryOptions {
  return {
    attempts: inputs.retries + 1,
    initialDelayMs: inputs.retryDelayMs,
    timeoutMs,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    onRetry: (attempt, reason, delayMs) =>
      core.info(
        logText`${what}: attempt ${attempt} of ${inputs.retries + 1} failed (${reason}); retrying in ${delayMs} ms`,
      ),
  };
}

/** Every package file must really be inside the workspace: a link in dist/ to /etc/x is refused. */
function refuseEscapes(inputs: Inputs, files: readonly string[]): void {
  const outside = firstEscape(inputs.runner.workspace, files);
  if (outside) {
    throw new UserError(
      `${outside.file} ${outside.problem}. Publish only files inside the checkout (real files, not links to files elsewhere); check 'packages-dir' and 'packages'.`,
    );
  }
}

function findDistributions(inputs: Inputs): Distribution[] {
  if (inputs.packages.length > 0) {
    // This action's own outputs next to the packages are not packages to publish.
    const files = globFiles(inputs.runner.workspace, inputs.packages).filter((f) => !isOwnOutput(f));
    refuseEscapes(inputs, files);
    return inspectDistributions(files, `the 'packages' patterns ${inputs.packages.join(', ')}`);
  }
  const { files, ignored } = listPackagesDir(inputs.packagesDir);
  refuseEscapes(inputs, files);
  if (ignored.length > 0) core.info(logText`Not packages, left alone: ${ignored.join(', ')}`);
  return inspectDistributions(files, inputs.packagesDir);
}

async function credentials(inputs: Inputs, deps: Deps, project: string): Promise<Credentials> {
  const github = githubEnv(inputs.runner.env);
  const oidcAvailable = github.oidcRequestUrl !== undefined;
  const useOidc =
    inputs.trustedPublishing === 'true' ||
    (inputs.trustedPublishing === 'auto' && inputs.token === '' && oidcAvailable);
  if (useOidc) {
    if (inputs.token !== '')
      core.info("Both 'token' and 'trusted-publishing: true' given: using trusted publishing.");
    core.info(
      logText`Trusted publishing: exchanging this job's GitHub OIDC token at ${inputs.index.oidcBase}`,
    );
    const token = await mintUploadToken({
      oidcBase: inputs.index.oidcBase,
      label: inputs.index.label,
      requestUrl: github.oidcRequestUrl,
      requestToken: github.oidcRequestToken,
      workflowRef: github.workflowRef,
      project,
      retry: retryOptions(inputs, deps, 'trusted publishing'),
      mask: inputs.runner.mask,
    });
    core.info('Trusted publishing: got a short-lived upload token.');
    return { username: '__token__', password: token };
  }
  if (inputs.token === '') {
    throw new UserError(
      `No credentials to upload to ${inputs.index.label}: 'token' is empty and ${
        inputs.trustedPublishing === 'false'
          ? "'trusted-publishing' is false"
          : 'trusted publishing is not available (ACTIONS_ID_TOKEN_REQUEST_URL is not set)'
      }. Either register this workflow as a trusted publisher on the index and give the job 'permissions: id-token: write', or pass an API token: 'token: \${{ secrets.PYPI_API_TOKEN }}'.`,
    );
  }
  core.info(logText`Authenticating as '${inputs.username}' with the given token.`);
  return { username: inputs.username, password: inputs.token };
}

/**
 * Reads the project's files from the simple index, with the upload credentials when the index is
 * served from the same origin as the upload endpoint (private indexes often protect reads too);
 * they are never sent to another host.
 */
function readIndex({ inputs, deps, dists, creds }: Authenticated): Promise<IndexFile[]> {
  const project = dists[0]!.name;
  const sameOrigin = new URL(inputs.index.indexUrl).origin === new URL(inputs.index.repositoryUrl).origin;
  return projectFiles(
    inputs.index.indexUrl,
    project,
    retryOptions(inputs, deps, 'reading the index'),
    sameOrigin ? { Authorization: basicAuth(creds) } : {},
  );
}

/** The index's listing of the project; undefined (with a warning) when it cannot be read. */
async function indexListing(publish: Authenticated): Promise<IndexFile[] | undefined> {
  try {
    return await readIndex(publish);
  } catch (thrown) {
    core.warning(
      `Could not read ${publish.inputs.index.indexUrl} for ${publish.dists[0]!.name}: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    );
    return undefined;
  }
}

async function upload(publish: Authenticated, listed: IndexFile[] | undefined): Promise<void> {
  const { inputs, deps, dists, report } = publish;
  await core.group(logText`Upload to ${inputs.index.label} (${inputs.index.repositoryUrl})`, async () => {
    // With skip-existing, what the index already has (`listed`) is not sent again at all.
    const published = (dist: Distribution, how: string) => {
      core.info(logText`${dist.filename}: ${how}`);
      report.published.push({
        file: dist.filename,
        sha256: dist.sha256,
        url: '',
        repository: inputs.index.repositoryUrl,
      });
    };
    for (const dist of dists) {
      const there = listed?.find((f) => f.filename === dist.filename);
      if (there?.sha256 === dist.sha256) {
        core.info(
          logText`${dist.filename}: already on the index with the same SHA256 (an earlier run delivered it), skipped`,
        );
        report.skipped.push({
          file: dist.filename,
          sha256: dist.sha256,
          reason: EARLIER_RUN,
        });
        continue;
      }
      if (there?.sha256 !== undefined) {
        await keepEarlier(publish, dist, there);
        continue;
      }
      const attestation = report.attestations.find((a) => a.file === dist.filename)?.attestation;
      let result: Awaited<ReturnType<typeof uploadDistribution>>;
      try {
        result = await uploadDistribution(dist, {
          ...(attestation ? { attestation } : {}),
          repositoryUrl: inputs.index.repositoryUrl,
          credentials: publish.creds,
          label: inputs.index.label,
          retry: retryOptions(inputs, deps, `uploading ${dist.filename}`, 15 * 60_000),
        });
      } catch (thrown) {
        throw uploadFailure(inputs, dist, report, thrown);
      }
      if (result.outcome === 'uploaded') {
        published(dist, `uploaded (${dist.sha256})`);
        continue;
      }
      // The index has a file of that name: ours (an earlier run, or an attempt that went through
      // before its answer was lost) or another.
      const now = (await indexListing(publish))?.find((f) => f.filename === dist.filename);
      if (now?.sha256 !== undefined && now.sha256 !== dist.sha256) {
        if (!inputs.skipExisting) throw await differentFile(publish, dist, now);
        await keepEarlier(publish, dist, now);
        continue;
      }
      const same = now?.sha256 === dist.sha256;
      if (result.retried && same) {
        published(dist, 'uploaded (an earlier attempt went through; the index has it with the same SHA256)');
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
  });
}

const EARLIER_RUN = 'already on the index with the same SHA256: an earlier run delivered it';

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
async function keepEarlier(publish: Authenticated, dist: Distribution, theirs: IndexFile): Promise<void> {
  const indexSha256 = theirs.sha256!;
  const truncated = await truncatedCopy(publish, dist, theirs);
  if (truncated) throw truncated;
  const reason = earlierBuildReason(indexSha256, dist.sha256);
  core.warning(`${dist.filename}: ${reason}.`, { title: 'Kept the earlier upload' });
  publish.report.skipped.push({ file: dist.filename, sha256: dist.sha256, indexSha256, reason });
  publish.earlier.set(dist.filename, theirs);
}

/**
 * Signs every file's PEP 740 attestation (sigstore-js, loaded only here) with the job's OIDC
 * identity and writes `<file>.publish.attestation` beside it.
 */
async function attest(
  { inputs, deps, dists, report }: Publish,
  listed: IndexFile[] | undefined,
): Promise<void> {
  const toSign = dists.filter((d) => !listed?.some((f) => f.filename === d.filename));
  if (toSign.length === 0) return;
  const github = githubEnv(inputs.runner.env);
  await core.group('Attestations (PEP 740, signed with Sigstore)', async () => {
    const { attestDistributions } = await import('./attest.js');
    core.info(logText`Signing with Fulcio ${inputs.sigstore.fulcio} and Rekor ${inputs.sigstore.rekor}`);
    const attested = await attestDistributions({
      files: toSign,
      identityToken: () =>
        requestIdToken({
          requestUrl: github.oidcRequestUrl,
          requestToken: github.oidcRequestToken,
          audience: 'sigstore',
          retry: retryOptions(inputs, deps, 'the OIDC token for Sigstore'),
          mask: inputs.runner.mask,
        }),
      urls: inputs.sigstore,
      write: (file, text) => writeFileSync(file, text),
      retries: inputs.retries,
    });
    for (const a of attested) {
      core.info(logText`${a.filename}: signed; wrote ${a.path}`);
      report.attestations.push({ file: a.filename, path: a.path, attestation: a.attestation });
    }
  });
}

/** Checks, through the integrity API, that the index serves each attestation this run uploaded. */
async function verifyProvenance({ inputs, deps, dists, report }: Publish): Promise<void> {
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
        retry: retryOptions(inputs, deps, `provenance of ${a.file}`),
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

function progress(report: PublishReport): string {
  const done = [...report.published, ...report.skipped].map((p) => p.file);
  return done.length > 0 ? ` (Already done in this run: ${done.join(', ')}.)` : '';
}

/**
 * The index has a file of that name with other content. When its copy is the start of ours, an
 * earlier upload was cut off and the index kept what it got (pypiserver does: it does not check
 * `sha256_digest`; PyPI does and never keeps one): that copy is broken and must go, not be
 * worked around with a new version.
 */
async function differentFile(
  publish: Authenticated,
  dist: Distribution,
  theirs: IndexFile,
): Promise<UserError> {
  const truncated = await truncatedCopy(publish, dist, theirs);
  if (truncated) return truncated;
  return new UserError(
    `${different(publish, dist, theirs)} Published files can never be replaced. If it is an earlier build of the same release (a re-run rebuilt it, and builds are not byte-for-byte reproducible: maturin writes an SBOM with a random serial number into every wheel), set 'skip-existing: true' to keep the earlier upload; otherwise bump the version, rebuild and publish that.`,
  );
}

function different({ inputs }: Authenticated, dist: Distribution, theirs: IndexFile): string {
  return `${dist.filename} is already on ${inputs.index.label} with different content (SHA256 ${theirs.sha256}, the local file has ${dist.sha256}).`;
}

/** The error for an index copy that is the start of the local file (a cut-off upload), else undefined. */
async function truncatedCopy(
  publish: Authenticated,
  dist: Distribution,
  theirs: IndexFile,
): Promise<UserError | undefined> {
  const { inputs } = publish;
  const copy = await indexCopy(publish, theirs.url);
  const local = readFileSync(dist.path);
  if (copy && copy.length < local.length && local.subarray(0, copy.length).equals(copy)) {
    return new UserError(
      `${different(publish, dist, theirs)} The index's copy is the first ${copy.length} of the file's ${local.length} bytes: an earlier upload was cut off (a killed job, a dropped connection) and ${inputs.index.label} kept the truncated file instead of refusing it. Delete that file from the index (for pypiserver, from its packages directory), then run again with 'skip-existing: true'.`,
    );
  }
  return undefined;
}

/** The index's copy of a file (same-origin credentials, as for the listing), or undefined. */
async function indexCopy({ inputs, deps, creds }: Authenticated, url: string): Promise<Buffer | undefined> {
  try {
    const sameOrigin = new URL(url).origin === new URL(inputs.index.repositoryUrl).origin;
    const response = await fetchWithRetry(
      url,
      () => (sameOrigin ? { headers: { Authorization: basicAuth(creds) } } : {}),
      retryOptions(inputs, deps, 'reading the index copy'),
    );
    return response.ok ? Buffer.from(await response.arrayBuffer()) : undefined;
  } catch {
    return undefined;
  }
}

function uploadFailure(inputs: Inputs, dist: Distribution, report: PublishReport, thrown: unknown): unknown {
  if (thrown instanceof UserError) return new UserError(`${thrown.message}${progress(report)}`);
  const why = thrown instanceof Error ? thrown.message : String(thrown);
  // A connection cut mid-request (rather than refused or timed out) is also how some indexes and
  // proxies refuse an upload they do not want to read.
  const cut = /EPIPE|ECONNRESET|other side closed|socket hang up/i.test(why)
    ? ' If the index is up, it may be cutting off an upload it refuses without answering: check the credentials and the file size limit too.'
    : '';
  return new UserError(
    `Uploading ${dist.filename} to ${inputs.index.label} failed after ${inputs.retries + 1} attempts: ${why}. The index is down or unreachable from this runner; check ${inputs.index.repositoryUrl} and run the job again with 'skip-existing: true' — files already uploaded are then skipped and the rest published.${cut}${progress(report)}`,
  );
}

async function verify(publish: Authenticated): Promise<void> {
  const { inputs, deps, dists, report } = publish;
  await core.group(logText`Verify through ${inputs.index.indexUrl}`, async () => {
    let problems: string[] = [];
    // Indexes behind a CDN can take a moment to list a new file: look again a few times.
    for (let attempt = 1; attempt <= inputs.retries + 1; attempt++) {
      const listed = await readIndex(publish);
      problems = [];
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
      if (problems.length === 0) break;
      if (attempt <= inputs.retries)
        await (deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(inputs.retryDelayMs);
    }
    if (problems.length > 0) {
      const where = inputs.index.indexUrlDerived
        ? `'index-url' is not set, so this URL was derived from 'repository-url': set 'index-url' to the simple API of that index`
        : `check 'index-url' points at the simple API of the index given in 'repository-url'`;
      throw new UserError(
        `Verification failed at ${inputs.index.indexUrl}: ${problems.join('; ')}. The upload was accepted but the index does not serve the files as uploaded; ${where} (or set 'verify: false' for an index without one).`,
      );
    }
    for (const dist of dists)
      core.info(
        publish.earlier.has(dist.filename)
          ? logText`${dist.filename}: listed with the SHA256 of the earlier build the index kept`
          : logText`${dist.filename}: listed with the right SHA256`,
      );
    report.verified = true;
  });
}

/**
 * What the release must hold: each file as the index has it — this run's bytes, or, for a file
 * the index kept from an earlier build, the index's copy — and SHA256SUMS of exactly those.
 */
function releaseFiles(publish: Authenticated): ReleaseFile[] {
  const { inputs, dists, report, earlier } = publish;
  const local = (file: string) => async () => readFileSync(file);
  const files: ReleaseFile[] = dists.map((d) => {
    const kept = earlier.get(d.filename);
    if (!kept) return { name: d.filename, sha256: d.sha256, read: local(d.path) };
    return {
      name: d.filename,
      sha256: kept.sha256!,
      earlier: true,
      read: async () => {
        const copy = await indexCopy(publish, kept.url);
        if (!copy || sha256Hex(copy) !== kept.sha256)
          throw new UserError(
            `Could not download ${d.filename} from ${kept.url} with the SHA256 the index lists (${kept.sha256}), so the release cannot get the copy the index kept. Check that the index serves it, then run again.`,
          );
        return copy;
      },
    };
  });
  let sums = report.sha256sums;
  if (earlier.size > 0) {
    // This run's SHA256SUMS lists the rebuilt files; the release's lists what the index holds.
    const dir = path.join(inputs.runner.runnerTemp, 'ferrowheel-publish-release');
    mkdirSync(dir, { recursive: true });
    sums = path.join(dir, 'SHA256SUMS');
    writeFileSync(sums, checksumsText(dists.map((d, i) => ({ ...d, sha256: files[i]!.sha256 }))));
  }
  const sumsData = readFileSync(sums);
  files.push({
    name: 'SHA256SUMS',
    sha256: sha256Hex(sumsData),
    read: async () => sumsData,
    checksums: new Map(files.map((f) => [f.name, f.sha256])),
    ...(earlier.size > 0 ? { earlier: true } : {}),
  });
  return files;
}

async function release(publish: Authenticated): Promise<void> {
  const { inputs, deps, dists, report } = publish;
  const tag = inputs.githubRelease!;
  const { repository, apiUrl, sha } = githubEnv(inputs.runner.env);
  if (!repository) {
    throw new UserError(
      "GITHUB_REPOSITORY is not set, so there is no repository for 'github-release'. Run on GitHub Actions, or set 'github-release: false'.",
    );
  }
  await core.group(logText`GitHub release ${tag}`, async () => {
    const { publishRelease } = await import('./github-release.js');
    const result = await publishRelease(releaseFiles(publish), {
      apiUrl,
      repository,
      tag,
      token: inputs.githubToken,
      sha,
      body: `${dists[0]!.name} ${dists[0]!.version}\n\nSHA256 checksums are in SHA256SUMS (\`sha256sum -c SHA256SUMS\`).`,
      retry: retryOptions(inputs, deps, `GitHub release ${tag}`, 15 * 60_000),
    });
    core.info(
      logText`${result.created ? 'Created (as a draft, published once complete)' : 'Found'} release ${result.url}${result.immutable ? ' (immutable)' : ''}`,
    );
    for (const asset of result.assets) {
      if (asset.action === 'kept')
        core.warning(
          `${asset.name}: kept from the earlier run (different bytes): the release holds the same build as the index.`,
          { title: 'Release asset from the earlier run' },
        );
      else core.info(logText`${asset.name}: ${asset.action}`);
    }
    report.release = result;
  });
}

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps): Promise<void> {
  const report: PublishReport = {
    inputs,
    dists: [],
    published: [],
    skipped: [],
    attestations: [],
    sha256sums: '',
    verified: false,
  };
  try {
    const dists = await core.group('Check the packages', async () => {
      const found = findDistributions(inputs);
      for (const d of found)
        core.info(
          logText`${d.filename}: ${d.kind}, ${d.name} ${d.version}, ${d.size} bytes, sha256 ${d.sha256}`,
        );
      return found;
    });
    report.dists = dists;
    report.sha256sums = writeChecksums(dists, inputs.runner.runnerTemp);
    core.info(logText`Wrote ${report.sha256sums}`);
    if (inputs.dryRun) {
      core.info(
        logText`Dry run: would publish ${dists.length} file(s) to ${inputs.index.repositoryUrl}${inputs.githubRelease ? ` and release ${inputs.githubRelease}` : ''}; nothing was uploaded.`,
      );
      return;
    }
    const project = dists[0]!.name;
    const creds = await core.group('Credentials', () => credentials(inputs, deps, project));
    inputs.runner.mask(basicAuth(creds).slice('Basic '.length));
    const publish: Authenticated = { inputs, deps, dists, report, creds, earlier: new Map() };
    // With skip-existing, what the index already lists is neither signed nor sent again.
    const listed = inputs.skipExisting ? await indexListing(publish) : undefined;
    if (inputs.attestations) await attest(publish, listed);
    await upload(publish, listed);
    if (inputs.verify) await verify(publish);
    if (inputs.verify && inputs.attestations) await verifyProvenance(publish);
    if (inputs.githubRelease !== undefined) await release(publish);
  } finally {
    await writeReport(report);
  }
}
