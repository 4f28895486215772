/**
 * This repository's own release workflow (.github/workflows/release.yml), run for real by
 * nektos/act on a pushed version tag, against the harness's stand-in for GitHub's API: ci.yml's
 * runs of the commit (the gate), the releases API with immutable releases, generated notes, refs
 * and the contents and pull-request APIs.
 * - CI green for the tagged commit: the bundles are rebuilt and compared, the release is drafted
 *   and published (immutable), v1 moves to the commit, and a pull request pins the examples to it.
 * - CI red for it: the gate fails first, and nothing is created or moved.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { copyRepository, jobOutput, runAct, SELF, stepResults } from '../../src/act.js';
import { type GithubServer, startGithubServer, type WorkflowRun } from '../../src/github-server.js';
import { freshDir, repoRoot } from '../../src/workdirs.js';

const seconds: Record<string, number> = {};
afterAll(() => {
  console.log(`act runs: ${JSON.stringify(seconds)}`);
});

const token = 'ghs_actSelfRelease';
const tag = 'v1.2.0';
const earlier = '1'.repeat(40);
const examplesDir = 'examples/workflows';

/** The examples on the default branch, as they are in this checkout. */
function examples(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(path.join(repoRoot, examplesDir)))
    files[`${examplesDir}/${name}`] = readFileSync(path.join(repoRoot, examplesDir, name), 'utf8');
  return files;
}

/** ci.yml's run on a push of `sha`, its test job ending `conclusion`. */
function ciRun(sha: string, conclusion: 'success' | 'failure'): WorkflowRun {
  return {
    workflow: 'ci.yml',
    head_sha: sha,
    event: 'push',
    status: 'completed',
    conclusion,
    jobs: [{ name: 'Tests (npm test)', status: 'completed', conclusion }],
  };
}

/** Pushes `tag` of a copy of this repository to act, with GitHub's API served by a stand-in. */
async function release(name: string, ci: 'success' | 'failure') {
  const copy = copyRepository(freshDir(`act-${name}`));
  const github = await startGithubServer({
    repository: SELF,
    githubToken: token,
    immutableReleases: true,
    headSha: copy.sha,
    files: examples(),
    refs: { [`refs/tags/${tag}`]: copy.sha, 'refs/tags/v1': earlier },
    workflowRuns: [ciRun(copy.sha, ci)],
    mergedPullRequests: [{ number: 41, title: 'release: this workflow', author: 'houseci' }],
  });
  github.addRelease('v1.1.0');
  const event = path.join(freshDir(`act-${name}-event`), 'push.json');
  writeFileSync(
    event,
    JSON.stringify({
      ref: `refs/tags/${tag}`,
      repository: { full_name: SELF, default_branch: 'main', private: false },
    }),
  );
  const run = await runAct(name, copy.dir, [
    'push',
    '-W',
    '.github/workflows/release.yml',
    '-e',
    event,
    '--env',
    `GITHUB_API_URL=${github.url}`,
    '-s',
    `GITHUB_TOKEN=${token}`,
  ]);
  seconds[name] = Math.round(run.seconds);
  return { run, github, sha: copy.sha };
}

const writes = (github: GithubServer) =>
  github.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

describe('release.yml on a version tag, under act', () => {
  it('stops at the gate when ci.yml failed on the tagged commit: no release, no tag moved, no pull request', async () => {
    const { run, github } = await release('self-release-red', 'failure');
    try {
      expect(run.code).not.toBe(0);
      expect(stepResults(run, 'CI passed on the tagged commit')).toMatchObject({
        "Wait for ci.yml's test job on this commit": 'failure',
      });
      expect(jobOutput(run, 'CI passed on the tagged commit')).toMatch(
        /::error::ci\.yml's job 'Tests \(npm test\)' on [0-9a-f]{40} concluded 'failure'/,
      );
      for (const job of ['dist/ built from its sources', 'GitHub release', 'Move the major tag'])
        expect(stepResults(run, job)).toEqual({});
      expect(writes(github)).toEqual([]);
      expect(github.releases.map((r) => r.tag_name)).toEqual(['v1.1.0']);
      expect(github.refs.get('refs/tags/v1')).toBe(earlier);
      expect(github.pulls).toEqual([]);
    } finally {
      await github.stop();
    }
  }, 300_000);

  it('releases: dist checked, the release published immutable with notes, then v1 moved and the pin pull request opened', async () => {
    const { run, github, sha } = await release('self-release', 'success');
    try {
      expect(stepResults(run, 'CI passed on the tagged commit')).toMatchObject({
        "Wait for ci.yml's test job on this commit": 'success',
      });
      expect(stepResults(run, 'dist/ built from its sources')).toMatchObject({
        "Rebuild every action's bundle and compare it with dist/": 'success',
      });
      expect(jobOutput(run, 'dist/ built from its sources')).toMatch(
        /dist\/ is up to date for \d+ action\(s\)/,
      );
      expect(stepResults(run, 'GitHub release')).toMatchObject({
        'Draft the release with its notes, then publish it': 'success',
      });
      expect(stepResults(run, 'Move the major tag')).toMatchObject({
        'Move the major tag to this release': 'success',
      });
      expect(stepResults(run, 'Pin the examples to this release')).toMatchObject({
        'Open the pull request that pins examples/workflows/ to this release': 'success',
      });

      const published = github.releases.find((r) => r.tag_name === tag);
      expect(published).toMatchObject({ draft: false, immutable: true, name: tag });
      expect(published!.body).toContain(
        `* release: this workflow by @houseci in ${github.url}/${SELF}/pull/41`,
      );
      expect(published!.body).toContain(`/compare/v1.1.0...${tag}`);
      expect(published!.body).toContain(`uses: ${SELF}/actions/publish@${sha} # ${tag}`);
      expect(github.refs.get('refs/tags/v1')).toBe(sha);
      expect(github.refs.get(`refs/tags/${tag}`)).toBe(sha);

      const [pull, ...more] = github.pulls;
      expect(more).toEqual([]);
      expect(pull).toMatchObject({ title: `examples: pin ferrowheel ${tag}`, base: { ref: 'main' } });
      const pinned = github.fileAt(pull!.head.ref, `${examplesDir}/release.yml`)!;
      const refs = [...pinned.matchAll(/uses: ferrowheel\/ferrowheel\/(\S+)@(\S+) # (\S+)/g)].map((m) => [
        m[1],
        m[2],
        m[3],
      ]);
      expect(refs).toEqual([
        ['.github/workflows/build-wheels.yml', sha, tag],
        ['actions/publish', sha, tag],
      ]);

      // Published first, then the major tag moved; the draft was never public.
      const order = writes(github);
      const publish = order.findIndex((w) => /^PATCH \/repos\/.*\/releases\/\d+$/.test(w));
      expect(order.slice(0, 3)).toEqual([
        `POST /repos/${SELF}/releases/generate-notes`,
        `POST /repos/${SELF}/releases`,
        order[publish],
      ]);
      expect(order.indexOf(`PATCH /repos/${SELF}/git/refs/tags/v1`)).toBeGreaterThan(publish);
    } finally {
      await github.stop();
    }
  }, 600_000);
});
