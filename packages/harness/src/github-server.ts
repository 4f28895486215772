/**
 * One local server standing in for what a publish job talks to, speaking the documented
 * protocols so the real client code runs in tests. Each service is its own module:
 * - github-oidc.ts: the Actions OIDC token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`);
 * - pypi-trusted-publishing.ts: the index's `/_/oidc/audience` and `/_/oidc/mint-token`;
 * - index-stand-in.ts: the index's upload front (records each upload form, checks PEP 740
 *   attestations) and integrity API, forwarding to a real index (pypiserver);
 * - github-releases.ts: the releases REST API, optionally with immutable releases;
 * - github-release-notes.ts: the notes GitHub generates for a release;
 * - github-repository.ts: refs, files and pull requests (what a release workflow moves and opens);
 * - github-actions-runs.ts: workflow runs and their jobs (what a release gate asks about CI).
 * They share one port because PyPI serves its OIDC exchange and its index from one origin, and
 * GITHUB_API_URL is one base URL. Every request is recorded for assertions.
 */
import http from 'node:http';
import { createActionsRunsService, type WorkflowRun } from './github-actions-runs.js';
import { createOidcService } from './github-oidc.js';
import { createReleaseNotesService, type MergedPullRequest } from './github-release-notes.js';
import { type AddReleaseOptions, createReleasesService, type Release } from './github-releases.js';
import { type Commit, createRepositoryService, type PullRequest } from './github-repository.js';
import { createIndexStandIn, type IndexStandIn, type Publisher } from './index-stand-in.js';
import { trustedPublishingService } from './pypi-trusted-publishing.js';
import { dispatch, listen, readBody, type Service } from './stand-in.js';

export type { WorkflowRun } from './github-actions-runs.js';
export type { MergedPullRequest } from './github-release-notes.js';
export type { Release, ReleaseAsset } from './github-releases.js';
export type { Commit, PullRequest } from './github-repository.js';

export interface GithubRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body as text (JSON requests) or a note of its size (uploads). */
  body: string;
  status: number;
}

export interface GithubServerOptions {
  /** The repository the OIDC token and API speak for. Default `ferrowheel/ferrowheel`. */
  repository?: string;
  /** Claims merged into the OIDC token's payload (e.g. a reusable workflow's `job_workflow_ref`). */
  claims?: Record<string, unknown>;
  /** The audience the index announces. Default `pypi`. */
  audience?: string;
  /** The index behind the front: requests other than GitHub's and `/_/oidc/*` go there. */
  indexTarget?: string;
  /** The API token `/_/oidc/mint-token` hands out (the index user's password). */
  mintedToken?: string;
  /**
   * Which `job_workflow_ref` the "publisher" registered on the index accepts; any other gets
   * PyPI's `invalid-publisher` error. Default: any.
   */
  trustedWorkflowRef?: string;
  /** The token the releases API requires (`Authorization: Bearer|token <it>`). */
  githubToken?: string;
  /** Whether assets carry a `digest` field. Default true. */
  assetDigests?: boolean;
  /** Whether published releases are immutable (GitHub's repository setting). Default false. */
  immutableReleases?: boolean;
  /** Checks attestations' signatures (a SigstoreServer's `verify`), with `indexTarget`. */
  verifyAttestation?: (bundle: unknown) => void;
  /** Whether the index front serves PyPI's integrity API. Default true. */
  integrityApi?: boolean;
  /** The publisher named in the provenance the integrity API serves. */
  publisher?: Publisher;
  /** The repository's default branch (default `main`), holding `files` at `headSha`. */
  defaultBranch?: string;
  files?: Record<string, string>;
  headSha?: string;
  /** More refs, as if pushed earlier (`refs/tags/v1` → SHA). */
  refs?: Record<string, string>;
  /** Workflow runs, as if they had run (the release gate reads them). */
  workflowRuns?: WorkflowRun[];
  /** Pull requests merged since the last release (the generated release notes list them). */
  mergedPullRequests?: MergedPullRequest[];
}

