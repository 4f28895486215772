/**
 * What every phase of a publish works with (the inputs, the injected dependencies, the files and
 * the report) and the index reads several phases share: the listing, a file's copy, retries.
 */
import * as core from '@actions/core';
import { messageOf } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { fetchWithRetry, type RetryOptions } from '@ferrowheel/kit/http';
import { logText } from '@ferrowheel/kit/log-text';
import type { Distribution } from './distributions.js';
import type { Inputs } from './inputs.js';
import { basicAuth, type Credentials } from './legacy-upload.js';
import type { PublishReport } from './report.js';
import { type IndexFile, projectFiles } from './simple-index.js';

export interface Deps {
  sleep?: (ms: number) => Promise<void>;
  /** For the audit's tools; kit's exec and this process's environment by default. */
  exec?: Exec;
  env?: NodeJS.ProcessEnv;
}

/** What every phase works with: the inputs, the injected dependencies, the files and the report. */
export interface Publish {
  inputs: Inputs;
  deps: Deps;
  dists: Distribution[];
  report: PublishReport;
}

/** A phase that talks to the index, with the upload credentials. */
export interface Authenticated extends Publish {
  creds: Credentials;
  /**
   * Files the index already had from an earlier build with other bytes (skip-existing kept its
   * copy): their index entries, by filename. The release must match these, not the local files.
   */
  earlier: Map<string, IndexFile>;
}

/** Retries as the inputs say, each one logged with `what` was being tried. */
export function retryOptions(
  { inputs, deps }: Pick<Publish, 'inputs' | 'deps'>,
  options: { what: string; timeoutMs?: number },
): RetryOptions {
  return {
    attempts: inputs.retries + 1,
    initialDelayMs: inputs.retryDelayMs,
    timeoutMs: options.timeoutMs ?? 60_000,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    onRetry: (attempt, reason, delayMs) =>
      core.info(
        logText`${options.what}: attempt ${attempt} of ${inputs.retries + 1} failed (${reason}); retrying in ${delayMs} ms`,
      ),
  };
}

/**
 * Reads the project's files from the simple index, with the upload credentials when the index is
 * served from the same origin as the upload endpoint (private indexes often protect reads too);
 * they are never sent to another host.
 */
export function readIndex(publish: Authenticated): Promise<IndexFile[]> {
  const { inputs, dists, creds } = publish;
  const sameOrigin = new URL(inputs.index.indexUrl).origin === new URL(inputs.index.repositoryUrl).origin;
  return projectFiles(
    inputs.index.indexUrl,
    dists[0]!.name,
    retryOptions(publish, { what: 'reading the index' }),
    sameOrigin ? { Authorization: basicAuth(creds) } : {},
  );
}

/** The index's listing of the project; undefined (with a warning) when it cannot be read. */
export async function indexListing(publish: Authenticated): Promise<IndexFile[] | undefined> {
  try {
    return await readIndex(publish);
  } catch (thrown) {
    core.warning(
      `Could not read ${publish.inputs.index.indexUrl} for ${publish.dists[0]!.name}: ${messageOf(thrown)}`,
    );
    return undefined;
  }
}

/** The index's copy of a file (same-origin credentials, as for the listing), or undefined. */
export async function indexCopy(publish: Authenticated, url: string): Promise<Buffer | undefined> {
  const { inputs, creds } = publish;
  try {
    const sameOrigin = new URL(url).origin === new URL(inputs.index.repositoryUrl).origin;
    const response = await fetchWithRetry(
      url,
      () => (sameOrigin ? { headers: { Authorization: basicAuth(creds) } } : {}),
      retryOptions(publish, { what: 'reading the index copy' }),
    );
    return response.ok ? Buffer.from(await response.arrayBuffer()) : undefined;
  } catch {
    return undefined;
  }
}

/** What this run already did, for an error that stops it half-way. */
export function progress(report: PublishReport): string {
  const done = [...report.published, ...report.skipped].map((p) => p.file);
  return done.length > 0 ? ` (Already done in this run: ${done.join(', ')}.)` : '';
}
