#!/usr/bin/env bash
# Installs everything the tests and the local pipeline need, from the project's own files, on a
# fresh machine. Idempotent and quick when nothing changed (stamps compare the inputs' hashes).
#   - pnpm at the version package.json's `packageManager` pins, then the node packages;
#   - .venv-tools: maturin, pytest, uv, ziglang, twine, pypiserver, zizmor (scripts/requirements-tools.txt);
#   - the Rust toolchains the tests name besides stable (nightly, 1.95.0), via rustup;
#   - .tools/bin/actionlint and .tools/bin/act via `go install`;
#   - .tools/bin/shellcheck (the one on PATH, else Debian's package unpacked), which actionlint runs.
# `bash scripts/bootstrap.sh node` stops after the node packages (the release workflow's dist
# check needs nothing else). Nothing here needs root: everything lands in this checkout, the user's
# caches (pnpm's store, pip's, Go's) and nowhere else.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
root=$PWD

log() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }
fail() {
  log "$*" >&2
  exit 1
}
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# --- pnpm -------------------------------------------------------------------------------------
pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
mkdir -p .tools/bin
if ! [ -x .tools/bin/pnpm ] || [ "$(.tools/bin/pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  log "installing pnpm $pnpm_version into .tools"
  # corepack's signature check fails against some registries ("No compatible signature found");
  # npm installs the exact pinned version just as well.
  npm install --silent --no-audit --no-fund --prefix .tools/pnpm "pnpm@$pnpm_version" >/dev/null
  ln -sf ../pnpm/node_modules/pnpm/pnpm .tools/bin/pnpm
fi
export PATH="$root/.tools/bin:$PATH"

node_stamp=$(cat package.json pnpm-lock.yaml pnpm-workspace.yaml actions/*/package.json packages/*/package.json 2>/dev/null | sha256sum | cut -c1-16)
if ! stamp_ok node_modules/.ferrowheel-stamp "$node_stamp"; then
  # CI installs exactly the lockfile; a developer's install may update it after a package.json edit.
  if [ -n "${CI:-}" ]; then frozen=--frozen-lockfile; else frozen=--prefer-offline; fi
  log "installing node packages (pnpm install $frozen)"
  pnpm install "$frozen" --reporter=silent
  echo "$node_stamp" > node_modules/.ferrowheel-stamp
fi

[ "${1:-}" = node ] && exit 0

# --- Python tools -----------------------------------------------------------------------------
py_stamp=$(sha256sum scripts/requirements-tools.txt | cut -c1-16)
if ! stamp_ok .venv-tools/.ferrowheel-stamp "$py_stamp"; then
  log "creating .venv-tools (maturin, pytest, uv, ziglang, twine, pypiserver, zizmor)"
  # Debian and Ubuntu ship venv's pip bootstrap apart (python3-venv); GitHub's runners have it.
  python3 -m venv --clear .venv-tools ||
    fail "python3 -m venv failed (see above): on Debian or Ubuntu install python3-venv (sudo apt-get install python3-venv), then run this again."
  .venv-tools/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/requirements-tools.txt
  echo "$py_stamp" > .venv-tools/.ferrowheel-stamp
fi

# --- Rust toolchains the tests name ------------------------------------------------------------
# setup-rust's tests run against stable, nightly and 1.95.0; GitHub's runner images have stable
# only. rustup installs the other two once (from static.rust-lang.org), into the user's RUSTUP_HOME.
command -v rustup >/dev/null 2>&1 || fail "rustup is not on PATH: the tests build with a rustup-managed Rust toolchain (https://rustup.rs; GitHub's runners have it)."
toolchains=$(rustup toolchain list)
missing_toolchains=()
for toolchain in nightly 1.95.0; do
  grep -q "^$toolchain-" <<<"$toolchains" || missing_toolchains+=("$toolchain")
done
if [ ${#missing_toolchains[@]} -gt 0 ]; then
  log "installing Rust ${missing_toolchains[*]} (rustup, minimal profile with clippy and rustfmt)"
  rustup toolchain install --profile minimal --component clippy,rustfmt "${missing_toolchains[@]}" ||
    fail "rustup could not install ${missing_toolchains[*]} (see above); setup-rust's tests need them. Install them where static.rust-lang.org is reachable: rustup toolchain install ${missing_toolchains[*]}"
fi

# --- actionlint, act (Go) ---------------------------------------------------------------------
actionlint_version=v1.7.12
act_version=v0.2.89
if ! command -v go >/dev/null 2>&1 && ! { stamp_ok .tools/actionlint.stamp "$actionlint_version" &&
  stamp_ok .tools/act.stamp "$act_version"; }; then
  fail "Go is not on PATH, and actionlint and act are installed with 'go install' (the workflow lint and the act tests need them). Install Go (https://go.dev/dl/; GitHub's runners have it), then run this again."
fi
if ! stamp_ok .tools/actionlint.stamp "$actionlint_version"; then
  log "installing actionlint $actionlint_version (go install)"
  GOBIN="$root/.tools/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version"
  echo "$actionlint_version" > .tools/actionlint.stamp
fi

# --- shellcheck -------------------------------------------------------------------------------
# actionlint runs it on every `run:` script of the workflows (scripts/lint-workflows.sh). One on
# PATH is used (GitHub's Ubuntu runners have it); else Debian's package is unpacked into .tools,
# which needs no root (apt-get download + dpkg -x).
if ! [ -x .tools/bin/shellcheck ] || ! .tools/bin/shellcheck --version >/dev/null 2>&1; then
  if command -v shellcheck >/dev/null 2>&1; then
    ln -sf "$(command -v shellcheck)" .tools/bin/shellcheck
  elif command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's shellcheck into .tools (apt-get download, dpkg -x)"
    rm -rf .tools/shellcheck && mkdir -p .tools/shellcheck/deb
    if ! (cd .tools/shellcheck/deb && apt-get download -qq shellcheck >/dev/null 2>&1); then
      [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null 2>&1
      (cd .tools/shellcheck/deb && apt-get download -qq shellcheck >/dev/null 2>&1) ||
        fail "could not download Debian's shellcheck (apt-get download shellcheck); install shellcheck and run this again"
    fi
    dpkg -x .tools/shellcheck/deb/shellcheck_*.deb .tools/shellcheck/root
    ln -sf ../shellcheck/root/usr/bin/shellcheck .tools/bin/shellcheck
  else
    fail "shellcheck is not installed and apt-get is not here to get it: install shellcheck, then run this again"
  fi
fi

# --- act ----------------------------------------------------------------------------------------
# nektos/act runs the workflows on this machine in the tests (packages/harness/src/act.ts).
if ! stamp_ok .tools/act.stamp "$act_version"; then
  log "installing act $act_version (go install)"
  GOBIN="$root/.tools/bin" go install "github.com/nektos/act@$act_version"
  echo "$act_version" > .tools/act.stamp
fi
