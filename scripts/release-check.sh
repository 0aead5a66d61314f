#!/usr/bin/env bash
# `make release-check`: validates .goreleaser.yml with `goreleaser check`, then builds an unpublished
# snapshot release into dist/, signed with a throwaway GPG key made for the run, and checks that the
# artifacts the Terraform Registry needs are there and sound: one zip per target, the SHA256SUMS file
# listing every zip and the manifest (and nothing else), and a signature of it that verifies. It also
# checks the emulator's archives: one per target, each with a .sha256 file that verifies, none of them
# in SHA256SUMS, and the host's archive holds a connxt-emulator that runs.
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
  # Same configuration, with an explicit `targets` list on the provider and emulator builds
  # (goreleaser then ignores goos, goarch and ignore).
  config=bin/goreleaser-snapshot.yml
  mkdir -p bin
  read -r -a target_list <<<"$targets"
  list=$(printf '"%s", ' "${target_list[@]}")
  awk -v list="[${list%, }]" '
    { print }
    /^[^ #]/ { section = $1 }
    section == "builds:" && /^  - id: (provider|emulator)$/ { print "    targets: " list; done++ }
    END { if (done != 2) exit 1 }
  ' .goreleaser.yml >"$config" ||
    { echo "error: .goreleaser.yml needs the builds '  - id: provider' and '  - id: emulator'" >&2; exit 1; }
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

# The emulator: its own archives (zip on Windows, tar.gz elsewhere), each with a .sha256 file.
emulators=(dist/connxt-emulator_"${version}"_*.tar.gz dist/connxt-emulator_"${version}"_*.zip)
[[ ${#emulators[@]} -gt 0 ]] || { echo "error: no connxt-emulator archive in dist/" >&2; exit 1; }
if [[ "$targets" != all ]]; then
  for target in "${target_list[@]}"; do
    ext=tar.gz
    [[ "$target" == windows_* ]] && ext=zip
    archive="dist/connxt-emulator_${version}_${target}.${ext}"
    [[ -f "$archive" ]] || { echo "error: $archive is missing" >&2; exit 1; }
  done
fi
! grep -q "connxt-emulator" "${sums[0]}" ||
  { echo "error: ${sums[0]} lists emulator archives; it is the Registry's and must list the provider only" >&2; exit 1; }
for archive in "${emulators[@]}"; do
  [[ -f "$archive.sha256" ]] || { echo "error: $archive.sha256 is missing" >&2; exit 1; }
  [[ $(grep -c '' "$archive.sha256") -eq 1 ]] && grep -q "  ${archive#dist/}\$" "$archive.sha256" ||
    { echo "error: $archive.sha256 is not one checksum line for ${archive#dist/}:" >&2; cat "$archive.sha256" >&2; exit 1; }
  (cd dist && sha256sum --check --quiet "$(basename "$archive").sha256")
done
host_archive="dist/connxt-emulator_${version}_${host}.tar.gz"
if [[ -f "$host_archive" ]]; then
  unpacked=$(mktemp -d)
  tar -xzf "$host_archive" -C "$unpacked"
  help=$("$unpacked/connxt-emulator" --help 2>&1 || true)
  rm -rf "$unpacked"
  grep -q -- '-listen' <<<"$help" ||
    { echo "error: the connxt-emulator in $host_archive does not run or is not the emulator:" >&2; echo "$help" >&2; exit 1; }
fi
echo "release-check: OK: goreleaser check passed; snapshot $version built ${#zips[@]} zip(s), SHA256SUMS signed and verified: $(cd dist && echo terraform-provider-connxt_*.zip)"
echo "release-check: OK: ${#emulators[@]} emulator archive(s), each with a verified .sha256, none in SHA256SUMS: $(cd dist && echo connxt-emulator_*.tar.gz connxt-emulator_*.zip)"
