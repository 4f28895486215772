export const id = 440;
export const ids = [440];
export const modules = {

/***/ 7440:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   findOnPath: () => (/* binding */ findOnPath),
/* harmony export */   installIntoVenv: () => (/* binding */ installIntoVenv),
/* harmony export */   planVenvInstall: () => (/* binding */ planVenvInstall)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _ferrowheel_kit_platform__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9936);
/**
 * Installing a tool into its own virtual environment, for platforms with no fitting wheel (pip
 * then builds the sdist) or when asked with `method: venv`. uv when it is on PATH (much faster),
 * else the runner's Python and pip. The venv is created in its final tool-cache place, because a
 * venv cannot be moved.
 */



/** The first `name` (plus `.exe` on Windows) found on the PATH in `env`, or undefined. */
function findOnPath(name, os, env) {
    const file = (0,_ferrowheel_kit_platform__WEBPACK_IMPORTED_MODULE_2__/* .exeName */ .uu)(os, name);
    const pathValue = env.PATH ?? env.Path ?? '';
    for (const dir of pathValue.split((0,_ferrowheel_kit_platform__WEBPACK_IMPORTED_MODULE_2__/* .pathListSeparator */ .fV)(os))) {
        if (dir === '')
            continue;
        // The search runs on this machine, so the host's path rules apply; `os` names the file.
        const candidate = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dir, file);
        try {
            if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(candidate).isFile())
                return candidate;
        }
        catch {
            // not here
        }
    }
    return undefined;
}
/**
 * The commands that create `venv` and install `pkg==version` into it. `indexUrl` is passed on
 * only when it is not pypi.org, so a runner's own pip/uv configuration (a mirror) still applies.
 */
function planVenvInstall(options) {
    const { os, venv, requirement, uv } = options;
    const python = (0,_ferrowheel_kit_platform__WEBPACK_IMPORTED_MODULE_2__/* .venvPython */ .qb)(os, venv);
    const custom = options.indexUrl.replace(/\/+$/, '') !== 'https://pypi.org';
    const index = custom ? ['--index-url', `${options.indexUrl.replace(/\/+$/, '')}/simple`] : [];
    const binDir = (0,_ferrowheel_kit_platform__WEBPACK_IMPORTED_MODULE_2__/* .pathFor */ .p0)(os).relative(venv, (0,_ferrowheel_kit_platform__WEBPACK_IMPORTED_MODULE_2__/* .venvBinDir */ .Sg)(os, venv));
    if (uv) {
        return {
            installer: 'uv',
            binDir,
            commands: [
                { program: uv, args: ['venv', '--quiet', venv] },
                { program: uv, args: ['pip', 'install', '--quiet', '--python', python, ...index, requirement] },
            ],
        };
    }
    return {
        installer: 'pip',
        binDir,
        commands: [
            { program: (0,_ferrowheel_kit_platform__WEBPACK_IMPORTED_MODULE_2__/* .defaultPythonCommand */ .ty)(os), args: ['-m', 'venv', venv] },
            {
                program: python,
                args: ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...index, requirement],
            },
        ],
    };
}
/** Runs the plan. */
async function installIntoVenv(plan, exec) {
    for (const command of plan.commands)
        await exec(command.program, command.args);
}


/***/ })

};
