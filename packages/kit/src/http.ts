/**
 * HTTP with bounded retries on the failures that are worth retrying: connection errors, timeouts,
 * 429 and 5xx. Node's global fetch (undici) keeps the bundles small; no client library needed.
 */
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

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * fetch with retries. Returns the first response that is not retryable (2xx, 3xx, or a 4xx the
 * caller should see); throws the last failure when every attempt failed. `init` is rebuilt per
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
      reason = `${thrown instanceof Error ? thrown.message : String(thrown)}${cause}`;
      if (attempt === attempts) break;
    }
    options.onRetry?.(attempt, reason, delay);
    await sleep(delay);
    delay *= 2;
  }
  const detail = lastError instanceof Error ? lastError.message : String(lastError);
  const cause =
    lastError instanceof Error && lastError.cause instanceof Error ? ` (${lastError.cause.message})` : '';
  throw new Error(redactSecrets(`${url} could not be reached after ${attempts} attempts: ${detail}${cause}`));
}

/** GET a JSON document with retries; a non-2xx answer is an HttpError. */
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
  return (await response.json()) as T;
}
