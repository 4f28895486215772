# shellcheck shell=bash
# Sourced by the set-up scripts: runs a command as root. Root runs it directly; any other user
# through `sudo -n` (GitHub's ubuntu runners run jobs as `runner`, with passwordless sudo), so a
# missing sudo right fails at once with sudo's own message instead of waiting for a password.
as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  else
    sudo -n "$@"
  fi
}

# Whether as_root can work here: root, or sudo without a password.
can_be_root() {
  [[ "$(id -u)" == 0 ]] || sudo -n true 2>/dev/null
}
