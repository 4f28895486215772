#!/usr/bin/env bash
# Every test of the repository, from a fresh clone: installs what is missing (scripts/bootstrap.sh),
# then type-checks, lints, checks the committed bundles, runs the unit and integration tests
# (integration tests really run cargo, maturin, pip/uv, pytest and a local package index) and
# lints the workflows. `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/bootstrap.sh
export PATH="$root/.tools/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "typecheck (tsc)"
pnpm run --silent typecheck

step "lint (biome)"
pnpm exec biome check --error-on-warnings .

step "bundles are up to date (ncc)"
node scripts/build-bundles.mjs --check

step "workflows (actionlint, zizmor)"
bash scripts/lint-workflows.sh

step "unit and integration tests (jest)"
mkdir -p .work
# The container tests need a docker engine: start one (as root, or through sudo -n) when none answers.
bash scripts/ensure-docker.sh || echo "no docker engine: the container tests will fail (see above)"
# The emulated tests (arm64 …) need QEMU registered with binfmt_misc (as root or with sudo -n).
bash scripts/ensure-qemu.sh || echo "QEMU is not registered: the emulated tests will fail (see above)"
# The PGO tests merge rustc's profiles with an llvm-profdata of rustc's LLVM (Debian's llvm-N, as root).
bash scripts/ensure-llvm.sh >/dev/null || echo "no llvm-profdata matching rustc's LLVM: the PGO tests will fail (see above)"
rm -f .work/jest-results.json
status=0
node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --json --outputFile=.work/jest-results.json "$@" || status=$?
node scripts/jest-summary.mjs .work/jest-results.json
exit "$status"
