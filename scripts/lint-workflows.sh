#!/usr/bin/env bash
# actionlint and zizmor over .github/workflows and every action.yml; both must pass.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
workflows=(.github/workflows/*.yml)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "no workflows yet"
  exit 0
fi
.tools/bin/actionlint -shellcheck= "${workflows[@]}"
# --offline: no GitHub API here; zizmor's online audits need it.
.venv-tools/bin/zizmor --offline --config .github/zizmor.yml --min-severity low .github/workflows actions
echo "actionlint and zizmor: no findings"
