/**
 * A repository's git data and pull requests, as far as a release workflow uses GitHub's REST API:
 * references (`git/ref`, `git/refs`: read, create, move), files (`contents`: read a file or a
 * directory at a ref, commit a changed file to a branch) and pull requests (list, open). The
 * repository is an in-memory history of commits, each holding every file's text; refs name
 * commits. Tags of published immutable releases cannot move (422), as on GitHub.
 */
import { createHash, randomBytes } from 'node:crypto';
import { json, type RouteRow, routes, type Service, type ServiceRequest } from './stand-in.js';

export interface Commit {
  sha: string;
  parent: string | undefined;
  message: string;
  files: Map<string, string>;
}

export interface PullRequest {
  number: number;
  title: string;
  body: string;
  state: 'open';
  head: { ref: string; sha: string };
  base: { ref: string };
  html_url: string;
}

export interface RepositoryOptions {
  repository: string;
  githubToken: string | undefined;
  /** The default branch, holding `files` in one commit. Default `main`. */
  defaultBranch?: string;
  /** Its files (path → text). */
  files?: Record<string, string>;
  /** The default branch's commit SHA. Default: a random one. */
  headSha?: string;
  /** More refs (`refs/tags/v1` → a SHA), as if pushed earlier. */
  refs?: Record<string, string>;
  /** Tags that cannot move: those of published immutable releases. */
  lockedTags?: () => string[];
}

export interface RepositoryService {
  service: Service;
  refs: Map<string, string>;
  commits: Map<string, Commit>;
  pulls: PullRequest[];
  /** A file's text at a branch, tag or commit. */
  fileAt(ref: string, path: string): string | undefined;
}

const gitBlobSha = (text: string) =>
  createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest('hex');
const VALIDATION = (message: string) => ({ message, documentation_url: 'https://docs.github.com/rest' });

