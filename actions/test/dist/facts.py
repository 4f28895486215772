"""Facts about the Python interpreter it runs on, printed as one JSON line.

Run by the ferrowheel test action (actions/test/src/interpreter.ts) with the interpreter under
test, before any venv exists: only the standard library; pip's vendored `packaging`, when
present, gives the exact tag list pip and uv use.
"""

import glob
import json
import os
import platform
import re
import struct
import subprocess
import sys
import sysconfig

facts = {
    "executable": sys.executable,
    "prefix": sys.prefix,
    "implementation": sys.implementation.name,
    "version": platform.python_version(),
    "major": sys.version_info[0],
    "minor": sys.version_info[1],
    "abiflags": getattr(sys, "abiflags", ""),
    "gil_disabled": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "soabi": sysconfig.get_config_var("SOABI") or "",
    "platform": sysconfig.get_platform(),
    "system": platform.system(),
    "machine": platform.machine(),
    "bits": struct.calcsize("P") * 8,
    "mac_ver": platform.mac_ver()[0],
    "glibc": None,
    "musl": None,
    "tags": None,
    "markers": None,
}
if facts["system"] == "Linux":
    try:
        facts["glibc"] = os.confstr("CS_GNU_LIBC_VERSION").split()[1]
    except Exception:
        lib, ver = platform.libc_ver()
        if lib == "glibc" and ver:
            facts["glibc"] = ver
    if not facts["glibc"]:
        for loader in glob.glob("/lib/ld-musl-*.so.1"):
            try:
                out = subprocess.run([loader], capture_output=True, text=True).stderr
            except Exception:
                continue
            m = re.search(r"Version (\d+)\.(\d+)", out)
            if m:
                facts["musl"] = m.group(1) + "." + m.group(2)
                break
if facts["mac_ver"] == "10.16":
    # Pythons built against an old SDK see macOS 11+ as 10.16; ask again as packaging does.
    try:
        facts["mac_ver"] = (
            subprocess.run(
                [sys.executable, "-sS", "-c", "import platform; print(platform.mac_ver()[0])"],
                capture_output=True,
                text=True,
                env={"SYSTEM_VERSION_COMPAT": "0"},
            ).stdout.strip()
            or "10.16"
        )
    except Exception:
        pass
# The PEP 508 marker environment, as packaging's default_environment() computes it: a container
# test downloads its requirements on the runner, and evaluates their markers with these values.
implementation = sys.implementation.version
implementation_version = f"{implementation.major}.{implementation.minor}.{implementation.micro}"
if implementation.releaselevel != "final":
    implementation_version += implementation.releaselevel[0] + str(implementation.serial)
facts["markers"] = {
    "implementation_name": sys.implementation.name,
    "implementation_version": implementation_version,
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "platform_python_implementation": platform.python_implementation(),
    "python_version": ".".join(platform.python_version_tuple()[:2]),
    "sys_platform": sys.platform,
}
try:
    from pip._vendor.packaging import tags

    facts["tags"] = [str(t) for t in tags.sys_tags()]
except Exception:
    pass
print(json.dumps(facts))
