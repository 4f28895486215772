#!/usr/bin/env bash
# The slow, exhaustive scenarios (`*.slow.test.ts`, jest.slow.config.js) that `npm test` leaves
# out to stay within its time budget: today PGO in a container (two cold release builds in the
# image). Sets up what they need like scripts/test.sh: the tools, a docker engine, and the
# llvm-profdata of rustc's LLVM that the PGO image is given. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PATH="$PWD/.tools/bin:$PATH"
mkdir -p .work
bash scripts/ensure-docker.sh || echo "no docker engine: the container tests will fail (see above)"
bash scripts/ensure-llvm.sh >/dev/null || echo "no llvm-profdata matching rustc's LLVM: the PGO tests will fail (see above)"
exec node --experimental-vm-modules node_modules/jest/bin/jest.js --ci -c jest.slow.config.js "$@"
