#!/usr/bin/env bash
# Gives what a container build wrote back to the runner's user (maturin-action#190): container.ts
# mounts it read-only and runs `bash /opt/ferrowheel/chown.sh <uid:gid> <epoch seconds.millis>
# <paths...>`. Only root-owned entries whose inode changed after the build started are what the
# container wrote; nothing else is touched (never a whole tree).
set -euo pipefail
owner="$1"
since="$2"
shift 2
find "$@" -uid 0 -newerct "@$since" -exec chown -h "$owner" {} +
