/**
 * Reads a project's files from an index's simple API: PEP 691 JSON when the index speaks it,
 * else the PEP 503 HTML page, whose links carry the hash in a `#sha256=` fragment.
 */
import { fetchWithRetry, HttpError, type RetryOptions } from '@ferrowheel/kit/http';
import { maskUrl } from '@ferrowheel/kit/secrets';
import { normaliseName } from '@ferrowheel/kit/wheel';

/**
 * The index answered a read with a redirect the action does not follow: to another origin (the
 * read may carry the upload credentials), or to a URL with a query (a token in it would then be
 * ours to print). `location` is shown masked.
 */
export class RedirectRefused extends Error {
  override name = 'RedirectRefused';
  readonly status: number;
  readonly location: string;

  constructor(pageUrl: string, status: number, location: string) {
    const shown = maskUrl(location).display;
    super(`${maskUrl(pageUrl).display} answered HTTP ${status}, a redirect to ${shown}`);
    this.status = status;
    this.location = shown;
  }
}

export interface IndexFile {
  filename: string;
  url: string;
  sha256: string | undefined;
}

const ACCEPT =
  'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;/gi, "'");
}

/** The files a PEP 503 HTML page links to, resolved against the page's URL. */
export function parseSimpleHtml(html: string, pageUrl: string): IndexFile[] {
  const files: IndexFile[] = [];
  for (const match of html.matchAll(/<a\s[^>]*?href\s*=\s*(["'])(.*?)\1[^>]*>([\s\S]*?)<\/a>/gi)) {
    const href = decodeEntities(match[2]!);
    const url = new URL(href, pageUrl);
    const text = decodeEntities(match[3]!.replace(/<[^>]*>/g, '').trim());
    const hash = /(?:^#|&)sha256=([0-9a-f]{64})/i.exec(url.hash);
    const filename = text || decodeURIComponent(url.pathname.split('/').pop() ?? '');
    url.hash = '';
    files.push({ filename, url: url.href, sha256: hash?.[1]?.toLowerCase() });
  }
  return files;
}

interface Pep691Page {
  files?: { filename: string; url: string; hashes?: Record<string, string> }[];
}

/** The files of PEP 691 JSON. */
export function parseSimpleJson(page: Pep691Page, pageUrl: string): IndexFile[] {
  return (page.files ?? []).map((f) => ({
    filename: f.filename,
    url: new URL(f.url, pageUrl).href,
    sha256: f.hashes?.sha256?.toLowerCase(),
  }));
}

/**
 * The files the index lists for a project; an empty list when the project does not exist yet.
 * `auth` is sent when the index wants credentials for reading (private indexes).
 */
export async function projectFiles(
  indexUrl: string,
  project: string,
  retry: RetryOptions,
  headers: Record<string, string> = {},
): Promise<IndexFile[]> {
  let pageUrl = `${indexUrl}${normaliseName(project)}/`;
  // Caches in front of PyPI may serve a page from before the upload; ask them not to. Redirects
  // are followed here, and only within the index's origin without a query (devpi's `/Name/` to
  // `/name/`): fetch would carry on to any host the index names.
  let response = await fetchWithRetry(pageUrl, () => readInit(headers), retry);
  for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
    const location = response.headers.get('location') ?? '';
    const next = new URL(location, pageUrl);
    if (hops >= 3 || next.origin !== new URL(pageUrl).origin || next.search !== '' || next.username !== '') {
      throw new RedirectRefused(pageUrl, response.status, next.href);
    }
    pageUrl = next.href;
    response = await fetchWithRetry(pageUrl, () => readInit(headers), retry);
  }
  if (response.status === 404) return [];
  const body = await response.text();
  if (!response.ok) throw new HttpError(pageUrl, response.status, body);
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) return parseSimpleJson(JSON.parse(body) as Pep691Page, pageUrl);
  return parseSimpleHtml(body, pageUrl);
}

function readInit(headers: Record<string, string>): RequestInit {
  return { headers: { Accept: ACCEPT, 'Cache-Control': 'no-cache', ...headers }, redirect: 'manual' };
}
