#!/usr/bin/env bash
# actionlint (with shellcheck on the run: scripts) and zizmor over every workflow file — .github/workflows/ and the ones examples/ gives
# users to copy, found by listing them — and every action.yml; both must pass. actionlint reads
# .github/actionlint.yaml (the one documented `$/` exception), zizmor .github/zizmor.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t workflows < <(find .github/workflows examples -type f \( -name '*.yml' -o -name '*.yaml' \) \
  \( -path '.github/workflows/*' -o -path 'examples/*/workflows/*' -o -path 'examples/workflows/*' \) | sort)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "no workflows yet"
  exit 0
fi
# actionlint checks every `run:` script with shellcheck (scripts/bootstrap.sh installs it).
[ -x .tools/bin/shellcheck ] || { echo "no .tools/bin/shellcheck: run scripts/bootstrap.sh" >&2; exit 1; }
.tools/bin/actionlint -shellcheck=.tools/bin/shellcheck "${workflows[@]}"
# --offline: no GitHub API here; zizmor's online audits need it.
.venv-tools/bin/zizmor --offline --config .github/zizmor.yml --min-severity low "${workflows[@]}" actions
echo "actionlint and zizmor: no findings in ${#workflows[@]} workflow files and every action.yml"
