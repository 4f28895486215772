// @ts-check
// What every release step shares: the GitHub REST client (Node's own fetch; the release jobs that
// hold write permissions install nothing and run no third-party code), the job's facts from the
// runner's environment, and log lines that cannot become workflow commands.

/**
 * @typedef {{ status: number, body: any }} Reply
 * @typedef {(method: string, path: string, body?: unknown) => Promise<Reply>} Api
 * @typedef {{ info(line: string): void, warning(line: string): void, error(line: string): void }} Log
 */

/** A problem a maintainer can fix: the message says what is wrong and how to fix it. */
export class ReleaseError extends Error {}

/**
 * `value` safe inside a log line: control characters escaped, `##[` and a leading `::` broken, so
 * text from the API (titles, messages) can never start a workflow command. The same rules as
 * packages/kit/src/log-text.ts, which the bundles use; these scripts import nothing.
 * @param {unknown} value
 */
export function safe(value) {
  return (
    String(value)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
      .replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
        c === '\n' ? '\\n' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )
      .replaceAll('##[', '##\\[')
      .replace(/^(\s*)::/, '$1\\::')
  );
}

/** The runner's log: plain lines, and annotations whose data is escaped as the runner expects. */
/** @type {Log} */
export const consoleLog = {
  info: (line) => console.log(line),
  warning: (line) => console.log(`::warning::${annotation(line)}`),
  error: (line) => console.log(`::error::${annotation(line)}`),
};

/** @param {string} text */
function annotation(text) {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/**
 * A variable the runner or the workflow's `env:` sets; a missing one is the workflow's mistake.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
export function required(env, name) {
  const value = env[name];
  if (value === undefined || value === '')
    throw new ReleaseError(`${name} is not set: the release workflow passes it through env:.`);
  return value;
}

/**
 * A REST client for `base` (GITHUB_API_URL) with `token`. Answers every status (the caller decides
 * what a 404 or 422 means); rejects only when the API cannot be reached, or answers 5xx three times.
 * @param {{ base: string, token: string, fetch?: typeof fetch, pauseMs?: number }} options
 * @returns {Api}
 */
export function githubApi({ base, token, fetch: fetchImpl = fetch, pauseMs = 2000 }) {
  return async (method, path, body) => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetchImpl(`${base.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'user-agent': 'ferrowheel-release',
          'x-github-api-version': '2022-11-28',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status >= 500 && attempt < 3) {
        await new Promise((resolve) => setTimeout(resolve, pauseMs * attempt));
        continue;
      }
      let parsed = text;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        // Not JSON (an HTML error page): keep the text for the message.
      }
      return { status: response.status, body: parsed };
    }
  };
}

/**
 * The reply's body when its status is one of `ok`, else a ReleaseError naming the call and what
 * GitHub said.
 * @param {Reply} reply
 * @param {string} what
 * @param {number[]} [ok]
 */
export function expectStatus(reply, what, ok = [200]) {
  if (ok.includes(reply.status)) return reply.body;
  const said = typeof reply.body === 'object' && reply.body !== null ? reply.body.message : reply.body;
  const hint =
    reply.status === 403 || reply.status === 404
      ? ' Check the job’s permissions: in release.yml and the repository’s Actions settings.'
      : '';
  throw new ReleaseError(
    `${what} failed: GitHub answered ${reply.status} (${safe(String(said ?? ''))}).${hint}`,
  );
}

/**
 * The job's facts, from the runner's environment.
 * @param {NodeJS.ProcessEnv} env
 */
export function jobFacts(env) {
  const ref = required(env, 'GITHUB_REF');
  if (!ref.startsWith('refs/tags/'))
    throw new ReleaseError(`The release runs on a pushed tag, not ${safe(ref)}.`);
  return {
    repository: required(env, 'GITHUB_REPOSITORY'),
    sha: required(env, 'GITHUB_SHA'),
    tag: ref.slice('refs/tags/'.length),
    server: env.GITHUB_SERVER_URL || 'https://github.com',
  };
}

/**
 * Runs one step: its errors become one annotation and exit code 1, never a stack trace.
 * @param {(env: NodeJS.ProcessEnv, log: Log) => Promise<void>} step
 */
export async function main(step) {
  try {
    await step(process.env, consoleLog);
  } catch (thrown) {
    consoleLog.error(thrown instanceof ReleaseError ? thrown.message : `Unexpected: ${safe(String(thrown))}`);
    // A bug's stack goes to the debug log (shown when the run is re-run with debug logging).
    if (!(thrown instanceof ReleaseError) && thrown instanceof Error && thrown.stack)
      console.log(`::debug::${annotation(thrown.stack)}`);
    process.exitCode = 1;
  }
}

/**
 * The API client for a step, from the runner's environment.
 * @param {NodeJS.ProcessEnv} env
 */
export function apiFromEnv(env) {
  return githubApi({
    base: env.GITHUB_API_URL || 'https://api.github.com',
    token: required(env, 'GITHUB_TOKEN'),
  });
}
