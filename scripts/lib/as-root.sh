# shellcheck shell=bash
# Sourced by the set-up scripts (ensure-docker, ensure-qemu, ensure-llvm): the one way they get
# root. Root runs a command directly; any other user through `sudo -n` (GitHub's ubuntu runners
# run jobs as `runner`, with passwordless sudo), so a missing sudo right fails at once with sudo's
# own message instead of waiting for a password.

# How this user gets root, printed: `root` or `sudo`; fails (prints nothing) when neither works.
root_access() {
  if [[ "$(id -u)" == 0 ]]; then
    echo root
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo sudo
  else
    return 1
  fi
}

# Whether as_root can work here: root, or sudo without a password.
can_be_root() {
  root_access >/dev/null
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  else
    sudo -n "$@"
  fi
}

# `apt-get install` of the packages as root, never asking anything; when it fails (stale package
# lists, say), `apt-get update` and once more. apt-get's own output goes to stderr.
apt_install_as_root() {
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@")
  as_root "${install[@]}" >&2 && return 0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && as_root "${install[@]}" >&2
}
