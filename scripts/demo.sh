#!/usr/bin/env bash
# The main job, offline: build the provider and the emulator, start the emulator on a free
# loopback port, apply examples/quickstart against it through a dev_overrides CLI
# configuration, show the outputs and that a second plan is empty, then destroy and stop.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/require-tools.sh go terraform
source scripts/lib.sh
lib_init

lib_say "Building the provider and the emulator"
lib_build "$LIB_WORK/bin"

lib_say "Starting the Connxt emulator"
lib_start_emulator "$LIB_WORK/bin" emulator
echo "    emulator at $EMULATOR_URL"

lib_dev_overrides "$LIB_WORK/bin"
lib_use_emulator
cp -R examples/quickstart "$LIB_WORK/quickstart"
export TF_VAR_paymaxis_api_key="demo-paymaxis-key"
tf() { terraform -chdir="$LIB_WORK/quickstart" "$@"; }

lib_say "terraform apply"
tf apply -auto-approve -input=false -no-color
lib_say "terraform output"
tf output -no-color
lib_say "terraform plan (a second plan must be empty)"
lib_expect_empty_plan "$LIB_WORK/quickstart"
lib_say "terraform destroy"
tf destroy -auto-approve -input=false -no-color
lib_say "Demo finished: applied, re-planned with no changes, destroyed."
