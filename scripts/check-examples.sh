#!/usr/bin/env bash
# Tests every example under examples/, offline, with the provider built from this tree:
#   1. `terraform fmt -check -recursive examples`;
#   2. `terraform validate` in every directory that holds .tf files (but examples/actions,
#      which needs Terraform 1.14: see below), through a dev_overrides
#      CLI configuration (no registry, no `terraform init`; local modules are installed with
#      `terraform get`, which never contacts a registry);
#   3. examples/modules applied against a fresh Connxt emulator, re-planned (must be empty)
#      and destroyed;
#   4. the `terraform test` files of examples/modules/tests against another fresh emulator.
# Any failure stops the script with the failing command's output and a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/require-tools.sh go terraform
source scripts/lib.sh
lib_init
lib_dev_overrides "$LIB_WORK/bin"

# run LABEL CMD...: runs CMD quietly; on failure prints its output and stops.
run() {
  local label=$1
  shift
  if ! "$@" >"$LIB_WORK/last.log" 2>&1; then
    cat "$LIB_WORK/last.log" >&2
    lib_die "$label failed: $*"
  fi
}

# expect_psps DIR N: the state in DIR holds N connxt_psp resources and, when curl is available,
# the emulator last started holds N PSPs for its token.
expect_psps() {
  local dir=$1 want=$2 in_state in_emulator
  in_state=$(terraform -chdir="$dir" state list 2>/dev/null | { grep -c 'connxt_psp\.' || true; })
  [[ "$in_state" -eq "$want" ]] || lib_die "expected $want PSPs in the state of $dir, found $in_state"
  if command -v curl >/dev/null 2>&1; then
    in_emulator=$(curl -fsS -H "X-SECRET-TOKEN: $LIB_EMULATOR_TOKEN" "$EMULATOR_URL/connxt/v2/psps" |
      { grep -o '"id":"psp_[^"]*"' || true; } | wc -l | tr -d ' ')
    [[ "$in_emulator" -eq "$want" ]] || lib_die "expected $want PSPs in the emulator, found $in_emulator"
    echo "    $want PSPs in the state and in the emulator"
  else
    echo "    $want PSPs in the state (curl not found: emulator cross-check skipped)"
  fi
}

lib_say "terraform fmt -check -recursive examples"
if ! terraform fmt -check -recursive -diff -no-color examples; then
  lib_die "examples are not formatted: run 'terraform fmt -recursive examples' (or 'make fmt')"
fi

lib_say "Building the provider and the emulator"
lib_build "$LIB_WORK/bin"

# Work on a copy, so no .terraform directory or state file lands in the tree.
cp -R examples "$LIB_WORK/examples"
# examples/actions holds action blocks, which need Terraform 1.14; the provider supports 1.11,
# whose validate refuses them. They are still formatted above, and a Go test
# (TestActionExamplesMatchTheSchema in internal/provider) parses them and checks every
# argument against the action's schema.
dirs=()
while IFS= read -r dir; do dirs+=("$dir"); done < <(find examples -name '*.tf' -not -path '*/.terraform/*' -not -path 'examples/actions/*' -exec dirname {} \; | sort -u)
[[ ${#dirs[@]} -gt 0 ]] || lib_die "no example directory with .tf files was found"

lib_say "terraform validate in ${#dirs[@]} example directories"
for dir in "${dirs[@]}"; do
  copy="$LIB_WORK/$dir"
  # Documentation snippets (resource and data source examples) leave out the terraform block;
  # without it Terraform would look for hashicorp/connxt. Declare the provider in the copy only.
  if ! grep -qs 'required_providers' "$copy"/*.tf; then
    cat >"$copy/zz_check_examples_providers.tf" <<'HCL'
terraform {
  required_providers {
    connxt = {
      source = "fynxt/connxt"
    }
  }
}
HCL
  fi
  if grep -qsE '^[[:space:]]*module[[:space:]]+"' "$copy"/*.tf; then
    run "terraform get in $dir" terraform -chdir="$copy" get -no-color
  fi
  run "terraform validate in $dir" terraform -chdir="$copy" validate -no-color
  echo "    ok  $dir"
done

lib_say "examples/modules: apply, re-plan, destroy against a fresh emulator"
lib_start_emulator "$LIB_WORK/bin" apply-emulator
lib_use_emulator
modules="$LIB_WORK/examples/modules"
export TF_VAR_paymaxis_api_key="check-paymaxis-key"
export TF_VAR_sticpay_api_key="check-sticpay-key"
run "terraform apply in examples/modules" terraform -chdir="$modules" apply -auto-approve -input=false -no-color
expect_psps "$modules" 2
lib_expect_empty_plan "$modules" | sed 's/^/    /'
run "terraform destroy in examples/modules" terraform -chdir="$modules" destroy -auto-approve -input=false -no-color
expect_psps "$modules" 0
lib_stop_emulator "$EMULATOR_PID"
unset TF_VAR_paymaxis_api_key TF_VAR_sticpay_api_key

lib_say "examples/modules: terraform test against a fresh emulator"
lib_start_emulator "$LIB_WORK/bin" test-emulator
lib_use_emulator
rm -rf "$modules"/terraform.tfstate*
if ! terraform -chdir="$modules" test -no-color >"$LIB_WORK/test.log" 2>&1; then
  cat "$LIB_WORK/test.log" >&2
  lib_die "terraform test in examples/modules failed"
fi
sed 's/^/    /' "$LIB_WORK/test.log"
passed=$(sed -n 's/^Success! \([0-9]*\) passed, 0 failed\.$/\1/p' "$LIB_WORK/test.log")
[[ -n "$passed" && "$passed" -gt 0 ]] || lib_die "terraform test reported no passing run"
if command -v curl >/dev/null 2>&1; then
  left=$(curl -fsS -H "X-SECRET-TOKEN: $LIB_EMULATOR_TOKEN" "$EMULATOR_URL/connxt/v2/psps" |
    { grep -o '"id":"psp_[^"]*"' || true; } | wc -l | tr -d ' ')
  [[ "$left" -eq 0 ]] || lib_die "terraform test left $left PSPs in the emulator"
fi
lib_stop_emulator "$EMULATOR_PID"

echo "examples-check: OK: fmt, validate (${#dirs[@]} directories), examples/modules apply/plan/destroy, terraform test ($passed runs passed)"
