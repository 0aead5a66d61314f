package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

const secretsConfig = `
terraform {
  required_providers {
    connxt = { source = "fynxt/connxt" }
  }
}

variable "token" {
  type      = string
  sensitive = true
}
variable "paymaxis_key" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "sticpay_key" {
  type      = string
  sensitive = true
}
variable "key_version" {
  type = number
}

provider "connxt" {
  secret_token = var.token
}

data "connxt_flow_type_definitions" "psp" {}

locals {
  paymaxis = data.connxt_flow_type_definitions.psp.targets["Paymaxis"]
  sticpay  = data.connxt_flow_type_definitions.psp.targets["Sticpay"]
}

resource "connxt_psp" "write_only" {
  name                  = "secrets-wo"
  flow_target_id        = local.paymaxis.id
  credential_wo         = jsonencode({ apiKey = var.paymaxis_key })
  credential_wo_version = var.key_version
  operation {
    flow_action_id     = local.paymaxis.actions["DEPOSIT"].id
    flow_definition_id = local.paymaxis.actions["DEPOSIT"].definition.id
  }
}

resource "connxt_psp" "sensitive" {
  name           = "secrets-sensitive"
  flow_target_id = local.sticpay.id
  credential     = jsonencode({ merchantEmail = "ops@example.com", apiKey = var.sticpay_key })
  operation {
    flow_action_id     = local.sticpay.actions["DEPOSIT"].id
    flow_definition_id = local.sticpay.actions["DEPOSIT"].definition.id
  }
}
`

// TestSecretsNeverLeak runs a whole lifecycle with TF_LOG=TRACE (Terraform's and the
// provider's logs), a rotation, a refused credential and a refused token, and checks that
// neither the token nor any credential value appears in the logs, in anything terraform
// printed, or (for the write-only credential) in the state file.
func TestSecretsNeverLeak(t *testing.T) {
	const (
		paymaxisV1 = "pmx-trace-secret-v1-7f3a"
		paymaxisV2 = "pmx-trace-secret-v2-9c1e"
		sticpayKey = "stic-trace-secret-4b2d"
		wrongToken = "sec_TraceWrongTokenTraceWrong1"
	)
	logPath := filepath.Join(t.TempDir(), "terraform-trace.log")
	if p := os.Getenv("E2E_KEEP_LOG"); p != "" { // keep the log for a human to read
		logPath = p
	}
	w := newWorkspace(t, emulator.Options{}, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	w.config(secretsConfig)
	// Variables on the command line would show in Terraform's own argv log line, which is
	// not the provider's to control; pass them through a file as CI would.
	varFile := func(token, key, version string) string {
		path := filepath.Join(t.TempDir(), "secrets.tfvars")
		writeFile(t, path, "token = \""+token+"\"\npaymaxis_key = \""+key+"\"\nsticpay_key = \""+sticpayKey+"\"\nkey_version = "+version+"\n")
		return "-var-file=" + path
	}

	w.run(true, "apply", "-auto-approve", "-input=false", varFile(emulator.DefaultToken, paymaxisV1, "1"))
	if out := w.run(true, "plan", "-input=false", "-detailed-exitcode", varFile(emulator.DefaultToken, paymaxisV1, "1")); !strings.Contains(out, "No changes") {
		t.Fatalf("the second plan is not empty:\n%s", out)
	}
	w.run(true, "apply", "-auto-approve", "-input=false", varFile(emulator.DefaultToken, paymaxisV2, "2"))
	// A credential the target's schema refuses: the diagnostic must name keys only.
	w.config(strings.Replace(secretsConfig, `merchantEmail = "ops@example.com", `, "", 1))
	refused := w.run(false, "plan", "-input=false", varFile(emulator.DefaultToken, paymaxisV2, "2"))
	if !strings.Contains(refused, `missing required key "merchantEmail"`) {
		t.Fatalf("want the schema diagnostic, got:\n%s", refused)
	}
	w.config(secretsConfig)
	// A refused token.
	if out := w.run(false, "plan", "-input=false", varFile(wrongToken, paymaxisV2, "2")); !strings.Contains(out, "Connxt refused the secret token") {
		t.Fatalf("want the 401 diagnostic, got:\n%s", out)
	}
	w.run(true, "destroy", "-auto-approve", "-input=false", varFile(emulator.DefaultToken, paymaxisV2, "2"))

	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logs), "Connxt API request") {
		t.Fatal("the TRACE log has no provider API lines; the check below would prove nothing")
	}
	if !strings.Contains(string(logs), `connxt_request_body=`) || !strings.Contains(string(logs), "[REDACTED]") {
		t.Fatal("the TRACE log has no redacted request bodies; the check below would prove nothing")
	}
	secrets := map[string]string{
		"the token": emulator.DefaultToken, "the refused token": wrongToken,
		"the write-only credential v1": paymaxisV1, "the write-only credential v2": paymaxisV2,
		"the sensitive credential": sticpayKey,
	}
	for what, value := range secrets {
		if strings.Contains(string(logs), value) {
			t.Errorf("the TRACE log contains %s", what)
		}
		if strings.Contains(w.transcript.String(), value) {
			t.Errorf("terraform's output contains %s", what)
		}
	}
	if state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate.backup")); err == nil {
		for _, v := range []string{paymaxisV1, paymaxisV2, emulator.DefaultToken} {
			if strings.Contains(string(state), v) {
				t.Errorf("the state file contains a write-only credential or the token")
			}
		}
	} else {
		t.Fatalf("no state backup to inspect: %v", err)
	}
	if n := len(w.emu.PSPs()); n != 0 {
		t.Errorf("destroy left %d PSPs", n)
	}
}
