#!/usr/bin/env node
// @ts-check
// Moves the major tag (`v1`) to the released commit, once the release of the version tag is
// published — and only when that version is the newest of its major, so a fix released on an
// older line (v1.0.5 after v1.1.0) leaves `v1` where it is. The version tags themselves never
// move: their releases are immutable.
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF (the runner's).
import { pathToFileURL } from 'node:url';
import { apiFromEnv, expectStatus, jobFacts, main, ReleaseError } from './github.mjs';
import { listReleases } from './publish.mjs';
import { isNewest, majorTag, parseVersionTag } from './version.mjs';

/**
 * @param {import('./github.mjs').Api} api
 * @param {{ facts: { repository: string, sha: string, tag: string }, log: import('./github.mjs').Log }} options
 * @returns {Promise<'moved' | 'created' | 'unchanged' | 'older'>}
 */
export async function moveMajorTag(api, { facts, log }) {
  const version = parseVersionTag(facts.tag);
  const major = majorTag(version);
  const releases = await listReleases(api, facts.repository);
  if (!releases.some((r) => r.tag_name === facts.tag && !r.draft))
    throw new ReleaseError(
      `${facts.tag} has no published release: ${major} moves only after the release job has published it.`,
    );
  if (!isNewest(version, releases, { sameMajor: true })) {
    log.info(`A newer ${major} release exists: ${major} stays where it is.`);
    return 'older';
  }
  const current = await api('GET', `/repos/${facts.repository}/git/ref/tags/${major}`);
  if (current.status === 404) {
    expectStatus(
      await api('POST', `/repos/${facts.repository}/git/refs`, { ref: `refs/tags/${major}`, sha: facts.sha }),
      `Creating the tag ${major}`,
      [201],
    );
    log.info(`Created ${major} at ${facts.sha} (${facts.tag})`);
    return 'created';
  }
  const before = expectStatus(current, `Looking up the tag ${major}`).object.sha;
  if (before === facts.sha) {
    log.info(`${major} is at ${facts.sha} (${facts.tag}) already`);
    return 'unchanged';
  }
  expectStatus(
    await api('PATCH', `/repos/${facts.repository}/git/refs/tags/${major}`, { sha: facts.sha, force: true }),
    `Moving the tag ${major}`,
  );
  log.info(`Moved ${major} from ${before} to ${facts.sha} (${facts.tag})`);
  return 'moved';
}

/** @param {NodeJS.ProcessEnv} env @param {import('./github.mjs').Log} log */
async function step(env, log) {
  await moveMajorTag(apiFromEnv(env), { facts: jobFacts(env), log });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(step);
