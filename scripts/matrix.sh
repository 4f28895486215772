#!/usr/bin/env bash
# Every Linux leg of the plan built here in its stand-in image and tested as far as this machine
# can (scripts/matrix/run.ts): `npm run matrix [-- --leg linux-armv7 --python 3.11,3.13]`.
# Sets up what it needs first: the tools (bootstrap.sh), a docker engine and QEMU.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh >&2
bash scripts/ensure-docker.sh >&2
bash scripts/ensure-qemu.sh >&2
exec node_modules/.bin/tsx scripts/matrix.ts "$@"
