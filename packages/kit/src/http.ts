/**
 * HTTP with bounded retries on the failures that are worth retrying: connection errors, timeouts,
 * 429 and 5xx. Node's global fetch (undici) keeps the bundles small; no client library needed.
 */
import { messageOf } from './errors.js';
import { redactSecrets } from './secrets.js';

export interface RetryOptions {
  /** Attempts in all, including the first. */
  attempts?: number;
  /** Delay before the second attempt; doubles each time. */
  initialDelayMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Told about each retry (for a log line). */
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
  /** Sleeps; injectable so tests run without waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly body: string;
  readonly url: string;

  constructor(url: string, status: number, body: string) {
    // Redacted whole before it is cut: a cut could leave half a secret unmatched.
    const shown = redactSecrets(body).slice(0, 300);
    super(`${redactSecrets(url)} answered HTTP ${status}${shown ? `: ${shown}` : ''}`);
    this.url = url;
    this.status = status;
    this.body = body;
  }
}

/** Error codes of a connection the other side cut mid-request (node's, and undici's socket error). */
const CUT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** The `code`s along an error's cause chain (fetch's TypeError wraps the socket's error). */
function errorCodes(thrown: unknown): string[] {
  const codes: string[] = [];
  // By shape, not instanceof: an error from another realm (a vm context) is no `Error` here.
  let e = thrown as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 8; depth++, e = e.cause as typeof e) {
    if (typeof e.code === 'string') codes.push(e.code);
  }
  return codes;
}

/** Every attempt failed without an answer (refused, timed out, cut): the last failure's kind. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
  readonly url: string;
  /**
   * The other side cut the connection mid-request (reset, broken pipe, closed), rather than
   * refusing it or timing out: also how some servers and proxies refuse a request they will not read.
   */
  readonly connectionCut: boolean;

  constructor(url: string, attempts: number, lastError: unknown) {
    const detail = messageOf(lastError);
    const cause =
      lastError instanceof Error && lastError.cause instanceof Error ? ` (${lastError.cause.message})` : '';
    super(redactSecrets(`${url} could not be reached after ${attempts} attempts: ${detail}${cause}`));
    this.url = url;
    this.connectionCut = errorCodes(lastError).some((code) => CUT_CODES.has(code));
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * fetch with retries. Returns the first response that is not retryable (2xx, 3xx, or a 4xx the
 * caller should see); throws an UnreachableError when every attempt failed. `init` is rebuilt per
 * attempt by `makeInit` so request bodies (streams, forms) are fresh each time.
 */
export async function fetchWithRetry(
  url: string,
  makeInit: () => RequestInit = () => ({}),
  options: RetryOptions = {},
): Promise<Response> {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? defaultSleep;
  let delay = options.initialDelayMs ?? 500;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let reason: string;
    try {
      const init = makeInit();
      const response = await fetch(url, {
        ...init,
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      if (!retryable(response.status) || attempt === attempts) return response;
      reason = `HTTP ${response.status}`;
      lastError = new HttpError(url, response.status, await response.text().catch(() => ''));
    } catch (thrown) {
      lastError = thrown;
      const cause =
        thrown instanceof Error && thrown.cause instanceof Error ? `: ${thrown.cause.message}` : '';
      reason = `${messageOf(thrown)}${cause}`;
      if (attempt === attempts) break;
    }
    options.onRetry?.(attempt, reason, delay);
    await sleep(delay);
    delay *= 2;
  }
  throw new UnreachableError(url, attempts, lastError);
}

/**
 * A server that answered, but not with what was asked for (HTML where JSON was expected, JSON of
 * another shape, a 404): the address is wrong, not the network, so retrying will not help.
 */
export class BadAnswerError extends Error {
  override name = 'BadAnswerError';
  readonly url: string;

  constructor(url: string, detail: string) {
    super(`${url} ${detail}`);
    this.url = url;
  }
}

/** True for a host on this machine (127.0.0.0/8, ::1, localhost), where plain http stays local. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** The start of a body, for a message: one line, at most 80 characters. */
function bodyStart(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}

/**
 * GET a JSON document with retries; a non-2xx answer is an HttpError, a 2xx answer that is not
 * JSON a {@link BadAnswerError}.
 */
export async function getJson<T>(
  url: string,
  headers: Record<string, string> = {},
  options: RetryOptions = {},
): Promise<T> {
  const response = await fetchWithRetry(
    url,
    () => ({ headers: { Accept: 'application/json', ...headers } }),
    options,
  );
  if (!response.ok) throw new HttpError(url, response.status, await response.text().catch(() => ''));
  const body = await response.text();
  try {
    return JSON.parse(body) as T;
  } catch {
    const type = response.headers.get('content-type')?.split(';')[0] ?? 'no content type';
    throw new BadAnswerError(
      url,
      `answered HTTP ${response.status} with ${type}, not JSON (it starts ${bodyStart(body)})`,
    );
  }
}
