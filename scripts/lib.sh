# shellcheck shell=bash
# Shell functions shared by scripts/demo.sh and scripts/check-examples.sh. Source it from a
# script that runs with `set -euo pipefail` from the repository root:
#
#   source scripts/lib.sh
#   lib_init                      # creates $LIB_WORK and cleans it (and emulators) up on exit
#   lib_build "$LIB_WORK/bin"     # provider and emulator binaries
#   lib_start_emulator "$LIB_WORK/bin" emu1   # sets EMULATOR_URL
#   lib_dev_overrides "$LIB_WORK/bin"         # sets TF_CLI_CONFIG_FILE

# The emulator's well-known default token; it is not a secret of any real environment.
LIB_EMULATOR_TOKEN=sec_EmulatorDefaultToken000001
LIB_WORK=""
LIB_EMULATOR_PIDS=()

lib_say() { printf '==> %s\n' "$*"; }
lib_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# lib_init: a private work directory, removed on exit together with every emulator started.
lib_init() {
  LIB_WORK=$(mktemp -d)
  trap lib_cleanup EXIT
  # Never call home for version checks: everything here runs offline.
  export CHECKPOINT_DISABLE=1
  export TF_IN_AUTOMATION=1
}

lib_cleanup() {
  local pid
  for pid in "${LIB_EMULATOR_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  LIB_EMULATOR_PIDS=()
  if [[ -n "$LIB_WORK" ]]; then
    rm -rf "$LIB_WORK"
  fi
}

# lib_build BIN_DIR: builds the provider and the emulator from the working tree.
lib_build() {
  local bin=$1
  mkdir -p "$bin"
  go build -o "$bin/terraform-provider-connxt" .
  go build -o "$bin/connxt-emulator" ./cmd/connxt-emulator
}

# lib_start_emulator BIN_DIR NAME: starts the emulator on a free loopback port with the default
# token, waits until it listens, and sets EMULATOR_URL and EMULATOR_PID. Its log is
# $LIB_WORK/NAME.log.
lib_start_emulator() {
  local bin=$1 name=$2
  local url_file="$LIB_WORK/$name.url" log="$LIB_WORK/$name.log"
  rm -f "$url_file"
  "$bin/connxt-emulator" --listen 127.0.0.1:0 --token "$LIB_EMULATOR_TOKEN" --url-file "$url_file" >"$log" 2>&1 &
  EMULATOR_PID=$!
  LIB_EMULATOR_PIDS+=("$EMULATOR_PID")
  local _
  for _ in $(seq 1 100); do
    [[ -s "$url_file" ]] && break
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
      cat "$log" >&2
      lib_die "the emulator exited before listening"
    fi
    sleep 0.1
  done
  [[ -s "$url_file" ]] || lib_die "the emulator did not start within 10 s (log: $log)"
  EMULATOR_URL=$(cat "$url_file")
}

# lib_stop_emulator PID: stops one emulator started by lib_start_emulator.
lib_stop_emulator() {
  local pid=$1
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}

# lib_dev_overrides BIN_DIR: writes a CLI configuration that makes Terraform use the provider
# in BIN_DIR for fynxt/connxt, with no registry and no `terraform init`, and exports it.
lib_dev_overrides() {
  local bin=$1
  cat >"$LIB_WORK/terraformrc" <<HCL
provider_installation {
  dev_overrides {
    "fynxt/connxt" = "$bin"
  }
  direct {}
}
HCL
  export TF_CLI_CONFIG_FILE="$LIB_WORK/terraformrc"
}

# lib_use_emulator: points the provider at the emulator last started.
lib_use_emulator() {
  export CONNXT_BASE_URL="$EMULATOR_URL"
  export CONNXT_SECRET_TOKEN="$LIB_EMULATOR_TOKEN"
}

# lib_expect_empty_plan DIR: a plan in DIR must have no changes (exit code 0 of
# -detailed-exitcode); prints the plan and fails otherwise.
lib_expect_empty_plan() {
  local dir=$1 status=0
  terraform -chdir="$dir" plan -detailed-exitcode -input=false -no-color >"$LIB_WORK/plan.txt" 2>&1 || status=$?
  if [[ $status -ne 0 ]]; then
    cat "$LIB_WORK/plan.txt" >&2
    lib_die "the plan in $dir was not empty (terraform plan -detailed-exitcode exited $status)"
  fi
  grep -E "No changes" "$LIB_WORK/plan.txt"
}
