/**
 * The release phase: the GitHub release of the tag gets each file as the index has it and
 * SHA256SUMS of exactly those (github-release.ts drafts, uploads, then publishes).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { UserError } from '@ferrowheel/kit/errors';
import { sha256 as sha256Hex } from '@ferrowheel/kit/files';
import { logText } from '@ferrowheel/kit/log-text';
import { checksumsText } from './distributions.js';
import { githubEnv } from './github-env.js';
import type { ReleaseFile, ReleaseResult } from './github-release.js';
import { type Authenticated, indexCopy, retryOptions } from './publishing.js';

/** A file the index kept from an earlier build: its release asset is the index's copy. */
function keptFile(publish: Authenticated, filename: string): ReleaseFile {
  const kept = publish.earlier.get(filename)!;
  return {
    name: filename,
    sha256: kept.sha256!,
    earlier: true,
    read: async () => {
      const copy = await indexCopy(publish, kept.url);
      if (!copy || sha256Hex(copy) !== kept.sha256)
        throw new UserError(
          `Could not download ${filename} from ${kept.url} with the SHA256 the index lists (${kept.sha256}), so the release cannot get the copy the index kept. Check that the index serves it, then run again.`,
        );
      return copy;
    },
  };
}

/** SHA256SUMS of the release: this run's, unless the index kept earlier builds of some files. */
function releaseChecksums(publish: Authenticated, files: readonly ReleaseFile[]): ReleaseFile {
  const { inputs, dists, report, earlier } = publish;
  let sums = report.sha256sums;
  if (earlier.size > 0) {
    // This run's SHA256SUMS lists the rebuilt files; the release's lists what the index holds.
    const dir = path.join(inputs.runner.runnerTemp, 'ferrowheel-publish-release');
    mkdirSync(dir, { recursive: true });
    sums = path.join(dir, 'SHA256SUMS');
    writeFileSync(sums, checksumsText(dists.map((d, i) => ({ ...d, sha256: files[i]!.sha256 }))));
  }
  const sumsData = readFileSync(sums);
  return {
    name: 'SHA256SUMS',
    sha256: sha256Hex(sumsData),
    read: async () => sumsData,
    checksums: new Map(files.map((f) => [f.name, f.sha256])),
    ...(earlier.size > 0 ? { earlier: true } : {}),
  };
}

/**
 * What the release must hold: each file as the index has it — this run's bytes, or, for a file
 * the index kept from an earlier build, the index's copy — and SHA256SUMS of exactly those.
 */
function releaseFiles(publish: Authenticated): ReleaseFile[] {
  const files: ReleaseFile[] = publish.dists.map((d) =>
    publish.earlier.has(d.filename)
      ? keptFile(publish, d.filename)
      : { name: d.filename, sha256: d.sha256, read: async () => readFileSync(d.path) },
  );
  return [...files, releaseChecksums(publish, files)];
}

function logAssets(result: ReleaseResult): void {
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
}

export async function release(publish: Authenticated): Promise<void> {
  const { inputs, dists, report } = publish;
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
      retry: retryOptions(publish, { what: `GitHub release ${tag}`, timeoutMs: 15 * 60_000 }),
    });
    logAssets(result);
    report.release = result;
  });
}
