package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

const logsConfig = `
terraform {
  required_providers {
    connxt = { source = "fynxt/connxt" }
  }
}

provider "connxt" {
  secret_token = "` + emulator.DefaultToken + `"
}

resource "connxt_psp" "logs" {
  name                  = "logs"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "logs-key" })
  credential_wo_version = 1
  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv"
  }
}
`

// TestLogsOnlyWhenAsked: the provider switches its own and the SDK's loggers off when no
// variable asks for logs (provider.Serve). Checked here against the real terraform, what
// makes that safe: without TF_LOG, Terraform shows nothing of a provider's logs even when
// the provider writes every TRACE line (so switching them off loses nothing); and with
// TF_LOG=TRACE the log still has the lines of the protocol SDK, the framework and the
// provider, bodies included.
func TestLogsOnlyWhenAsked(t *testing.T) {
	w := newWorkspace(t, emulator.Options{})
	w.env = slices.DeleteFunc(w.env, func(kv string) bool {
		return strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TF_TEMP_LOG_PATH=")
	})
	w.config(logsConfig)
	w.run(true, "apply", "-auto-approve", "-input=false")
	t.Cleanup(func() { w.run(true, "destroy", "-auto-approve", "-input=false") })
	base := w.env

	quietPlan := w.run(true, "plan", "-input=false")

	// The SDK's and the provider's loggers at TRACE, as they are by default; Terraform
	// reads none of these variables.
	w.env = append(slices.Clone(base), "TF_LOG_SDK=TRACE", "TF_LOG_SDK_PROTO=TRACE", "TF_LOG_SDK_FRAMEWORK=TRACE", "TF_LOG_PROVIDER_CONNXT=TRACE")
	loudPlan := w.run(true, "plan", "-input=false")
	if loudPlan != quietPlan {
		t.Errorf("terraform printed something else with the provider's loggers on:\n--- off ---\n%s\n--- on ---\n%s", quietPlan, loudPlan)
	}
	for _, mark := range []string{"@module", "[TRACE]", "[DEBUG]", "Connxt API", "sdk."} {
		if strings.Contains(loudPlan, mark) {
			t.Errorf("without TF_LOG terraform printed a log line (%q):\n%s", mark, loudPlan)
		}
	}

	logPath := filepath.Join(t.TempDir(), "trace.log")
	w.env = append(slices.Clone(base), "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	w.run(true, "plan", "-input=false")
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for what, mark := range map[string]string{
		"the protocol SDK's lines":          "@module=sdk.proto",
		"the framework's lines":             "@module=sdk.framework",
		"the provider's request lines":      "Connxt API request: ",
		"the provider's TRACE body lines":   "Connxt API response body: ",
		"the framework's TRACE-level lines": "Calling provider defined Resource Read",
	} {
		if !strings.Contains(string(logs), mark) {
			t.Errorf("the TF_LOG=TRACE log lacks %s (%q)", what, mark)
		}
	}
	w.env = base
}
