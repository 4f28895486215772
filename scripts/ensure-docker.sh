#!/usr/bin/env bash
# Makes sure a docker engine answers, for the container tests (build's container mode).
# Idempotent: when `docker info` answers, it does nothing. Otherwise, running as root, it installs
# what is missing with apt-get (docker.io; debootstrap, which builds the images; shellcheck, which
# the tests run over the shell scripts the actions ship and the image helpers; qemu-user-static for
# the emulated tests, which scripts/ensure-qemu.sh registers), starts
# `dockerd --iptables=false --bridge=none`
# in the background (containers get no network; none is needed: crates are fetched on the host)
# and waits until `docker info` answers. When it cannot, it says why and exits non-zero, so the
# tests that need the engine fail with that reason instead of skipping.
set -euo pipefail

log() { printf '\033[1mensure-docker:\033[0m %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

packages=(debootstrap shellcheck qemu-user-static)

missing_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  printf '%s\n' "${missing[@]}" | sort -u | grep -v '^$' || true
}

if docker info >/dev/null 2>&1 && [[ -z "$(missing_packages)" ]]; then
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  if docker info >/dev/null 2>&1; then
    log "docker answers, but $(missing_packages | tr '\n' ' ')is not installed and only root can install it."
    exit 0
  fi
  fail "no docker engine answers ($(docker info 2>&1 | tail -n 1 || echo 'docker is not installed')), and only root can install or start one. Start dockerd (as root: bash scripts/ensure-docker.sh) and run the tests again."
fi

mapfile -t missing < <(missing_packages)
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing ${missing[*]} (apt-get)"
  command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available, so ${missing[*]} cannot be installed here; install them by hand."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || fail "apt-get update failed (see above); the Debian mirror must be reachable to install ${missing[*]}."
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    fail "apt-get install ${missing[*]} failed (see above)."
fi

if docker info >/dev/null 2>&1; then exit 0; fi

# One engine per machine: a dockerd that runs but does not answer yet is waited for, not doubled.
if ! pgrep -x dockerd >/dev/null 2>&1; then
  mkdir -p "${FERROWHEEL_WORK:-.work}"
  dockerd_log="$(cd "${FERROWHEEL_WORK:-.work}" && pwd)/dockerd.log"
  log "starting dockerd --iptables=false --bridge=none (log: $dockerd_log)"
  nohup dockerd --iptables=false --bridge=none >"$dockerd_log" 2>&1 &
  disown || true
fi

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "docker engine $(docker version --format '{{.Server.Version}}') answers"
    exit 0
  fi
  sleep 0.5
done
fail "dockerd did not answer within 30 s: $(docker info 2>&1 | tail -n 1). Its log: ${dockerd_log:-see the running dockerd}$( [[ -n "${dockerd_log:-}" ]] && printf '\n%s' "$(tail -n 5 "$dockerd_log")")"
