# shellcheck shell=bash
# Shared by make-root.sh and make-layer.sh (run as root): runs in-chroot.sh inside a root, with
# what it needs from the host for the time of the step only: this directory's helper files, the
# host's DNS configuration and CA bundle (the registries may sit behind a proxy whose CA only the
# host's bundle has), and /proc (maturin and cargo read /proc/self).

FW_IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf '\033[1mimages:\033[0m %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

# The variables in-chroot.sh reads, passed on with their values (empty when unset).
step_env() {
  local name
  for name in FW_APT_ARCHES FW_APT_PACKAGES FW_PIP_PACKAGES FW_OPT_PYTHONS FW_MUSL_STD FW_ZIGCC; do
    printf '%s=%s\n' "$name" "${!name:-}"
  done
}

# Whether the recipe asks for a step at all.
step_wanted() {
  [[ -n "${FW_APT_PACKAGES:-}${FW_PIP_PACKAGES:-}${FW_OPT_PYTHONS:-}${FW_MUSL_STD:-}${FW_ZIGCC:-}" ]]
}

# run_step ROOT: in-chroot.sh inside ROOT; everything brought in is taken out again.
run_step() {
  local root=$1 ca=/tmp/ferrowheel-host-ca.crt saved_resolv=
  mkdir -p "$root/tmp/ferrowheel-images" "$root/etc/dpkg/dpkg.cfg.d"
  cp -r "$FW_IMAGES_DIR/." "$root/tmp/ferrowheel-images/"
  cmp -s "$FW_IMAGES_DIR/dpkg-excludes" "$root/etc/dpkg/dpkg.cfg.d/ferrowheel-excludes" \
    || cp "$FW_IMAGES_DIR/dpkg-excludes" "$root/etc/dpkg/dpkg.cfg.d/ferrowheel-excludes"
  cp "${FW_HOST_CA:-/etc/ssl/certs/ca-certificates.crt}" "$root$ca"
  if [[ -f $root/etc/resolv.conf ]]; then
    saved_resolv=$(mktemp)
    cp "$root/etc/resolv.conf" "$saved_resolv"
  fi
  cat /etc/resolv.conf >"$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
  local status=0
  mapfile -t vars < <(step_env)
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    SSL_CERT_FILE="$ca" PIP_CERT="$ca" REQUESTS_CA_BUNDLE="$ca" CARGO_HTTP_CAINFO="$ca" \
    "${vars[@]}" bash /tmp/ferrowheel-images/in-chroot.sh || status=$?
  umount "$root/proc"
  rm -rf "$root/tmp/ferrowheel-images" "${root:?}$ca"
  if [[ -n $saved_resolv ]]; then
    cp "$saved_resolv" "$root/etc/resolv.conf"
    rm -f "$saved_resolv"
  else
    rm -f "$root/etc/resolv.conf"
  fi
  [[ $status == 0 ]] || fail "the step in the image's root failed (exit code $status; see above)"
}

# tar_root DIR OUT: the tarball of DIR (numeric owners: the image's users are not the host's),
# written beside OUT and renamed, then given to FW_OWNER (uid:gid) so the caller can read it.
tar_root() {
  local dir=$1 out=$2
  tar --numeric-owner -C "$dir" -cf "$out.partial" .
  mv "$out.partial" "$out"
  if [[ -n ${FW_OWNER:-} ]]; then chown "$FW_OWNER" "$out"; fi
}
