export const id = 119;
export const ids = [119];
export const modules = {

/***/ 5119:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   publishRelease: () => (/* binding */ publishRelease)
/* harmony export */ });
/* unused harmony exports alreadyExists, sameContent, parseChecksums */
/* harmony import */ var _ferrowheel_kit_errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2300);
/* harmony import */ var _ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7555);
/**
 * Attaches the published files and SHA256SUMS to the GitHub release of a tag, through the REST
 * API with fetch (no Octokit: a handful of endpoints do not justify its weight).
 *
 * Immutable releases (GA October 2025) lock a release's assets and tag once it is published
 * (changes answer 422), so a new release is made as a draft, gets every asset, and only then is
 * published; a draft left by an interrupted run is picked up again. A release already published
 * is only checked, asset by asset, by digest: an immutable one is never uploaded to (it fails,
 * saying what to do, when it lacks a file), a mutable one still gets missing or stale assets.
 *
 * A re-run rebuilds files whose bytes are not reproducible (maturin writes an SBOM with a random
 * serial number into every wheel); the index keeps the first run's copy. Such a file arrives here
 * `earlier`, with the index's digest and bytes: the release must agree with the index, not with
 * the rebuild, so an immutable release's asset with the index's digest is kept, and any other
 * digest fails.
 */


async function api(options, method, url, body) {
    const response = await (0,_ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_1__/* .fetchWithRetry */ .J5)(url, () => ({
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
        throw new _ferrowheel_kit_errors__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The GitHub API refused ${method} ${url} (HTTP ${response.status}: ${text.slice(0, 200)}). Give the job 'permissions: contents: write' and pass 'github-token: \${{ github.token }}' (or a token with contents write on ${options.repository}).`);
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
/**
 * Whether an answer is GitHub's 422 "Validation Failed" for something that already exists (a tag's
 * release, an asset's name): read from its parsed `errors[].code`, not from its wording.
 */
function alreadyExists(result) {
    if (result.status !== 422)
        return false;
    let answer;
    try {
        answer = JSON.parse(result.text);
    }
    catch {
        return false;
    }
    const errors = answer?.errors;
    return (Array.isArray(errors) && errors.some((e) => e?.code === 'already_exists'));
}
function expect2xx(url, result) {
    if (result.status < 200 || result.status >= 300)
        throw new _ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$(url, result.status, result.text);
}
/** The published release of the tag, or undefined (GitHub does not find drafts by tag). */
async function publishedRelease(options) {
    const byTag = `${options.apiUrl}/repos/${options.repository}/releases/tags/${encodeURIComponent(options.tag)}`;
    const found = await api(options, 'GET', byTag);
    if (found.status === 404)
        return undefined;
    expect2xx(byTag, found);
    return found.value;
}
/** A draft of the tag left by an earlier, interrupted run (newest first, as GitHub lists them). */
async function existingDraft(options) {
    for (let page = 1; page <= 10; page++) {
        const url = `${options.apiUrl}/repos/${options.repository}/releases?per_page=100&page=${page}`;
        const result = await api(options, 'GET', url);
        expect2xx(url, result);
        const batch = result.value ?? [];
        const draft = batch.find((r) => r.draft && r.tag_name === options.tag);
        if (draft || batch.length < 100)
            return draft;
    }
    return undefined;
}
async function createDraft(options) {
    const url = `${options.apiUrl}/repos/${options.repository}/releases`;
    const created = await api(options, 'POST', url, {
        json: {
            tag_name: options.tag,
            name: options.tag,
            body: options.body,
            draft: true,
            ...(options.sha ? { target_commitish: options.sha } : {}),
        },
    });
    expect2xx(url, created);
    return created.value;
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
/** Whether an existing asset holds exactly `file`: by its digest when the API gives one, else by size. */
async function sameContent(asset, file) {
    if (asset.digest)
        return asset.digest.toLowerCase() === `sha256:${file.sha256}`;
    return asset.size === (await file.read()).length;
}
/** The bytes of a release asset, through the API (GitHub redirects to a download URL). */
async function downloadAsset(options, asset) {
    const url = `${options.apiUrl}/repos/${options.repository}/releases/assets/${asset.id}`;
    const response = await (0,_ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_1__/* .fetchWithRetry */ .J5)(url, () => ({
        headers: {
            Authorization: `Bearer ${options.token}`,
            Accept: 'application/octet-stream',
            'X-GitHub-Api-Version': '2022-11-28',
            'User-Agent': 'ferrowheel-publish',
        },
    }), options.retry);
    const data = Buffer.from(await response.arrayBuffer());
    if (!response.ok)
        throw new _ferrowheel_kit_http__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$(url, response.status, data.toString('utf8'));
    return data;
}
/** `sha256sum` output (`<hex>  <name>` or `<hex> *<name>`) as name → digest; undefined if not that. */
function parseChecksums(text) {
    const sums = new Map();
    for (const line of text.split(/\r?\n/)) {
        if (line.trim() === '')
            continue;
        const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
        if (!match)
            return undefined;
        sums.set(match[2], match[1].toLowerCase());
    }
    return sums;
}
/**
 * Whether a release's SHA256SUMS (whose bytes differ from ours) lists exactly the expected digest
 * for every file, and every file's asset in the release has that digest: then it describes the
 * release, and the release agrees with the index.
 */
async function checksumsAgree(options, asset, expected, existing) {
    const listed = parseChecksums((await downloadAsset(options, asset)).toString('utf8'));
    if (!listed || listed.size !== expected.size)
        return false;
    for (const [name, digest] of expected) {
        if (listed.get(name) !== digest)
            return false;
        const held = existing.find((a) => a.name === name)?.digest?.toLowerCase();
        if (held !== undefined && held !== `sha256:${digest}`)
            return false;
    }
    return true;
}
/** Uploads `files` to a release that can still change (a draft, or a mutable published one). */
async function uploadAssets(files, options, release) {
    const existing = await listAssets(options, release);
    const uploadBase = release.upload_url.replace(/\{[^}]*\}$/, '');
    const results = [];
    for (const file of files) {
        const { name } = file;
        const current = existing.find((a) => a.name === name);
        if (current && (await sameContent(current, file))) {
            results.push({ name, url: current.browser_download_url, action: file.earlier ? 'kept' : 'unchanged' });
            continue;
        }
        if (current) {
            const url = `${options.apiUrl}/repos/${options.repository}/releases/assets/${current.id}`;
            const deleted = await api(options, 'DELETE', url);
            if (deleted.status !== 404)
                expect2xx(url, deleted);
        }
        const url = `${uploadBase}?name=${encodeURIComponent(name)}`;
        const data = await file.read();
        const uploaded = await api(options, 'POST', url, {
            data,
            contentType: name.endsWith('.whl')
                ? 'application/zip'
                : name.endsWith('.tar.gz')
                    ? 'application/gzip'
                    : 'text/plain',
        });
        if (alreadyExists(uploaded)) {
            // A retried upload whose first attempt went through after all: accept it if it is ours.
            const now = (await listAssets(options, release)).find((a) => a.name === name);
            if (now && (await sameContent(now, file))) {
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
    return results;
}
/**
 * Checks a published immutable release holds every file, by digest; uploads nothing (GitHub would
 * answer 422). An asset of an `earlier` file with the index's digest is the first run's build,
 * kept; fails, saying what to do, when a file is missing or its asset disagrees with the index.
 */
async function verifyImmutable(files, options, release) {
    const existing = await listAssets(options, release);
    const results = [];
    const missing = [];
    const different = [];
    const disagree = [];
    for (const file of files) {
        const { name } = file;
        const asset = existing.find((a) => a.name === name);
        const held = asset ? (asset.digest ?? `${asset.size} bytes`) : '';
        if (!asset)
            missing.push(name);
        else if ((await sameContent(asset, file)) ||
            (file.checksums && (await checksumsAgree(options, asset, file.checksums, existing))))
            results.push({ name, url: asset.browser_download_url, action: file.earlier ? 'kept' : 'verified' });
        else if (file.earlier)
            disagree.push(`${name} (the release has ${held}, the index sha256:${file.sha256})`);
        else
            different.push(`${name} (${held})`);
    }
    if (disagree.length > 0) {
        throw new _ferrowheel_kit_errors__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The GitHub release ${options.tag} (${release.html_url}) is published and immutable, and disagrees with the index: ${disagree.join(', ')}. The index kept an earlier build of ${disagree.length === 1 ? 'that file' : 'those files'}, and the release holds other bytes under the same name, so the two no longer describe the same files and neither can be changed (an index never replaces a file; an immutable release locks its assets). Publish the project under a new version and tag.`);
    }
    if (missing.length > 0 || different.length > 0) {
        const problems = [
            missing.length > 0 ? `lacks ${missing.join(', ')}` : '',
            different.length > 0 ? `has different content for ${different.join(', ')}` : '',
        ]
            .filter(Boolean)
            .join(' and ');
        throw new _ferrowheel_kit_errors__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The GitHub release ${options.tag} (${release.html_url}) is published and immutable, and ${problems}. GitHub locks an immutable release's assets and tag once it is published (changes answer 422), so no run can complete it: it was published before all its files were attached (by hand, or by a tool that does not draft first). Publish the files under a new version and tag — this action drafts the release, uploads every file and SHA256SUMS, and only then publishes it — or set 'github-release: false' to finish this run without the release (the index has the files either way).`);
    }
    return results;
}
/**
 * The tag's release gets every file and SHA256SUMS: a new release as a draft that is published
 * once complete; a published one is checked (immutable) or completed (mutable).
 */
async function publishRelease(files, options) {
    const published = await publishedRelease(options);
    if (published)
        return checkPublished(files, options, published);
    const resumed = await existingDraft(options);
    const draft = resumed ?? (await createDraft(options));
    const assets = await uploadAssets(files, options, draft);
    const url = `${options.apiUrl}/repos/${options.repository}/releases/${draft.id}`;
    const done = await api(options, 'PATCH', url, { json: { draft: false } });
    if (alreadyExists(done)) {
        // Another job published the tag's release meanwhile (a matrix of publishers): check theirs.
        const theirs = await publishedRelease(options);
        if (theirs)
            return checkPublished(files, options, theirs);
    }
    expect2xx(url, done);
    return {
        url: done.value.html_url,
        created: resumed === undefined,
        immutable: done.value.immutable === true,
        assets,
    };
}
/** A published release: an immutable one is verified, a mutable one completed. */
async function checkPublished(files, options, release) {
    const immutable = release.immutable === true;
    const assets = immutable
        ? await verifyImmutable(files, options, release)
        : await uploadAssets(files, options, release);
    return { url: release.html_url, created: false, immutable, assets };
}


/***/ })

};
