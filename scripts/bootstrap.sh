#!/usr/bin/env bash
# Installs everything the tests and the local pipeline need, from the project's own files, on a
# fresh machine. Idempotent and quick when nothing changed (stamps compare the inputs' hashes).
#   - pnpm at the version package.json's `packageManager` pins, then the node packages;
#   - .venv-tools: maturin, pytest, uv, ziglang, twine, pypiserver, zizmor (scripts/requirements-tools.txt);
#   - .tools/bin/actionlint and .tools/bin/act via `go install` (when Go is present);
#   - .tools/bin/shellcheck (the one on PATH, else Debian's package unpacked), which actionlint runs.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
root=$PWD

log() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }
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

# --- Python tools -----------------------------------------------------------------------------
py_stamp=$(sha256sum scripts/requirements-tools.txt | cut -c1-16)
if ! stamp_ok .venv-tools/.ferrowheel-stamp "$py_stamp"; then
  log "creating .venv-tools (maturin, pytest, uv, ziglang, twine, pypiserver, zizmor)"
  python3 -m venv --clear .venv-tools
  .venv-tools/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/requirements-tools.txt
  echo "$py_stamp" > .venv-tools/.ferrowheel-stamp
fi

# --- actionlint -------------------------------------------------------------------------------
actionlint_version=v1.7.12
if command -v go >/dev/null 2>&1 && ! stamp_ok .tools/actionlint.stamp "$actionlint_version"; then
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
        { log "could not download Debian's shellcheck (apt-get download shellcheck); install shellcheck and run this again"; exit 1; }
    fi
    dpkg -x .tools/shellcheck/deb/shellcheck_*.deb .tools/shellcheck/root
    ln -sf ../shellcheck/root/usr/bin/shellcheck .tools/bin/shellcheck
  else
    log "shellcheck is not installed and apt-get is not here to get it: install shellcheck, then run this again"
    exit 1
  fi
fi

# --- act ----------------------------------------------------------------------------------------
# nektos/act runs the workflows on this machine in the tests (packages/harness/src/act.ts).
act_version=v0.2.89
if command -v go >/dev/null 2>&1 && ! stamp_ok .tools/act.stamp "$act_version"; then
  log "installing act $act_version (go install)"
  GOBIN="$root/.tools/bin" go install "github.com/nektos/act@$act_version"
  echo "$act_version" > .tools/act.stamp
fi
