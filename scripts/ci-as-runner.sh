#!/usr/bin/env bash
# Runs the test command (.ci/run) the way ci.yml's `Tests` job runs it on GitHub's ubuntu-latest,
# to prove it passes there without pushing anything:
#   - as the user `runner` (uid 1001, primary group docker, passwordless sudo), not root;
#   - with Python 3.12 as `python3` and no python3.11 anywhere on PATH (the runner image has 3.12;
#     Debian's /usr/bin/python3.11 is left out of the user's PATH);
#   - with Rust from a shared, read-only RUSTUP_HOME and the user's own, empty CARGO_HOME;
#   - against a docker engine of its own that holds no image yet (the runner's engine has none of
#     the test images), reached through the docker group;
#   - in a clean clone of one commit, in a fresh home: nothing installed by hand survives.
#
# Run it as root:  bash scripts/ci-as-runner.sh [COMMIT]   (default: HEAD of this checkout)
#                  bash scripts/ci-as-runner.sh COMMIT -- JEST-ARGS…   (scripts/test.sh with those
#                  jest arguments instead of .ci/run: every other step the same, jest on a subset)
#
# What it changes on the machine, and keeps: Debian's `sudo` package (apt-get, when missing); the
# user `runner` (created, or its home, shell and group set); /etc/sudoers.d/ferrowheel-ci-runner;
# /opt/ferrowheel-ci (the PATH directory and a mount point). Each run replaces /home/runner. The
# private engine (its data in /var/lib/ferrowheel-ci/docker, its socket under /run/ferrowheel-ci)
# runs only while the tests do and its data is removed afterwards.
#
# How Python 3.12 and the toolchain reach the user: the mounts live in a mount namespace of their
# own (unshare), so nothing outside it changes. In it, the CPython 3.12's prefix (pyenv's, under
# /root here; its RUNPATH names that prefix) and RUSTUP_HOME are bind-mounted read-only at their
# own paths, and the rest of /root is hidden behind an empty tmpfs.
# The machine's network settings (proxy variables, and the CA bundle variables a TLS-inspecting
# proxy needs) are passed on when set; nothing else of root's environment is.
# Variables: FERROWHEEL_CI_PYTHON (a CPython 3.12 executable; default: pyenv's newest 3.12, else
# python3.12 on PATH), RUSTUP_HOME (default: rustup's own), FERROWHEEL_CI_SETUP_PYTHON (versions,
# e.g. "3.10 3.11 3.13": what ci.yml's setup-python step adds, each as python3.X on PATH, found
# as pyenv's newest of that version; default none, and then no python3.11 may be on PATH — the
# proof that no test takes python3.11 for python3. ci.yml's Tests job has 3.10–3.13, which the
# tests of every host CPython need: the full run uses "3.10 3.11 3.13", python3 staying 3.12). The log goes to /home/runner/ci.log and
# its tail to stdout; the exit code is .ci/run's.
set -euo pipefail

readonly user=runner uid=1001
readonly base=/opt/ferrowheel-ci state=/run/ferrowheel-ci engine_data=/var/lib/ferrowheel-ci/docker
readonly home=/home/$user
readonly clone=$home/work/ferrowheel/ferrowheel

log() { printf '\033[1mci-as-runner:\033[0m %s\n' "$*" >&2; }
fail() {
  log "$*"
  exit 1
}

# --- inside the mount namespace (root), then the user -----------------------------------------
# Arguments: N and N directories to share read-only (the Python prefix, RUSTUP_HOME), M and the
# user's environment in M NAME=value words, then the command to run as the user in the clone.
in_namespace() {
  local count=$1
  shift
  local shared=("${@:1:count}")
  shift "$count"
  local variables=$1
  shift
  local environment=("${@:1:variables}")
  shift "$variables"
  # Each shared directory is bind-mounted aside, /root is hidden behind an empty tmpfs (the runner
  # cannot enter it anyway), and each comes back read-only at its own path: absolute RUNPATHs and
  # symlinks inside them keep working.
  mount -t tmpfs ferrowheel-ci-stage "$base/stage"
  local i
  for i in "${!shared[@]}"; do
    mkdir "$base/stage/$i"
    mount --bind "${shared[$i]}" "$base/stage/$i"
  done
  mount -t tmpfs -o mode=0711 ferrowheel-ci-root /root
  for i in "${!shared[@]}"; do
    mkdir -p "${shared[$i]}"
    mount --bind "$base/stage/$i" "${shared[$i]}"
    mount -o remount,bind,ro "${shared[$i]}"
  done
  cd "$clone"
  exec setpriv --reuid="$user" --regid=docker --init-groups -- env -i "${environment[@]}" "$@"
}

