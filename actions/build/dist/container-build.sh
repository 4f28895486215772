#!/usr/bin/env bash
# The script a container build runs: container.ts mounts it read-only into the image and runs
# `bash /opt/ferrowheel/build.sh <maturin argv...>`. It installs Rust (pinned to the host's
# toolchain, so the cached target dir stays valid) and maturin when the image lacks them, puts the
# image's CPythons on PATH, runs the before-build hook, then maturin with "$@". Data reaches it
# only through environment variables (FERROWHEEL_*) and "$@", never as text pasted into shell code.
# The two `ferrowheel-container:` lines are read by container-strategy.ts (MATURIN_STARTS,
# NO_CPYTHON in container.ts): keep them word for word.
set -euo pipefail
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
  echo "::group::Install Rust $FERROWHEEL_RUST_TOOLCHAIN"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain "$FERROWHEEL_RUST_TOOLCHAIN"
  echo "::endgroup::"
fi
if command -v rustup >/dev/null 2>&1; then
  # Target triples, separated by spaces: split on purpose.
  # shellcheck disable=SC2086
  for t in $FERROWHEEL_RUST_TARGETS; do rustup target add "$t"; done
fi
for d in /opt/python/cp3*/bin; do [ -d "$d" ] && PATH="$PATH:$d"; done
if ! compgen -G '/opt/python/cp3*/bin/python3' >/dev/null && ! command -v python3 >/dev/null 2>&1; then
  echo "ferrowheel-container: no CPython in this image (no /opt/python/cp3*/bin/python3, no python3 on PATH)" >&2
  exit 3
fi
if /opt/ferrowheel/bin/maturin --version >/dev/null 2>&1; then export PATH="/opt/ferrowheel/bin:$PATH"; fi
if ! command -v maturin >/dev/null 2>&1; then
  echo "::group::Install $FERROWHEEL_MATURIN_REQUIREMENT"
  if command -v pipx >/dev/null 2>&1; then pipx install "$FERROWHEEL_MATURIN_REQUIREMENT"
  else python3 -m pip install --user "$FERROWHEEL_MATURIN_REQUIREMENT"; fi
  export PATH="$HOME/.local/bin:$PATH"
  echo "::endgroup::"
fi
if [ -n "$FERROWHEEL_BEFORE_BUILD_ARGV" ]; then
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
echo "ferrowheel-container: maturin starts" >&2
exec maturin "$@"
