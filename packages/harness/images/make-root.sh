#!/usr/bin/env bash
# Makes the root filesystem of an image as a tarball, from Debian's archive (no image registry):
#   native:  debootstrap --variant=minbase RELEASE, then in-chroot.sh's step when the recipe has one
#            (only for amd64: nothing is ever run under emulation);
#   foreign: debootstrap --foreign (download and unpack only, nothing run), then `dpkg -x` of
#            every downloaded .deb: a foreign root in about a minute, where debootstrap's second
#            stage under QEMU takes more than 27 minutes. No maintainer script runs, so what two
#            of them would make is made here from the packages' own data: the users and groups
#            (base-passwd's master files) and the CA bundle (update-ca-certificates concatenates
#            the certificates ca-certificates ships; pip reads it, even to install from a file).
# Run as root (the caller uses `sudo -n` when it is not root). Everything comes from variables:
#   FW_OUT       the tarball to write (written beside it, then renamed)
#   FW_RELEASE   bookworm, sid, …      FW_ARCH  Debian's architecture (amd64, arm64, …)
#   FW_MIRROR    the Debian mirror     FW_INCLUDE  packages, comma-separated
#   FW_FOREIGN   1 for the foreign route
#   FW_OWNER     uid:gid to give the tarball to
#   FW_* of in-chroot.sh for the step (native only)
set -euo pipefail
# shellcheck source=packages/harness/images/lib.sh
source "$(dirname "$0")/lib.sh"

: "${FW_OUT:?}" "${FW_RELEASE:?}" "${FW_ARCH:?}" "${FW_MIRROR:?}" "${FW_INCLUDE:?}"
work=$FW_OUT.work
root=$work/root
cleanup() {
  if mountpoint -q "$root/proc" 2>/dev/null; then umount "$root/proc"; fi
  rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$work"
mkdir -p "$work"

foreign=()
[[ ${FW_FOREIGN:-} == 1 ]] && foreign=(--foreign)
log "debootstrap ${foreign[*]} --arch=$FW_ARCH $FW_RELEASE ($FW_INCLUDE)"
debootstrap "${foreign[@]}" --arch="$FW_ARCH" --variant=minbase --include="$FW_INCLUDE" \
  "$FW_RELEASE" "$root" "$FW_MIRROR" >"$work/debootstrap.log" 2>&1 ||
  fail "debootstrap $FW_RELEASE ($FW_ARCH) from $FW_MIRROR failed: $(tail -n 3 "$work/debootstrap.log" | tr '\n' ' ')"

if [[ ${FW_FOREIGN:-} == 1 ]]; then
  for deb in "$root"/var/cache/apt/archives/*.deb; do dpkg -x "$deb" "$root"; done
  cp "$root/usr/share/base-passwd/passwd.master" "$root/etc/passwd"
  cp "$root/usr/share/base-passwd/group.master" "$root/etc/group"
  if [[ -d $root/usr/share/ca-certificates ]]; then
    mkdir -p "$root/etc/ssl/certs"
    find "$root/usr/share/ca-certificates" -name '*.crt' -print0 | sort -z | xargs -0 cat >"$root/etc/ssl/certs/ca-certificates.crt"
  fi
  rm -rf "$root/debootstrap"
elif step_wanted; then
  run_step "$root"
fi
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar_root "$root" "$FW_OUT"
