#!/usr/bin/env bash
# The main job, locally: setup-rust → setup-maturin → build → test → publish on a PyO3/maturin
# project (default examples/setup), through the action bundles run the way a GitHub runner runs
# them. `npm run pipeline -- --help` lists the options (scripts/pipeline/options.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
# Set-up talk goes to stderr so the pipeline's own output (and its last line, the report) stays clean.
bash scripts/bootstrap.sh >&2
exec node_modules/.bin/tsx scripts/pipeline.ts "$@"
