#!/usr/bin/env bash
# The main job, offline: build the provider and the emulator, start the emulator on a free
# loopback port, apply examples/quickstart against it through a dev_overrides CLI
# configuration, show the outputs and that a second plan is empty, then destroy and stop.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/require-tools.sh go terraform

work=$(mktemp -d)
emulator_pid=""
cleanup() {
  if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill -TERM "$emulator_pid" && wait "$emulator_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> Building the provider and the emulator"
go build -o "$work/bin/terraform-provider-connxt" .
go build -o "$work/bin/connxt-emulator" ./cmd/connxt-emulator

# The emulator's well-known demo token; it is not a secret of any real environment.
token=sec_EmulatorDefaultToken000001
echo "==> Starting the Connxt emulator"
"$work/bin/connxt-emulator" --listen 127.0.0.1:0 --token "$token" --url-file "$work/url" 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/url" ]] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; echo "error: the emulator exited" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$work/url" ]] || { echo "error: the emulator did not start within 10 s" >&2; exit 1; }
url=$(cat "$work/url")
echo "    emulator at $url"

cat >"$work/terraformrc" <<HCL
provider_installation {
  dev_overrides {
    "fynxt/connxt" = "$work/bin"
  }
  direct {}
}
HCL
cp -R examples/quickstart "$work/quickstart"

export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1
export CONNXT_BASE_URL="$url"
export CONNXT_SECRET_TOKEN="$token"
export TF_VAR_paymaxis_api_key="demo-paymaxis-key"
tf() { terraform -chdir="$work/quickstart" "$@"; }

echo "==> terraform apply"
tf apply -auto-approve -input=false -no-color
echo "==> terraform output"
tf output -no-color
echo "==> terraform plan (a second plan must be empty)"
set +e
tf plan -detailed-exitcode -input=false -no-color >"$work/plan.txt" 2>&1
plan_status=$?
set -e
if [[ $plan_status -ne 0 ]]; then
  cat "$work/plan.txt" >&2
  echo "error: the second plan was not empty (exit $plan_status)" >&2
  exit 1
fi
grep -E "No changes" "$work/plan.txt"
echo "==> terraform destroy"
tf destroy -auto-approve -input=false -no-color
echo "==> Demo finished: applied, re-planned with no changes, destroyed."
