/**
 * Secrets: what must never reach a log line, an error message or an output (issue 9, class 2).
 *
 * - `registerSecret` masks a secret with the runner (`core.setSecret`) AND keeps it in this
 *   process's registry: the runner's mask only covers the live log, and it cannot match a
 *   multi-line secret once a server or a message has collapsed its white space. Each line of a
 *   secret, and its percent-encoded form (as it appears in URLs), is registered as well.
 * - `redactSecrets` replaces every registered (or given) secret in a text with `***`. The runner's
 *   failure report, `logText` and the `[command]` echo apply it; code that copies a server's
 *   answer into a message applies it with the credentials it sent.
 * - `maskUrl` finds the credential-bearing parts of a URL: the user info, a token in the path
 *   (Gemfury's `https://pypi.fury.io/TOKEN/acct/`), every query value (`?token=`), the fragment.
 *   A token need not look like one (`https://host/mycompanykey/acct/`): of an index that is not
 *   PyPI's own, everything after the host is taken for a credential (unless every segment is a
 *   word such as `simple` or `legacy`). Register its `secrets` and show only its `display`.
 */
import * as core from '@actions/core';

/** Shorter pieces are not redacted on their own: replacing every `a` would garble messages. */
const MIN_LENGTH = 3;

const registry = new Set<string>();

/** Private index paths (see {@link rememberUrlPath}): the host and the path that is a credential. */
const urlPaths: { host: string; path: string }[] = [];

/** The forms in which a secret shows up in text: itself, each line, percent-encoded/decoded. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  const add = (form: string) => {
    if (form.trim().length >= MIN_LENGTH) forms.add(form);
  };
  add(secret);
  for (const line of secret.split(/\r\n|\r|\n/)) add(line.trim());
  add(encodeURIComponent(secret));
  try {
    add(decodeURIComponent(secret));
  } catch {
    // Not percent-encoded text: nothing to add.
  }
  return [...forms];
}

/**
 * Masks `secret` with the runner and remembers it for {@link redactSecrets}. `setSecret` is the
 * runner's mask (tests pass their own).
 */
export function registerSecret(secret: string, setSecret: (s: string) => void = core.setSecret): void {
  const forms = secretForms(secret);
  // The runner masks the secret whatever its length; only the registry skips tiny pieces.
  if (secret.trim() !== '' && !forms.includes(secret)) setSecret(secret);
  for (const form of forms) {
    registry.add(form);
    setSecret(form);
  }
}

/** `text` with every secret (the registered ones, and `extra`) and each of their lines as `***`. */
export function redactSecrets(text: string, extra: Iterable<string> = []): string {
  const all = new Set(registry);
  for (const secret of extra) for (const form of secretForms(secret)) all.add(form);
  let out = redactUrlPaths(text);
  if (all.size === 0) return out;
  // Longest first, so a secret is replaced whole before any of its lines.
  for (const form of [...all].sort((a, b) => b.length - a.length)) out = out.replaceAll(form, '***');
  return out;
}

/** Where a URL path ends in text: a `/`, `?` or `#` going on, white space, a quote, or the end. */
function endsPath(next: string | undefined): boolean {
  return next === undefined || /[/?#\s"'`)]/.test(next);
}

/** Where a path alone can start: the text's start, white space, a quote, `(`, `=`, `:`. */
function startsPath(previous: string | undefined): boolean {
  return previous === undefined || /[\s"'`(=:]/.test(previous);
}

/** `text` with each `needle` that `fits` replaced (a search, not a pattern: any length works). */
function replaceWhere(
  text: string,
  needle: string,
  replacement: string,
  fits: (previous: string | undefined, next: string | undefined) => boolean,
): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (at < from || !fits(text[at - 1], text[at + needle.length])) continue;
    out += text.slice(from, at) + replacement;
    from = at + needle.length;
  }
  return out + text.slice(from);
}

/**
 * Each remembered private path replaced by `/***`: after its host (`pkgs.example/KEY/acct/pypi`
 * keeps `pkgs.example` and `/pypi`), and alone where a request line or a quote starts it
 * (`GET /KEY/acct/...`); never inside other words (a path `/html` leaves `text/html` alone).
 */
function redactUrlPaths(text: string): string {
  let out = text;
  for (const { host, path } of urlPaths) {
    out = replaceWhere(out, `${host}${path}`, `${host}/***`, (_, next) => endsPath(next));
    out = replaceWhere(out, path, '/***', (previous, next) => startsPath(previous) && endsPath(next));
  }
  return out;
}

/**
 * Remembers the path of a private index URL (`maskUrl`'s `privatePath`) for {@link redactSecrets}.
 * Its host-qualified form is a secret to register with the runner too (it is in `secrets`).
 */
export function rememberUrlPath(privatePath: { host: string; path: string }): void {
  if (!urlPaths.some((p) => p.host === privatePath.host && p.path === privatePath.path))
    urlPaths.push(privatePath);
}

/** For tests: forget every registered secret. */
export function clearSecretRegistry(): void {
  registry.clear();
  urlPaths.length = 0;
}

