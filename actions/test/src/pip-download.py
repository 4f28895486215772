"""pip, run on the runner for a test container's interpreter: `pip-download.py MARKERS ARGS...`.

Run by the ferrowheel test action (actions/test/src/wheelhouse.ts) with a Python of the runner,
to download the test requirements for an interpreter in a container (another architecture or
Python version, with no network of its own). pip's `download --platform --python-version --abi
--implementation` picks the wheels of that interpreter, but evaluates environment markers for
the Python running pip (pypa/pip#11664, #6117): `tomli; python_version < "3.11"` would be left
out for a 3.10 container when the runner's Python is 3.12. So the marker environment is replaced
with the container interpreter's own (MARKERS: a JSON file facts.py's `markers` were written to)
before pip runs with the remaining arguments.
"""

import json
import sys


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as file:
        environment = json.load(file)
    if not isinstance(environment, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in environment.items()
    ):
        print(f"{sys.argv[1]} does not hold a marker environment", file=sys.stderr)
        return 2

    from pip._vendor.packaging import markers

    # Marker.evaluate() looks default_environment up in its module on every call.
    markers.default_environment = lambda: dict(environment)

    from pip._internal.cli.main import main as pip_main

    return pip_main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
