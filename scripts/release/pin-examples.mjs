#!/usr/bin/env node
// @ts-check
// After a release, opens the pull request that pins the example workflows users copy
// (examples/workflows/) to the release's commit, `@<sha> # v1.2.3`, as zizmor recommends. The
// tagged commit cannot hold its own SHA, so the pin always lands one commit after the release.
// Every `uses:` of this repository in a file gets the same commit: the reusable workflow and the
// actions never come from two revisions. Only for the newest release; a re-run reuses the branch
// and the pull request. The commits go through the contents API, so GitHub signs them.
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF (the runner's);
// DEFAULT_BRANCH (the pull request's base), EXAMPLES_DIR (examples/workflows).
import { pathToFileURL } from 'node:url';
import { apiFromEnv, expectStatus, jobFacts, main, required, safe } from './github.mjs';
import { listReleases } from './publish.mjs';
import { isNewest, parseVersionTag } from './version.mjs';

/**
 * @typedef {import('./github.mjs').Api} Api
 * @typedef {{ repository: string, sha: string, tag: string, server: string }} Facts
 */

/**
 * Every `uses: <repository>/<path>@<ref> [# comment]` line of `text`, pinned to `sha # tag`.
 * @param {string} text
 * @param {{ repository: string, sha: string, tag: string }} pin
 */
export function pinUses(text, { repository, sha, tag }) {
  const name = repository.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const line = new RegExp(`^(\\s*(?:-\\s+)?uses:\\s*)(${name}/[^@\\s]+)@[^\\s#]+(?:[ \\t]+#[^\\n]*)?$`, 'gm');
  let count = 0;
  const pinned = text.replace(line, (_all, prefix, target) => {
    count++;
    return `${prefix}${target}@${sha} # ${tag}`;
  });
  return { text: pinned, count };
}

/**
 * @param {Api} api
 * @param {string} what
 * @param {string} path
 */
async function readFile(api, what, path) {
  const file = expectStatus(await api('GET', path), what);
  return {
    text: Buffer.from(file.content, 'base64').toString('utf8'),
    sha: /** @type {string} */ (file.sha),
  };
}

/**
 * The example files whose pins change, with their new text (read on the default branch).
 * @param {Api} api
 * @param {{ facts: Facts, base: string, dir: string }} options
 */
async function changedExamples(api, { facts, base, dir }) {
  const listing = expectStatus(
    await api('GET', `/repos/${facts.repository}/contents/${dir}?ref=${encodeURIComponent(base)}`),
    `Listing ${dir} on ${base}`,
  );
  /** @type {{ path: string, text: string }[]} */
  const changed = [];
  for (const entry of listing.filter(
    (/** @type {{ type: string, name: string }} */ e) => e.type === 'file' && /\.ya?ml$/.test(e.name),
  )) {
    const { text } = await readFile(
      api,
      `Reading ${entry.path}`,
      `/repos/${facts.repository}/contents/${entry.path}?ref=${encodeURIComponent(base)}`,
    );
    const pinned = pinUses(text, facts);
    if (pinned.count > 0 && pinned.text !== text) changed.push({ path: entry.path, text: pinned.text });
  }
  return changed;
}

/**
 * The branch for the pin, made from the base branch's head unless a re-run made it already.
 * @param {Api} api
 * @param {{ repository: string, base: string, branch: string }} where
 */
async function ensureBranch(api, { repository, base, branch }) {
  const existing = await api('GET', `/repos/${repository}/git/ref/heads/${branch}`);
  if (existing.status === 200) return;
  expectStatus(existing, `Looking up the branch ${branch}`, [404]);
  const head = expectStatus(
    await api('GET', `/repos/${repository}/git/ref/heads/${base}`),
    `Looking up ${base}`,
  );
  expectStatus(
    await api('POST', `/repos/${repository}/git/refs`, { ref: `refs/heads/${branch}`, sha: head.object.sha }),
    `Creating the branch ${branch}`,
    [201],
  );
}

/**
 * @param {Api} api
 * @param {{ facts: Facts, base: string, dir: string, log: import('./github.mjs').Log }} options
 * @returns {Promise<{ kind: 'opened' | 'exists', url: string } | { kind: 'older' | 'pinned' }>}
 */
export async function openPinPullRequest(api, { facts, base, dir, log }) {
  const version = parseVersionTag(facts.tag);
  if (!isNewest(version, await listReleases(api, facts.repository))) {
    log.info(`${facts.tag} is not the newest release: the examples keep their pin.`);
    return { kind: 'older' };
  }
  const changed = await changedExamples(api, { facts, base, dir });
  if (changed.length === 0) {
    log.info(`The examples on ${base} pin ${facts.tag} already.`);
    return { kind: 'pinned' };
  }
  const branch = `release/pin-examples-${facts.tag}`;
  await ensureBranch(api, { repository: facts.repository, base, branch });
  for (const file of changed) {
    const onBranch = await readFile(
      api,
      `Reading ${file.path} on ${branch}`,
      `/repos/${facts.repository}/contents/${file.path}?ref=${encodeURIComponent(branch)}`,
    );
    if (onBranch.text === file.text) continue;
    expectStatus(
      await api('PUT', `/repos/${facts.repository}/contents/${file.path}`, {
        message: `examples: pin ferrowheel ${facts.tag} (${facts.sha})`,
        content: Buffer.from(file.text).toString('base64'),
        sha: onBranch.sha,
        branch,
      }),
      `Committing ${file.path} to ${branch}`,
    );
  }
  return pullRequest(api, { facts, base, branch, paths: changed.map((f) => f.path), log });
}

/**
 * The pull request from `branch` to `base`: the open one a re-run finds, or a new one.
 * @param {Api} api
 * @param {{ facts: Facts, base: string, branch: string, paths: string[], log: import('./github.mjs').Log }} options
 * @returns {Promise<{ kind: 'opened' | 'exists', url: string }>}
 */
async function pullRequest(api, { facts, base, branch, paths, log }) {
  const owner = facts.repository.split('/')[0];
  const open = expectStatus(
    await api(
      'GET',
      `/repos/${facts.repository}/pulls?head=${encodeURIComponent(`${owner}:${branch}`)}&base=${encodeURIComponent(base)}&state=open`,
    ),
    'Listing the open pull requests',
  );
  if (open.length > 0) {
    log.info(`The pull request pinning ${facts.tag} is open already: ${safe(open[0].html_url)}`);
    return { kind: 'exists', url: open[0].html_url };
  }
  const body = [
    `Pins ${paths.map((p) => `\`${p}\``).join(', ')} to ${facts.tag}, \`${facts.sha}\` (${facts.server}/${facts.repository}/releases/tag/${facts.tag}).`,
    '',
    'A tagged commit cannot hold its own SHA, so the release workflow opens this after each release.',
    'GitHub starts no workflow for a pull request the workflow token opens: close and reopen it to run ci.yml.',
  ].join('\n');
  const pull = expectStatus(
    await api('POST', `/repos/${facts.repository}/pulls`, {
      title: `examples: pin ferrowheel ${facts.tag}`,
      head: branch,
      base,
      body,
    }),
    'Opening the pull request',
    [201],
  );
  log.info(`Opened ${safe(pull.html_url)}`);
  return { kind: 'opened', url: pull.html_url };
}

/** @param {NodeJS.ProcessEnv} env @param {import('./github.mjs').Log} log */
async function step(env, log) {
  await openPinPullRequest(apiFromEnv(env), {
    facts: jobFacts(env),
    base: required(env, 'DEFAULT_BRANCH'),
    dir: env.EXAMPLES_DIR || 'examples/workflows',
    log,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(step);
