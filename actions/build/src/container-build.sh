#!/usr/bin/env bash
# The script a container build runs: container.ts mounts it read-only into the image and runs
# `bash /opt/ferrowheel/build.sh <maturin argv...>`. It installs Rust (pinned to the host's
# toolchain, so the cached target dir stays valid) and maturin when the image lacks them, puts the
# image's CPythons on PATH, runs the before-build hook, then maturin with "$@". Data reaches it
# only through environment variables (FERROWHEEL_*) and "$@", never as text pasted into shell code.
# Each phase it enters is appended to FERROWHEEL_STATUS_FILE (a file the host mounts): the host
# tells its failures apart by the last phase written (container-status.ts), not by the log.
set -euo pipefail
status() { echo "$1" >>"$FERROWHEEL_STATUS_FILE"; }
status started
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
  status install-rust
  echo "::group::Install Rust $FERROWHEEL_RUST_TOOLCHAIN"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain "$FERROWHEEL_RUST_TOOLCHAIN"
  echo "::endgroup::"
fi
if command -v rustup >/dev/null 2>&1; then
  status add-targets
  # Target triples, separated by spaces: split on purpose.
  # shellcheck disable=SC2086
  for t in $FERROWHEEL_RUST_TARGETS; do rustup target add "$t"; done
fi
status find-python
for d in /opt/python/cp3*/bin; do [ -d "$d" ] && PATH="$PATH:$d"; done
if ! compgen -G '/opt/python/cp3*/bin/python3' >/dev/null && ! command -v python3 >/dev/null 2>&1; then
  status no-cpython
  echo "no CPython in this image (no /opt/python/cp3*/bin/python3, no python3 on PATH)" >&2
  exit 3
fi
if /opt/ferrowheel/bin/maturin --version >/dev/null 2>&1; then export PATH="/opt/ferrowheel/bin:$PATH"; fi
if ! command -v maturin >/dev/null 2>&1; then
  status install-maturin
  echo "::group::Install $FERROWHEEL_MATURIN_REQUIREMENT"
  if command -v pipx >/dev/null 2>&1; then pipx install "$FERROWHEEL_MATURIN_REQUIREMENT"
  else python3 -m pip install --user "$FERROWHEEL_MATURIN_REQUIREMENT"; fi
  export PATH="$HOME/.local/bin:$PATH"
  echo "::endgroup::"
fi
if [ -n "$FERROWHEEL_BEFORE_BUILD_ARGV" ]; then
  status before-build
  # The hook's argv, one word a line, chosen on the host by kit's scriptCommand (the same table
  # as a host build and before-test): split on line breaks only, no globbing, never a shell string.
  run_hook() { "$@"; }
  set -f
  IFS=$'\n'
  # shellcheck disable=SC2086
  run_hook $FERROWHEEL_BEFORE_BUILD_ARGV
  unset IFS
  set +f
fi
status maturin
exec maturin "$@"
