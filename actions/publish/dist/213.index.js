export const id = 213;
export const ids = [213];
export const modules = {

/***/ 5213:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  auditPhase: () => (/* binding */ auditPhase)
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/.pnpm/@actions+core@3.0.1_patch_hash=a5c7011af6cb01010f4c17176e853d2b9f7fd647cc1d190ad2c9d01879190f74/node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(5310);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(2300);
// EXTERNAL MODULE: ./packages/kit/src/files.ts
var files = __webpack_require__(4172);
// EXTERNAL MODULE: ./packages/kit/src/platform.ts
var platform = __webpack_require__(9936);
;// CONCATENATED MODULE: ./packages/kit/src/python-installer.ts
/**
 * The two Python installers, uv and pip, as argv: creating a venv and installing into it. uv is
 * preferred where it is on PATH: it resolves and installs several times faster (see
 * scripts/bench/test-install.mjs). Paths follow the OS (Scripts\python.exe on Windows). The test
 * action's test venvs and the audit's tool venv (tool-venv.ts) are made with these.
 */

/** Creates a venv at `venv` for the interpreter `python` (an executable path). */
function venvCommand(installer, options) {
    if (installer.kind === 'uv') {
        return { program: installer.uv, args: ['venv', '--python', options.python, options.venv] };
    }
    return { program: options.python, args: ['-m', 'venv', options.venv] };
}
/** Installs requirements into the venv. */
function installCommand(installer, options) {
    const python = (0,platform/* venvPython */.qb)(options.os, options.venv);
    const flags = [
        ...(options.noIndex || options.findLinks !== undefined ? ['--no-index'] : []),
        ...(options.findLinks !== undefined ? ['--find-links', options.findLinks] : []),
        ...(options.noDeps ? ['--no-deps'] : []),
        ...(options.requireHashes ? ['--require-hashes'] : []),
    ];
    if (installer.kind === 'uv') {
        return {
            program: installer.uv,
            args: ['pip', 'install', '--python', python, ...flags, ...options.requirements],
        };
    }
    return {
        program: python,
        args: [
            '-m',
            'pip',
            'install',
            '--disable-pip-version-check',
            '--no-input',
            ...flags,
            ...options.requirements,
        ],
    };
}
/** A console script the venv got from a package: `bin/pytest`, `Scripts\\pytest.exe` on Windows. */
function venvScript(os, venv, name) {
    return pathFor(os).join(venvBinDir(os, venv), exeName(os, name));
}

;// CONCATENATED MODULE: ./packages/kit/src/tool-venv.ts
/**
 * A venv of Python tools (the audit's abi3audit, auditwheel and twine), installed from a
 * hash-locked requirements file (`--require-hashes`: every package pinned, every file checked) and
 * kept in the runner's tool cache under a key of the lock's digest and the interpreter's version, so a
 * runner creates it once and every later step reuses it. uv installs it when on PATH, else pip.
 *
 * It is built in a staging directory and renamed into place: a half-installed venv is never
 * found, and two jobs creating it at once both end with a complete one. The tools are run as
 * `<venv python> -m <tool>`, which works from the moved venv (its console scripts' shebangs would
 * still name the staging path).
 */






const MANIFEST = 'ferrowheel-tool-venv.json';
/**
 * The interpreters tried, in order: the one asked for, else the versioned commands of the CPythons
 * the lock has wheels for (never a free-threaded `python3.13t`), then `python3`. On Windows, where
 * installers make no versioned commands, `python`.
 */
function candidates(context) {
    if (context.python !== undefined)
        return [context.python];
    if (context.os === 'windows')
        return [(0,platform/* defaultPythonCommand */.ty)('windows')];
    return [
        'python3.13',
        'python3.12',
        'python3.11',
        'python3.10',
        'python3.14',
        (0,platform/* defaultPythonCommand */.ty)(context.os),
    ];
}
/** A candidate's version from `--version`, or undefined when it does not run (a pyenv shim of another version). */
async function versionOf(python, context) {
    const printed = await context
        .exec(python, ['--version'], { silent: true, allowFailure: true, env: context.env })
        .catch(() => undefined);
    if (printed?.exitCode !== 0)
        return undefined;
    const match = /Python (\d+)\.(\d+)(\S*)/.exec(`${printed.stdout}${printed.stderr}`);
    return match
        ? { major: Number(match[1]), minor: Number(match[2]), text: `${match[1]}.${match[2]}${match[3]}` }
        : undefined;
}
/** The first candidate that runs and is new enough, and its version; else why there is none. */
async function baseInterpreter(request, context) {
    const { major, minor } = request.minimumPython;
    const minimum = `${major}.${minor}`;
    let tooOld;
    for (const command of candidates(context)) {
        const python = (0,files/* findOnPath */.aY)(command, context.env, context.os) ??
            (command.includes('/') || command.includes('\\') ? command : undefined);
        if (python === undefined)
            continue;
        const version = await versionOf(python, context);
        if (version === undefined)
            continue;
        if (version.major === major && version.minor >= minor)
            return { ok: true, python, version: version.text };
        tooOld ??= { python, version: version.text };
    }
    if (tooOld)
        return { ok: false, failure: { kind: 'old-python', ...tooOld, minimum } };
    return { ok: false, failure: { kind: 'no-python', command: candidates(context).join(', ') } };
}
/**
 * The lock's digest and the interpreter's exact version: one venv serves every interpreter of that
 * version (a pyenv shim and the binary behind it, two runners' identical builds), and a venv
 * whose interpreter has gone is noticed by {@link reusable} and made again.
 */
function venvKey(lock, version) {
    return (0,files/* sha256 */.sc)(Buffer.concat([lock, Buffer.from(`\0${version}`)])).slice(0, 16);
}
function cached(dir, os) {
    return (0,files/* pathKind */.gl)(external_node_path_default().join(dir, MANIFEST)) === 'file' && (0,files/* pathKind */.gl)((0,platform/* venvPython */.qb)(os, dir)) === 'file';
}
/** A complete venv in the tool cache whose Python still runs as the version it was made with. */
async function reusable(dir, version, context) {
    if (!cached(dir, context.os))
        return false;
    return (await versionOf((0,platform/* venvPython */.qb)(context.os, dir), context))?.text === version;
}
function chooseInstaller(context) {
    const uv = (0,files/* findOnPath */.aY)('uv', context.env, context.os);
    return uv ? { kind: 'uv', uv } : { kind: 'pip' };
}
async function install(staging, base, request, context, installer) {
    const commands = [
        venvCommand(installer, { python: base, venv: staging }),
        installCommand(installer, {
            os: context.os,
            venv: staging,
            requirements: ['--requirement', request.lock],
            requireHashes: true,
        }),
    ];
    for (const command of commands) {
        try {
            // In the tool cache, so no project's uv.toml or pip.conf beside the workspace applies; the
            // runner's own configuration (a mirror in PIP_INDEX_URL, UV_INDEX_URL) still does.
            await context.exec(command.program, command.args, {
                cwd: external_node_path_default().dirname(staging),
                env: context.env,
                silent: true,
            });
        }
        catch (thrown) {
            if (!(thrown instanceof errors/* CommandError */.Qd))
                throw thrown;
            return thrown.output.trim().split(/\r?\n/).slice(-12).join('\n');
        }
    }
    return undefined;
}
/**
 * A staging directory in the first of `parents` this user can write to: the tool cache, else the
 * job's temp dir (a self-hosted runner's tool cache can belong to another user, or be read-only).
 */
function stagingDir(parents, prefix) {
    for (const parent of parents) {
        try {
            (0,external_node_fs_.mkdirSync)(parent, { recursive: true });
            return { parent, staging: (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(parent, `${prefix}.partial-`)) };
        }
        catch (thrown) {
            const code = thrown?.code;
            if (!['EACCES', 'EPERM', 'EROFS', 'ENOTDIR'].includes(String(code)))
                throw thrown;
        }
    }
    return undefined;
}
/** Creates the venv in `staging` and moves it to `dir`; the installer's output when it failed. */
async function create(place, base, request, context, installer) {
    const { staging, dir } = place;
    const output = await install(staging, base.python, request, context, installer);
    if (output !== undefined)
        return output;
    (0,external_node_fs_.writeFileSync)(external_node_path_default().join(staging, MANIFEST), `${JSON.stringify({ python: base.python, version: base.version })}\n`);
    // What a job that died mid-rename left, or a venv whose interpreter has gone.
    if (!(await reusable(dir, base.version, context)))
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    try {
        (0,external_node_fs_.renameSync)(staging, dir);
    }
    catch (thrown) {
        // Another job on this runner finished the same venv first: use theirs.
        if (!(await reusable(dir, base.version, context)))
            throw thrown;
    }
    return undefined;
}
/** The tool venv of `request`: from the tool cache (or this job's temp dir), else created there. */
async function toolVenv(request, context) {
    const started = Date.now();
    const base = await baseInterpreter(request, context);
    if (!base.ok)
        return base;
    const name = `${base.version}-${venvKey((0,external_node_fs_.readFileSync)(request.lock), base.version)}`;
    const parents = [external_node_path_default().join(context.toolCache, request.name), external_node_path_default().join(context.tempDir, request.name)];
    const installer = chooseInstaller(context);
    const done = (dir, created) => ({
        ok: true,
        value: {
            python: (0,platform/* venvPython */.qb)(context.os, dir),
            dir,
            created,
            installer: installer.kind,
            base: { python: base.python, version: base.version },
            durationMs: Date.now() - started,
        },
    });
    for (const parent of parents) {
        if (await reusable(external_node_path_default().join(parent, name), base.version, context))
            return done(external_node_path_default().join(parent, name), false);
    }
    const place = stagingDir(parents, name);
    if (!place)
        return { ok: false, failure: { kind: 'no-place', dirs: parents } };
    const dir = external_node_path_default().join(place.parent, name);
    try {
        const output = await create({ staging: place.staging, dir }, base, request, context, installer);
        if (output === undefined)
            return done(dir, true);
        return {
            ok: false,
            failure: { kind: 'install-failed', installer: installer.kind, python: base.python, output },
        };
    }
    finally {
        (0,external_node_fs_.rmSync)(place.staging, { recursive: true, force: true });
    }
}

// EXTERNAL MODULE: ./packages/kit/src/wheel.ts
var wheel = __webpack_require__(8880);
// EXTERNAL MODULE: ./packages/kit/src/zip.ts
var zip = __webpack_require__(9168);
;// CONCATENATED MODULE: ./packages/kit/src/audit/rules.ts
/**
 * The audit's rules, as data: what each checks, with which tool, and the fix a finding of it
 * gives (a finding may give a more precise one). The READMEs' rule tables are this table.
 */
const RULES = {
    abi3: {
        id: 'abi3',
        title: 'abi3: only the limited API of the abi3 version the tag claims',
        checkedBy: 'abi3audit',
        appliesTo: 'wheels tagged abi3',
        fix: 'Call only functions of the limited API of the abi3 version the wheel claims (pyo3 with its abi3-py3X feature does; a raw FFI declaration of another function does not), raise the minimum (abi3-py3X), or build version-specific wheels instead of abi3.',
    },
    'manylinux-policy': {
        id: 'manylinux-policy',
        title: 'manylinux/musllinux policy: symbol versions and external libraries the tag allows',
        checkedBy: 'auditwheel show',
        appliesTo: 'Linux wheels tagged manylinux or musllinux (checked on a Linux runner)',
        fix: "Build where the tag's libc is (the manylinux/musllinux image: container: auto, or zig: true for glibc), let maturin vendor libraries outside the policy (its default --auditwheel repair, which needs patchelf), or claim the level the wheel really meets (manylinux: auto).",
    },
    metadata: {
        id: 'metadata',
        title: 'metadata: the README renders on PyPI, nothing missing',
        checkedBy: 'twine check --strict',
        appliesTo: 'every wheel',
        fix: 'Set [project] readme in pyproject.toml to a README that renders (README.md, or README.rst without markup errors: check it with `python -m readme_renderer README.rst`); its content type follows the file extension.',
    },
    'build-paths': {
        id: 'build-paths',
        title: "no build paths: the workspace, the runner's temp dir, the target dir, CARGO_HOME",
        checkedBy: 'ferrowheel (every file of the wheel, binaries and the SBOM included)',
        appliesTo: 'every wheel',
        fix: 'Build with ferrowheel build, which remaps these directories (rustc --remap-path-prefix) and cleans them from the SBOM; a path that still leaks comes from code rustc does not remap (env!("CARGO_MANIFEST_DIR"), include_str! of an absolute path, a path a build script writes, C code compiled by the cc crate: add -ffile-prefix-map to CFLAGS).',
    },
    'top-level': {
        id: 'top-level',
        title: 'only expected top-level entries: the package and its modules, .dist-info, .data, .libs, .pth',
        checkedBy: 'ferrowheel',
        appliesTo: 'every wheel',
        fix: 'Everything at the top of a wheel is installed straight into site-packages, where it collides with other packages: move it into the package, or out of the wheel ([tool.maturin] include/exclude, python-source, python-packages).',
    },
    'pyinit-export': {
        id: 'pyinit-export',
        title: 'every extension module exports PyInit_<module> (ELF, Mach-O, PE)',
        checkedBy: 'ferrowheel (its own ELF, Mach-O and PE reader)',
        appliesTo: 'wheels with extension modules',
        fix: 'Python imports a module <m> by calling PyInit_<m>: name the #[pymodule] function (or #[pyo3(name = ...)]) exactly as the last part of the module name ([lib] name, or [tool.maturin] module-name).',
    },
};
const RULE_ORDER = [
    'abi3',
    'manylinux-policy',
    'metadata',
    'build-paths',
    'top-level',
    'pyinit-export',
];

;// CONCATENATED MODULE: ./packages/kit/src/audit/abi3.ts

/** Whether abi3audit applies: the wheel's ABI tag is abi3 (abi3t, PEP 803, it does not know). */
function isAbi3(abiTags) {
    return abiTags.includes('abi3');
}
/**
 * Whether a wheel serves only Pythons from 3.15 (its python tags, from the file name): there
 * PEP 793's `PyModExport_<m>`, the module's own entry point, is part of the limited API, which
 * abi3audit 0.0.x does not know yet (PyO3 exports it for an abi3t wheel, PEP 803).
 */
function modExportInLimitedApi(wheel) {
    const pythonTags = wheel
        .replace(/\.whl$/, '')
        .split('-')
        .at(-3)
        ?.split('.') ?? [];
    return (pythonTags.length > 0 &&
        pythonTags.every((tag) => {
            const match = /^cp3(\d+)$/.exec(tag);
            return match !== null && Number(match[1]) >= 15;
        }));
}
function problemOf(module, result, wheel) {
    const parts = [];
    const outside = modExportInLimitedApi(wheel)
        ? result.non_abi3_symbols.filter((name) => !name.startsWith('PyModExport_'))
        : result.non_abi3_symbols;
    if (outside.length > 0) {
        const names = [...outside].sort();
        parts.push(`calls ${names.length} function(s) outside the limited API: ${names.join(', ')}`);
    }
    if (!result.is_abi3_baseline_compatible) {
        const newer = Object.entries(result.future_abi3_objects)
            .map(([name, added]) => `${name} (${added})`)
            .sort();
        parts.push(`needs the limited API of Python ${result.computed}${newer.length > 0 ? ` (${newer.join(', ')})` : ''}, but the wheel is tagged for ${result.baseline}`);
    }
    return parts.length > 0 ? `${module} ${parts.join('; and ')}` : undefined;
}
/** Findings of the abi3 rule for one wheel's report; none when every module keeps to its tag. */
function abi3Findings(wheel, report) {
    const findings = [];
    for (const spec of Object.values(report.specs)) {
        for (const module of spec.wheel ?? []) {
            const problem = problemOf(module.name, module.result, wheel);
            if (problem)
                findings.push({ wheel, rule: 'abi3', problem, fix: RULES.abi3.fix, severity: 'error' });
        }
    }
    return findings;
}

;// CONCATENATED MODULE: ./packages/kit/src/audit/build-paths.ts
/**
 * The build-paths rule: no file of the wheel (binaries, the SBOM under `.dist-info/sboms/`,
 * scripts, anything) holds a path inside the directories the build ran in: the workspace, the
 * runner's temp dir, the target dir, CARGO_HOME. Each is searched as the bytes a build writes it:
 * as is, with `/` for `\` (file URLs, rustc on Windows), with JSON's doubled `\\`, and through
 * symlinks resolved. A match must end at a path boundary, so `/work/p` does not match `/work/p2`.
 *
 * Roots shorter than two components (`/`, `/tmp`, `C:\`) are not searched: they are in every
 * binary (the standard library names `/tmp`) and say nothing about the builder.
 */



const ROOT_NAMES = {
    workspace: 'the workspace',
    'runner-temp': "the runner's temp dir",
    'target-dir': 'the target dir',
    'cargo-home': 'CARGO_HOME',
};
const ROOT_FIXES = {
    workspace: RULES['build-paths'].fix,
    'runner-temp': RULES['build-paths'].fix,
    'target-dir': 'Paths under the target dir come from build-script output (OUT_DIR) compiled into the crate, e.g. include!(concat!(env!("OUT_DIR"), ...)) or a path a build script writes: remap it (build does, with --remap-path-prefix), or embed the contents instead of the path.',
    'cargo-home': 'Paths under CARGO_HOME are the sources of dependencies (…/registry/src/…), named by their panic messages. build remaps CARGO_HOME with --remap-path-prefix; a wheel built elsewhere needs RUSTFLAGS="--remap-path-prefix=<CARGO_HOME>=/cargo" (and -ffile-prefix-map in CFLAGS for C code the cc crate compiles).',
};
/** Fewer than two components: too common to mean anything. */
function tooShort(root) {
    return (root
        .replace(/^[A-Za-z]:/, '')
        .split(/[\\/]+/)
        .filter((part) => part !== '').length < 2);
}
/** Every spelling of a directory a build can write into a file. */
function spellings(root) {
    const trimmed = root.replace(/[\\/]+$/, '');
    const forms = new Set([trimmed]);
    try {
        forms.add((0,external_node_fs_.realpathSync)(trimmed));
    }
    catch {
        // A directory that is gone (or another OS's path in a test) is searched as given.
    }
    for (const form of [...forms]) {
        if (form.includes('\\')) {
            forms.add(form.replace(/\\/g, '/'));
            forms.add(form.replace(/\\/g, '\\\\'));
        }
    }
    return [...forms].filter((form) => !tooShort(form));
}
/** A path character: a match followed by one continues into another name. */
const NAME_CHAR = /[A-Za-z0-9_.-]/;
/** The printable run starting at `at` (the leaked path as the file holds it), cut to 160 chars. */
function pathAt(bytes, at) {
    let end = at;
    while (end < bytes.length &&
        end - at < 160 &&
        bytes[end] >= 0x20 &&
        bytes[end] < 0x7f &&
        bytes[end] !== 0x22)
        end++;
    return bytes.toString('latin1', at, end);
}
function searched(root) {
    const needles = spellings(root.path).map((form) => {
        const folded = /^[A-Za-z]:/.test(form);
        return { bytes: Buffer.from(folded ? form.toLowerCase() : form, 'latin1'), folded };
    });
    return { root, needles };
}
/** A file's bytes, and lower-cased (for Windows paths) only when first needed. */
function haystack(bytes) {
    let lower;
    return (folded) => {
        if (!folded)
            return bytes;
        lower ??= Buffer.from(bytes.toString('latin1').toLowerCase(), 'latin1');
        return lower;
    };
}
function matchesAt(text, at, root) {
    return root.needles.some((n) => {
        const hay = text(n.folded);
        if (!hay.subarray(at, at + n.bytes.length).equals(n.bytes))
            return false;
        const next = hay[at + n.bytes.length];
        return next === undefined || !NAME_CHAR.test(String.fromCharCode(next));
    });
}
/**
 * The first path under `root` in a file, not counting one that is also under a more specific root
 * (the target dir inside the workspace is the target dir's).
 */
function firstMatch(bytes, root, deeper) {
    const text = haystack(bytes);
    for (const needle of root.needles) {
        const hay = text(needle.folded);
        for (let at = hay.indexOf(needle.bytes); at !== -1; at = hay.indexOf(needle.bytes, at + 1)) {
            if (!matchesAt(text, at, root) || deeper.some((d) => matchesAt(text, at, d)))
                continue;
            return pathAt(bytes, at);
        }
    }
    return undefined;
}
/** build-paths: one finding per root that leaks, naming the files and one path found. */
function buildPathFindings(wheel, source, roots) {
    const unique = roots.filter((root, i) => roots.findIndex((other) => other.path === root.path) === i);
    const all = unique.map(searched).filter((r) => r.needles.length > 0);
    const found = new Map();
    for (const entry of (0,zip/* listZipEntries */.kT)(source)) {
        if (entry.name.endsWith('/') || entry.name.endsWith('.dist-info/RECORD'))
            continue;
        const bytes = (0,zip/* readZipEntry */.g7)(source, entry);
        for (const root of all) {
            const deeper = all.filter((r) => r !== root && r.root.path.length > root.root.path.length);
            const example = firstMatch(bytes, root, deeper);
            if (example !== undefined)
                found.set(root.root, [...(found.get(root.root) ?? []), { file: entry.name, example }]);
        }
    }
    return [...found].map(([root, matches]) => ({
        wheel,
        rule: 'build-paths',
        problem: `holds paths under ${ROOT_NAMES[root.kind]} (${root.path}) in ${matches.map((m) => m.file).join(', ')}, e.g. ${matches[0].example}${root.whenFound === 'warning' ? ' (expected: the build did not remap it)' : ''}`,
        fix: ROOT_FIXES[root.kind],
        severity: root.whenFound,
    }));
}

// EXTERNAL MODULE: ./packages/kit/src/result.ts
var result = __webpack_require__(3554);
;// CONCATENATED MODULE: ./packages/kit/src/binary/bytes.ts
/**
 * Bounds-checked reads of a binary held in memory, in either byte order. A read past the end (a
 * truncated file, or an offset a malformed header points at) throws {@link OutOfRange}, which the
 * format readers turn into a `Result` problem at their one entry point: a broken extension module
 * is a finding, never a crash of the action.
 */
/** A read outside the buffer; caught by the format readers, never seen by their callers. */
class OutOfRange extends Error {
    name = 'OutOfRange';
}
class Bytes {
    buffer;
    littleEndian;
    constructor(buffer, littleEndian) {
        this.buffer = buffer;
        this.littleEndian = littleEndian;
    }
    check(offset, length) {
        if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > this.buffer.length) {
            throw new OutOfRange(`read of ${length} byte(s) at ${offset} outside ${this.buffer.length}`);
        }
    }
    u8(offset) {
        this.check(offset, 1);
        return this.buffer.readUInt8(offset);
    }
    u16(offset) {
        this.check(offset, 2);
        return this.littleEndian ? this.buffer.readUInt16LE(offset) : this.buffer.readUInt16BE(offset);
    }
    u32(offset) {
        this.check(offset, 4);
        return this.littleEndian ? this.buffer.readUInt32LE(offset) : this.buffer.readUInt32BE(offset);
    }
    /** A 64-bit field as a number; offsets and sizes beyond 2^53 cannot be in a file read into memory. */
    u64(offset) {
        this.check(offset, 8);
        const value = this.littleEndian
            ? this.buffer.readBigUInt64LE(offset)
            : this.buffer.readBigUInt64BE(offset);
        if (value > BigInt(Number.MAX_SAFE_INTEGER))
            throw new OutOfRange(`64-bit value ${value} at ${offset}`);
        return Number(value);
    }
    /** A NUL-terminated string starting at `offset` (bounded by `end`, default the buffer's end). */
    cstring(offset, end = this.buffer.length) {
        this.check(offset, 0);
        const limit = Math.min(end, this.buffer.length);
        const nul = this.buffer.indexOf(0, offset);
        if (nul === -1 || nul >= limit)
            throw new OutOfRange(`unterminated string at ${offset}`);
        return this.buffer.toString('latin1', offset, nul);
    }
    /** An unsigned LEB128 number at `offset`, and the offset after it. */
    uleb128(offset) {
        let value = 0;
        let shift = 0;
        let at = offset;
        for (;;) {
            const byte = this.u8(at++);
            value += (byte & 0x7f) * 2 ** shift;
            if ((byte & 0x80) === 0)
                break;
            shift += 7;
            if (shift > 49)
                throw new OutOfRange(`LEB128 number too long at ${offset}`);
        }
        return { value, next: at };
    }
    /** A sub-range as its own reader (a fat Mach-O's slice), in the same byte order. */
    slice(offset, length, littleEndian = this.littleEndian) {
        this.check(offset, length);
        return new Bytes(this.buffer.subarray(offset, offset + length), littleEndian);
    }
}

