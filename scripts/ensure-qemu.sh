#!/usr/bin/env bash
# Makes foreign-architecture binaries run on this machine, for the emulated tests (containers of
# arm64, arm/v7, s390x and ppc64le images): installs Debian's qemu-user-static when missing,
# mounts binfmt_misc when it is not, and registers each architecture with the kernel by writing to
# /proc/sys/fs/binfmt_misc/register the line of /usr/lib/binfmt.d/qemu-<arch>.conf with
#   - the interpreter replaced by /usr/bin/qemu-<arch>-static: the statically linked emulator,
#     which works inside any container (the package's own line names a wrapper script that only
#     exists on the host);
#   - the flags replaced by F: the kernel opens the emulator when it is registered, so a container
#     (another root filesystem) needs no copy of it.
# Idempotent: an architecture registered that way already is left alone; one registered another
# way (another interpreter, no F) is replaced. Needs root, or passwordless sudo (GitHub's runners).
# Usage: bash scripts/ensure-qemu.sh [ARCH …]   (default: aarch64 arm s390x ppc64le; QEMU's names)
set -euo pipefail
# shellcheck source=scripts/lib/as-root.sh
source "$(dirname "$0")/lib/as-root.sh"

log() { printf '\033[1mensure-qemu:\033[0m %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

arches=("$@")
[[ ${#arches[@]} -gt 0 ]] || arches=(aarch64 arm s390x ppc64le)
binfmt=/proc/sys/fs/binfmt_misc

# The registration line: the package's line with our interpreter and flags (fields 7 and 8 of
# `:name:type:offset:magic:mask:interpreter:flags`).
wanted_line() {
  local arch=$1 conf
  for conf in "/usr/lib/binfmt.d/qemu-$arch.conf" "/usr/lib/binfmt.d/qemu-$arch-static.conf"; do
    if [[ -f $conf ]]; then
      awk -F: -v OFS=: -v interp="/usr/bin/qemu-$arch-static" 'NF >= 8 { $7 = interp; $8 = "F"; print; exit }' "$conf"
      return
    fi
  done
}

# Whether the kernel runs <arch> binaries with our emulator and the F flag already.
registered() {
  local entry=$binfmt/qemu-$1
  [[ -r $entry ]] &&
    grep -qx enabled "$entry" &&
    grep -qx "interpreter /usr/bin/qemu-$1-static" "$entry" &&
    grep -q '^flags: .*F' "$entry"
}

all_registered() {
  local arch
  for arch in "${arches[@]}"; do registered "$arch" || return 1; done
}

all_registered && exit 0
can_be_root || fail "QEMU is not registered for ${arches[*]}, and registering it needs root: run 'sudo bash scripts/ensure-qemu.sh' (or give this user passwordless sudo)."

missing_emulator=0
for arch in "${arches[@]}"; do [[ -x /usr/bin/qemu-$arch-static ]] || missing_emulator=1; done
if [[ $missing_emulator == 1 ]]; then
  command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available, so qemu-user-static cannot be installed here; install it by hand."
  log "installing qemu-user-static (apt-get)"
  apt_install_as_root qemu-user-static || fail "apt-get install qemu-user-static failed (see above)."
fi

if [[ ! -e $binfmt/register ]]; then
  log "mounting binfmt_misc on $binfmt"
  as_root mount -t binfmt_misc binfmt_misc "$binfmt" ||
    fail "could not mount binfmt_misc on $binfmt (see above); the kernel needs binfmt_misc support."
fi

for arch in "${arches[@]}"; do
  registered "$arch" && continue
  line=$(wanted_line "$arch")
  [[ -n $line ]] || fail "no /usr/lib/binfmt.d/qemu-$arch.conf: qemu-user-static has no emulator for '$arch' (QEMU's names: aarch64, arm, s390x, ppc64le, …)."
  [[ -x /usr/bin/qemu-$arch-static ]] || fail "/usr/bin/qemu-$arch-static is missing; reinstall qemu-user-static."
  # Another registration of the same name (the package's own, without F) is replaced.
  if [[ -e $binfmt/qemu-$arch ]]; then
    echo -1 | as_root tee "$binfmt/qemu-$arch" >/dev/null
  fi
  printf '%s' "$line" | as_root tee "$binfmt/register" >/dev/null ||
    fail "the kernel refused the registration of qemu-$arch (see above)."
  registered "$arch" || fail "qemu-$arch is still not registered with the F flag after writing to $binfmt/register."
  log "registered qemu-$arch (/usr/bin/qemu-$arch-static, flags F)"
done
