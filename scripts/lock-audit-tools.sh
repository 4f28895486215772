#!/usr/bin/env bash
# Locks the audit's tools (packages/kit/src/audit/audit-tools.in) into audit-tools.txt: every
# package pinned with the hashes of all its files, for every platform and Python 3.10+ (one
# universal resolution), so `pip install --require-hashes` checks whatever file a runner picks.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=packages/kit/src/audit
.venv-tools/bin/uv pip compile --quiet --universal --python-version 3.10 --generate-hashes \
  --custom-compile-command "bash scripts/lock-audit-tools.sh" \
  "$dir/audit-tools.in" --output-file "$dir/audit-tools.txt"