;// CONCATENATED MODULE: ./packages/kit/src/binary/elf.ts
const SHT_DYNSYM = 11;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
const STB_GNU_UNIQUE = 10;
const STV_DEFAULT = 0;
const STV_PROTECTED = 3;
const MACHINES = {
    3: 'x86',
    8: 'mips',
    20: 'ppc',
    21: 'ppc64',
    22: 's390x',
    40: 'arm',
    62: 'x86_64',
    183: 'aarch64',
    243: 'riscv',
    258: 'loongarch',
};
function layout(bytes) {
    const is64 = bytes.u8(4) === 2;
    const shoff = is64 ? bytes.u64(0x28) : bytes.u32(0x20);
    const shentsize = bytes.u16(is64 ? 0x3a : 0x2e);
    let shnum = bytes.u16(is64 ? 0x3c : 0x30);
    // Extended numbering: with 0xff00 or more sections, e_shnum is 0 and section 0 holds the count.
    if (shnum === 0 && shoff !== 0)
        shnum = is64 ? bytes.u64(shoff + 32) : bytes.u32(shoff + 20);
    return { is64, shoff, shentsize, shnum };
}
function section(bytes, l, index) {
    const at = l.shoff + index * l.shentsize;
    return l.is64
        ? {
            type: bytes.u32(at + 4),
            offset: bytes.u64(at + 24),
            size: bytes.u64(at + 32),
            link: bytes.u32(at + 40),
            entsize: bytes.u64(at + 56),
        }
        : {
            type: bytes.u32(at + 4),
            offset: bytes.u32(at + 16),
            size: bytes.u32(at + 20),
            link: bytes.u32(at + 24),
            entsize: bytes.u32(at + 36),
        };
}
function isExported(info, other, shndx) {
    const binding = info >> 4;
    const visibility = other & 3;
    return (shndx !== 0 &&
        (binding === STB_GLOBAL || binding === STB_WEAK || binding === STB_GNU_UNIQUE) &&
        (visibility === STV_DEFAULT || visibility === STV_PROTECTED));
}
/** Reads `.dynsym`; `bytes` must start with the ELF magic and have the file's byte order. */
function elfExports(bytes) {
    const l = layout(bytes);
    const arch = MACHINES[bytes.u16(18)] ?? `machine ${bytes.u16(18)}`;
    const names = new Set();
    for (let i = 0; i < l.shnum; i++) {
        const dynsym = section(bytes, l, i);
        if (dynsym.type !== SHT_DYNSYM)
            continue;
        const strtab = section(bytes, l, dynsym.link);
        const size = dynsym.entsize || (l.is64 ? 24 : 16);
        for (let at = dynsym.offset + size; at + size <= dynsym.offset + dynsym.size; at += size) {
            const name = bytes.u32(at);
            const info = bytes.u8(at + (l.is64 ? 4 : 12));
            const other = bytes.u8(at + (l.is64 ? 5 : 13));
            const shndx = bytes.u16(at + (l.is64 ? 6 : 14));
            if (isExported(info, other, shndx)) {
                names.add(bytes.cstring(strtab.offset + name, strtab.offset + strtab.size));
            }
        }
    }
    return { arch, exports: names };
}

