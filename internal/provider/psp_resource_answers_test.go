package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// rewriteAnswers lets edit change the PSP in the answers to route while on is set, as a
// server that normalises values (or a proxy that rewrites them) would.
func rewriteAnswers(route string, on *atomic.Bool, edit func(map[string]any)) emulator.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) != route || !on.Load() {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var env map[string]any
			if rec.Code < 300 && json.Unmarshal(rec.Body.Bytes(), &env) == nil {
				if data, ok := env["data"].(map[string]any); ok {
					edit(data)
				}
			}
			body, _ := json.Marshal(env)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	}
}

// stripFromCreate removes members from create requests, as a server whose create DTO
// lacks them would ignore them.
func stripFromCreate(members ...string) emulator.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) == emulator.RouteCreatePSP {
				raw, _ := io.ReadAll(r.Body)
				var body map[string]any
				if json.Unmarshal(raw, &body) == nil {
					for _, m := range members {
						delete(body, m)
					}
					raw, _ = json.Marshal(body)
				}
				r.Body = io.NopCloser(bytes.NewReader(raw))
				r.ContentLength = int64(len(raw))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// describedDisabledPSP is a PSP whose description and status the create must send.
const describedDisabledPSP = `
resource "connxt_psp" "test" {
  name                  = "created-disabled"
  description           = "EU deposits"
  status                = "DISABLED"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "pmx-live-key-version-one" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`

// TestAccPSP_createIsOneCall: description and a DISABLED status go with the create itself:
// one POST, no follow-up PUT, and the PSP is never ENABLED.
func TestAccPSP_createIsOneCall(t *testing.T) {
	requireEmulator(t, "counts the requests")
	e := newTestEmulator(t, emulator.Options{})
	e.parallelTest(t, []resource.TestStep{{
		Config: e.config(describedDisabledPSP),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{expectEmulator(func() error {
			c := e.Counts()
			if c[emulator.RouteCreatePSP] != 1 || c[emulator.RouteUpdatePSP] != 0 {
				return fmt.Errorf("want 1 POST and no PUT, got %d and %d", c[emulator.RouteCreatePSP], c[emulator.RouteUpdatePSP])
			}
			p, err := e.onlyPSP()
			if err == nil && (p.Status != connxt.StatusDisabled || p.Description == nil) {
				err = fmt.Errorf("want a DISABLED, described PSP, got %s, %v", p.Status, p.Description)
			}
			return err
		})},
	}})
}

// TestAccPSP_createFollowUp: a server that ignores description and status in the create
// shows it in its answer, and one PUT sets them. When that PUT fails, the error says what
// the PSP really is (ENABLED, no description) and how to keep it instead of replacing it.
func TestAccPSP_createFollowUp(t *testing.T) {
	t.Run("applied by a PUT", func(t *testing.T) {
		e := newTestEmulator(t, emulator.Options{Middleware: []emulator.Middleware{stripFromCreate("description", "status")}})
		e.parallelTest(t, []resource.TestStep{{
			Config: e.config(describedDisabledPSP),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{expectEmulator(func() error {
				if n := e.Counts()[emulator.RouteUpdatePSP]; n != 1 {
					return fmt.Errorf("want one follow-up PUT, got %d", n)
				}
				p, err := e.onlyPSP()
				if err == nil && p.Status != connxt.StatusDisabled {
					err = fmt.Errorf("status %s", p.Status)
				}
				return err
			})},
		}})
	})
	t.Run("PUT fails", func(t *testing.T) {
		e := newTestEmulator(t, emulator.Options{
			Middleware: []emulator.Middleware{stripFromCreate("description", "status")},
			Faults:     emulator.FaultSettings{Rules: map[string]emulator.FaultRule{emulator.RouteUpdatePSP: {ErrorRate: 1, Statuses: []int{http.StatusBadGateway}}}},
		})
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: protoV6Providers,
			Steps: []resource.TestStep{
				{
					// Without retries, the failing PUT fails the apply at once.
					Config: fmt.Sprintf(`
provider "connxt" {
  base_url     = %q
  secret_token = %q
  max_retries  = 0
}
`, e.URL, e.token) + describedDisabledPSP,
					ExpectError: regexp.MustCompile(`(?s)PSP created but not as planned.*is\s+ENABLED\s+without\s+a\s+description.*terraform\s+untaint\s+<address>`),
				},
				{
					// The PSP is in state (tainted): the next plan replaces it; nothing is lost.
					PreConfig: func() { _ = e.SetFaults(emulator.FaultSettings{}) },
					Config:    e.config(describedDisabledPSP),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("connxt_psp.test", plancheck.ResourceActionDestroyBeforeCreate),
					}},
				},
			},
			CheckDestroy: e.checkNoPSPs,
		})
	})
}

// TestAccPSP_normalisedAnswer: a server that answers the create with a lower-case status
// and an extra operation gets an error naming each attribute and both values, not
// Terraform's "Provider produced inconsistent result after apply".
func TestAccPSP_normalisedAnswer(t *testing.T) {
	var on atomic.Bool
	on.Store(true)
	normalise := func(p map[string]any) {
		p["status"] = "enabled"
		ops, _ := p["operations"].([]any)
		p["operations"] = append(ops, map[string]any{"flowActionId": withdrawID, "flowDefinitionId": paymaxisWithdrawD, "status": "ENABLED"})
	}
	e := newTestEmulator(t, emulator.Options{Middleware: []emulator.Middleware{
		rewriteAnswers(emulator.RouteCreatePSP, &on, normalise),
		rewriteAnswers(emulator.RouteUpdatePSP, &on, normalise),
	}})
	e.parallelTest(t, []resource.TestStep{
		{
			Config: e.config(lifecyclePSP),
			ExpectError: regexp.MustCompile(`(?s)Connxt stored another value than planned.*For\s+(status|operation)\s+the\s+plan\s+has.*` +
				`Connxt stored another value than planned.*For\s+(status|operation)\s+the\s+plan\s+has.*terraform\s+untaint`),
		},
		{
			// The PSP was kept (tainted, with Connxt's values): once the server answers as
			// planned, the next apply converges and plans nothing after.
			PreConfig: func() { on.Store(false) },
			Config:    e.config(lifecyclePSP),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
	})
}

// TestAccPSP_deleteAnsweredWithoutSuccess: a DELETE answered 200 with an error envelope
// is no deletion: destroy fails and the PSP stays in state.
func TestAccPSP_deleteAnsweredWithoutSuccess(t *testing.T) {
	var on atomic.Bool
	forbid := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) == emulator.RouteDeletePSP && on.Load() {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"timestamp":"t","code":"4003","message":"Forbidden"}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	e := newTestEmulator(t, emulator.Options{Middleware: []emulator.Middleware{forbid}})
	e.parallelTest(t, []resource.TestStep{
		{Config: e.config(lifecyclePSP)},
		{
			PreConfig:   func() { on.Store(true) },
			Config:      e.config(lifecyclePSP),
			Destroy:     true,
			ExpectError: regexp.MustCompile(`(?s)Unable to delete the PSP.*without\s+a\s+success\s+code`),
		},
		{
			PreConfig: func() {
				on.Store(false)
				if len(e.PSPs()) != 1 {
					t.Error("the PSP must still exist")
				}
			},
			Config: e.config(lifecyclePSP),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
	})
}