export interface GithubServer {
  /** Base URL, no trailing slash. Serves as GITHUB_API_URL and as the index front. */
  url: string;
  /** For ACTIONS_ID_TOKEN_REQUEST_URL (already has a query, as on GitHub). */
  oidcRequestUrl: string;
  /** For ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  oidcRequestToken: string;
  /** The JWTs issued so far (to check they never reach a log). */
  issuedTokens: string[];
  requests: GithubRequest[];
  releases: Release[];
  /** The index front (upload forms, provenance), when `indexTarget` is given. */
  index: IndexStandIn | undefined;
  /** Adds a release (with assets) as if made earlier. */
  addRelease(tag: string, assets?: { name: string; data: Buffer }[], options?: AddReleaseOptions): Release;
  /** The repository's refs (`refs/tags/v1` → SHA), commits and pull requests, as the API left them. */
  refs: Map<string, string>;
  commits: Map<string, Commit>;
  pulls: PullRequest[];
  /** A file's text at a branch, tag or commit. */
  fileAt(ref: string, path: string): string | undefined;
  stop(): Promise<void>;
}

/** Starts the server on 127.0.0.1 at a free port. */
export async function startGithubServer(options: GithubServerOptions = {}): Promise<GithubServer> {
  const repository = options.repository ?? 'ferrowheel/ferrowheel';
  const requests: GithubRequest[] = [];
  let base = '';

  const oidc = createOidcService({ repository, ...(options.claims ? { claims: options.claims } : {}) });
  const releases = createReleasesService(
    {
      repository,
      ...(options.githubToken !== undefined ? { githubToken: options.githubToken } : {}),
      ...(options.assetDigests !== undefined ? { assetDigests: options.assetDigests } : {}),
      ...(options.immutableReleases !== undefined ? { immutableReleases: options.immutableReleases } : {}),
    },
    () => base,
  );
  const repositoryData = createRepositoryService(
    {
      repository,
      githubToken: options.githubToken,
      ...(options.defaultBranch !== undefined ? { defaultBranch: options.defaultBranch } : {}),
      ...(options.files !== undefined ? { files: options.files } : {}),
      ...(options.headSha !== undefined ? { headSha: options.headSha } : {}),
      ...(options.refs !== undefined ? { refs: options.refs } : {}),
      lockedTags: () => releases.releases.filter((r) => !r.draft && r.immutable).map((r) => r.tag_name),
    },
    () => base,
  );
  const index = options.indexTarget
    ? createIndexStandIn({
        target: options.indexTarget,
        ...(options.verifyAttestation ? { verifyBundle: options.verifyAttestation } : {}),
        ...(options.integrityApi !== undefined ? { integrityApi: options.integrityApi } : {}),
        ...(options.publisher ? { publisher: options.publisher } : {}),
      })
    : undefined;
  const services: Service[] = [
    oidc.service,
    trustedPublishingService({
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
      issued: (token) => oidc.issuedTokens.includes(token),
      ...(options.mintedToken !== undefined ? { mintedToken: options.mintedToken } : {}),
      ...(options.trustedWorkflowRef !== undefined ? { trustedWorkflowRef: options.trustedWorkflowRef } : {}),
    }),
    // Before the releases API, which answers every other /repos/ path itself.
    repositoryData.service,
    createActionsRunsService(
      { repository, githubToken: options.githubToken, runs: options.workflowRuns ?? [] },
      () => base,
    ),
    createReleaseNotesService(
      {
        repository,
        githubToken: options.githubToken,
        releases: releases.releases,
        mergedPullRequests: options.mergedPullRequests ?? [],
      },
      () => base,
    ),
    releases.service,
    ...(index ? [index.service] : []),
  ];

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    readBody(req)
      .then(async (body) => {
        const status = await dispatch(services, { req, res, url: new URL(path, base), method, body });
        const text =
          path.startsWith('/uploads/') || body.length > 4096
            ? `<${body.length} bytes>`
            : body.toString('utf8');
        requests.push({ method, path, headers: req.headers, body: text, status });
      })
      .catch((thrown: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(thrown));
        requests.push({ method, path, headers: req.headers, body: '', status: 500 });
      });
  });
  const listening = await listen(server);
  base = listening.url;
  return {
    url: base,
    oidcRequestUrl: `${base}${oidc.path}`,
    oidcRequestToken: oidc.requestToken,
    issuedTokens: oidc.issuedTokens,
    requests,
    releases: releases.releases,
    index,
    addRelease: releases.addRelease,
    refs: repositoryData.refs,
    commits: repositoryData.commits,
    pulls: repositoryData.pulls,
    fileAt: repositoryData.fileAt,
    stop: listening.stop,
  };
}