;// CONCATENATED MODULE: ./packages/kit/src/binary/macho.ts
/**
 * The symbols a Mach-O image exports: its export trie (`LC_DYLD_INFO(_ONLY)` or
 * `LC_DYLD_EXPORTS_TRIE`), which is what dyld looks names up in, else the external defined
 * entries of its symbol table. Names lose the C leading underscore (`_PyInit_x` → `PyInit_x`).
 * A fat (universal2) file is one slice per architecture, each read on its own.
 */

const LC_SYMTAB = 0x2;
const LC_DYLD_INFO = 0x22;
const LC_DYLD_INFO_ONLY = 0x80000022;
const LC_DYLD_EXPORTS_TRIE = 0x80000033;
const N_STAB = 0xe0;
const N_PEXT = 0x10;
const N_TYPE = 0x0e;
const N_SECT = 0x0e;
const N_EXT = 0x01;
const CPU_TYPES = {
    7: 'x86',
    16777223: 'x86_64',
    12: 'arm',
    16777228: 'arm64',
    33554444: 'arm64_32',
    18: 'ppc',
    16777234: 'ppc64',
};
const MH_MAGIC = 0xfeedface;
const MH_MAGIC_64 = 0xfeedfacf;
const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;
function withoutUnderscore(name) {
    return name.startsWith('_') ? name.slice(1) : name;
}
/** Every terminal node of the export trie at [start, start + size), by its full name. */
function trieNames(bytes, start, size) {
    const names = new Set();
    const visited = new Set();
    const stack = [{ offset: 0, prefix: '' }];
    while (stack.length > 0) {
        const { offset, prefix } = stack.pop();
        // A malformed trie can point back at a node already read: read each node once.
        if (visited.has(offset) || offset >= size)
            continue;
        visited.add(offset);
        const terminal = bytes.uleb128(start + offset);
        if (terminal.value > 0)
            names.add(withoutUnderscore(prefix));
        let at = terminal.next + terminal.value;
        const children = bytes.u8(at++);
        for (let i = 0; i < children; i++) {
            const edge = bytes.cstring(at, start + size);
            at += Buffer.byteLength(edge, 'latin1') + 1;
            const child = bytes.uleb128(at);
            at = child.next;
            stack.push({ offset: child.value, prefix: prefix + edge });
        }
    }
    return names;
}
function symtabNames(bytes, is64, command) {
    const symoff = bytes.u32(command + 8);
    const nsyms = bytes.u32(command + 12);
    const stroff = bytes.u32(command + 16);
    const strsize = bytes.u32(command + 20);
    const size = is64 ? 16 : 12;
    const names = new Set();
    for (let i = 0; i < nsyms; i++) {
        const at = symoff + i * size;
        const type = bytes.u8(at + 4);
        const exported = (type & N_STAB) === 0 && (type & N_PEXT) === 0 && (type & N_EXT) !== 0 && (type & N_TYPE) === N_SECT;
        if (exported)
            names.add(withoutUnderscore(bytes.cstring(stroff + bytes.u32(at), stroff + strsize)));
    }
    return names;
}
/** One thin Mach-O image; `bytes` starts at its header, in its byte order. */
function machoExports(bytes) {
    const is64 = bytes.u32(0) === MH_MAGIC_64;
    const cpu = bytes.u32(4);
    const ncmds = bytes.u32(16);
    let command = is64 ? 32 : 28;
    let trie;
    let symtab;
    for (let i = 0; i < ncmds; i++) {
        const cmd = bytes.u32(command);
        if (cmd === LC_DYLD_INFO || cmd === LC_DYLD_INFO_ONLY) {
            const size = bytes.u32(command + 44);
            if (size > 0)
                trie = { offset: bytes.u32(command + 40), size };
        }
        else if (cmd === LC_DYLD_EXPORTS_TRIE) {
            trie = { offset: bytes.u32(command + 8), size: bytes.u32(command + 12) };
        }
        else if (cmd === LC_SYMTAB) {
            symtab = command;
        }
        command += bytes.u32(command + 4);
    }
    const exports = trie
        ? trieNames(bytes, trie.offset, trie.size)
        : symtab !== undefined
            ? symtabNames(bytes, is64, symtab)
            : new Set();
    return { arch: CPU_TYPES[cpu] ?? `cputype ${cpu}`, exports };
}
/** The thin images of a fat file (always big-endian headers), each in its own byte order. */
function fatSlices(bytes) {
    const is64 = bytes.u32(0) === FAT_MAGIC_64;
    const count = bytes.u32(4);
    const slices = [];
    for (let i = 0; i < count; i++) {
        const at = 8 + i * (is64 ? 32 : 20);
        const offset = is64 ? bytes.u64(at + 8) : bytes.u32(at + 8);
        const size = is64 ? bytes.u64(at + 16) : bytes.u32(at + 12);
        const slice = bytes.slice(offset, size, true);
        // Every slice Apple's tools write is little-endian; read the magic to be sure.
        const littleEndian = slice.u32(0) === MH_MAGIC || slice.u32(0) === MH_MAGIC_64;
        slices.push(new Bytes(slice.buffer, littleEndian));
    }
    return slices;
}

