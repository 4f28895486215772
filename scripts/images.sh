#!/usr/bin/env bash
# ferrowheel's local images (scripts/images.ts): `npm run images -- --build all`, `--list`, `--prune`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh >&2
bash scripts/ensure-docker.sh >&2
exec node_modules/.bin/tsx scripts/images.ts "$@"
