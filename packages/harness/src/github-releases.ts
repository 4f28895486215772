/**
 * GitHub's releases REST API, as far as publish uses it: release by tag (published releases
 * only, as on GitHub), list releases (drafts included, for a token with push access), create,
 * update (publish a draft), list/upload/delete assets. Every call needs the token.
 *
 * Immutable releases (GA October 2025; `immutableReleases: true`): once a release is published,
 * its assets and tag cannot change — uploads, asset deletions and tag changes answer 422, the
 * release says `immutable: true`. A draft stays editable, hence draft → upload → publish.
 */
import { createHash } from 'node:crypto';
import {
  answerRoute,
  empty,
  hasToken,
  json,
  type Route,
  type Service,
  type ServiceRequest,
} from './stand-in.js';

export interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  /** `sha256:<hex>`, as the API has reported since 2025 (omitted with `assetDigests: false`). */
  digest?: string;
  content_type: string;
  state: 'uploaded';
  browser_download_url: string;
  /** Not part of the API: the uploaded bytes, for assertions. */
  data: Buffer;
}

export interface Release {
  id: number;
  tag_name: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  /** True once a release is published in a repository with immutable releases. */
  immutable: boolean;
  target_commitish: string;
  html_url: string;
  upload_url: string;
  assets: ReleaseAsset[];
}

export interface ReleasesOptions {
  repository: string;
  /** The token the API requires (`Authorization: Bearer|token <it>`); without it every call is 401. */
  githubToken?: string;
  /** Whether assets carry a `digest` field. Default true. */
  assetDigests?: boolean;
  /** Whether published releases are immutable (the repository setting). Default false. */
  immutableReleases?: boolean;
}

export interface AddReleaseOptions {
  draft?: boolean;
  /** Default: published and `immutableReleases`. */
  immutable?: boolean;
}

export interface ReleasesService {
  service: Service;
  releases: Release[];
  /** Adds a release (with assets) as if made earlier. */
  addRelease(tag: string, assets?: { name: string; data: Buffer }[], options?: AddReleaseOptions): Release;
}

const IMMUTABLE = {
  message: 'Validation Failed',
  errors: [
    {
      resource: 'Release',
      code: 'custom',
      message: 'Cannot modify an immutable release: its assets and tag are locked once published.',
    },
  ],
  documentation_url: 'https://docs.github.com/rest/releases/releases',
};

const TAG_EXISTS = {
  message: 'Validation Failed',
  errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
};

/** The releases and their assets, as the repository holds them. */
class ReleaseStore {
  readonly releases: Release[] = [];
  private nextId = 1;

  constructor(
    private readonly options: ReleasesOptions,
    private readonly baseUrl: () => string,
  ) {}

  htmlUrl(r: { id: number; tag_name: string; draft: boolean }): string {
    return `${this.baseUrl()}/${this.options.repository}/releases/tag/${r.draft ? `untagged-${r.id}` : r.tag_name}`;
  }

  makeAsset(release: Release, name: string, data: Buffer, contentType: string): ReleaseAsset {
    return {
      id: this.nextId++,
      name,
      size: data.length,
      ...(this.options.assetDigests === false
        ? {}
        : { digest: `sha256:${createHash('sha256').update(data).digest('hex')}` }),
      content_type: contentType,
      state: 'uploaded',
      browser_download_url: `${this.baseUrl()}/download/${this.options.repository}/releases/${release.tag_name}/${name}`,
      data,
    };
  }

  makeRelease(tag: string, fields: Partial<Release> = {}): Release {
    const id = this.nextId++;
    const draft = fields.draft ?? false;
    const release: Release = {
      id,
      tag_name: tag,
      name: fields.name ?? tag,
      body: fields.body ?? '',
      draft,
      prerelease: fields.prerelease ?? false,
      immutable: fields.immutable ?? (!draft && this.immutableReleases),
      target_commitish: fields.target_commitish ?? 'main',
      html_url: '',
      upload_url: `${this.baseUrl()}/uploads/repos/${this.options.repository}/releases/${id}/assets{?name,label}`,
      assets: [],
    };
    release.html_url = this.htmlUrl(release);
    this.releases.push(release);
    return release;
  }

  get immutableReleases(): boolean {
    return this.options.immutableReleases === true;
  }

  byId(id: string): Release | undefined {
    return this.releases.find((r) => r.id === Number(id));
  }

  /** A published release of a repository with immutable releases: assets and tag are locked. */
  locked(release: Release): boolean {
    return !release.draft && release.immutable;
  }
}

const publicAsset = ({ data: _data, ...asset }: ReleaseAsset) => asset;
const publicRelease = (release: Release) => ({ ...release, assets: release.assets.map(publicAsset) });
const notFound = (res: ServiceRequest['res']) => json(res, 404, { message: 'Not Found' });

type Handler = (store: ReleaseStore, request: ServiceRequest, params: string[]) => number;

/** `GET releases/tags/{tag}`: drafts have no tag yet, so GitHub does not find them by tag name. */
const releaseByTag: Handler = (store, { res }, [tag]) => {
  const release = store.releases.find((r) => r.tag_name === decodeURIComponent(tag!) && !r.draft);
  return release ? json(res, 200, publicRelease(release)) : notFound(res);
};

/** `GET releases`: newest first, paged. */
const listReleases: Handler = (store, { res, url }) => {
  const perPage = Number(url.searchParams.get('per_page') ?? 30);
  const page = Number(url.searchParams.get('page') ?? 1);
  const newestFirst = [...store.releases].reverse();
  return json(res, 200, newestFirst.slice((page - 1) * perPage, page * perPage).map(publicRelease));
};