;// CONCATENATED MODULE: ./packages/kit/src/binary/pe.ts
/**
 * The names a PE image (a `.pyd`, a DLL) exports: its export directory's name table, which is what
 * `GetProcAddress` looks names up in. PE32 and PE32+ (x86, x64, arm64).
 */

const PE32 = 0x10b;
const PE32_PLUS = 0x20b;
const pe_MACHINES = {
    332: 'x86',
    34404: 'x86_64',
    43620: 'arm64',
    452: 'arm',
};
function sections(bytes, coff) {
    const count = bytes.u16(coff + 2);
    const optionalSize = bytes.u16(coff + 16);
    const table = coff + 20 + optionalSize;
    return Array.from({ length: count }, (_, i) => {
        const at = table + i * 40;
        return {
            virtualSize: bytes.u32(at + 8),
            virtualAddress: bytes.u32(at + 12),
            rawSize: bytes.u32(at + 16),
            rawOffset: bytes.u32(at + 20),
        };
    });
}
/** The file offset of a relative virtual address, through the section that maps it. */
function fileOffset(table, rva) {
    const section = table.find((s) => rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, s.rawSize));
    if (!section)
        throw new OutOfRange(`RVA ${rva} is in no section`);
    return rva - section.virtualAddress + section.rawOffset;
}
/** `bytes` starts with `MZ` (little-endian). */
function peExports(bytes) {
    const signature = bytes.u32(0x3c);
    if (bytes.u32(signature) !== 0x00004550)
        throw new OutOfRange('no PE signature');
    const coff = signature + 4;
    const machine = bytes.u16(coff);
    const optional = coff + 20;
    const magic = bytes.u16(optional);
    if (magic !== PE32 && magic !== PE32_PLUS)
        throw new OutOfRange(`optional header magic ${magic}`);
    const directories = optional + (magic === PE32 ? 96 : 112);
    const directoryCount = bytes.u32(optional + (magic === PE32 ? 92 : 108));
    const exports = new Set();
    const exportRva = directoryCount > 0 ? bytes.u32(directories) : 0;
    if (exportRva !== 0) {
        const table = sections(bytes, coff);
        const directory = fileOffset(table, exportRva);
        const count = bytes.u32(directory + 24);
        const namesAt = count > 0 ? fileOffset(table, bytes.u32(directory + 32)) : 0;
        for (let i = 0; i < count; i++) {
            exports.add(bytes.cstring(fileOffset(table, bytes.u32(namesAt + i * 4))));
        }
    }
    return { arch: pe_MACHINES[machine] ?? `machine 0x${machine.toString(16)}`, exports };
}

