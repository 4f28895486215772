#!/usr/bin/env bash
# The emulated-architecture experiment (too slow for the test command; numbers in
# actions/build/README.md): builds examples/setup for aarch64-unknown-linux-gnu through the build
# action's bundle in an arm64 container that QEMU runs (binfmt_misc + qemu-user-static), then
# imports the wheel in that container. Nothing comes from an image registry: the arm64 image is
# `debootstrap --arch=arm64 --foreign` of Debian trixie (its cargo 1.85.1, python3.13, gcc), the
# second stage run under emulation, then `docker import`. Crates are fetched on the host; the
# container has no network. Needs root (debootstrap, binfmt_misc). Prints the time of each stage.
# On the 2-core development machine the second stage alone ran for more than 27 minutes (numbers
# in actions/build/README.md), so this is not part of the test command.
# Usage: bash scripts/container-aarch64.sh   (rebuild the bundle first: npm run build)
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$PWD
log() { printf '\033[1mcontainer-aarch64:\033[0m %s\n' "$*" >&2; }
stage() { local name=$1; shift; local t0=$SECONDS; "$@"; log "$name: $((SECONDS - t0)) s"; }

FERROWHEEL_QEMU=1 bash scripts/ensure-docker.sh
[[ -e /proc/sys/fs/binfmt_misc/register ]] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
[[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || update-binfmts --enable qemu-aarch64
grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 ||
  log "warning: qemu-aarch64 is registered without the F flag; containers may not find the emulator"

release=trixie
packages=python3,gcc,libc6-dev,cargo
mirror=${FERROWHEEL_DEBIAN_MIRROR:-$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
mirror=${mirror:-http://deb.debian.org/debian}
key=$(printf '%s\n' 1 "$release" "$packages" "$mirror" | sha256sum | cut -c1-12)
image=ferrowheel-test/manylinux-arm64:$key
mkdir -p .work/images
tarball=$root_dir/.work/images/manylinux-arm64-$release-$key.tar

make_rootfs() {
  local root=$tarball.root
  rm -rf "$root"
  stage "debootstrap --foreign (download, unpack)" \
    debootstrap --arch=arm64 --foreign --variant=minbase --include="$packages" "$release" "$root" "$mirror" >/dev/null
  stage "debootstrap --second-stage (under QEMU)" chroot "$root" /debootstrap/debootstrap --second-stage >/dev/null
  rm -rf "$root/var/cache/apt/archives"
  for py in "$root"/usr/bin/python3.[0-9]*; do
    local name tag
    name=$(basename "$py")
    [[ $name =~ ^python3\.[0-9]+$ ]] || continue
    tag=cp${name#python}; tag=${tag/./}
    mkdir -p "$root/opt/python/$tag-$tag/bin"
    for link in python python3 "$name"; do ln -sf "/usr/bin/$name" "$root/opt/python/$tag-$tag/bin/$link"; done
  done
  tar -C "$root" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
  rm -rf "$root"
}

if ! docker image inspect "$image" >/dev/null 2>&1; then
  [[ -f $tarball ]] || make_rootfs
  stage "docker import" docker import --platform linux/arm64 "$tarball" "$image" >/dev/null
fi
log "image: $image ($(docker run --rm --network none --platform linux/arm64 "$image" cargo --version))"

work=$(mktemp -d /tmp/ferrowheel-aarch64-XXXXXX)
mkdir -p "$work/ws" "$work/files/temp"
cp -r examples/setup "$work/ws/setup"
rm -rf "$work/ws/setup/target" "$work/ws/setup/dist"
export CARGO_HOME=$work/cargo-home
stage "cargo fetch (host)" cargo fetch --locked --manifest-path "$work/ws/setup/Cargo.toml" -q
for f in output state summary env path; do : >"$work/files/$f"; done

build() {
  (
    cd "$work/ws"
    env -i PATH="$root_dir/.venv-tools/bin:$PATH" HOME="$HOME" CARGO_HOME="$CARGO_HOME" \
      CARGO_NET_OFFLINE=true CARGO_TERM_COLOR=never GITHUB_ACTIONS=true GITHUB_WORKSPACE="$work/ws" \
      GITHUB_OUTPUT="$work/files/output" GITHUB_STATE="$work/files/state" \
      GITHUB_STEP_SUMMARY="$work/files/summary" GITHUB_ENV="$work/files/env" GITHUB_PATH="$work/files/path" \
      RUNNER_TEMP="$work/files/temp" RUNNER_OS=Linux RUNNER_ARCH=X64 \
      INPUT_WORKING-DIRECTORY=setup INPUT_TARGET=aarch64-unknown-linux-gnu INPUT_CONTAINER="$image" \
      node "$root_dir/actions/build/dist/index.js" >"$work/build.log" 2>&1
  ) || { tail -n 40 "$work/build.log"; log "the build failed (log: $work/build.log)"; exit 1; }
}
stage "build in the arm64 container (cold)" build
wheel=$(ls "$work"/ws/setup/dist/*.whl)
log "wheel: $(basename "$wheel")"
check() {
  docker run --rm --network none --platform linux/arm64 -v "$wheel:/w/$(basename "$wheel"):ro" "$image" bash -c \
    'python3 -m zipfile -e /w/*.whl /tmp/site && cd / && PYTHONPATH=/tmp/site python3 -c "import setup, platform; assert setup.it_works(); print(platform.machine(), \"import ok\")"'
}
stage "import the wheel in the arm64 container" check
rm -rf "$work/ws/setup/dist"
stage "build in the arm64 container (target dir warm)" build
rm -rf "$work"
