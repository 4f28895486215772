#!/usr/bin/env bash
# Makes sure an llvm-profdata whose LLVM major version is rustc's is installed, for the PGO tests
# and the PGO benchmark (the build action's `pgo`). rustc's LLVM is read from `rustc -vV`
# ("LLVM version: 22.1.2"); Debian's `llvm-N` package gives /usr/bin/llvm-profdata-N. The system
# llvm-profdata of another LLVM cannot read rustc's profiles. rustup's llvm-tools component would
# do as well, but rustup's server is not a promised registry, so this uses apt (as root).
# Idempotent; prints the path of the matching llvm-profdata; exits non-zero with the reason.
set -euo pipefail
# shellcheck source=scripts/lib/as-root.sh
source "$(dirname "$0")/lib/as-root.sh"

log() { printf '\033[1mensure-llvm:\033[0m %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

command -v rustc >/dev/null 2>&1 || fail "rustc is not on PATH, so its LLVM version is unknown."
major=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
[[ -n "$major" ]] || fail "rustc -vV names no LLVM version."

found() {
  local candidate
  for candidate in "llvm-profdata-$major" "/usr/lib/llvm-$major/bin/llvm-profdata"; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" merge --version 2>/dev/null | grep -q "LLVM version $major\."; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if found; then exit 0; fi

# Root installs it, or passwordless `sudo -n` (GitHub's runner user, as CI runs the tests).
can_be_root ||
  fail "no llvm-profdata of LLVM $major, and only root (or passwordless sudo) can install llvm-$major (apt-get install llvm-$major)."
command -v apt-get >/dev/null 2>&1 || fail "no llvm-profdata of LLVM $major, and apt-get is not available: install LLVM $major's llvm-profdata by hand, or rustup component add llvm-tools."
log "installing llvm-$major (apt-get), for llvm-profdata-$major"
apt_install_as_root "llvm-$major" ||
  fail "apt-get install llvm-$major failed (see above): the Debian archive must offer llvm-$major (bookworm-security and trixie do for 22)."
found || fail "llvm-$major is installed, yet no llvm-profdata-$major answers with LLVM $major."