;// CONCATENATED MODULE: ./packages/kit/src/binary/exports.ts
/**
 * What a compiled extension module exports, read from its bytes whatever the OS it was built for:
 * ELF (Linux), Mach-O thin or fat (macOS), PE (Windows). Plain TypeScript, no `nm`/`objdump`/
 * `dumpbin`, so a wheel for any platform is checked on any runner. The audit asks it whether an
 * extension exports `PyInit_<module>`, the function Python calls to import it.
 */





/** The format by its magic number, or undefined for anything else. */
function binaryFormat(buffer) {
    if (buffer.length < 4)
        return undefined;
    if (buffer.readUInt32BE(0) === 0x7f454c46)
        return 'elf';
    if (buffer.readUInt16LE(0) === 0x5a4d)
        return 'pe';
    const le = buffer.readUInt32LE(0);
    const be = buffer.readUInt32BE(0);
    if ([MH_MAGIC, MH_MAGIC_64].includes(le) || [MH_MAGIC, MH_MAGIC_64].includes(be))
        return 'mach-o';
    if (be === FAT_MAGIC || be === FAT_MAGIC_64)
        return 'mach-o';
    return undefined;
}
function read(format, buffer) {
    if (format === 'elf')
        return [elfExports(new Bytes(buffer, buffer[5] !== 2))];
    if (format === 'pe')
        return [peExports(new Bytes(buffer, true))];
    const be = buffer.readUInt32BE(0);
    if (be === FAT_MAGIC || be === FAT_MAGIC_64)
        return fatSlices(new Bytes(buffer, false)).map(machoExports);
    const littleEndian = [MH_MAGIC, MH_MAGIC_64].includes(buffer.readUInt32LE(0));
    return [machoExports(new Bytes(buffer, littleEndian))];
}
/** The exported symbols of an extension module's bytes; a problem when it is not one it can read. */
function binaryExports(buffer) {
    const format = binaryFormat(buffer);
    if (format === undefined)
        return (0,result/* fail */.f)('is not an ELF, Mach-O or PE binary');
    try {
        return (0,result.ok)({ format, slices: read(format, buffer) });
    }
    catch (thrown) {
        if (thrown instanceof OutOfRange)
            return (0,result/* fail */.f)(`is a truncated or malformed ${format} file (${thrown.message})`);
        throw thrown;
    }
}

;// CONCATENATED MODULE: ./packages/kit/src/wheel-contents.ts
/**
 * What a wheel installs, from its file list (see `zipEntryNames` in ./zip.ts): its extension
 * modules (`setup.cpython-311-x86_64-linux-gnu.so` → `setup`, `pkg/_core.cp312-win_amd64.pyd` →
 * `pkg._core`) and top-level import names. A pyo3 wheel without its extension module installs
 * fine and then fails at import, so build and test both look for it.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The path an entry installs to, relative to site-packages, or undefined for metadata/scripts. */
function installedPath(entry) {
    if (entry.endsWith('/'))
        return undefined;
    const [first, ...rest] = entry.split('/');
    if (first === undefined || first.endsWith('.dist-info'))
        return undefined;
    if (first.endsWith('.data')) {
        const [scheme, ...inside] = rest;
        return scheme === 'purelib' || scheme === 'platlib' ? inside.join('/') : undefined;
    }
    return entry;
}
/**
 * The extension modules among a wheel's entries: `.so`/`.pyd` files that Python imports, not the
 * shared libraries auditwheel/delocate/delvewheel vendor into `*.libs`/`.dylibs` directories.
 */
function extensionModules(entries) {
    const modules = [];
    for (const entry of entries) {
        const installed = installedPath(entry);
        if (!installed || !/\.(so|pyd)$/.test(installed))
            continue;
        const parts = installed.split('/');
        const file = parts.pop();
        if (parts.some((dir) => dir.endsWith('.libs') || dir === '.dylibs'))
            continue;
        const name = file.split('.')[0];
        if (!IDENTIFIER.test(name))
            continue;
        modules.push({ entry, module: [...parts, name].join('.') });
    }
    return modules;
}
/**
 * The entry that is the extension module `moduleName` (the last segment of the module path) with
 * the suffix the OS loads (`.so` on Linux/macOS, `.pyd` on Windows), e.g.
 * `mixed/_core.cpython-311-x86_64-linux-gnu.so`, `setup.cp312-win_amd64.pyd`, `abi3.abi3.so`;
 * undefined when the wheel has none.
 */
function findExtensionModule(entries, moduleName, os) {
    const suffix = extensionModuleSuffix(os);
    return extensionModules(entries).find((m) => m.module.split('.').at(-1) === moduleName && m.entry.endsWith(suffix))?.entry;
}
/** The top-level import names a wheel installs (`setup`, `pkg`), from its file list. */
function topLevelNames(entries) {
    const names = new Set();
    for (const entry of entries) {
        const installed = installedPath(entry);
        if (!installed)
            continue;
        const first = installed.split('/')[0];
        const name = installed.includes('/') ? first : first.split('.')[0];
        if (IDENTIFIER.test(name) && (installed.includes('/') || /\.(py|so|pyd)$/.test(first))) {
            names.add(name);
        }
    }
    return [...names].sort();
}

;// CONCATENATED MODULE: ./packages/kit/src/audit/contents.ts
/**
 * The audit's own checks of what a wheel holds: only expected top-level entries, and every
 * extension module exporting the init function Python calls to import it (read from the binary
 * itself, ELF, Mach-O or PE: binary/exports.ts).
 */





const contents_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The distribution name as an import name: `my-pkg` → `my_pkg`. */
function asImportName(name) {
    return (0,wheel/* normaliseName */.GX)(name).replace(/-/g, '_');
}
/**
 * The top-level names a wheel may install: its distribution name as an import name, the packages
 * its extension modules live in (or the modules themselves), and any the project declares
 * (`[tool.maturin] module-name`, `python-packages`).
 */
