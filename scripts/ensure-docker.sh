#!/usr/bin/env bash
# Makes sure a docker engine answers, for the container tests (build's container mode).
# Idempotent: when `docker info` answers and nothing is missing, it does nothing. Otherwise it
# installs what is missing with apt-get (docker.io; debootstrap and the Debian archive keyring,
# which build the test images — also on Ubuntu; shellcheck, which the tests run over the shell
# scripts; and qemu-user-static for the emulated-arch script), starts `dockerd --iptables=false
# --bridge=none` in the background (containers get no network; none is needed: crates are
# fetched on the host) and waits until `docker info` answers.
#
# Privileges: installing and starting need root. As root it does them itself; as another user it
# uses `sudo -n` (GitHub's runner user has passwordless sudo, and ci.yml's Tests job runs as it),
# never a password prompt. The engine is then reached through the docker group. When neither
# root nor sudo -n is there, or the user is not in the docker group, it says which and how to
# fix it, and exits non-zero, so the tests that need the engine fail with that reason instead of
# skipping.
set -euo pipefail
# shellcheck source=scripts/lib/as-root.sh
source "$(dirname "$0")/lib/as-root.sh"

log() { printf '\033[1mensure-docker:\033[0m %s\n' "$*" >&2; }
fail() {
  log "$*"
  exit 1
}

packages=(debootstrap debian-archive-keyring shellcheck)
[[ "${FERROWHEEL_QEMU:-}" == 1 ]] && packages+=(qemu-user-static binfmt-support)

# How this user gets root: `root`, `sudo` (passwordless), or empty (scripts/lib/as-root.sh).
root_by=$(root_access || true)

no_root() {
  printf '%s is not root and cannot use sudo without a password, so it cannot %s. Run this as root (sudo bash scripts/ensure-docker.sh), or give %s passwordless sudo, as GitHub'"'"'s runners do.' \
    "$(id -un)" "$1" "$(id -un)"
}

missing_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  printf '%s\n' "${missing[@]}" | sort -u | grep -v '^$' || true
}

# Why this user cannot use a running engine: its socket belongs to root and the docker group.
group_problem() {
  [[ "$(id -u)" == 0 ]] && return 1
  id -nG | tr ' ' '\n' | grep -qx docker && return 1
  printf 'a docker engine runs, but %s is not in the docker group, so it cannot reach it. Add it (sudo usermod -aG docker %s) and log in again, or run the tests as root.' \
    "$(id -un)" "$(id -un)"
}

engine_answers() { docker info >/dev/null 2>&1; }

mapfile -t missing < <(missing_packages)
if engine_answers && [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ -z "$root_by" ]]; then
    # An engine that answers is enough for most container tests; the image build says what it lacks.
    if engine_answers; then
      log "docker answers, but ${missing[*]} is not installed: $(no_root "install it")"
      exit 0
    fi
    fail "no docker engine answers ($(docker info 2>&1 | tail -n 1 || echo 'docker is not installed')), and $(no_root "install ${missing[*]} or start one")"
  fi
  command -v apt-get >/dev/null 2>&1 ||
    fail "apt-get is not available, so ${missing[*]} cannot be installed here; install them by hand."
  log "installing ${missing[*]} (apt-get, as $root_by)"
  apt_install_as_root "${missing[@]}" ||
    fail "apt-get install ${missing[*]} failed (see above); the package mirror must be reachable to install them."
fi

if engine_answers; then exit 0; fi

# One engine per machine: a dockerd that runs but does not answer yet is waited for, not doubled.
if ! pgrep -x dockerd >/dev/null 2>&1; then
  [[ -n "$root_by" ]] || fail "no docker engine runs, and $(no_root "start one")"
  mkdir -p "${FERROWHEEL_WORK:-.work}"
  dockerd_log="$(cd "${FERROWHEEL_WORK:-.work}" && pwd)/dockerd.log"
  log "starting dockerd --iptables=false --bridge=none (as $root_by; log: $dockerd_log)"
  as_root nohup dockerd --iptables=false --bridge=none >"$dockerd_log" 2>&1 &
  disown || true
fi
# Waiting cannot help a user the engine's socket does not let in.
if problem=$(group_problem); then fail "$problem"; fi

for _ in $(seq 1 60); do
  if engine_answers; then
    log "docker engine $(docker version --format '{{.Server.Version}}') answers"
    exit 0
  fi
  sleep 0.5
done
fail "dockerd did not answer within 30 s: $(docker info 2>&1 | tail -n 1). Its log: ${dockerd_log:-see the running dockerd}$([[ -n "${dockerd_log:-}" ]] && printf '\n%s' "$(tail -n 5 "$dockerd_log")")"
