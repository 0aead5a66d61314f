#!/usr/bin/env bash
# Writes the SHA-256 checksum of FILE to OUTPUT in the format `sha256sum -c` reads, naming FILE
# by its base name, so OUTPUT verifies next to FILE wherever both are downloaded. GoReleaser runs
# it (a `signs` entry of .goreleaser.yml) for each emulator archive of a release.
# Usage: scripts/sha256-file.sh FILE OUTPUT
set -euo pipefail
file=${1:?usage: $0 FILE OUTPUT}
output=${2:?usage: $0 FILE OUTPUT}
dir=$(dirname "$file")
name=$(basename "$file")
if command -v sha256sum >/dev/null 2>&1; then
  (cd "$dir" && sha256sum -- "$name") >"$output"
else
  (cd "$dir" && shasum -a 256 -- "$name") >"$output"
fi
