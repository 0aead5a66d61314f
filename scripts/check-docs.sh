#!/usr/bin/env bash
# Checks that docs/ is what tfplugindocs generates from the schemas, templates/ and examples/,
# then runs `tfplugindocs validate`.
#
#   scripts/check-docs.sh          regenerate docs/ in place, then fail on any difference from
#                                  git (changed or untracked files under docs/): `make docs-check`
#   scripts/check-docs.sh --tree   generate into a scratch directory and compare it with docs/
#                                  in the working tree; needs no git and changes nothing:
#                                  `make test`
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/require-tools.sh go terraform
export CHECKPOINT_DISABLE=1

mode=git
case "${1:-}" in
  "") ;;
  --tree) mode=tree ;;
  *) echo "usage: $0 [--tree]" >&2; exit 2 ;;
esac

generate() { # generate OUTPUT_DIR (relative to the repository root)
  local log
  log=$(mktemp)
  if ! go tool tfplugindocs generate --provider-name connxt --rendered-provider-name Connxt \
    --rendered-website-dir "$1" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "error: tfplugindocs generate failed" >&2
    exit 1
  fi
  rm -f "$log"
}

stale() {
  echo "error: docs/ is out of date with the provider schemas, templates/ or examples/." >&2
  echo "       Run 'make docs' and commit everything under docs/." >&2
  exit 1
}

if [[ $mode == git ]]; then
  scripts/require-tools.sh git
  echo "==> Regenerating docs/"
  generate docs
  changed=$(git status --porcelain --untracked-files=all -- docs/)
  if [[ -n "$changed" ]]; then
    echo "$changed" >&2
    git --no-pager diff --stat -- docs/ >&2 || true
    stale
  fi
else
  scratch=bin/docs-check
  rm -rf "$scratch"
  mkdir -p "$scratch"
  trap 'rm -rf "$scratch"' EXIT
  echo "==> Generating docs into $scratch and comparing with docs/"
  generate "$scratch/docs"
  if ! diff -ru docs "$scratch/docs" >&2; then
    stale
  fi
fi

echo "==> tfplugindocs validate"
log=$(mktemp)
if ! go tool tfplugindocs validate --provider-name connxt >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "error: tfplugindocs validate found problems in docs/" >&2
  exit 1
fi
rm -f "$log"
echo "docs-check: OK: docs/ is up to date ($mode) and valid"
