/**
 * Publish: check the files → SHA256SUMS → credentials (token or trusted publishing) → upload
 * each file (skipping what the index already has, with skip-existing) → verify through the
 * simple index → GitHub release assets → outputs and job summary. Outputs are written even when
 * a phase fails, so a partial publish is reported as exactly what happened.
 */
import * as core from '@actions/core';
import { firstEscape } from '@ferrowheel/kit/containment';
import { UserError } from '@ferrowheel/kit/errors';
import type { RetryOptions } from '@ferrowheel/kit/http';
import { logText } from '@ferrowheel/kit/log-text';
import { registerSecret } from '@ferrowheel/kit/secrets';
import {
  type Distribution,
  globFiles,
  inspectDistributions,
  listPackagesDir,
  writeChecksums,
} from './distributions.js';
import { type Inputs, readInputs } from './inputs.js';
import { basicAuth, type Credentials, uploadDistribution } from './legacy-upload.js';
import { type PublishReport, writeReport } from './report.js';
import { type IndexFile, projectFiles } from './simple-index.js';
import { mintUploadToken } from './trusted-publishing.js';

export interface Deps {
  mask: (secret: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultDeps: Deps = { mask: (secret) => registerSecret(secret) };

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
  const outside = firstEscape(inputs.workspace, files);
  if (outside) {
    throw new UserError(
      `${outside.file} ${outside.problem}. Publish only files inside the checkout (real files, not links to files elsewhere); check 'packages-dir' and 'packages'.`,
    );
  }
}

function findDistributions(inputs: Inputs): Distribution[] {
  if (inputs.packages.length > 0) {
    const files = globFiles(inputs.workspace, inputs.packages);
    refuseEscapes(inputs, files);
    return inspectDistributions(files, `the 'packages' patterns ${inputs.packages.join(', ')}`);
  }
  const { files, ignored } = listPackagesDir(inputs.packagesDir);
  refuseEscapes(inputs, files);
  if (ignored.length > 0) core.info(logText`Not packages, left alone: ${ignored.join(', ')}`);
  return inspectDistributions(files, inputs.packagesDir);
}

async function credentials(inputs: Inputs, deps: Deps, project: string): Promise<Credentials> {
  const oidcAvailable = inputs.env.oidcRequestUrl !== undefined;
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
      requestUrl: inputs.env.oidcRequestUrl,
      requestToken: inputs.env.oidcRequestToken,
      workflowRef: inputs.env.workflowRef,
      project,
      retry: retryOptions(inputs, deps, 'trusted publishing'),
      mask: deps.mask,
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
function readIndex(inputs: Inputs, deps: Deps, project: string, creds: Credentials): Promise<IndexFile[]> {
  const sameOrigin = new URL(inputs.index.indexUrl).origin === new URL(inputs.index.repositoryUrl).origin;
  return projectFiles(
    inputs.index.indexUrl,
    project,
    retryOptions(inputs, deps, 'reading the index'),
    sameOrigin ? { Authorization: basicAuth(creds) } : {},
  );
}

/** The index's listing of the project; undefined (with a warning) when it cannot be read. */
async function indexListing(
  inputs: Inputs,
  deps: Deps,
  project: string,
  creds: Credentials,
): Promise<IndexFile[] | undefined> {
  try {
    return await readIndex(inputs, deps, project, creds);
  } catch (thrown) {
    core.warning(
      `Could not read ${inputs.index.indexUrl} for ${project}: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    );
    return undefined;
  }
}

async function upload(
  inputs: Inputs,
  deps: Deps,
  dists: Distribution[],
  report: PublishReport,
): Promise<Credentials> {
  const project = dists[0]!.name;
  const creds = await core.group('Credentials', () => credentials(inputs, deps, project));
  deps.mask(basicAuth(creds).slice('Basic '.length));

  await core.group(logText`Upload to ${inputs.index.label} (${inputs.index.repositoryUrl})`, async () => {
    // With skip-existing, what the index already has is not sent again at all.
    const listed = inputs.skipExisting ? await indexListing(inputs, deps, project, creds) : undefined;
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
        core.info(logText`${dist.filename}: already on the index with the same SHA256, skipped`);
        report.skipped.push({
          file: dist.filename,
          sha256: dist.sha256,
          reason: 'already on the index with the same SHA256',
        });
        continue;
      }
      if (there?.sha256 !== undefined) throw differentFile(inputs, dist, there.sha256);
      let result: Awaited<ReturnType<typeof uploadDistribution>>;
      try {
        result = await uploadDistribution(dist, {
          repositoryUrl: inputs.index.repositoryUrl,
          credentials: creds,
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
      const now = (await indexListing(inputs, deps, project, creds))?.find(
        (f) => f.filename === dist.filename,
      );
      if (now?.sha256 !== undefined && now.sha256 !== dist.sha256)
        throw differentFile(inputs, dist, now.sha256);
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
  return creds;
}

function progress(report: PublishReport): string {
  const done = [...report.published, ...report.skipped].map((p) => p.file);
  return done.length > 0 ? ` (Already done in this run: ${done.join(', ')}.)` : '';
}

function differentFile(inputs: Inputs, dist: Distribution, theirs: string): UserError {
  return new UserError(
    `${dist.filename} is already on ${inputs.index.label} with different content (SHA256 ${theirs}, the local file has ${dist.sha256}). Published files can never be replaced: bump the version, rebuild and publish that.`,
  );
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

async function verify(
  inputs: Inputs,
  deps: Deps,
  dists: Distribution[],
  report: PublishReport,
  creds: Credentials,
): Promise<void> {
  await core.group(logText`Verify through ${inputs.index.indexUrl}`, async () => {
    const project = dists[0]!.name;
    let problems: string[] = [];
    // Indexes behind a CDN can take a moment to list a new file: look again a few times.
    for (let attempt = 1; attempt <= inputs.retries + 1; attempt++) {
      const listed = await readIndex(inputs, deps, project, creds);
      problems = [];
      for (const dist of dists) {
        const file = listed.find((f) => f.filename === dist.filename);
        const entry = [...report.published, ...report.skipped].find((p) => p.file === dist.filename);
        if (!file) problems.push(`${dist.filename} is not listed`);
        else if (file.sha256 === undefined)
          core.warning(`${dist.filename}: the index lists no SHA256 for it; only its presence is verified.`);
        else if (file.sha256 !== dist.sha256)
          problems.push(`${dist.filename} is listed with SHA256 ${file.sha256}, not ${dist.sha256}`);
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
    for (const dist of dists) core.info(logText`${dist.filename}: listed with the right SHA256`);
    report.verified = true;
  });
}

async function release(
  inputs: Inputs,
  deps: Deps,
  dists: Distribution[],
  sums: string,
  report: PublishReport,
): Promise<void> {
  const tag = inputs.githubRelease!;
  if (!inputs.env.repository) {
    throw new UserError(
      "GITHUB_REPOSITORY is not set, so there is no repository for 'github-release'. Run on GitHub Actions, or set 'github-release: false'.",
    );
  }
  await core.group(logText`GitHub release ${tag}`, async () => {
    const { publishRelease } = await import('./github-release.js');
    const result = await publishRelease([...dists.map((d) => d.path), sums], {
      apiUrl: inputs.env.apiUrl,
      repository: inputs.env.repository!,
      tag,
      token: inputs.githubToken,
      sha: inputs.env.sha,
      body: `${dists[0]!.name} ${dists[0]!.version}\n\nSHA256 checksums are in SHA256SUMS (\`sha256sum -c SHA256SUMS\`).`,
      retry: retryOptions(inputs, deps, `GitHub release ${tag}`, 15 * 60_000),
    });
    core.info(logText`${result.created ? 'Created' : 'Updated'} release ${result.url}`);
    for (const asset of result.assets) core.info(logText`${asset.name}: ${asset.action}`);
    report.release = result;
  });
}

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps): Promise<void> {
  const report: PublishReport = {
    inputs,
    dists: [],
    published: [],
    skipped: [],
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
    report.sha256sums = writeChecksums(dists, inputs.env.runnerTemp);
    core.info(logText`Wrote ${report.sha256sums}`);
    if (inputs.dryRun) {
      core.info(
        logText`Dry run: would publish ${dists.length} file(s) to ${inputs.index.repositoryUrl}${inputs.githubRelease ? ` and release ${inputs.githubRelease}` : ''}; nothing was uploaded.`,
      );
      return;
    }
    const creds = await upload(inputs, deps, dists, report);
    if (inputs.verify) await verify(inputs, deps, dists, report, creds);
    if (inputs.githubRelease !== undefined) await release(inputs, deps, dists, report.sha256sums, report);
  } finally {
    await writeReport(report);
  }
}
