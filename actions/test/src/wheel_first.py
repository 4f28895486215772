"""Keeps `import <package>` on the installed wheel while a project's tests run in its checkout.

The ferrowheel test action (actions/test/src/wheel-first.ts) runs a project's tests in place, so
paths relative to the test files resolve as in the repository. pytest (prepend import mode, a
root conftest.py, the `pythonpath` option) or `python -m` can then put a checkout directory that
holds the package's Python sources on sys.path ahead of site-packages, and `import <package>`
would test the sources instead of the wheel.

Run with the test venv's Python and the wheel's top-level import names as arguments, this file
copies itself into the venv's site-packages with a .pth file that imports it at every start-up of
that venv's Python, and the names beside it. Imported there, it puts a finder first on
sys.meta_path that looks those names up in site-packages only. Other imports are untouched.
"""

import importlib.machinery
import json
import os
import shutil
import sys
import sysconfig

MODULE = "_ferrowheel_wheel_first"


class WheelFirst:
    """Finds the wheel's top-level packages and modules in site-packages, never elsewhere."""

    def __init__(self, names, sites):
        self.names = frozenset(names)
        self.sites = list(sites)

    def find_spec(self, fullname, path=None, target=None):
        if path is not None or fullname not in self.names:
            return None
        return importlib.machinery.PathFinder.find_spec(fullname, self.sites)


def activate(here):
    with open(os.path.join(here, MODULE + ".json"), encoding="utf-8") as names_file:
        config = json.load(names_file)
    sys.meta_path.insert(0, WheelFirst(config["names"], config["sites"]))


def install(names):
    paths = sysconfig.get_paths()
    sites = list(dict.fromkeys([paths["purelib"], paths["platlib"]]))
    site = sites[0]
    shutil.copyfile(os.path.abspath(__file__), os.path.join(site, MODULE + ".py"))
    with open(os.path.join(site, MODULE + ".json"), "w", encoding="utf-8") as names_file:
        json.dump({"names": names, "sites": sites}, names_file)
    with open(os.path.join(site, MODULE + ".pth"), "w", encoding="utf-8") as pth:
        pth.write("import " + MODULE + "\n")
    print(json.dumps({"site": site, "names": names}))


if __name__ == "__main__":
    install(sys.argv[1:])
elif __name__ == MODULE:
    activate(os.path.dirname(os.path.abspath(__file__)))
