export const id = 555;
export const ids = [555];
export const modules = {

/***/ 7555:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   fetchWithRetry: () => (/* binding */ fetchWithRetry)
/* harmony export */ });
/* unused harmony exports HttpError, UnreachableError, BadAnswerError, isLoopbackHost, getJson */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2300);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5802);
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
        // Redacted whole before it is cut: a cut could leave half a secret unmatched.
        const shown = (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redactSecrets */ .fp)(body).slice(0, 300);
        super(`${(0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redactSecrets */ .fp)(url)} answered HTTP ${status}${shown ? `: ${shown}` : ''}`);
        this.url = url;
        this.status = status;
        this.body = body;
    }
}
/** Error codes of a connection the other side cut mid-request (node's, and undici's socket error). */
const CUT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** The `code`s along an error's cause chain (fetch's TypeError wraps the socket's error). */
function errorCodes(thrown) {
    const codes = [];
    // By shape, not instanceof: an error from another realm (a vm context) is no `Error` here.
    let e = thrown;
    for (let depth = 0; typeof e === 'object' && e !== null && depth < 8; depth++, e = e.cause) {
        if (typeof e.code === 'string')
            codes.push(e.code);
    }
    return codes;
}
/** Every attempt failed without an answer (refused, timed out, cut): the last failure's kind. */
class UnreachableError extends Error {
    name = 'UnreachableError';
    url;
    /**
     * The other side cut the connection mid-request (reset, broken pipe, closed), rather than
     * refusing it or timing out: also how some servers and proxies refuse a request they will not read.
     */
    connectionCut;
    constructor(url, attempts, lastError) {
        const detail = (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .messageOf */ .bD)(lastError);
        const cause = lastError instanceof Error && lastError.cause instanceof Error ? ` (${lastError.cause.message})` : '';
        super((0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redactSecrets */ .fp)(`${url} could not be reached after ${attempts} attempts: ${detail}${cause}`));
        this.url = url;
        this.connectionCut = errorCodes(lastError).some((code) => CUT_CODES.has(code));
    }
}
const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function retryable(status) {
    return status === 408 || status === 429 || status >= 500;
}
/**
 * fetch with retries. Returns the first response that is not retryable (2xx, 3xx, or a 4xx the
 * caller should see); throws an UnreachableError when every attempt failed. `init` is rebuilt per
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
            reason = `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .messageOf */ .bD)(thrown)}${cause}`;
            if (attempt === attempts)
                break;
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
class BadAnswerError extends Error {
    name = 'BadAnswerError';
    url;
    constructor(url, detail) {
        super(`${url} ${detail}`);
        this.url = url;
    }
}
/** True for a host on this machine (127.0.0.0/8, ::1, localhost), where plain http stays local. */
function isLoopbackHost(hostname) {
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
/** The start of a body, for a message: one line, at most 80 characters. */
function bodyStart(body) {
    const flat = body.replace(/\s+/g, ' ').trim();
    return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}
/**
 * GET a JSON document with retries; a non-2xx answer is an HttpError, a 2xx answer that is not
 * JSON a {@link BadAnswerError}.
 */
async function getJson(url, headers = {}, options = {}) {
    const response = await fetchWithRetry(url, () => ({ headers: { Accept: 'application/json', ...headers } }), options);
    if (!response.ok)
        throw new HttpError(url, response.status, await response.text().catch(() => ''));
    const body = await response.text();
    try {
        return JSON.parse(body);
    }
    catch {
        const type = response.headers.get('content-type')?.split(';')[0] ?? 'no content type';
        throw new BadAnswerError(url, `answered HTTP ${response.status} with ${type}, not JSON (it starts ${bodyStart(body)})`);
    }
}


/***/ })

};
