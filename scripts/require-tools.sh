#!/usr/bin/env bash
# Fails loudly, naming what is missing, when a tool the project needs is absent.
# Usage: scripts/require-tools.sh go terraform ...
set -euo pipefail
missing=0
for tool in "$@"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    case "$tool" in
      go) hint="install Go $(sed -n 's/^go //p' "$(dirname "$0")/../go.mod") or later (https://go.dev/dl/) and put it on PATH" ;;
      terraform) hint="install Terraform 1.11 or later and put it on PATH (acceptance tests and the demo run the real CLI)" ;;
      *) hint="install it and put it on PATH" ;;
    esac
    echo "error: '$tool' was not found on PATH: $hint" >&2
    missing=1
  fi
done
if command -v terraform >/dev/null 2>&1 && [[ " $* " == *" terraform "* ]]; then
  version=$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p')
  major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}
  if [[ -z "$version" || "$major" -lt 1 || ( "$major" -eq 1 && "$minor" -lt 11 ) ]]; then
    echo "error: terraform ${version:-of unknown version} is too old: write-only credentials need 1.11 or later" >&2
    missing=1
  fi
fi
if command -v go >/dev/null 2>&1 && [[ " $* " == *" go "* ]]; then
  # go.mod names the toolchain; an older go fetches it from the module proxy unless
  # GOTOOLCHAIN=local forbids that, and then every go command fails. Say so plainly.
  if ! out=$(cd "$(dirname "$0")/.." && go list -m 2>&1); then
    echo "error: go cannot build this module: $out" >&2
    echo "       install Go $(sed -n 's/^go //p' "$(dirname "$0")/../go.mod") or later, or allow GOTOOLCHAIN to fetch it" >&2
    missing=1
  fi
fi
exit "$missing"
