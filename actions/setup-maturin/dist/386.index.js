export const id = 386;
export const ids = [386];
export const modules = {

/***/ 5386:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   jsonApiIndex: () => (/* binding */ jsonApiIndex)
/* harmony export */ });
/* unused harmony export parseProjectJson */
/* harmony import */ var _ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7555);
/**
 * The release list of a package from a PyPI-compatible JSON API (`<index>/pypi/<name>/json`, as
 * pypi.org and devpi serve it): every version with its files and their SHA256 digests, so the
 * wheel downloaded later is checked against what the index published.
 */

/** Parses the JSON API's answer; `base` is the URL it came from. */
function parseProjectJson(json, base) {
    const releases = json?.releases;
    if (!releases || typeof releases !== 'object') {
        throw new Error(`${base} is not a PyPI JSON API answer (no "releases")`);
    }
    return Object.entries(releases).map(([version, files]) => {
        const parsed = (Array.isArray(files) ? files : [])
            .filter((f) => typeof f?.filename === 'string' && typeof f.url === 'string')
            .map((f) => ({
            filename: f.filename,
            url: new URL(f.url, base).href,
            sha256: (f.digests?.sha256 ?? '').toLowerCase(),
            ...(typeof f.size === 'number' ? { size: f.size } : {}),
            yanked: f.yanked === true,
        }));
        return { version, files: parsed, yanked: parsed.length > 0 && parsed.every((f) => f.yanked) };
    });
}
/** The JSON API of the index at `indexUrl` (e.g. https://pypi.org). */
function jsonApiIndex(indexUrl, retry = {}) {
    const root = indexUrl.replace(/\/+$/, '');
    return {
        async releases(name) {
            const url = `${root}/pypi/${encodeURIComponent(name)}/json`;
            try {
                return parseProjectJson(await (0,_ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_0__/* .getJson */ .Tt)(url, {}, retry), url);
            }
            catch (thrown) {
                if (thrown instanceof _ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$ && thrown.status === 404) {
                    throw new Error(`${url} answered 404: the index has no package '${name}'`);
                }
                throw thrown;
            }
        },
    };
}


/***/ }),

/***/ 7555:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J5: () => (/* binding */ fetchWithRetry),
/* harmony export */   Tt: () => (/* binding */ getJson),
/* harmony export */   j$: () => (/* binding */ HttpError)
/* harmony export */ });
/**
 * HTTP with bounded retries on the failures that are worth retrying: connection errors, timeouts,
 * 429 and 5xx. Node's global fetch (undici) keeps the bundles small; no client library needed.
 */
class HttpError extends Error {
    name = 'HttpError';
    status;
    body;
    url;
    constructor(url, status, body) {
        super(`${url} answered HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`);
        this.url = url;
        this.status = status;
        this.body = body;
    }
}
const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function retryable(status) {
    return status === 408 || status === 429 || status >= 500;
}
/**
 * fetch with retries. Returns the first response that is not retryable (2xx, 3xx, or a 4xx the
 * caller should see); throws the last failure when every attempt failed. `init` is rebuilt per
 * attempt by `makeInit` so request bodies (streams, forms) are fresh each time.
 */
async function fetchWithRetry(url, makeInit = () => ({}), options = {}) {
    const attempts = options.attempts ?? 4;
    const sleep = options.sleep ?? defaultSleep;
    let delay = options.initialDelayMs ?? 500;
    let lastError;
    for (let attempt = 1; attempt <= attempts; attempt++) {
        let reason;
        try {
            const init = makeInit();
            const response = await fetch(url, {
                ...init,
                signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
            });
            if (!retryable(response.status) || attempt === attempts)
                return response;
            reason = `HTTP ${response.status}`;
            lastError = new HttpError(url, response.status, await response.text().catch(() => ''));
        }
        catch (thrown) {
            lastError = thrown;
            const cause = thrown instanceof Error && thrown.cause instanceof Error ? `: ${thrown.cause.message}` : '';
            reason = `${thrown instanceof Error ? thrown.message : String(thrown)}${cause}`;
            if (attempt === attempts)
                break;
        }
        options.onRetry?.(attempt, reason, delay);
        await sleep(delay);
        delay *= 2;
    }
    const detail = lastError instanceof Error ? lastError.message : String(lastError);
    const cause = lastError instanceof Error && lastError.cause instanceof Error ? ` (${lastError.cause.message})` : '';
    throw new Error(`${url} could not be reached after ${attempts} attempts: ${detail}${cause}`);
}
/** GET a JSON document with retries; a non-2xx answer is an HttpError. */
async function getJson(url, headers = {}, options = {}) {
    const response = await fetchWithRetry(url, () => ({ headers: { Accept: 'application/json', ...headers } }), options);
    if (!response.ok)
        throw new HttpError(url, response.status, await response.text().catch(() => ''));
    return (await response.json());
}


/***/ })

};
