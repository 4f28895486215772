#!/usr/bin/env bash
# Makes one image layer as a tarball: what in-chroot.sh's step adds to a base root. The base
# tarball is unpacked as the lower directory of an overlay mount, the step runs in the merged
# root (chroot, on the host), and the layer is the overlay's upper directory, its whiteouts made
# docker's (overlay-whiteouts.py). docker then stores only that difference for each image made
# from the same base.
# Run as root (the caller uses `sudo -n` when it is not root). Variables:
#   FW_BASE   the base root's tarball       FW_OUT  the layer tarball to write
#   FW_OWNER  uid:gid to give it to         FW_* of in-chroot.sh for the step
set -euo pipefail
# shellcheck source=packages/harness/images/lib.sh
source "$(dirname "$0")/lib.sh"

: "${FW_BASE:?}" "${FW_OUT:?}"
work=$FW_OUT.work
cleanup() {
  if mountpoint -q "$work/merged/proc" 2>/dev/null; then umount "$work/merged/proc"; fi
  if mountpoint -q "$work/merged" 2>/dev/null; then umount "$work/merged"; fi
  rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$work"
mkdir -p "$work/lower" "$work/upper" "$work/scratch" "$work/merged"
tar --numeric-owner -C "$work/lower" -xf "$FW_BASE"
mount -t overlay overlay -o "lowerdir=$work/lower,upperdir=$work/upper,workdir=$work/scratch" "$work/merged"
run_step "$work/merged"
umount "$work/merged"
python3 "$FW_IMAGES_DIR/overlay-whiteouts.py" "$work/upper"
tar_root "$work/upper" "$FW_OUT"
