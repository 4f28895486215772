export const id = 74;
export const ids = [74];
export const modules = {

/***/ 9074:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   jsonApiIndex: () => (/* binding */ jsonApiIndex)
/* harmony export */ });
/* unused harmony export parseProjectJson */
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7555);
/**
 * The release list of a package from a PyPI-compatible JSON API (`<index>/pypi/<name>/json`, as
 * pypi.org and devpi serve it): every version with its files and their SHA256 digests, so the
 * wheel downloaded later is checked against what the index published.
 */

/** Parses the JSON API's answer; `base` is the URL it came from. */
function parseProjectJson(json, base) {
    const releases = json?.releases;
    if (!releases || typeof releases !== 'object') {
        throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .BadAnswerError */ .ac(base, 'answered JSON that is not a PyPI JSON API answer (no "releases")');
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
                return parseProjectJson(await (0,_http_js__WEBPACK_IMPORTED_MODULE_0__/* .getJson */ .Tt)(url, {}, retry), url);
            }
            catch (thrown) {
                if (thrown instanceof _http_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$ && thrown.status === 404) {
                    throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .BadAnswerError */ .ac(url, `answered 404: the index has no package '${name}'`);
                }
                throw thrown;
            }
        },
    };
}


/***/ })

};
