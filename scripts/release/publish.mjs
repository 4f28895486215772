#!/usr/bin/env node
// @ts-check
// Creates the GitHub release of the pushed version tag: a draft with the notes GitHub generates
// and a section saying how to pin this release by commit, then published. Published releases are
// immutable in this repository (Settings → Releases): the tag and the release can never change
// afterwards, and a release that comes out mutable stops the workflow before the major tag moves.
// A re-run finds its own draft, or its published release, and finishes or changes nothing.
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF (the runner's).
import { pathToFileURL } from 'node:url';
import { apiFromEnv, expectStatus, jobFacts, main, ReleaseError } from './github.mjs';
import { isNewest, majorTag, parseVersionTag } from './version.mjs';

/**
 * @typedef {import('./github.mjs').Api} Api
 * @typedef {{ id: number, tag_name: string, draft: boolean, prerelease: boolean, immutable?: boolean,
 *   html_url: string }} Release
 * @typedef {{ repository: string, sha: string, tag: string, server: string }} Facts
 */

/**
 * Every release of the repository, drafts included (the token can see them), newest first.
 * @param {Api} api
 * @param {string} repository
 * @returns {Promise<Release[]>}
 */
export async function listReleases(api, repository) {
  /** @type {Release[]} */
  const all = [];
  for (let page = 1; ; page++) {
    const batch = expectStatus(
      await api('GET', `/repos/${repository}/releases?per_page=100&page=${page}`),
      'Listing the releases',
    );
    all.push(...batch);
    if (batch.length < 100) return all;
  }
}

/**
 * The section of the notes that says how to use this release: pinned by commit, the reusable
 * workflow and the actions from one revision, or by the major tag.
 * @param {Facts} facts
 */
export function pinSection(facts) {
  const version = parseVersionTag(facts.tag);
  return [
    '## Use this release',
    '',
    'Pin ferrowheel to this release’s commit — the reusable workflow and every action from the same one, so no two revisions mix:',
    '',
    '```yaml',
    `uses: ${facts.repository}/.github/workflows/build-wheels.yml@${facts.sha} # ${facts.tag}`,
    `uses: ${facts.repository}/actions/publish@${facts.sha} # ${facts.tag}`,
    '```',
    '',
    `Or follow \`@${majorTag(version)}\`, which moves to the newest ${majorTag(version)} release once it is published.`,
  ].join('\n');
}

/**
 * @param {Api} api
 * @param {{ facts: Facts, log: import('./github.mjs').Log }} options
 * @returns {Promise<Release>}
 */
export async function publishRelease(api, { facts, log }) {
  const version = parseVersionTag(facts.tag);
  const byTag = await api('GET', `/repos/${facts.repository}/releases/tags/${facts.tag}`);
  if (byTag.status === 200) {
    log.info(`${facts.tag} is published already: ${byTag.body.html_url}`);
    return requireImmutable(byTag.body);
  }
  expectStatus(byTag, `Looking up the release of ${facts.tag}`, [404]);
  const releases = await listReleases(api, facts.repository);
  const generated = expectStatus(
    await api('POST', `/repos/${facts.repository}/releases/generate-notes`, {
      tag_name: facts.tag,
      target_commitish: facts.sha,
    }),
    `Generating the notes of ${facts.tag}`,
  );
  const fields = { name: facts.tag, body: `${generated.body}\n\n${pinSection(facts)}\n` };
  const earlier = releases.find((r) => r.draft && r.tag_name === facts.tag);
  const draft = earlier
    ? expectStatus(
        await api('PATCH', `/repos/${facts.repository}/releases/${earlier.id}`, fields),
        `Updating the draft of ${facts.tag}`,
      )
    : expectStatus(
        await api('POST', `/repos/${facts.repository}/releases`, {
          tag_name: facts.tag,
          target_commitish: facts.sha,
          draft: true,
          ...fields,
        }),
        `Creating the draft release of ${facts.tag}`,
        [201],
      );
  log.info(`${earlier ? 'Updated the earlier' : 'Created the'} draft of ${facts.tag}`);
  const published = expectStatus(
    await api('PATCH', `/repos/${facts.repository}/releases/${draft.id}`, {
      draft: false,
      // A fix on an older line is not the repository's latest release.
      make_latest: isNewest(version, releases) ? 'true' : 'false',
    }),
    `Publishing ${facts.tag}`,
  );
  log.info(`Published ${facts.tag}: ${published.html_url}`);
  return requireImmutable(published);
}

/** @param {Release} release */
function requireImmutable(release) {
  if (release.immutable === true) return release;
  throw new ReleaseError(
    `${release.tag_name} is published but not immutable (${release.html_url}), so its tag could still be moved. Enable release immutability (Settings → Releases → Enable release immutability) and release the next patch version; the major tag was not moved.`,
  );
}

/** @param {NodeJS.ProcessEnv} env @param {import('./github.mjs').Log} log */
async function step(env, log) {
  await publishRelease(apiFromEnv(env), { facts: jobFacts(env), log });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(step);