/** `POST releases`: a tag can have one published release. */
const createRelease: Handler = (store, { res, body }) => {
  const fields = JSON.parse(body.toString('utf8')) as Partial<Release>;
  if (!fields.tag_name) {
    return json(res, 422, {
      message: 'Validation Failed',
      errors: [{ field: 'tag_name', code: 'missing_field' }],
    });
  }
  if (!fields.draft && store.releases.some((r) => r.tag_name === fields.tag_name && !r.draft)) {
    return json(res, 422, TAG_EXISTS);
  }
  // Whether a release is immutable is the repository's setting, not the client's.
  const { immutable: _immutable, ...settable } = fields;
  return json(res, 201, publicRelease(store.makeRelease(fields.tag_name, settable)));
};

/** `PATCH releases/{id}`: edits, and publishes a draft (which then becomes immutable if the repository says so). */
const updateRelease: Handler = (store, { res, body }, [id]) => {
  const release = store.byId(id!);
  if (!release) return notFound(res);
  const fields = JSON.parse(body.toString('utf8')) as Partial<Release>;
  if (store.locked(release) && fields.tag_name !== undefined && fields.tag_name !== release.tag_name) {
    return json(res, 422, IMMUTABLE);
  }
  if (release.draft && fields.draft === false) {
    if (store.releases.some((r) => r !== release && r.tag_name === release.tag_name && !r.draft)) {
      return json(res, 422, TAG_EXISTS);
    }
    release.draft = false;
    release.immutable = store.immutableReleases;
  }
  for (const key of ['name', 'body', 'tag_name', 'prerelease'] as const) {
    if (fields[key] !== undefined) (release as unknown as Record<string, unknown>)[key] = fields[key];
  }
  release.html_url = store.htmlUrl(release);
  return json(res, 200, publicRelease(release));
};

/** `GET releases/{id}/assets`. */
const listAssets: Handler = (store, { res }, [id]) => {
  const release = store.byId(id!);
  return release ? json(res, 200, release.assets.map(publicAsset)) : notFound(res);
};

/**
 * `GET releases/assets/{id}`: the asset's metadata, or with Accept: application/octet-stream its
 * bytes (GitHub answers that with a redirect to a signed download URL; served here directly).
 */
const getAsset: Handler = (store, { req, res }, [id]) => {
  const asset = store.releases.flatMap((r) => r.assets).find((a) => a.id === Number(id));
  if (!asset) return notFound(res);
  if (!/application\/octet-stream/.test(String(req.headers.accept ?? '')))
    return json(res, 200, publicAsset(asset));
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(asset.data);
  return 200;
};

/** `DELETE releases/assets/{id}`: not from a locked release. */
const deleteAsset: Handler = (store, { res }, [id]) => {
  for (const release of store.releases) {
    const index = release.assets.findIndex((a) => a.id === Number(id));
    if (index < 0) continue;
    if (store.locked(release)) return json(res, 422, IMMUTABLE);
    release.assets.splice(index, 1);
    return empty(res, 204);
  }
  return notFound(res);
};

/** `POST uploads/.../releases/{id}/assets?name=`: one asset per name, none to a locked release. */
const uploadAsset: Handler = (store, { req, res, url, body }, [id]) => {
  const release = store.byId(id!);
  const name = url.searchParams.get('name');
  if (!release) return notFound(res);
  if (store.locked(release)) return json(res, 422, IMMUTABLE);
  if (!name)
    return json(res, 422, { message: 'Validation Failed', errors: [{ field: 'name', code: 'missing' }] });
  if (release.assets.some((a) => a.name === name)) {
    return json(res, 422, {
      message: 'Validation Failed',
      errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
    });
  }
  const contentType = String(req.headers['content-type'] ?? 'application/octet-stream');
  const asset = store.makeAsset(release, name, body, contentType);
  release.assets.push(asset);
  return json(res, 201, publicAsset(asset));
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createReleasesService(options: ReleasesOptions, baseUrl: () => string): ReleasesService {
  const store = new ReleaseStore(options, baseUrl);
  const api = `/repos/${escapeRegExp(options.repository)}/releases`;
  const on = (method: string, pattern: string, handler: Handler): Route => ({
    method,
    path: new RegExp(`^${pattern}$`),
    handle: (request, params) => handler(store, request, params),
  });
  const routes: Route[] = [
    on('GET', `${api}/tags/(.+)`, releaseByTag),
    on('GET', api, listReleases),
    on('POST', api, createRelease),
    on('PATCH', `${api}/(\\d+)`, updateRelease),
    on('GET', `${api}/(\\d+)/assets`, listAssets),
    on('GET', `${api}/assets/(\\d+)`, getAsset),
    on('DELETE', `${api}/assets/(\\d+)`, deleteAsset),
    on('POST', `/uploads${api}/([^/]*)(?:/.*)?`, uploadAsset),
  ];
  const service: Service = (request) => {
    const { pathname } = request.url;
    if (!pathname.startsWith('/repos/') && !pathname.startsWith('/uploads/')) return undefined;
    // The same token rule as the stand-in's other GitHub APIs (stand-in.ts): one server, one token.
    if (!hasToken(request.req, options.githubToken))
      return json(request.res, 401, { message: 'Bad credentials' });
    return answerRoute(routes, request) ?? notFound(request.res);
  };
  return {
    service,
    releases: store.releases,
    addRelease(tag, assets = [], addOptions = {}) {
      const release = store.makeRelease(tag, {
        draft: addOptions.draft ?? false,
        ...(addOptions.immutable !== undefined ? { immutable: addOptions.immutable } : {}),
      });
      for (const a of assets)
        release.assets.push(store.makeAsset(release, a.name, a.data, 'application/octet-stream'));
      return release;
    },
  };
}
