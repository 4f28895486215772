"""The pipeline's last proof (verify.ts): the module named by argv[1] imports in the fresh venv.

Prints where it came from: the module's file, else the module itself (a namespace package has
no file).
"""

import importlib
import sys

# Run by path, Python puts this file's directory first on sys.path. Drop it: the module must
# come from the venv the package was installed into, nowhere else.
del sys.path[0]

module = importlib.import_module(sys.argv[1])
print(getattr(module, "__file__", module))
