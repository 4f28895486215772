#!/usr/bin/env bash
# The script a container build runs: container.ts mounts it read-only into the image and runs
# `bash /opt/ferrowheel/build.sh <count> <maturin argv...> [<count> <argv...>]...`. It installs
# Rust (pinned to the host's toolchain, so the cached target dir stays valid) and maturin when the
# image lacks them, puts the image's CPythons on PATH, runs the before-build hook once, then each
# maturin call in turn. Data reaches it only through environment variables (FERROWHEEL_*) and
# "$@", never as text pasted into shell code.
# Each phase it enters is appended to FERROWHEEL_STATUS_FILE (a file the host mounts), and so is
# each maturin call's start and exit code: the host tells its failures apart, and reads each
# call's outcome, by what was written there (container-status.ts), never by the log. The
# `ferrowheel-container: maturin call <n> starts` line only splits the log by call for display
# and for the known-failure notes (splitCallLogs): keep it word for word.
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
# "$@" is <count> <argv...> per maturin call (the GIL-enabled versions, then one call per
# free-threaded version). Each call's start and exit code go to the status file, and the first
# failure is the script's. FERROWHEEL_FIRST_CALL_GATES=1: the first call failing stops the rest,
# which would fail the same way.
call=0
failed=0
while [ "$#" -gt 0 ]; do
  count="$1"
  shift
  call=$((call + 1))
  status "maturin-call $call"
  echo "ferrowheel-container: maturin call $call starts" >&2
  code=0
  maturin "${@:1:$count}" || code=$?
  status "maturin-call $call exited $code"
  shift "$count"
  if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=$code; fi
  if [ "$code" -ne 0 ] && [ "$call" -eq 1 ] && [ "${FERROWHEEL_FIRST_CALL_GATES:-}" = 1 ]; then break; fi
done
exit "$failed"
