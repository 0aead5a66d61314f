package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/catalogids"
	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// guardedPSP is one PSP whose provider block uses token.
func guardedPSP(token string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    connxt = { source = "fynxt/connxt" }
  }
}

provider "connxt" {
  secret_token = %q
}

resource "connxt_psp" "gateway" {
  name                  = "env-guarded"
  flow_target_id        = %q
  credential_wo         = jsonencode({ apiKey = "e2e-env-guard-key" })
  credential_wo_version = 1
  operation {
    flow_action_id     = %q
    flow_definition_id = %q
  }
}
`, token, catalogids.Paymaxis, catalogids.Deposit, catalogids.PaymaxisDeposit)
}

// TestWrongTokenNeverForgetsAPSP, as a user would run it with the CLI: with the token of
// another environment, a plan whose environment cannot be learnt warns (and names the
// state's environment), and a destroy without refresh (the path that skips every
// plan-time check) stops with an error and keeps the PSP, also on a server that cannot
// delete PSPs, where the provider disables instead.
func TestWrongTokenNeverForgetsAPSP(t *testing.T) {
	for _, deleteUnsupported := range []bool{false, true} {
		t.Run(fmt.Sprintf("delete unsupported %v", deleteUnsupported), func(t *testing.T) {
			skipUnlessTerraform(t)
			emu := startEmulator(t, emulator.Options{DeleteUnsupported: deleteUnsupported})
			w := newWorkspaceOn(t, emu)
			envA := emulator.TokenFor(emulator.DefaultToken).EnvironmentID
			w.config(guardedPSP(emulator.DefaultToken))
			w.run(true, "apply", "-auto-approve", "-input=false")
			psp := onlyPSP(t, w)

			// Token B's environment has no PSPs: a warning that names A, and a create planned.
			w.config(guardedPSP(emulator.SecondToken))
			out := flattenDiagnostics(w.run(true, "plan", "-input=false"))
			if !strings.Contains(out, "Warning: PSP not found, and the token's environment is unknown") || !strings.Contains(out, envA) ||
				!strings.Contains(out, "will be created") {
				t.Fatalf("want the warning naming %s and a planned create, got:\n%s", envA, out)
			}

			// Token B's environment has a PSP now, so it is known: destroy refuses.
			other, err := connxt.New(connxt.Config{BaseURL: emu.URL, Token: emulator.SecondToken})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := other.CreatePSP(t.Context(), connxt.CreatePSPRequest{Name: "other-team", FlowTargetID: catalogids.Paymaxis,
				Credential: `{"apiKey":"other-env-key"}`, Operations: []connxt.PSPOperation{
					{FlowActionID: catalogids.Deposit, FlowDefinitionID: catalogids.PaymaxisDeposit, Status: connxt.StatusEnabled}}}); err != nil {
				t.Fatal(err)
			}
			out = flattenDiagnostics(w.run(false, "destroy", "-auto-approve", "-input=false", "-refresh=false"))
			if !strings.Contains(out, "PSP belongs to another Connxt environment") {
				t.Fatalf("want the environment error, got:\n%s", out)
			}
			if after := onlyPSPOf(t, w, envA); after.ID != psp.ID || after.Status != connxt.StatusEnabled {
				t.Fatalf("the PSP of %s must be left as it was, got %+v", envA, after)
			}
			if list := w.run(true, "state", "list"); !strings.Contains(list, "connxt_psp.gateway") {
				t.Fatalf("the PSP must still be in state, state list says:\n%s", list)
			}

			// With the right token, everything is as before.
			w.config(guardedPSP(emulator.DefaultToken))
			w.run(true, "plan", "-input=false", "-detailed-exitcode")
			w.run(true, "destroy", "-auto-approve", "-input=false")
		})
	}
}

// onlyPSP returns the one PSP the workspace's emulator holds.
func onlyPSP(t *testing.T, w *workspace) connxt.PSP {
	t.Helper()
	all := w.emu.PSPs()
	if len(all) != 1 {
		t.Fatalf("want 1 PSP in the emulator, got %d", len(all))
	}
	return all[0]
}

// onlyPSPOf returns the one PSP of environment env.
func onlyPSPOf(t *testing.T, w *workspace, env string) connxt.PSP {
	t.Helper()
	var mine []connxt.PSP
	for _, p := range w.emu.PSPs() {
		if p.EnvironmentID == env {
			mine = append(mine, p)
		}
	}
	if len(mine) != 1 {
		t.Fatalf("want 1 PSP in %s, got %d", env, len(mine))
	}
	return mine[0]
}
