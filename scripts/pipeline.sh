#!/usr/bin/env bash
# The main job, locally: setup-rust → setup-maturin → build → test → publish on examples/setup,
# through the committed action bundles, run the way a GitHub runner runs them. GitHub's cache
# service and the package index are local servers on 127.0.0.1 (see scripts/pipeline.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec node_modules/.bin/tsx scripts/pipeline.ts "$@"
