export const id = 119;
export const ids = [119];
export const modules = {

/***/ 5119:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   publishRelease: () => (/* binding */ publishRelease)
/* harmony export */ });
/* unused harmony export sameContent */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _ferrowheel_kit_errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2300);
/* harmony import */ var _ferrowheel_kit_files__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4172);
/* harmony import */ var _ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7555);
/**
 * Attaches the published files and SHA256SUMS to the GitHub release of a tag, through the REST
 * API with fetch (no Octokit: four endpoints do not justify its weight). The release is created
 * when missing; an asset already there with the same content is kept, a stale one replaced.
 */





async function api(options, method, url, body) {
    const response = await (0,_ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_4__/* .fetchWithRetry */ .J5)(url, () => ({
        method,
        headers: {
            Authorization: `Bearer ${options.token}`,
            Accept: 'application/vnd.github+json',
            'X-GitHub-Api-Version': '2022-11-28',
            'User-Agent': 'ferrowheel-publish',
            ...(body?.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...(body?.data !== undefined
                ? { 'Content-Type': body.contentType ?? 'application/octet-stream' }
                : {}),
        },
        ...(body?.json !== undefined ? { body: JSON.stringify(body.json) } : {}),
        ...(body?.data !== undefined ? { body: new Uint8Array(body.data) } : {}),
    }), options.retry);
    const text = await response.text().catch(() => '');
    if (response.status === 401 || response.status === 403) {
        throw new _ferrowheel_kit_errors__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`The GitHub API refused ${method} ${url} (HTTP ${response.status}: ${text.slice(0, 200)}). Give the job 'permissions: contents: write' and pass 'github-token: \${{ github.token }}' (or a token with contents write on ${options.repository}).`);
    }
    let value;
    try {
        value = text ? JSON.parse(text) : undefined;
    }
    catch {
        value = undefined;
    }
    return { status: response.status, value, text };
}
function expect2xx(url, result) {
    if (result.status < 200 || result.status >= 300)
        throw new _ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_4__/* .HttpError */ .j$(url, result.status, result.text);
}
async function findOrCreateRelease(options) {
    const base = `${options.apiUrl}/repos/${options.repository}/releases`;
    const byTag = `${base}/tags/${encodeURIComponent(options.tag)}`;
    const found = await api(options, 'GET', byTag);
    if (found.status === 200 && found.value)
        return { release: found.value, created: false };
    if (found.status !== 404)
        expect2xx(byTag, found);
    const created = await api(options, 'POST', base, {
        json: {
            tag_name: options.tag,
            name: options.tag,
            body: options.body,
            ...(options.sha ? { target_commitish: options.sha } : {}),
        },
    });
    if (created.status === 422 && /already_exists/.test(created.text)) {
        // Another job made it in the meantime (a matrix of publishers): use theirs.
        const again = await api(options, 'GET', byTag);
        expect2xx(byTag, again);
        return { release: again.value, created: false };
    }
    expect2xx(base, created);
    return { release: created.value, created: true };
}
async function listAssets(options, release) {
    const assets = [];
    for (let page = 1;; page++) {
        const url = `${options.apiUrl}/repos/${options.repository}/releases/${release.id}/assets?per_page=100&page=${page}`;
        const result = await api(options, 'GET', url);
        expect2xx(url, result);
        const batch = result.value ?? [];
        assets.push(...batch);
        if (batch.length < 100)
            return assets;
    }
}
/** Whether an existing asset holds exactly `data`: by its digest when the API gives one, else by size. */
function sameContent(asset, data) {
    if (asset.digest)
        return asset.digest.toLowerCase() === `sha256:${(0,_ferrowheel_kit_files__WEBPACK_IMPORTED_MODULE_3__/* .sha256 */ .sc)(data)}`;
    return asset.size === data.length;
}
/** Uploads `files` as assets of the tag's release (created when missing). */
async function publishRelease(files, options) {
    const { release, created } = await findOrCreateRelease(options);
    const existing = await listAssets(options, release);
    const uploadBase = release.upload_url.replace(/\{[^}]*\}$/, '');
    const results = [];
    for (const file of files) {
        const name = node_path__WEBPACK_IMPORTED_MODULE_1___default().basename(file);
        const data = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file);
        const current = existing.find((a) => a.name === name);
        if (current && sameContent(current, data)) {
            results.push({ name, url: current.browser_download_url, action: 'unchanged' });
            continue;
        }
        if (current) {
            const url = `${options.apiUrl}/repos/${options.repository}/releases/assets/${current.id}`;
            const deleted = await api(options, 'DELETE', url);
            if (deleted.status !== 404)
                expect2xx(url, deleted);
        }
        const url = `${uploadBase}?name=${encodeURIComponent(name)}`;
        const uploaded = await api(options, 'POST', url, {
            data,
            contentType: name.endsWith('.whl')
                ? 'application/zip'
                : name.endsWith('.tar.gz')
                    ? 'application/gzip'
                    : 'text/plain',
        });
        if (uploaded.status === 422 && /already_exists/.test(uploaded.text)) {
            // A retried upload whose first attempt went through after all: accept it if it is ours.
            const now = (await listAssets(options, release)).find((a) => a.name === name);
            if (now && sameContent(now, data)) {
                results.push({ name, url: now.browser_download_url, action: current ? 'replaced' : 'uploaded' });
                continue;
            }
        }
        expect2xx(url, uploaded);
        results.push({
            name,
            url: uploaded.value?.browser_download_url ?? '',
            action: current ? 'replaced' : 'uploaded',
        });
    }
    return { url: release.html_url, created, assets: results };
}


/***/ })

};
