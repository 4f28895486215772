"""Turns an overlayfs upper directory into the contents of a docker image layer, in place.

overlayfs marks a file deleted from the lower directory with a character device 0/0 of its name,
and a directory whose lower contents are hidden with the xattr trusted.overlay.opaque=y. A docker
layer (an OCI layer) says the same with an empty file `.wh.<name>` and a file `.wh..wh..opq`
inside the directory. A renamed lower directory (trusted.overlay.redirect) has no layer form:
that is an error, never a silently wrong image.

Usage: python3 overlay-whiteouts.py UPPER_DIR  (run as root: trusted.* xattrs need it)
"""

import os
import stat
import sys
from typing import Optional

OPAQUE = "trusted.overlay.opaque"
REDIRECT = "trusted.overlay.redirect"


def xattr(path: str, name: str) -> Optional[bytes]:
    try:
        return os.getxattr(path, name, follow_symlinks=False)
    except OSError:
        return None


def convert(upper: str) -> int:
    """Converts every whiteout and opaque directory under `upper`; returns how many."""
    converted = 0
    for parent, dirs, files in os.walk(upper):
        if xattr(parent, REDIRECT) is not None:
            raise SystemExit(f"{parent}: a renamed lower directory has no docker layer form")
        if parent != upper and xattr(parent, OPAQUE) == b"y":
            open(os.path.join(parent, ".wh..wh..opq"), "w").close()
            os.removexattr(parent, OPAQUE, follow_symlinks=False)
            converted += 1
        for name in files + dirs:
            path = os.path.join(parent, name)
            info = os.lstat(path)
            if stat.S_ISCHR(info.st_mode) and info.st_rdev == 0:
                os.unlink(path)
                open(os.path.join(parent, f".wh.{name}"), "w").close()
                converted += 1
    return converted


def main() -> None:
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        raise SystemExit("usage: overlay-whiteouts.py UPPER_DIR")
    count = convert(sys.argv[1])
    print(f"overlay-whiteouts: {count} whiteout(s) converted", file=sys.stderr)


if __name__ == "__main__":
    main()
