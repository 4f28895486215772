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
import { json, type Service } from './stand-in.js';

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

export function createReleasesService(options: ReleasesOptions, baseUrl: () => string): ReleasesService {
  const { repository } = options;
  const releases: Release[] = [];
  let nextId = 1;

  const htmlUrl = (r: { id: number; tag_name: string; draft: boolean }) =>
    `${baseUrl()}/${repository}/releases/tag/${r.draft ? `untagged-${r.id}` : r.tag_name}`;
  const makeAsset = (release: Release, name: string, data: Buffer, contentType: string): ReleaseAsset => ({
    id: nextId++,
    name,
    size: data.length,
    ...(options.assetDigests === false
      ? {}
      : { digest: `sha256:${createHash('sha256').update(data).digest('hex')}` }),
    content_type: contentType,
    state: 'uploaded',
    browser_download_url: `${baseUrl()}/download/${repository}/releases/${release.tag_name}/${name}`,
    data,
  });
  const publicAsset = ({ data: _data, ...asset }: ReleaseAsset) => asset;
  const publicRelease = (release: Release) => ({ ...release, assets: release.assets.map(publicAsset) });
  const makeRelease = (tag: string, fields: Partial<Release> = {}): Release => {
    const id = nextId++;
    const draft = fields.draft ?? false;
    const release: Release = {
      id,
      tag_name: tag,
      name: fields.name ?? tag,
      body: fields.body ?? '',
      draft,
      prerelease: fields.prerelease ?? false,
      immutable: fields.immutable ?? (!draft && options.immutableReleases === true),
      target_commitish: fields.target_commitish ?? 'main',
      html_url: '',
      upload_url: `${baseUrl()}/uploads/repos/${repository}/releases/${id}/assets{?name,label}`,
      assets: [],
    };
    release.html_url = htmlUrl(release);
    releases.push(release);
    return release;
  };
  const locked = (release: Release) => !release.draft && release.immutable;

  const service: Service = ({ req, res, url, method, body }) => {
    const isApi = url.pathname.startsWith('/repos/') || url.pathname.startsWith('/uploads/');
    if (!isApi) return undefined;
    const auth = req.headers.authorization ?? '';
    if (!options.githubToken || !/^(Bearer|token) /.test(auth) || auth.split(' ')[1] !== options.githubToken)
      return json(res, 401, { message: 'Bad credentials' });

    const prefix = `/repos/${repository}/releases`;
    const uploadPrefix = `/uploads${prefix}/`;
    const route = (verb: string, pattern: string) =>
      method === verb ? new RegExp(`^${pattern}$`).exec(url.pathname)?.[1] : undefined;
    const byId = (id: string) => releases.find((r) => r.id === Number(id));
    const notFound = () => json(res, 404, { message: 'Not Found' });

    const tag = route('GET', `${prefix}/tags/(.+)`);
    if (tag !== undefined) {
      // Drafts have no tag yet: GitHub does not find them by tag name.
      const release = releases.find((r) => r.tag_name === decodeURIComponent(tag) && !r.draft);
      return release ? json(res, 200, publicRelease(release)) : notFound();
    }
    if (url.pathname === prefix && method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const newestFirst = [...releases].reverse();
      return json(res, 200, newestFirst.slice((page - 1) * perPage, page * perPage).map(publicRelease));
    }
    if (url.pathname === prefix && method === 'POST') {
      const fields = JSON.parse(body.toString('utf8')) as Partial<Release>;
      if (!fields.tag_name)
        return json(res, 422, {
          message: 'Validation Failed',
          errors: [{ field: 'tag_name', code: 'missing_field' }],
        });
      if (!fields.draft && releases.some((r) => r.tag_name === fields.tag_name && !r.draft)) {
        return json(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
        });
      }
      return json(res, 201, publicRelease(makeRelease(fields.tag_name, { ...fields, immutable: undefined })));
    }
    const updateId = route('PATCH', `${prefix}/(\\d+)`);
    if (updateId !== undefined) {
      const release = byId(updateId);
      if (!release) return notFound();
      const fields = JSON.parse(body.toString('utf8')) as Partial<Release>;
      if (locked(release) && fields.tag_name !== undefined && fields.tag_name !== release.tag_name)
        return json(res, 422, IMMUTABLE);
      if (release.draft && fields.draft === false) {
        if (releases.some((r) => r !== release && r.tag_name === release.tag_name && !r.draft)) {
          return json(res, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
          });
        }
        release.draft = false;
        release.immutable = options.immutableReleases === true;
      }
      for (const key of ['name', 'body', 'tag_name', 'prerelease'] as const) {
        if (fields[key] !== undefined) (release as unknown as Record<string, unknown>)[key] = fields[key];
      }
      release.html_url = htmlUrl(release);
      return json(res, 200, publicRelease(release));
    }
    const listId = route('GET', `${prefix}/(\\d+)/assets`);
    if (listId !== undefined) {
      const release = byId(listId);
      return release ? json(res, 200, release.assets.map(publicAsset)) : notFound();
    }
    const getAsset = route('GET', `${prefix}/assets/(\\d+)`);
    if (getAsset !== undefined) {
      // The asset's metadata, or with Accept: application/octet-stream its bytes (GitHub answers
      // that with a redirect to a signed download URL; served here directly).
      const asset = releases.flatMap((r) => r.assets).find((a) => a.id === Number(getAsset));
      if (!asset) return notFound();
      if (!/application\/octet-stream/.test(String(req.headers.accept ?? '')))
        return json(res, 200, publicAsset(asset));
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(asset.data);
      return 200;
    }
    const assetId = route('DELETE', `${prefix}/assets/(\\d+)`);
    if (assetId !== undefined) {
      for (const release of releases) {
        const index = release.assets.findIndex((a) => a.id === Number(assetId));
        if (index < 0) continue;
        if (locked(release)) return json(res, 422, IMMUTABLE);
        release.assets.splice(index, 1);
        res.writeHead(204).end();
        return 204;
      }
      return notFound();
    }
    if (url.pathname.startsWith(uploadPrefix) && method === 'POST') {
      const release = byId(url.pathname.slice(uploadPrefix.length).split('/')[0] ?? '');
      const name = url.searchParams.get('name');
      if (!release) return notFound();
      if (locked(release)) return json(res, 422, IMMUTABLE);
      if (!name)
        return json(res, 422, { message: 'Validation Failed', errors: [{ field: 'name', code: 'missing' }] });
      if (release.assets.some((a) => a.name === name)) {
        return json(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
        });
      }
      const asset = makeAsset(
        release,
        name,
        body,
        String(req.headers['content-type'] ?? 'application/octet-stream'),
      );
      release.assets.push(asset);
      return json(res, 201, publicAsset(asset));
    }
    return notFound();
  };

  return {
    service,
    releases,
    addRelease(tag, assets = [], addOptions = {}) {
      const release = makeRelease(tag, {
        draft: addOptions.draft ?? false,
        ...(addOptions.immutable !== undefined ? { immutable: addOptions.immutable } : {}),
      });
      for (const a of assets)
        release.assets.push(makeAsset(release, a.name, a.data, 'application/octet-stream'));
      return release;
    },
  };
}
