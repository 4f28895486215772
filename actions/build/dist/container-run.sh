#!/usr/bin/env bash
# Runs one command in the build's image, for PGO's phases that are not maturin (the training venv,
# the training, llvm-profdata): container.ts mounts it read-only and runs
# `bash /opt/ferrowheel/run.sh <program> <args...>` with the build's mounts. PATH is the build
# script's (cargo, the image's CPythons, the mounted maturin), with the venv of VIRTUAL_ENV first
# when it is set. Data arrives only through environment variables and "$@".
set -euo pipefail
export PATH="$HOME/.cargo/bin:$PATH"
for d in /opt/python/cp3*/bin; do [ -d "$d" ] && PATH="$PATH:$d"; done
if [ -d /opt/ferrowheel/bin ]; then PATH="/opt/ferrowheel/bin:$PATH"; fi
if [ -n "${VIRTUAL_ENV:-}" ]; then PATH="$VIRTUAL_ENV/bin:$PATH"; fi
export PATH
exec "$@"