/** Well-known token prefixes (PyPI, GitHub, GitLab, Slack, AWS...): a token at any length. */
const TOKEN_PREFIX = /^(pypi-|ghp_|gho_|ghs_|ghu_|ghr_|github_pat_|glpat-|xox[abprs]-|AKIA)/;

/**
 * True for a URL path segment that looks like a credential rather than a name: a known token
 * prefix with 20+ characters and a digit or capital after it (`pypi-internal` is a name); or 12+ characters of token alphabet that switch between letters and digits at least
 * three times (random keys do, names such as `my-index-2024` or `simple` do not); or 32+
 * characters of token alphabet.
 */
export function looksLikeToken(segment: string): boolean {
  const prefix = TOKEN_PREFIX.exec(segment);
  if (prefix && segment.length >= 20 && /[0-9A-Z]/.test(segment.slice(prefix[0].length))) return true;
  if (!/^[A-Za-z0-9_~.+=-]+$/.test(segment)) return false;
  if (segment.length >= 32) return true;
  if (segment.length < 12) return false;
  const classes = segment
    .replace(/[A-Za-z]+/g, 'a')
    .replace(/[0-9]+/g, '0')
    .replace(/[^a0]/g, '');
  return classes.length - 1 >= 3;
}

/** PyPI's own hosts: their paths are public (`/legacy/`, `/simple/`), never a credential. */
const PUBLIC_INDEX_HOSTS = new Set([
  'pypi.org',
  'test.pypi.org',
  'upload.pypi.org',
  'test-files.pythonhosted.org',
  'files.pythonhosted.org',
]);

/** Path words of index software (PEP 503, Warehouse, devpi, Nexus, Artifactory): never a credential. */
const INDEX_WORDS = new Set(['simple', 'legacy', 'pypi', 'json', 'packages', 'root', 'repository', 'api']);

/**
 * The path of an index that is not PyPI's, as one credential (`/TOKEN/acct`): a token in a
 * path need not look like one. Undefined for PyPI's hosts and for paths of index words only.
 */
function privatePath(url: URL): string | undefined {
  if (PUBLIC_INDEX_HOSTS.has(url.hostname.toLowerCase())) return undefined;
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (segments.every((s) => INDEX_WORDS.has(s.toLowerCase()))) return undefined;
  return `/${segments.join('/')}`;
}

export interface MaskedUrl {
  /** The URL with every credential-bearing part as `***`, safe to log. */
  display: string;
  /** The credential parts, as they appear in the URL text: register each before anything logs. */
  secrets: string[];
  /** A private index's path taken for a credential: remember it with {@link rememberUrlPath}. */
  privatePath?: { host: string; path: string };
}

/**
 * The credential-bearing parts of `raw`: user info (except the `__token__` user name), the path of
 * an index that is not PyPI's (as a whole, and each segment that looks like a token by itself,
 * for a server that echoes it alone), every query value, the fragment. Text that is not a URL is
 * split on URL punctuation and each token-like piece is masked the same way.
 */
export function maskUrl(raw: string): MaskedUrl {
  const secrets: string[] = [];
  const hide = (part: string): string => {
    if (part !== '') secrets.push(part);
    return '***';
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const display = raw
      .split(/([/?#&=@:\s]+)/)
      .map((piece, i) => (i % 2 === 0 && piece !== '' && looksLikeToken(piece) ? hide(piece) : piece))
      .join('');
    return { display, secrets };
  }
  let userInfo = '';
  if (url.username !== '' || url.password !== '') {
    const user = url.username === '__token__' ? url.username : url.username === '' ? '' : hide(url.username);
    const password = url.password === '' ? '' : `:${hide(url.password)}`;
    userInfo = `${user}${password}@`;
  }
  const wholePath = privatePath(url);
  const tokens = url.pathname
    .split('/')
    .map((segment) => (segment !== '' && looksLikeToken(segment) ? hide(segment) : segment))
    .join('/');
  let pathname = tokens;
  if (wholePath !== undefined) {
    // Host-qualified: specific enough for the runner's mask, which replaces it in any text.
    secrets.push(`${url.host}${wholePath}`);
    pathname = `/***${url.pathname.endsWith('/') ? '/' : ''}`;
  }
  let search = '';
  if (url.search !== '') {
    search = `?${url.search
      .slice(1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq === -1) return looksLikeToken(pair) ? hide(pair) : pair;
        return `${pair.slice(0, eq)}=${hide(pair.slice(eq + 1))}`;
      })
      .join('&')}`;
  }
  const hash = url.hash === '' ? '' : `#${hide(url.hash.slice(1))}`;
  // Nothing to hide: the URL as the user wrote it.
  if (secrets.length === 0) return { display: raw, secrets };
  return {
    display: `${url.protocol}//${userInfo}${url.host}${pathname}${search}${hash}`,
    secrets,
    ...(wholePath !== undefined ? { privatePath: { host: url.host, path: wholePath } } : {}),
  };
}
