"""The X.Y of the Python running this file: build-host.ts's probe of the default interpreter."""

import sys

print(f"{sys.version_info[0]}.{sys.version_info[1]}")
