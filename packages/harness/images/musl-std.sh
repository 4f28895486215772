#!/usr/bin/env bash
# musl-std.sh TARGET…: run by in-chroot.sh (inside a sid root, as root, on the host) for the
# musllinux stand-ins. Debian ships no Rust std for musl: this builds one per target, once, from
# Debian's rust-src, and puts it where rustc looks for a target's std, so a wheel build needs
# neither `-Z build-std` nor a registry (the containers have no network, and build-std would
# fetch the std's crates). Only the standard library's part of rust-src is
# unpacked (the rest, 300 MB, is the compiler's), where the package puts it, and only for the
# build: its dependencies come from the copies rust-src vendors (std-crate/.cargo/config.toml).
# Every path is fixed, so the same rustc and rust-src give the same std (the same crate hashes)
# in every image: a target dir shared by the stand-ins never holds crates built against another.
set -euo pipefail
apt_options=(-qq -o Acquire::Check-Valid-Until=false -o Acquire::Languages=none)
work=/tmp/ferrowheel-std

sources=$(mktemp -d)
(cd "$sources" && apt-get "${apt_options[@]}" download rust-src)
dpkg-deb --fsys-tarfile "$sources"/rust-src_*.deb |
  tar -x -C / --wildcards --no-wildcards-match-slash './usr/src/rustc-*/library' './usr/lib/rustlib/src'
rm -rf "$sources"
sysroot=$(rustc --print sysroot)
tree=$(readlink -f "$sysroot/lib/rustlib/src/rust")
for target in "$@"; do
  rm -rf "$work"
  cp -r /tmp/ferrowheel-images/std-crate "$work"
  (cd "$work" && RUSTC_BOOTSTRAP=1 CARGO_HOME=$work/cargo-home CARGO_NET_OFFLINE=true \
    cargo build --quiet --release --target "$target" -Z build-std=std,panic_abort)
  lib=$sysroot/lib/rustlib/$target/lib
  mkdir -p "$lib"
  find "$work/target/$target/release/deps" -name 'lib*.rlib' ! -name 'libferrowheel_std-*' -exec cp {} "$lib/" \;
done
rm -rf "$work" "$sysroot/lib/rustlib/src" "$tree"