function expectedPackages(wheel, entries, declared = []) {
    const names = new Set([asImportName(wheel.name), ...declared]);
    for (const module of extensionModules(entries))
        names.add(module.module.split('.')[0]);
    return names;
}
/** Why a top-level entry is expected, or undefined when it is not. */
function expected(top, isDir, wheel, packages) {
    const dist = asImportName(wheel.name);
    const suffix = /^(.+?)(-[^-]+)?\.(dist-info|data)$/.exec(top);
    if (isDir && suffix)
        return asImportName(suffix[1]) === dist;
    if (isDir && top.endsWith('.libs'))
        return asImportName(top.slice(0, -'.libs'.length)) === dist;
    if (!isDir && top.endsWith('.pth'))
        return true;
    // A package directory, or a module file (`name.py`, `name.pyi`, `name.cpython-312-x86_64-linux-gnu.so`).
    const stem = isDir ? top : top.split('.')[0];
    if (!contents_IDENTIFIER.test(stem) || !packages.has(stem))
        return false;
    return isDir || /\.(py|pyi|so|pyd)$/.test(top);
}
/** top-level: entries outside the package, its modules, .dist-info, .data, .libs and .pth files. */
function topLevelFindings(wheel, entries, declared = []) {
    const packages = expectedPackages(wheel, entries, declared);
    const unexpected = new Set();
    for (const entry of entries) {
        const [top, ...rest] = entry.split('/');
        if (!top)
            continue;
        const isDir = rest.length > 0;
        if (!expected(top, isDir, wheel, packages))
            unexpected.add(isDir ? `${top}/` : top);
    }
    if (unexpected.size === 0)
        return [];
    const list = [...unexpected].sort();
    const finding = {
        wheel: wheel.filename,
        rule: 'top-level',
        problem: `installs ${list.length} unexpected top-level entr${list.length === 1 ? 'y' : 'ies'} into site-packages: ${list.join(', ')} (expected: ${[...packages].sort().join(', ')}, the .dist-info, .data and .libs directories, .pth files)`,
        fix: RULES['top-level'].fix,
        severity: 'error',
    };
    return [finding];
}
/** PEP 793's `PyModExport_<m>` replaces PyInit only on Pythons from 3.15. */
function modExportSuffices(wheel) {
    return wheel.pythonTags.every((tag) => {
        const match = /^cp3(\d+)$/.exec(tag);
        return match !== null && Number(match[1]) >= 15;
    });
}
/** pyinit-export: each extension module exports `PyInit_<its last name part>`, in every slice. */
function pyinitFindings(wheel, source, entries) {
    const findings = [];
    for (const module of extensionModules(entries.map((e) => e.name))) {
        const name = module.module.split('.').at(-1);
        const entry = entries.find((e) => e.name === module.entry);
        const read = binaryExports((0,zip/* readZipEntry */.g7)(source, entry));
        const problem = !read.ok
            ? `${module.entry} ${read.problem}, so Python cannot import it as ${module.module}`
            : read.value.slices
                .filter((slice) => !slice.exports.has(`PyInit_${name}`) &&
                !(modExportSuffices(wheel) && slice.exports.has(`PyModExport_${name}`)))
                .map((slice) => {
                const inits = [...slice.exports].filter((n) => n.startsWith('PyInit_')).sort();
                return `${module.entry} (${read.value.format}, ${slice.arch}) does not export PyInit_${name}${inits.length > 0 ? ` (it exports ${inits.join(', ')})` : ''}, so \`import ${module.module}\` fails`;
            })
                .join('; ');
        if (problem)
            findings.push({
                wheel: wheel.filename,
                rule: 'pyinit-export',
                problem,
                fix: RULES['pyinit-export'].fix,
                severity: 'error',
            });
    }
    return findings;
}

;// CONCATENATED MODULE: ./packages/kit/src/audit/manylinux.ts

const LEGACY = {
    manylinux1: [2, 5],
    manylinux2010: [2, 12],
    manylinux2014: [2, 17],
};
/** A manylinux/musllinux platform tag (legacy aliases included), or undefined for any other. */
function parsePolicyTag(tag) {
    const legacy = /^(manylinux1|manylinux2010|manylinux2014)_(.+)$/.exec(tag);
    if (legacy) {
        const [major, minor] = LEGACY[legacy[1]];
        const arch = legacy[2];
        return { family: 'manylinux', major, minor, arch, name: `manylinux_${major}_${minor}_${arch}` };
    }
    const match = /^(manylinux|musllinux)_(\d+)_(\d+)_(.+)$/.exec(tag);
    if (!match)
        return undefined;
    const family = match[1];
    const [major, minor, arch] = [Number(match[2]), Number(match[3]), match[4]];
    return { family, major, minor, arch, name: `${family}_${major}_${minor}_${arch}` };
}
/** The wheel's policy tags, each once (`manylinux2014_x86_64` and `manylinux_2_17_x86_64` are one). */
function claimedPolicies(wheel) {
    const byName = new Map();
    for (const tag of wheel.platformTags) {
        const policy = parsePolicyTag(tag);
        if (policy)
            byName.set(policy.name, policy);
    }
    return [...byName.values()];
}
function meets(found, claimed) {
    if (!found || found.family !== claimed.family)
        return false;
    return found.major < claimed.major || (found.major === claimed.major && found.minor <= claimed.minor);
}
/** `GLIBC_2.34` → [2, 34]; undefined for other version names. */
function glibcVersion(name) {
    const match = /^GLIBC_(\d+)\.(\d+)/.exec(name);
    return match ? [Number(match[1]), Number(match[2])] : undefined;
}
/**
 * The names musl's dynamic loader takes as itself (any `libc.*`: musl's reserved names), so a
 * musllinux wheel that needs one needs nothing outside the policy. auditwheel disagrees for
 * `libc.so`: it rewrites its musllinux whitelist's `libc.so` to Alpine's soname
 * (`libc.musl-x86_64.so.1`), while the musl toolchains that build musllinux wheels off Alpine
 * (rust-cross's rust-musl-cross images, zig) link against a libc whose soname is `libc.so`.
 * maturin's own audit accepts both (PyO3/maturin#643); so does this rule.
 */
const MUSL_LIBC = /^(?:libc\.so|libc\.musl-[\w-]+\.so\.1|ld-musl-[\w-]+\.so\.1)$/;
/** The libraries auditwheel says `claimed` needs eliminated, less musl's own libc for musllinux. */
function libsToEliminate(report, claimed) {
    const libs = report.policy_upgrades?.[claimed.name]?.libs_to_eliminate ?? [];
    return claimed.family === 'musllinux' ? libs.filter((lib) => !MUSL_LIBC.test(lib)) : libs;
}
/**
 * Whether auditwheel refuses a musllinux tag only for musl's own libc: the symbols meet the tag,
 * nothing blacklisted, no ISA extension, and every library it names is musl's libc.
 */
function onlyMuslLibc(report, claimed) {
    const upgrade = report.policy_upgrades?.[claimed.name];
    return (claimed.family === 'musllinux' &&
        upgrade !== undefined &&
        (upgrade.libs_to_eliminate ?? []).length > 0 &&
        libsToEliminate(report, claimed).length === 0 &&
        Object.keys(upgrade.blacklisted_symbols ?? {}).length === 0 &&
        !report.unsupported_isa &&
        meets(parsePolicyTag(report.sym_tag ?? ''), claimed));
}
/** Why the wheel does not meet `claimed`, from auditwheel's report. */
function reasons(report, claimed) {
    const found = [];
    const symbols = parsePolicyTag(report.sym_tag ?? '');
    if (!meets(symbols, claimed)) {
        const newer = Object.values(report.versioned_symbols ?? {})
            .flat()
            .filter((name) => {
            const version = glibcVersion(name);
            return (version &&
                (version[0] > claimed.major || (version[0] === claimed.major && version[1] > claimed.minor)));
        })
            .sort();
        const detail = newer.length > 0 ? ` (${newer.join(', ')}, newer than glibc ${claimed.major}.${claimed.minor})` : '';
        found.push(`its symbol versions need ${report.sym_tag ?? 'a newer libc'}${detail}`);
    }
    const upgrade = report.policy_upgrades?.[claimed.name];
    const libs = libsToEliminate(report, claimed);
    if (libs.length > 0)
        found.push(`it links libraries outside the policy: ${libs.join(', ')}`);
    for (const [lib, names] of Object.entries(upgrade?.blacklisted_symbols ?? {})) {
        found.push(`it uses symbols of ${lib} the policy forbids: ${names.join(', ')}`);
    }
    if (report.unsupported_isa)
        found.push('it uses instruction-set extensions the policy does not allow');
    return found;
}
/** Findings of the manylinux/musllinux rule for one wheel; none when every tag it claims holds. */
function policyFindings(wheel, report) {
    const claimed = claimedPolicies(wheel);
    if (report.error !== undefined) {
        return [
            {
                wheel: wheel.filename,
                rule: 'manylinux-policy',
                problem: `claims ${claimed.map((c) => c.name).join(', ')}, but auditwheel show cannot check it: ${report.error}`,
                fix: RULES['manylinux-policy'].fix,
                severity: 'error',
            },
        ];
    }
    const found = parsePolicyTag(report.overall_tag ?? '');
    const broken = claimed.filter((tag) => !meets(found, tag) && !onlyMuslLibc(report, tag));
    if (broken.length === 0)
        return [];
    // The most compatible broken tag explains the rest: what breaks manylinux_2_28 breaks 2_17.
    const worst = broken.reduce((a, b) => (b.major * 1000 + b.minor < a.major * 1000 + a.minor ? b : a));
    const why = reasons(report, worst);
    return [
        {
            wheel: wheel.filename,
            rule: 'manylinux-policy',
            problem: `claims ${broken.map((b) => b.name).join(', ')}, but auditwheel show finds it meets only ${report.overall_tag ?? 'no policy'}${why.length > 0 ? `: ${why.join('; ')}` : ''}`,
            fix: RULES['manylinux-policy'].fix,
            severity: 'error',
        },
    ];
}