export function createRepositoryService(
  options: RepositoryOptions,
  baseUrl: () => string,
): RepositoryService {
  const { repository } = options;
  const defaultBranch = options.defaultBranch ?? 'main';
  const head = options.headSha ?? randomBytes(20).toString('hex');
  const commits = new Map<string, Commit>([
    [
      head,
      {
        sha: head,
        parent: undefined,
        message: 'initial',
        files: new Map(Object.entries(options.files ?? {})),
      },
    ],
  ]);
  const refs = new Map<string, string>([
    [`refs/heads/${defaultBranch}`, head],
    ...Object.entries(options.refs ?? {}),
  ]);
  const pulls: PullRequest[] = [];
  const prefix = `/repos/${repository.replace('/', '\\/')}`;

  const resolve = (ref: string) =>
    refs.get(`refs/heads/${ref}`) ?? refs.get(`refs/tags/${ref}`) ?? (commits.has(ref) ? ref : undefined);
  const fileAt = (ref: string, path: string) => {
    const sha = resolve(ref);
    return sha === undefined ? undefined : commits.get(sha)?.files.get(path);
  };
  const refBody = (ref: string, sha: string) => ({ ref, object: { sha, type: 'commit' } });

  const getRef = ({ res }: ServiceRequest, ref: string) => {
    const sha = refs.get(`refs/${ref}`);
    return sha ? json(res, 200, refBody(`refs/${ref}`, sha)) : json(res, 404, { message: 'Not Found' });
  };
  const createRef = ({ res, body }: ServiceRequest) => {
    const { ref, sha } = JSON.parse(body.toString('utf8')) as { ref?: string; sha?: string };
    if (!ref || !/^refs\/[^/]+\/.+/.test(ref) || !sha)
      return json(res, 422, VALIDATION('Reference name or sha is invalid'));
    if (refs.has(ref)) return json(res, 422, VALIDATION('Reference already exists'));
    refs.set(ref, sha);
    return json(res, 201, refBody(ref, sha));
  };
  const updateRef = ({ res, body }: ServiceRequest, ref: string) => {
    const { sha } = JSON.parse(body.toString('utf8')) as { sha?: string; force?: boolean };
    const full = `refs/${ref}`;
    if (!refs.has(full)) return json(res, 422, VALIDATION('Reference does not exist'));
    if (ref.startsWith('tags/') && options.lockedTags?.().includes(ref.slice('tags/'.length)))
      return json(res, 422, VALIDATION('Cannot update a tag of an immutable release'));
    if (!sha) return json(res, 422, VALIDATION('sha is missing'));
    refs.set(full, sha);
    return json(res, 200, refBody(full, sha));
  };

  const contentsAt = (path: string, ref: string, sha: string) => {
    const files = commits.get(sha)!.files;
    const text = files.get(path);
    if (text !== undefined)
      return {
        type: 'file',
        path,
        name: path.split('/').at(-1),
        sha: gitBlobSha(text),
        encoding: 'base64',
        content: Buffer.from(text).toString('base64'),
        ref,
      };
    const children = new Set(
      [...files.keys()]
        .filter((f) => f.startsWith(`${path}/`))
        .map((f) => f.slice(path.length + 1).split('/')[0]!),
    );
    if (children.size === 0) return undefined;
    return [...children].sort().map((name) => {
      const child = `${path}/${name}`;
      const file = files.get(child);
      return {
        type: file === undefined ? 'dir' : 'file',
        path: child,
        name,
        sha: file === undefined ? '' : gitBlobSha(file),
      };
    });
  };
  const getContents = ({ res, url }: ServiceRequest, path: string) => {
    const ref = url.searchParams.get('ref') ?? defaultBranch;
    const sha = resolve(ref);
    const found = sha === undefined ? undefined : contentsAt(path, ref, sha);
    return found ? json(res, 200, found) : json(res, 404, { message: 'Not Found' });
  };
  const putContents = ({ res, body }: ServiceRequest, path: string) => {
    const fields = JSON.parse(body.toString('utf8')) as {
      message?: string;
      content?: string;
      sha?: string;
      branch?: string;
    };
    const branch = fields.branch ?? defaultBranch;
    const parent = refs.get(`refs/heads/${branch}`);
    if (!parent) return json(res, 404, { message: `Branch ${branch} not found` });
    const previous = commits.get(parent)!.files.get(path);
    if (previous !== undefined && fields.sha !== gitBlobSha(previous))
      return json(res, 409, VALIDATION(`${path} does not match ${fields.sha ?? '(no sha given)'}`));
    if (!fields.message || fields.content === undefined)
      return json(res, 422, VALIDATION('message and content are required'));
    const text = Buffer.from(fields.content, 'base64').toString('utf8');
    const files = new Map(commits.get(parent)!.files).set(path, text);
    const sha = randomBytes(20).toString('hex');
    commits.set(sha, { sha, parent, message: fields.message, files });
    refs.set(`refs/heads/${branch}`, sha);
    return json(res, previous === undefined ? 201 : 200, {
      content: { path, sha: gitBlobSha(text) },
      commit: { sha, message: fields.message },
    });
  };

  const listPulls = ({ res, url }: ServiceRequest) => {
    const headFilter = url.searchParams.get('head');
    const found = pulls.filter(
      (p) => !headFilter || `${repository.split('/')[0]}:${p.head.ref}` === headFilter,
    );
    return json(res, 200, found);
  };
  const createPull = ({ res, body }: ServiceRequest) => {
    const fields = JSON.parse(body.toString('utf8')) as {
      title?: string;
      body?: string;
      head?: string;
      base?: string;
    };
    const headSha = refs.get(`refs/heads/${fields.head}`);
    const baseSha = refs.get(`refs/heads/${fields.base}`);
    if (!fields.title || !headSha || !baseSha)
      return json(res, 422, VALIDATION('title, head and base must name existing branches'));
    if (headSha === baseSha)
      return json(res, 422, VALIDATION(`No commits between ${fields.base} and ${fields.head}`));
    if (pulls.some((p) => p.head.ref === fields.head && p.base.ref === fields.base))
      return json(
        res,
        422,
        VALIDATION(`A pull request already exists for ${repository.split('/')[0]}:${fields.head}.`),
      );
    const number = pulls.length + 1;
    const pull: PullRequest = {
      number,
      title: fields.title,
      body: fields.body ?? '',
      state: 'open',
      head: { ref: fields.head!, sha: headSha },
      base: { ref: fields.base! },
      html_url: `${baseUrl()}/${repository}/pull/${number}`,
    };
    pulls.push(pull);
    return json(res, 201, pull);
  };

  const table: RouteRow[] = [
    ['GET', new RegExp(`^${prefix}/git/ref/(.+)$`), getRef],
    ['POST', new RegExp(`^${prefix}/git/refs$`), createRef],
    ['PATCH', new RegExp(`^${prefix}/git/refs/(.+)$`), updateRef],
    ['GET', new RegExp(`^${prefix}/contents/(.+)$`), getContents],
    ['PUT', new RegExp(`^${prefix}/contents/(.+)$`), putContents],
    ['GET', new RegExp(`^${prefix}/pulls$`), listPulls],
    ['POST', new RegExp(`^${prefix}/pulls$`), createPull],
  ];
  return { service: routes(table, { token: options.githubToken }), refs, commits, pulls, fileAt };
}
