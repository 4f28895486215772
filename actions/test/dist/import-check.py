"""The test action's import check (import-check.ts), run in the test venv with module names as argv.

Imports each module and, for an extension module, looks for its entry point with ctypes:
PyInit_<name>, or PyModExport_<name> (PEP 793, what an abi3t module exports from 3.15). Prints one
JSON line: a list of {module, ok, file, entry, entry_symbol, entry_error, error}.
"""

import ctypes
import importlib
import json
import sys

# Run by path, Python puts this file's directory first on sys.path; `python -c` (how this check
# ran before it was a file) puts the working directory there. Keep the latter: a module beside
# this file must never shadow the wheel's.
sys.path[0] = ""


def check(name):
    result = {"module": name, "ok": False}
    try:
        module = importlib.import_module(name)
        result["file"] = getattr(module, "__file__", None)
        result["ok"] = True
        if result["file"] and result["file"].endswith((".so", ".pyd")):
            short = name.rpartition(".")[2]
            try:
                library = ctypes.PyDLL(result["file"])
                found = [
                    prefix + short
                    for prefix in ("PyInit_", "PyModExport_")
                    if hasattr(library, prefix + short)
                ]
                result["entry"] = bool(found)
                if found:
                    result["entry_symbol"] = found[0]
            except OSError as error:
                result["entry"] = None
                result["entry_error"] = str(error)
    except BaseException as error:
        result["error"] = type(error).__name__ + ": " + str(error)
    return result


print(json.dumps([check(name) for name in sys.argv[1:]]))