;// CONCATENATED MODULE: ./packages/kit/src/audit/tools.ts




/** The lock beside this module in the sources, and beside the bundle in dist/. */
function auditToolsLock() {
    return (0,files/* shippedFile */.kA)(__webpack_require__.ab + "audit-tools.txt");
}
/** The tool venv the audit needs: abi3audit, auditwheel and twine at the lock's versions. */
function auditToolsRequest() {
    return { name: 'ferrowheel-audit-tools', lock: auditToolsLock(), minimumPython: { major: 3, minor: 10 } };
}
/** rich's colour codes (ESC [ … m), which NO_COLOR does not always stop. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
async function runTool(runner, args) {
    return runner.exec(runner.python, args, {
        silent: true,
        allowFailure: true,
        // rich (in all three) would colour and wrap for a terminal, and print emoji that a Windows
        // console's code page cannot encode.
        env: {
            ...runner.env,
            NO_COLOR: '1',
            TERM: 'dumb',
            COLUMNS: '200',
            PYTHONUTF8: '1',
            PYTHONIOENCODING: 'utf-8',
        },
    });
}
function outputTail(text, lines = 8) {
    return text
        .replace(ANSI, '')
        .split(/\r?\n/)
        .map((line) => line.trimEnd())
        .filter((line) => line.trim() !== '')
        .slice(-lines)
        .join('\n');
}
/** A tool that ran but gave no report: the rule cannot be shown to hold, so it is a finding. */
function toolFailure(wheel, rule, tool, output) {
    return {
        wheel,
        rule,
        problem: `${tool} could not check it: ${outputTail(output) || 'no output'}`,
        fix: `${RULES[rule].fix} If the wheel is fine, this is a problem of ${tool}: report it with the wheel.`,
        severity: 'error',
    };
}
function parseJson(stdout) {
    try {
        return JSON.parse(stdout.trim());
    }
    catch {
        return undefined;
    }
}
/** metadata: `twine check --strict` (README rendering, missing description). */
async function checkMetadata(runner, wheel) {
    const result = await runTool(runner, ['-m', 'twine', 'check', '--strict', wheel.path]);
    if (result.exitCode === 0)
        return [];
    // It says "Checking <path>: FAILED" (wrapped as rich likes), then the reasons, each starting
    // with its level: keep those.
    const output = `${result.stdout}\n${result.stderr}`.replace(ANSI, '');
    const first = output.search(/^(ERROR|WARNING)\b/m);
    const reasons = outputTail(first === -1 ? output : output.slice(first), 12).replace(/ {2,}/g, ' ');
    return [
        {
            wheel: wheel.name.filename,
            rule: 'metadata',
            problem: `twine check --strict fails: ${reasons.replace(/\s*\n\s*/g, ' ')}`,
            fix: RULES.metadata.fix,
            severity: 'error',
        },
    ];
}
/**
 * musl's own library search path (its loader's default when no /etc/ld-musl-<arch>.path exists),
 * which auditwheel searches for a wheel it knows is musl.
 */
const MUSL_LD_PATHS = '/lib:/usr/local/lib:/usr/lib';
/**
 * `auditwheel show`'s arguments for a wheel. A musllinux wheel gets musl's search path
 * (`--ldpaths`): auditwheel tells an extension's libc by its interpreter, a musl NEEDED name or a
 * `-linux-musl.so` file name, and an abi3 extension built by rust-musl-cross or zig has none
 * (`abi3.abi3.so`, NEEDED `libc.so`). It then searched glibc's paths on a glibc runner, opened
 * glibc's `libc.so` linker script as an ELF file and crashed ("Magic number does not match").
 */
function auditwheelShowArgs(wheel) {
    const musl = claimedPolicies(wheel.name).some((policy) => policy.family === 'musllinux');
    return ['-m', 'auditwheel', 'show', '--json', ...(musl ? ['--ldpaths', MUSL_LD_PATHS] : []), wheel.path];
}
/** manylinux-policy: `auditwheel show --json`, read against the wheel's tags. */
async function checkPolicy(runner, wheel) {
    const result = await runTool(runner, auditwheelShowArgs(wheel));
    const report = parseJson(result.stdout);
    if (report?.version !== 1) {
        return [
            toolFailure(wheel.name.filename, 'manylinux-policy', 'auditwheel show', `${result.stdout}${result.stderr}`),
        ];
    }
    return policyFindings(wheel.name, report);
}
/** abi3: `abi3audit --report` of the wheel's extension modules. */
async function checkAbi3(runner, wheel) {
    const result = await runTool(runner, ['-m', 'abi3audit', '--report', '--strict', wheel.path]);
    const report = parseJson(result.stdout);
    if (!report?.specs) {
        return [toolFailure(wheel.name.filename, 'abi3', 'abi3audit', `${result.stdout}${result.stderr}`)];
    }
    return abi3Findings(wheel.name.filename, report);
}

;// CONCATENATED MODULE: ./packages/kit/src/audit/audit.ts
/**
 * The audit of built wheels before they leave the job (or before publish uploads them): every rule
 * of rules.ts on every wheel, the tools' rules (abi3audit, auditwheel show, twine check --strict)
 * from their hash-locked venv and ferrowheel's own (build paths, top-level entries, PyInit
 * exports). It reports; the caller annotates and decides (report.ts) by the `audit` mode.
 */










const TOOLS = 'the audit tools (abi3audit, auditwheel, twine)';
/** A tool venv failure in words: what is wrong and how to fix it. */
function describeToolsFailure(failure) {
    const setUp = "Put CPython 3.10 or newer on PATH before this step (actions/setup-python), or set 'audit' to warn or off.";
    switch (failure.kind) {
        case 'no-python':
            return {
                problem: `${TOOLS} need CPython 3.10 or newer, and none of ${failure.command} runs here`,
                fix: setUp,
            };
        case 'old-python':
            return {
                problem: `${TOOLS} need Python ${failure.minimum} or newer, and ${failure.python} is Python ${failure.version}`,
                fix: setUp,
            };
        case 'no-place':
            return {
                problem: `${TOOLS} have nowhere to go: neither ${failure.dirs.join(' nor ')} can be written`,
                fix: "Give the runner's user write access to RUNNER_TOOL_CACHE (or RUNNER_TEMP), or set 'audit' to warn or off.",
            };
        case 'install-failed':
            return {
                problem: `Could not install ${TOOLS} from their hash-locked requirements with ${failure.installer}:\n${failure.output}`,
                fix: "The runner must reach PyPI (or the index PIP_INDEX_URL / UV_INDEX_URL names) once; the venv is kept in the tool cache after that. Offline, set 'audit' to warn (the tools' rules are then reported as not checked) or off.",
            };
    }
}
async function tools(context) {
    const outcome = await toolVenv(auditToolsRequest(), context);
    return outcome.ok
        ? { ok: true, venv: outcome.value }
        : { ok: false, ...describeToolsFailure(outcome.failure) };
}
/** Which rules apply to a wheel, and how each is checked (or why it is not). */
function checksFor(wheel, request, context, state) {
    const runner = state.ok
        ? { python: state.venv.python, exec: context.exec, env: context.env }
        : undefined;
    const tool = (rule, run) => runner ? { rule, run: () => run(runner) } : { rule, notChecked: `${TOOLS} are not available` };
    const entries = (0,zip/* listZipEntries */.kT)(wheel.path);
    const names = entries.map((e) => e.name);
    const checks = [];
    if (isAbi3(wheel.name.abiTags))
        checks.push(tool('abi3', (r) => checkAbi3(r, wheel)));
    if (claimedPolicies(wheel.name).length > 0) {
        checks.push(context.os === 'linux'
            ? tool('manylinux-policy', (r) => checkPolicy(r, wheel))
            : {
                rule: 'manylinux-policy',
                notChecked: `auditwheel runs on Linux only, and this runner is ${context.os}`,
            });
    }
    checks.push(tool('metadata', (r) => checkMetadata(r, wheel)));
    checks.push({
        rule: 'build-paths',
        run: () => buildPathFindings(wheel.name.filename, wheel.path, request.roots),
    });
    checks.push({ rule: 'top-level', run: () => topLevelFindings(wheel.name, names, request.packages ?? []) });
    checks.push({ rule: 'pyinit-export', run: () => pyinitFindings(wheel.name, wheel.path, entries) });
    return checks;
}
function outcomeOf(check, findings) {
    if (!check)
        return { status: 'not-applicable' };
    if ('notChecked' in check)
        return { status: 'not-checked', reason: check.notChecked };
    if (findings.some((f) => f.severity === 'error'))
        return { status: 'failed' };
    return findings.length > 0 ? { status: 'warned' } : { status: 'passed' };
}
async function auditOne(wheel, request, context, state) {
    const started = Date.now();
    const checks = checksFor(wheel, request, context, state);
    // The tools of one wheel run side by side (each is mostly Python's start-up); wheels one by one.
    const results = await Promise.all(checks.map(async (check) => ('run' in check ? await check.run() : [])));
    const findings = results.flat();
    const outcomes = Object.fromEntries(RULE_ORDER.map((rule) => [
        rule,
        outcomeOf(checks.find((c) => c.rule === rule), findings.filter((f) => f.rule === rule)),
    ]));
    return {
        filename: wheel.name.filename,
        path: wheel.path,
        outcomes,
        findings,
        durationMs: Date.now() - started,
    };
}
/** Audits every wheel; the tool venv is made (or found in the tool cache) once for all. */
async function auditWheels(request, context) {
    const state = await tools(context);
    const wheels = [];
    for (const file of request.wheels) {
        const parsed = (0,wheel/* parseWheelFilename */.eP)(external_node_path_default().basename(file));
        // The build and publish name their wheels before this: a bad name here is a bug.
        if (!parsed.ok)
            throw new Error(`${file} ${parsed.problem}`);
        const name = parsed.value;
        wheels.push(await auditOne({ path: file, name }, request, context, state));
    }
    return { wheels, tools: state };
}

