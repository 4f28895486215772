/**
 * The release workflow's steps (scripts/release/*.mjs), each run against the harness's stand-in
 * for GitHub's API — the same server the act test runs the whole workflow against
 * (integration/act-release.test.ts) — and their pure parts on their own.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { waitForGreenCi } from '../../../scripts/release/ci-green.mjs';
import { githubApi, ReleaseError } from '../../../scripts/release/github.mjs';
import { moveMajorTag } from '../../../scripts/release/major-tag.mjs';
import { openPinPullRequest, pinUses } from '../../../scripts/release/pin-examples.mjs';
import { publishRelease } from '../../../scripts/release/publish.mjs';
import { isNewest, parseVersionTag } from '../../../scripts/release/version.mjs';
import {
  type GithubServer,
  type GithubServerOptions,
  startGithubServer,
  type WorkflowRun,
} from '../src/github-server.js';

const token = 'ghs_releaseScripts';
const repository = 'ferrowheel/ferrowheel';
const sha = 'a'.repeat(40);
const older = 'b'.repeat(40);
const facts = (tag: string) => ({ repository, sha, tag, server: 'https://github.com' });

let server: GithubServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(options: GithubServerOptions = {}) {
  server = await startGithubServer({ repository, githubToken: token, immutableReleases: true, ...options });
  return { server, api: githubApi({ base: server.url, token, pauseMs: 1 }) };
}

function recorder() {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (l: string) => lines.push(l),
      warning: (l: string) => lines.push(l),
      error: (l: string) => lines.push(l),
    },
  };
}

const writes = (s: GithubServer) =>
  s.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

describe('versions', () => {
  it('takes vMAJOR.MINOR.PATCH and nothing else, saying the form', () => {
    expect(parseVersionTag('v1.20.3')).toEqual({ tag: 'v1.20.3', major: 1, minor: 20, patch: 3 });
    for (const bad of ['1.2.3', 'v1.2', 'v1.2.3-rc.1', 'v01.2.3', 'v1'])
      expect(() => parseVersionTag(bad)).toThrow(
        `The tag '${bad}' is not a release version: tag releases vMAJOR.MINOR.PATCH, like v1.2.3 (no leading zeros, no suffix).`,
      );
  });

  it('knows the newest release, overall or of one major; drafts, pre-releases and other tags do not count', () => {
    const releases = ['v1.1.0', 'v2.0.0', 'nightly'].map((tag_name) => ({
      tag_name,
      draft: false,
      prerelease: false,
    }));
    releases.push(
      { tag_name: 'v9.0.0', draft: true, prerelease: false },
      { tag_name: 'v8.0.0', draft: false, prerelease: true },
    );
    expect(isNewest(parseVersionTag('v1.2.0'), releases)).toBe(false);
    expect(isNewest(parseVersionTag('v1.2.0'), releases, { sameMajor: true })).toBe(true);
    expect(isNewest(parseVersionTag('v1.0.9'), releases, { sameMajor: true })).toBe(false);
    expect(isNewest(parseVersionTag('v2.0.1'), releases)).toBe(true);
  });
});

describe('pinUses', () => {
  it('pins every uses: of this repository to the commit and version, and nothing else', () => {
    const text = [
      '    uses: ferrowheel/ferrowheel/.github/workflows/build-wheels.yml@v1',
      '      - uses: ferrowheel/ferrowheel/actions/publish@0123456789012345678901234567890123456789 # main (no release yet)',
      '      - uses: actions/attest@1e69f48acb82d1966a394da916b4c1698aa569d6 # v4.2.2',
      '      - uses: ferrowheel/ferrowheel-fork/actions/publish@v1',
      '# uses: ferrowheel/ferrowheel/actions/publish@v1 in prose stays',
      '',
    ].join('\n');
    const pinned = pinUses(text, { repository, sha, tag: 'v1.2.3' });
    expect(pinned.count).toBe(2);
    expect(pinned.text.split('\n')).toEqual([
      `    uses: ferrowheel/ferrowheel/.github/workflows/build-wheels.yml@${sha} # v1.2.3`,
      `      - uses: ferrowheel/ferrowheel/actions/publish@${sha} # v1.2.3`,
      '      - uses: actions/attest@1e69f48acb82d1966a394da916b4c1698aa569d6 # v4.2.2',
      '      - uses: ferrowheel/ferrowheel-fork/actions/publish@v1',
      '# uses: ferrowheel/ferrowheel/actions/publish@v1 in prose stays',
      '',
    ]);
  });
});

describe('ci-green: the gate', () => {
  const ci = (
    conclusion: WorkflowRun['conclusion'],
    status: WorkflowRun['status'] = 'completed',
  ): WorkflowRun => ({
    workflow: 'ci.yml',
    head_sha: sha,
    event: 'push',
    status,
    conclusion,
    jobs: [
      { name: 'Tests (npm test)', status, conclusion },
      { name: 'Reusable workflow on examples/setup', status: 'completed', conclusion: 'success' },
    ],
  });
  const ask = {
    repository,
    sha,
    workflow: 'ci.yml',
    job: 'Tests (npm test)',
    waitMs: 600_000,
    pollMs: 30_000,
    noRunGraceMs: 300_000,
  };

  it('passes when the test job succeeded on a push of the commit', async () => {
    const { api } = await start({ workflowRuns: [ci('success')] });
    const { log, lines } = recorder();
    await waitForGreenCi(api, { ...ask, log });
    expect(lines).toEqual([
      expect.stringMatching(/^ci\.yml's job 'Tests \(npm test\)' on a{40}: passed \(http.*\/job\/\d+\)$/),
    ]);
  });

  it('stops on a red test job, naming it, even when an older run of the commit was green', async () => {
    const { api } = await start({ workflowRuns: [ci('success'), ci('failure')] });
    await expect(waitForGreenCi(api, { ...ask, log: recorder().log })).rejects.toThrow(
      /^ci\.yml's job 'Tests \(npm test\)' on a{40} concluded 'failure' \(http[^)]*\): nothing is released from a commit CI did not pass/,
    );
  });

  it('waits while the run is in progress, then passes', async () => {
    const runs = [ci(null, 'in_progress')];
    const { api } = await start({ workflowRuns: runs });
    const { log, lines } = recorder();
    let clock = 0;
    const sleep = async (ms: number) => {
      clock += ms;
      runs[0] = ci('success');
    };
    await waitForGreenCi(api, { ...ask, log, sleep, now: () => clock });
    expect(lines[0]).toMatch(/: in_progress \(.*\); asking again in 30 s$/);
    expect(lines[1]).toMatch(/: passed/);
  });

  it('gives up on a commit no CI run ever came for, and on a job name ci.yml does not have', async () => {
    let clock = 0;
    const timing = {
      sleep: async (ms: number) => {
        clock += ms;
      },
      now: () => clock,
    };
    const { api } = await start({ workflowRuns: [{ ...ci('success'), head_sha: older }] });
    await expect(waitForGreenCi(api, { ...ask, ...timing, log: recorder().log })).rejects.toThrow(
      `ci.yml has not run on a push of ${sha}: tag a commit that was pushed to main, where ci.yml tests every commit.`,
    );
    expect(clock).toBe(300_000);
    await expect(
      waitForGreenCi(api, { ...ask, sha: older, job: 'Tests', log: recorder().log }),
    ).rejects.toThrow(
      /\/actions\/runs\/1 has no job named 'Tests': CI_JOB in release\.yml must be the name of ci\.yml's test job\.$/,
    );
  });
});

describe('publish: the GitHub release', () => {
  it('drafts the release with generated notes and the pin, publishes it immutable; a re-run changes nothing', async () => {
    const { server, api } = await start({
      mergedPullRequests: [{ number: 7, title: 'build: faster', author: 'octo' }],
    });
    server.addRelease('v1.1.0');
    const { log, lines } = recorder();
    const release = await publishRelease(api, { facts: facts('v1.2.0'), log });
    expect(release).toMatchObject({ tag_name: 'v1.2.0', draft: false, immutable: true });
    const stored = server.releases.find((r) => r.tag_name === 'v1.2.0')!;
    expect(stored.body).toContain(`* build: faster by @octo in ${server.url}/${repository}/pull/7`);
    expect(stored.body).toContain(`compare/v1.1.0...v1.2.0`);
    expect(stored.body).toContain(`uses: ${repository}/.github/workflows/build-wheels.yml@${sha} # v1.2.0`);
    expect(stored.body).toContain(`uses: ${repository}/actions/publish@${sha} # v1.2.0`);
    expect(writes(server)).toEqual([
      `POST /repos/${repository}/releases/generate-notes`,
      `POST /repos/${repository}/releases`,
      `PATCH /repos/${repository}/releases/${stored.id}`,
    ]);
    expect(
      JSON.parse(server.requests.find((r) => r.method === 'POST' && r.path.endsWith('/releases'))!.body),
    ).toMatchObject({ draft: true, target_commitish: sha });
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ draft: false, make_latest: 'true' });
    expect(lines.at(-1)).toMatch(/^Published v1\.2\.0: /);

    const before = server.requests.length;
    await publishRelease(api, { facts: facts('v1.2.0'), log });
    expect(writes({ ...server, requests: server.requests.slice(before) })).toEqual([]);
  });

  it('finishes the draft an interrupted run left; a fix of an older line is not made latest', async () => {
    const { server, api } = await start();
    server.addRelease('v2.0.0');
    const draft = server.addRelease('v1.4.1', [], { draft: true });
    await publishRelease(api, { facts: facts('v1.4.1'), log: recorder().log });
    expect(server.releases.filter((r) => r.tag_name === 'v1.4.1')).toEqual([
      expect.objectContaining({ id: draft.id, draft: false }),
    ]);
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ draft: false, make_latest: 'false' });
  });

  it('fails when the published release is not immutable: the setting is off, and v1 must not move', async () => {
    const { api } = await start({ immutableReleases: false });
    await expect(publishRelease(api, { facts: facts('v1.2.0'), log: recorder().log })).rejects.toThrow(
      /^v1\.2\.0 is published but not immutable \(.*\), so its tag could still be moved\. Enable release immutability \(Settings → Releases → Enable release immutability\)/,
    );
  });

  it('says which call failed and what GitHub answered, without a stack', async () => {
    const { server } = await start();
    const api = githubApi({ base: server.url, token: 'wrong', pauseMs: 1 });
    const failure = publishRelease(api, { facts: facts('v1.2.0'), log: recorder().log });
    await expect(failure).rejects.toBeInstanceOf(ReleaseError);
    await expect(failure).rejects.toThrow(
      'Looking up the release of v1.2.0 failed: GitHub answered 401 (Bad credentials).',
    );
  });
});

describe('major-tag', () => {
  it('creates v1, moves it to a newer release, and leaves it for an older one', async () => {
    const { server, api } = await start({ refs: {} });
    server.addRelease('v1.2.0');
    expect(await moveMajorTag(api, { facts: facts('v1.2.0'), log: recorder().log })).toBe('created');
    expect(server.refs.get('refs/tags/v1')).toBe(sha);
    expect(await moveMajorTag(api, { facts: facts('v1.2.0'), log: recorder().log })).toBe('unchanged');

    server.refs.set('refs/tags/v1', older);
    expect(await moveMajorTag(api, { facts: facts('v1.2.0'), log: recorder().log })).toBe('moved');
    expect(server.refs.get('refs/tags/v1')).toBe(sha);

    server.addRelease('v1.3.0');
    server.addRelease('v1.2.1');
    expect(await moveMajorTag(api, { facts: { ...facts('v1.2.1'), sha: older }, log: recorder().log })).toBe(
      'older',
    );
    expect(server.refs.get('refs/tags/v1')).toBe(sha);
  });

  it('refuses to move before the release is published', async () => {
    const { server, api } = await start();
    server.addRelease('v1.2.0', [], { draft: true });
    await expect(moveMajorTag(api, { facts: facts('v1.2.0'), log: recorder().log })).rejects.toThrow(
      'v1.2.0 has no published release: v1 moves only after the release job has published it.',
    );
    expect(writes(server)).toEqual([]);
  });

  it("cannot move a version tag: an immutable release's tag is locked", async () => {
    const { server, api } = await start({ refs: { 'refs/tags/v1.2.0': older } });
    server.addRelease('v1.2.0');
    const reply = await api('PATCH', `/repos/${repository}/git/refs/tags/v1.2.0`, { sha, force: true });
    expect(reply.status).toBe(422);
    expect(server.refs.get('refs/tags/v1.2.0')).toBe(older);
  });
});

describe('pin-examples: the pull request that pins the examples', () => {
  const example = `jobs:\n  wheels:\n    uses: ${repository}/.github/workflows/build-wheels.yml@${older} # v1.1.0\n  publish:\n    steps:\n      - uses: ${repository}/actions/publish@${older} # v1.1.0\n`;
  const files = {
    'examples/workflows/release.yml': example,
    'examples/workflows/README.md': 'prose',
    'README.md': 'x',
  };
  const pin = { base: 'main', dir: 'examples/workflows' };

  it('commits the pinned file to a branch from main and opens the pull request; a re-run finds it', async () => {
    const { server, api } = await start({ files, headSha: older });
    server.addRelease('v1.2.0');
    const opened = await openPinPullRequest(api, { facts: facts('v1.2.0'), ...pin, log: recorder().log });
    expect(opened).toEqual({ kind: 'opened', url: `${server.url}/${repository}/pull/1` });
    const [pull] = server.pulls;
    expect(pull).toMatchObject({
      title: 'examples: pin ferrowheel v1.2.0',
      head: { ref: 'release/pin-examples-v1.2.0' },
      base: { ref: 'main' },
    });
    expect(pull!.body).toContain('close and reopen it to run ci.yml');
    const pinned = server.fileAt('release/pin-examples-v1.2.0', 'examples/workflows/release.yml')!;
    expect(pinned).toBe(example.replaceAll(`${older} # v1.1.0`, `${sha} # v1.2.0`));
    expect(server.fileAt('main', 'examples/workflows/release.yml')).toBe(example);
    expect(server.commits.get(server.refs.get('refs/heads/release/pin-examples-v1.2.0')!)).toMatchObject({
      parent: older,
      message: `examples: pin ferrowheel v1.2.0 (${sha})`,
    });

    expect(await openPinPullRequest(api, { facts: facts('v1.2.0'), ...pin, log: recorder().log })).toEqual({
      kind: 'exists',
      url: pull!.html_url,
    });
    expect(server.pulls).toHaveLength(1);
  });

  it('leaves the examples alone for a release that is not the newest, or when they pin it already', async () => {
    const { server, api } = await start({ files, headSha: older });
    server.addRelease('v2.0.0');
    server.addRelease('v1.9.9');
    expect(await openPinPullRequest(api, { facts: facts('v1.9.9'), ...pin, log: recorder().log })).toEqual({
      kind: 'older',
    });
    const done = example.replaceAll(`${older} # v1.1.0`, `${sha} # v2.0.0`);
    await server.stop();
    const again = await start({ files: { ...files, 'examples/workflows/release.yml': done } });
    again.server.addRelease('v2.0.0');
    expect(
      await openPinPullRequest(again.api, { facts: facts('v2.0.0'), ...pin, log: recorder().log }),
    ).toEqual({ kind: 'pinned' });
    expect(writes(again.server)).toEqual([]);
  });
});
