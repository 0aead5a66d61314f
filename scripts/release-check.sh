#!/usr/bin/env bash
# `make release-check`: validates .goreleaser.yml with `goreleaser check`, then builds an unpublished
# snapshot release into dist/, signed with a throwaway GPG key made for the run, and checks that the
# artifacts the Terraform Registry needs are there and sound: one zip per target, the SHA256SUMS file
# listing every zip and the manifest (and nothing else), and a signature of it that verifies.
#
# A cold cross-compilation of the provider takes about a minute per target on two cores, so the
# snapshot is limited to RELEASE_CHECK_TARGETS (default: the host platform and windows_amd64,
# which exercises the .exe naming). RELEASE_CHECK_TARGETS=all builds the full matrix of the
# configuration.
# Usage: scripts/release-check.sh PATH_TO_GORELEASER
set -euo pipefail
cd "$(dirname "$0")/.."
goreleaser=${1:?usage: $0 PATH_TO_GORELEASER}
scripts/require-tools.sh go git gpg

host="$(go env GOOS)_$(go env GOARCH)"
targets=${RELEASE_CHECK_TARGETS:-"$host windows_amd64"}

echo "==> goreleaser check"
"$goreleaser" check

config=.goreleaser.yml
if [[ "$targets" != all ]]; then
  # Same configuration, with an explicit `targets` list on the build (goreleaser then ignores
  # goos, goarch and ignore).
  config=bin/goreleaser-snapshot.yml
  mkdir -p bin
  read -r -a target_list <<<"$targets"
  list=$(printf '"%s", ' "${target_list[@]}")
  awk -v list="[${list%, }]" '
    { print }
    /^  - id: provider$/ { print "    targets: " list; done = 1 }
    END { if (!done) exit 1 }
  ' .goreleaser.yml >"$config" || { echo "error: no '  - id: provider' build found in .goreleaser.yml" >&2; exit 1; }
fi

# A throwaway key in a throwaway keyring (a short path: gpg-agent's socket lives there).
GNUPGHOME=$(mktemp -d /tmp/release-check-gpg.XXXXXX)
export GNUPGHOME
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
gpg --batch --quiet --passphrase '' --quick-gen-key "release-check <release-check@example.invalid>" ed25519 sign 1d
GPG_FINGERPRINT=$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')
export GPG_FINGERPRINT

echo "==> goreleaser release --snapshot --clean --skip=publish (targets: $targets, throwaway signing key)"
"$goreleaser" release --config "$config" --snapshot --clean --skip=publish

echo "==> Checking dist/"
shopt -s nullglob
sums=(dist/terraform-provider-connxt_*_SHA256SUMS)
[[ ${#sums[@]} -eq 1 ]] || { echo "error: expected one *_SHA256SUMS file in dist/, found ${#sums[@]}" >&2; exit 1; }
version=${sums[0]#dist/terraform-provider-connxt_}
version=${version%_SHA256SUMS}
zips=(dist/terraform-provider-connxt_"${version}"_*.zip)
if [[ "$targets" != all ]]; then
  for target in "${target_list[@]}"; do
    zip="dist/terraform-provider-connxt_${version}_${target}.zip"
    [[ -f "$zip" ]] || { echo "error: $zip is missing" >&2; exit 1; }
  done
fi
[[ ${#zips[@]} -gt 0 ]] || { echo "error: no zip archive in dist/" >&2; exit 1; }
grep -q " terraform-provider-connxt_${version}_manifest.json\$" "${sums[0]}" ||
  { echo "error: the registry manifest is not listed in ${sums[0]}" >&2; exit 1; }
for zip in "${zips[@]}"; do
  grep -q " ${zip#dist/}\$" "${sums[0]}" || { echo "error: ${zip#dist/} is not listed in ${sums[0]}" >&2; exit 1; }
done
(cd dist && sha256sum --check --quiet --ignore-missing "$(basename "${sums[0]}")")
listed=$(grep -c '' "${sums[0]}")
[[ "$listed" -eq $((${#zips[@]} + 1)) ]] ||
  { echo "error: ${sums[0]} lists $listed files; want the ${#zips[@]} zip(s) and the manifest only:" >&2; cat "${sums[0]}" >&2; exit 1; }
[[ -f "${sums[0]}.sig" ]] || { echo "error: ${sums[0]}.sig is missing: the checksums were not signed" >&2; exit 1; }
gpg --batch --quiet --verify "${sums[0]}.sig" "${sums[0]}" 2>/dev/null ||
  { echo "error: the signature ${sums[0]}.sig does not verify; the Registry would refuse the release" >&2; exit 1; }
echo "release-check: OK: goreleaser check passed; snapshot $version built ${#zips[@]} zip(s), SHA256SUMS signed and verified: $(cd dist && echo terraform-provider-connxt_*.zip)"