// EXTERNAL MODULE: ./packages/kit/src/summary.ts
var summary = __webpack_require__(5191);
;// CONCATENATED MODULE: ./packages/kit/src/audit/report.ts
/**
 * What the audit says: one annotation per finding (naming the wheel, the rule and the fix), one
 * for tools that could not be installed, the job summary's per-wheel table, and the verdict the
 * `audit` mode draws (error: any error finding, or missing tools, fails the step; warn: never).
 */


/** A finding as its annotation says it. */
function findingMessage(finding) {
    return `${finding.wheel} breaks the audit rule '${finding.rule}': ${finding.problem}. Fix: ${finding.fix}`;
}
/** Annotates every finding and returns the verdict of `mode`. */
function annotateAudit(report, mode, annotate) {
    const findings = report.wheels.flatMap((w) => w.findings);
    for (const finding of findings) {
        const title = `Audit: ${finding.rule} (${finding.wheel})`;
        if (mode === 'error' && finding.severity === 'error')
            annotate.error(findingMessage(finding), title);
        else
            annotate.warning(findingMessage(finding), title);
    }
    if (!report.tools.ok) {
        const message = `${report.tools.problem}. Fix: ${report.tools.fix}`;
        if (mode === 'error')
            annotate.error(message, 'Audit: tools unavailable');
        else
            annotate.warning(message, 'Audit: tools unavailable');
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    const toolsMissing = !report.tools.ok;
    return {
        errors,
        warnings: findings.length - errors,
        toolsMissing,
        fails: mode === 'error' && (errors > 0 || toolsMissing),
    };
}
const MARKS = {
    passed: '✅',
    failed: '❌',
    warned: '⚠️',
    'not-applicable': '–',
    'not-checked': 'not checked',
};
const HEADERS = {
    abi3: 'abi3',
    'manylinux-policy': 'manylinux policy',
    metadata: 'metadata',
    'build-paths': 'build paths',
    'top-level': 'top level',
    'pyinit-export': 'PyInit',
};
function oneLine(text) {
    return text.replace(/\s*\r?\n\s*/g, ' ');
}
/** The job summary's audit section: a table of rules per wheel, then each finding and gap. */
function auditSummary(report, mode) {
    const rows = report.wheels.map((w) => [
        `\`${w.filename}\``,
        ...RULE_ORDER.map((rule) => MARKS[w.outcomes[rule].status]),
        (0,summary/* formatDuration */.a3)(w.durationMs),
    ]);
    const lines = [
        (0,summary/* markdownTable */.Qj)(['Wheel', ...RULE_ORDER.map((r) => HEADERS[r]), 'Time'], rows),
        ...report.wheels.flatMap((w) => w.findings.map((f) => `- ${f.severity === 'error' && mode === 'error' ? '❌' : '⚠️'} \`${w.filename}\` · **${f.rule}**: ${oneLine(f.problem)}. Fix: ${f.fix}`)),
        ...report.wheels.flatMap((w) => RULE_ORDER.flatMap((rule) => {
            const outcome = w.outcomes[rule];
            return outcome.status === 'not-checked'
                ? [`- \`${w.filename}\` · **${rule}** not checked: ${outcome.reason}.`]
                : [];
        })),
    ];
    const tools = report.tools.ok
        ? `Tools: ${RULE_ORDER.filter((r) => !RULES[r].checkedBy.startsWith('ferrowheel'))
            .map((r) => RULES[r].checkedBy)
            .join(', ')} (Python ${report.tools.venv.base.version}; venv ${report.tools.venv.created
            ? `created with ${report.tools.venv.installer} in ${(0,summary/* formatDuration */.a3)(report.tools.venv.durationMs)}`
            : 'from the tool cache'}); the other rules are ferrowheel's own checks.`
        : `Tools unavailable: ${oneLine(report.tools.problem)}. ${report.tools.fix}`;
    return ['', `**Audit** (\`audit: ${mode}\`)`, '', ...lines, '', tools, ''].join('\n');
}

// EXTERNAL MODULE: ./packages/kit/src/exec.ts
var exec = __webpack_require__(8678);
// EXTERNAL MODULE: ./packages/kit/src/log-text.ts
var log_text = __webpack_require__(2313);
;// CONCATENATED MODULE: ./actions/publish/src/audit.ts
/**
 * The audit before anything is uploaded, for wheels this job did not see built (`audit: error` or
 * `warn`; off by default, because ferrowheel's build audits every wheel where it is built). The
 * same kit code as the build's, loaded only when asked for. Build paths are searched as this
 * runner spells them (GitHub's runners give every job of a repository the same workspace path);
 * CARGO_HOME's registry paths are warnings here: expected from builders that do not remap them.
 */








function roots(inputs, env) {
    const cargoHome = env.CARGO_HOME || external_node_path_default().join(external_node_os_default().homedir(), '.cargo');
    return [
        { kind: 'workspace', path: inputs.runner.workspace, whenFound: 'error' },
        { kind: 'runner-temp', path: inputs.runner.runnerTemp, whenFound: 'error' },
        {
            kind: 'target-dir',
            path: external_node_path_default().resolve(inputs.runner.workspace, env.CARGO_TARGET_DIR || 'target'),
            whenFound: 'error',
        },
        { kind: 'cargo-home', path: cargoHome, whenFound: 'warning' },
    ];
}
/** Audits the wheels among `dists`; the summary section and the verdict, or undefined when off. */
async function auditPhase(inputs, dists, deps) {
    if (inputs.audit === 'off')
        return undefined;
    const wheels = dists.filter((d) => d.kind === 'wheel');
    const report = await auditWheels({ wheels: wheels.map((w) => w.path), roots: roots(inputs, deps.env) }, {
        toolCache: deps.env.RUNNER_TOOL_CACHE || external_node_path_default().join(external_node_os_default().tmpdir(), 'ferrowheel-tool-cache'),
        tempDir: inputs.runner.runnerTemp,
        python: inputs.auditPython,
        os: (0,platform/* currentPlatform */.jN)().os,
        env: (0,exec/* childEnv */.gf)({}, deps.env),
        exec: deps.exec,
    });
    const verdict = annotateAudit(report, inputs.audit, {
        error: (message, title) => core/* error */.z3(message, { title }),
        warning: (message, title) => core/* warning */.$e(message, { title }),
    });
    for (const wheel of report.wheels) {
        core/* info */.pq((0,log_text/* logText */.TQ) `audit: ${wheel.filename}: ${wheel.findings.length === 0 ? 'every rule passed' : `${wheel.findings.length} finding(s)`}`);
    }
    return { summary: auditSummary(report, inputs.audit), verdict };
}


/***/ })

};
