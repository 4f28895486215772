#!/usr/bin/env bash
# Runs inside a Debian root being made into an image (chroot, on the host: amd64, never under
# emulation), as root, with a clean environment. What to do comes only from these variables
# (space-separated words), set by make-root.sh/make-layer.sh from the recipe:
#   FW_APT_ARCHES      foreign architectures for dpkg (arm64 …), for cross-compiling libraries
#   FW_APT_PACKAGES    packages to install (apt-get, no recommends)
#   FW_PIP_PACKAGES    pinned requirements for the tools venv /opt/ferrowheel-tools (maturin …)
#   FW_OPT_PYTHONS     CPythons (3.13 …) to expose in pypa's layout, /opt/python/cpXY-cpXY/bin
#   FW_MUSL_STD        Rust targets to build the standard library for (Debian ships none for musl)
#   FW_ZIGCC           1: install zigcc (the musl stand-ins' linker) as /usr/local/bin/ferrowheel-zigcc
# The mirror's sid snapshot has an expired Release file, hence Check-Valid-Until=false; the
# registries need the host's CA bundle, which the caller put at $SSL_CERT_FILE.
set -euo pipefail
set -f # every list above is split into words, never globbed
export DEBIAN_FRONTEND=noninteractive
apt_options=(-qq -o Acquire::Check-Valid-Until=false -o Acquire::Languages=none
  -o APT::Install-Recommends=false -o APT::Install-Suggests=false)

for arch in ${FW_APT_ARCHES:-}; do dpkg --add-architecture "$arch"; done
if [[ -n ${FW_APT_PACKAGES:-}${FW_MUSL_STD:-} ]]; then apt-get "${apt_options[@]}" update; fi
if [[ -n ${FW_APT_PACKAGES:-} ]]; then
  # shellcheck disable=SC2086 # a list of package names
  apt-get "${apt_options[@]}" install -y $FW_APT_PACKAGES >/dev/null
fi

if [[ -n ${FW_PIP_PACKAGES:-} ]]; then
  [[ -x /opt/ferrowheel-tools/bin/python ]] || python3 -m venv /opt/ferrowheel-tools
  # shellcheck disable=SC2086 # a list of requirements
  /opt/ferrowheel-tools/bin/python -m pip install --quiet --no-cache-dir --disable-pip-version-check $FW_PIP_PACKAGES
fi

# pypa's layout: /opt/python/<tag>/bin holds python, python3 and python3.X.
for version in ${FW_OPT_PYTHONS:-}; do
  tag=cp${version/./}
  bin=/opt/python/$tag-$tag/bin
  mkdir -p "$bin"
  for name in python python3 "python$version"; do ln -sf "/usr/bin/python$version" "$bin/$name"; done
done

# A musl std for each target (musl-std.sh).
# shellcheck disable=SC2086 # a list of targets
if [[ -n ${FW_MUSL_STD:-} ]]; then bash /tmp/ferrowheel-images/musl-std.sh $FW_MUSL_STD; fi

if [[ ${FW_ZIGCC:-} == 1 ]]; then install -m 0755 /tmp/ferrowheel-images/zigcc /usr/local/bin/ferrowheel-zigcc; fi

apt-get clean
find /var/lib/apt/lists /root/.cache -mindepth 1 -delete 2>/dev/null || true