# --- outside: the machine, the user, the clone, the engine ------------------------------------

check_machine() {
  [[ "$(id -u)" == 0 ]] || fail "run it as root: it creates the user runner, its sudo rule and a docker engine (sudo bash $0)."
  local tool
  for tool in unshare setpriv git apt-get dockerd docker; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed; it is needed to set the runner up."
  done
  getent group docker >/dev/null || fail "there is no docker group; install docker.io (bash scripts/ensure-docker.sh) first."
  if ! command -v sudo >/dev/null 2>&1; then
    log "installing sudo (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sudo >&2 ||
      fail "apt-get install sudo failed (see above)."
  fi
}

# A CPython 3.12, as GitHub's ubuntu-latest has: sets python (its real path) and prefix.
find_python() {
  python=${FERROWHEEL_CI_PYTHON:-}
  if [[ -z "$python" ]]; then
    local pyenv_pythons
    shopt -s nullglob
    pyenv_pythons=(/root/.pyenv/versions/3.12.*/bin/python3.12)
    shopt -u nullglob
    if [[ ${#pyenv_pythons[@]} -gt 0 ]]; then
      python=$(printf '%s\n' "${pyenv_pythons[@]}" | sort -V | tail -n 1)
    else
      python=$(command -v python3.12 || true)
    fi
  fi
  [[ -n "$python" && -x "$python" ]] ||
    fail "no CPython 3.12 found (pyenv's /root/.pyenv/versions/3.12.*, python3.12 on PATH); set FERROWHEEL_CI_PYTHON to one."
  python=$(readlink -f "$python")
  [[ "$("$python" --version)" == "Python 3.12."* ]] || fail "FERROWHEEL_CI_PYTHON=$python is not CPython 3.12."
  prefix=$(dirname "$(dirname "$python")")
}

# The CPythons ci.yml's setup-python step adds: sets extra_pythons (their real paths) and
# extra_prefixes.
find_setup_pythons() {
  extra_pythons=() extra_prefixes=()
  local version found
  for version in ${FERROWHEEL_CI_SETUP_PYTHON:-}; do
    [[ "$version" =~ ^3\.[0-9]+$ && "$version" != 3.12 ]] ||
      fail "FERROWHEEL_CI_SETUP_PYTHON: '$version' is not a CPython version other than 3.12 (3.X); give e.g. \"3.10 3.11 3.13\"."
    shopt -s nullglob
    found=(/root/.pyenv/versions/"$version".*/bin/python"$version")
    shopt -u nullglob
    [[ ${#found[@]} -gt 0 ]] || fail "FERROWHEEL_CI_SETUP_PYTHON: no CPython $version under /root/.pyenv/versions; install it or leave $version out."
    found=("$(readlink -f "$(printf '%s\n' "${found[@]}" | sort -V | tail -n 1)")")
    extra_pythons+=("${found[0]}")
    extra_prefixes+=("$(dirname "$(dirname "${found[0]}")")")
  done
}

# Sets rustup_home (shared, read-only) and rustup_bin (copied into the user's CARGO_HOME).
find_rustup() {
  rustup_home=${RUSTUP_HOME:-$(rustup show home 2>/dev/null || true)}
  [[ -d "$rustup_home/toolchains" ]] || fail "no rustup home found ($rustup_home); set RUSTUP_HOME."
  rustup_bin=$(command -v rustup) || fail "rustup is not on PATH."
}

# The user, as on GitHub's runners: uid 1001, primary group docker, passwordless sudo.
ensure_user() {
  local existing rule=/etc/sudoers.d/ferrowheel-ci-runner
  if existing=$(getent passwd "$uid"); then
    [[ "${existing%%:*}" == "$user" ]] || fail "uid $uid belongs to ${existing%%:*}, not $user."
    usermod --gid docker --home "$home" --shell /bin/bash "$user"
  else
    useradd --uid "$uid" --gid docker --home-dir "$home" --no-create-home --shell /bin/bash "$user"
  fi
  printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$user" >"$rule.new"
  chmod 0440 "$rule.new"
  visudo -cqf "$rule.new" || fail "visudo rejected $rule.new."
  mv "$rule.new" "$rule"
}

# A fresh home: the user's own CARGO_HOME with rustup's proxies, the runner's directories and a
# clean clone of the commit.
fresh_home() {
  log "fresh home $home, clean clone of $sha"
  rm -rf "$home"
  mkdir -p "$home/.cargo/bin" "$home/work/_temp/_runner_file_commands" "$home/work/_tool"
  # rustup's proxies are hard links of one binary, as rustup installs them.
  cp "$rustup_bin" "$home/.cargo/bin/rustup"
  local proxy f
  for proxy in "$(dirname "$rustup_bin")"/*; do
    if [[ "$(basename "$proxy")" != rustup && "$proxy" -ef "$rustup_bin" ]]; then
      ln "$home/.cargo/bin/rustup" "$home/.cargo/bin/$(basename "$proxy")"
    fi
  done
  git clone --quiet --no-checkout "$repo" "$clone"
  git -C "$clone" -c advice.detachedHead=false checkout --quiet --detach "$sha"
  for f in output env path step_summary; do : >"$home/work/_temp/_runner_file_commands/$f"; done
  chown -R "$user:docker" "$home"
}

# The user's PATH directory: every program of /usr/bin except the Pythons, then 3.12 as python3.
build_path() {
  rm -rf "${base:?}/bin"
  mkdir -p "$base/bin" "$base/stage" "$state"
  local program
  for program in /usr/bin/*; do
    case "$(basename "$program")" in
    *python* | pydoc* | pygettext* | 2to3* | idle*) ;;
    *) ln -s "$program" "$base/bin/" ;;
    esac
  done
  ln -s "$python" "$base/bin/python3"
  ln -s "$python" "$base/bin/python3.12"
  local extra
  for extra in "${extra_pythons[@]}"; do ln -s "$extra" "$base/bin/$(basename "$extra")"; done
  go_bin=$(dirname "$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)")
}

# shellcheck disable=SC2317,SC2329 # run by the EXIT trap (the code differs by shellcheck version)
stop_engine() {
  if [[ -n "${engine_pid:-}" ]]; then
    kill "$engine_pid" 2>/dev/null || true
    wait "$engine_pid" 2>/dev/null || true
    rm -rf "$engine_data"
  fi
}

# A docker engine of its own, with no image in it: the runner's engine has none of the test images.
start_engine() {
  if [[ -f "$state/docker.pid" ]] && kill -0 "$(cat "$state/docker.pid")" 2>/dev/null; then
    fail "an earlier run's engine (pid $(cat "$state/docker.pid")) still runs; is another run going on?"
  fi
  rm -rf "$engine_data"
  mkdir -p "$engine_data"
  echo '{}' >"$state/daemon.json"
  trap stop_engine EXIT
  dockerd --config-file "$state/daemon.json" --data-root "$engine_data" --exec-root "$state/exec" \
    --pidfile "$state/docker.pid" --host "unix://$state/docker.sock" --group docker \
    --iptables=false --bridge=none >"$state/dockerd.log" 2>&1 &
  engine_pid=$!
  local _
  for _ in $(seq 1 60); do
    DOCKER_HOST="unix://$state/docker.sock" docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  fail "the private engine did not answer; its log: $state/dockerd.log"
}

# The environment of a step of ci.yml's Tests job (what the runner sets, less its tokens), and
# the machine's network settings.
runner_environment() {
  environment=(
    "HOME=$home" "USER=$user" "LOGNAME=$user" "SHELL=/bin/bash" "LANG=C.UTF-8"
    "PATH=$home/.cargo/bin:$base/bin:$go_bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin"
    "RUSTUP_HOME=$rustup_home" "CARGO_HOME=$home/.cargo"
    "DOCKER_HOST=unix://$state/docker.sock"
    "CI=true" "GITHUB_ACTIONS=true" "RUNNER_OS=Linux" "RUNNER_ARCH=X64"
    "RUNNER_TEMP=$home/work/_temp" "RUNNER_TOOL_CACHE=$home/work/_tool"
    "GITHUB_WORKSPACE=$clone" "GITHUB_REPOSITORY=ferrowheel/ferrowheel" "GITHUB_SHA=$sha"
    "GITHUB_REF=refs/heads/main" "GITHUB_EVENT_NAME=push" "GITHUB_JOB=test"
    "GITHUB_OUTPUT=$home/work/_temp/_runner_file_commands/output"
    "GITHUB_ENV=$home/work/_temp/_runner_file_commands/env"
    "GITHUB_PATH=$home/work/_temp/_runner_file_commands/path"
    "GITHUB_STEP_SUMMARY=$home/work/_temp/_runner_file_commands/step_summary"
  )
  local name
  for name in http_proxy https_proxy no_proxy all_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY \
    SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE CURL_CA_BUNDLE NODE_EXTRA_CA_CERTS GIT_SSL_CAINFO PIP_CERT; do
    if [[ -n "${!name:-}" ]]; then environment+=("$name=${!name}"); fi
  done
}

# The proof's premise, checked: no python3.11 in any directory of the user's PATH (unless
# FERROWHEEL_CI_SETUP_PYTHON adds it, as ci.yml does), and python3 is 3.12.
check_runner_path() {
  local entry dir dirs
  if [[ " ${FERROWHEEL_CI_SETUP_PYTHON:-} " == *" 3.11 "* ]]; then
    [[ "$("$base/bin/python3" --version)" == "Python 3.12."* ]] || fail "python3 on the user's PATH is not 3.12."
    return 0
  fi
  for entry in "${environment[@]}"; do
    [[ "$entry" == PATH=* ]] || continue
    IFS=: read -r -a dirs <<<"${entry#PATH=}"
    for dir in "${dirs[@]}"; do
      if [[ -e "$dir/python3.11" ]]; then fail "$dir/python3.11 is on the user's PATH; the runner has no 3.11."; fi
    done
  done
  [[ "$("$base/bin/python3" --version)" == "Python 3.12."* ]] || fail "python3 on the user's PATH is not 3.12."
}

# Runs the command (.ci/run, or scripts/test.sh with jest arguments) as the user, in the namespace.
run_tests() {
  local command=(bash .ci/run) started status=0 seconds
  [[ $# -gt 0 ]] && command=(bash scripts/test.sh "$@")
  log "running ${command[*]} as $user (uid $uid, groups $(id -nG "$user" | tr ' ' ',')), python3 = $python${extra_pythons[*]:+, also ${extra_pythons[*]}}, commit $sha"
  started=$(date +%s)
  unshare --mount --propagation private -- bash "$(readlink -f "$0")" --in-namespace \
    $((2 + ${#extra_prefixes[@]})) "$prefix" "${extra_prefixes[@]}" "$rustup_home" \
    "${#environment[@]}" "${environment[@]}" "${command[@]}" >"$home/ci.log" 2>&1 || status=$?
  seconds=$(($(date +%s) - started))
  tail -n 40 "$home/ci.log"
  if [[ "$status" == 0 ]]; then
    log "${command[*]} passed as $user at $sha in ${seconds} s (log: $home/ci.log)"
  else
    log "${command[*]} FAILED (exit $status) as $user at $sha after ${seconds} s (log: $home/ci.log)"
  fi
  return "$status"
}

main() {
  if [[ "${1:-}" == --in-namespace ]]; then
    shift
    in_namespace "$@"
  fi
  check_machine
  repo=$(cd "$(dirname "$0")/.." && pwd)
  local commit=HEAD
  if [[ $# -gt 0 && "$1" != -- ]]; then
    commit=$1
    shift
  fi
  if [[ "${1:-}" == -- ]]; then shift; fi
  sha=$(git -C "$repo" rev-parse --verify --quiet "$commit^{commit}") ||
    fail "'$commit' is not a commit of $repo; give a commit, a branch or a tag."
  find_python
  find_setup_pythons
  find_rustup
  ensure_user
  fresh_home
  build_path
  start_engine
  runner_environment
  check_runner_path
  run_tests "$@"
}

# Everything above is functions, read in full before anything runs: editing this file while a run
# goes on cannot change what that run does.
main "$@"
exit
