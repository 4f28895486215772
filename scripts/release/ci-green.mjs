#!/usr/bin/env node
// @ts-check
// The release's gate: ci.yml's test job must have passed on a push of the tagged commit. It asks
// GitHub (the workflow's runs for that commit, then the run's jobs) rather than running the suite
// again; while the run is queued or in progress it waits, up to a limit.
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF (the runner's);
// CI_WORKFLOW (ci.yml), CI_JOB (the test job's name), WAIT_MINUTES, POLL_SECONDS.
import { pathToFileURL } from 'node:url';
import { apiFromEnv, expectStatus, jobFacts, main, ReleaseError, required, safe } from './github.mjs';
import { parseVersionTag } from './version.mjs';

/**
 * @typedef {import('./github.mjs').Api} Api
 * @typedef {{ kind: 'green', url: string }
 *   | { kind: 'red', conclusion: string, url: string }
 *   | { kind: 'pending', status: string, url?: string }
 *   | { kind: 'no-run' }
 *   | { kind: 'no-job', url: string }} Verdict
 */

/**
 * What GitHub says now about `job` of `workflow` on a push of `sha`: the newest such run counts
 * (a re-run replaces the verdict of an earlier attempt).
 * @param {Api} api
 * @param {{ repository: string, sha: string, workflow: string, job: string }} ask
 * @returns {Promise<Verdict>}
 */
export async function ciVerdict(api, { repository, sha, workflow, job }) {
  const query = `head_sha=${sha}&event=push&exclude_pull_requests=true&per_page=100`;
  const listed = expectStatus(
    await api('GET', `/repos/${repository}/actions/workflows/${encodeURIComponent(workflow)}/runs?${query}`),
    `Listing the ${workflow} runs of ${sha}`,
  );
  /** @type {{ id: number, head_sha: string, status: string, html_url: string }[]} */
  const runs = listed.workflow_runs.filter((/** @type {{ head_sha: string }} */ r) => r.head_sha === sha);
  if (runs.length === 0) return { kind: 'no-run' };
  const run = runs.reduce((a, b) => (b.id > a.id ? b : a));
  const jobs = expectStatus(
    await api('GET', `/repos/${repository}/actions/runs/${run.id}/jobs?filter=latest&per_page=100`),
    `Listing the jobs of ${run.html_url}`,
  ).jobs;
  /** @type {{ name: string, status: string, conclusion: string | null, html_url: string } | undefined} */
  const found = jobs.find((/** @type {{ name: string }} */ j) => j.name === job);
  if (!found)
    return run.status === 'completed'
      ? { kind: 'no-job', url: run.html_url }
      : { kind: 'pending', status: run.status, url: run.html_url };
  if (found.status !== 'completed') return { kind: 'pending', status: found.status, url: found.html_url };
  if (found.conclusion === 'success') return { kind: 'green', url: found.html_url };
  return { kind: 'red', conclusion: String(found.conclusion), url: found.html_url };
}

/**
 * Waits until the verdict is green (returns) or cannot become green (throws the reason). A commit
 * with no run at all is waited for only `noRunGraceMs`: ci.yml may not have started yet, but a
 * commit that was never pushed to a branch CI runs on never gets one.
 * @param {Api} api
 * @param {{ repository: string, sha: string, workflow: string, job: string, waitMs: number,
 *   pollMs: number, noRunGraceMs: number, log: import('./github.mjs').Log,
 *   sleep?: (ms: number) => Promise<void>, now?: () => number }} options
 */
export async function waitForGreenCi(api, options) {
  const { sleep = (ms) => new Promise((r) => setTimeout(r, ms)), now = Date.now, log } = options;
  const started = now();
  const what = `${options.workflow}'s job '${options.job}' on ${options.sha}`;
  for (;;) {
    const verdict = await ciVerdict(api, options);
    const waited = now() - started;
    if (verdict.kind === 'green') return log.info(`${what}: passed (${verdict.url})`);
    if (verdict.kind === 'red')
      throw new ReleaseError(
        `${what} concluded '${safe(verdict.conclusion)}' (${verdict.url}): nothing is released from a commit CI did not pass. Fix main, then tag the fixed commit with the next version.`,
      );
    if (verdict.kind === 'no-job')
      throw new ReleaseError(
        `${verdict.url} has no job named '${options.job}': CI_JOB in release.yml must be the name of ci.yml's test job.`,
      );
    if (verdict.kind === 'no-run' && waited >= options.noRunGraceMs)
      throw new ReleaseError(
        `${options.workflow} has not run on a push of ${options.sha}: tag a commit that was pushed to main, where ${options.workflow} tests every commit.`,
      );
    if (waited >= options.waitMs)
      throw new ReleaseError(
        `${what} is still ${verdict.kind === 'pending' ? verdict.status : 'not started'} after ${Math.round(waited / 60000)} min; re-run this workflow once it has finished.`,
      );
    log.info(
      `${what}: ${verdict.kind === 'pending' ? `${verdict.status} (${verdict.url ?? ''})` : 'no run yet'}; asking again in ${Math.round(options.pollMs / 1000)} s`,
    );
    await sleep(options.pollMs);
  }
}

/** @param {NodeJS.ProcessEnv} env @param {import('./github.mjs').Log} log */
async function step(env, log) {
  const facts = jobFacts(env);
  parseVersionTag(facts.tag);
  const minutes = Number(env.WAIT_MINUTES || 60);
  await waitForGreenCi(apiFromEnv(env), {
    repository: facts.repository,
    sha: facts.sha,
    workflow: required(env, 'CI_WORKFLOW'),
    job: required(env, 'CI_JOB'),
    waitMs: minutes * 60_000,
    pollMs: Number(env.POLL_SECONDS || 30) * 1000,
    noRunGraceMs: Math.min(minutes, 5) * 60_000,
    log,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(step);
