package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// manyPSPs is n Paymaxis PSPs named prefix-0 … prefix-(n-1).
func manyPSPs(e *testEmulator, n int, prefix string, maxRetries int) string {
	return manyPSPsAdopting(e, n, prefix, maxRetries, false)
}

// manyPSPsAdopting is manyPSPs with adopt_lost_creates set as adopt says.
func manyPSPsAdopting(e *testEmulator, n int, prefix string, maxRetries int, adopt bool) string {
	return fmt.Sprintf(`
provider "connxt" {
  base_url           = %q
  secret_token       = %q
  max_retries        = %d
  adopt_lost_creates = %t
}
`, e.URL, emulator.DefaultToken, maxRetries, adopt) + fmt.Sprintf(`
resource "connxt_psp" "many" {
  count                 = %d
  name                  = "%s-${count.index}"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "reliability-key" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`, n, prefix)
}

// expectStateMatchesEmulator: every PSP of the emulator is in state exactly once, and
// nothing else is.
type expectStateMatchesEmulator struct {
	e    *testEmulator
	want int
}

func (c expectStateMatchesEmulator) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	var inState []string
	if req.State != nil && req.State.Values != nil && req.State.Values.RootModule != nil {
		for _, r := range req.State.Values.RootModule.Resources {
			if r.Type == "connxt_psp" {
				inState = append(inState, fmt.Sprint(r.AttributeValues["id"]))
			}
		}
	}
	var inEmulator []string
	names := map[string]int{}
	for _, p := range c.e.PSPs() {
		inEmulator = append(inEmulator, p.ID)
		names[p.Name]++
	}
	sort.Strings(inState)
	sort.Strings(inEmulator)
	if fmt.Sprint(inState) != fmt.Sprint(inEmulator) || len(inEmulator) != c.want {
		resp.Error = fmt.Errorf("state holds %d PSPs, the emulator %d, want %d each and the same ids", len(inState), len(inEmulator), c.want)
		return
	}
	for name, n := range names {
		if n != 1 {
			resp.Error = fmt.Errorf("the emulator holds %d PSPs named %s", n, name)
			return
		}
	}
}

// TestAccPSP_faultyNetwork applies 50 PSPs while about 20 % of requests fail: dropped
// connections, 429s, 500/502/503, and creates committed whose answer is lost. Every PSP
// exists exactly once, state matches the emulator, and the next plan is empty.
func TestAccPSP_faultyNetwork(t *testing.T) {
	mix := emulator.FaultRule{DropRate: 0.05, ThrottleRate: 0.05, RetryAfter: 0, ErrorRate: 0.1}
	create := mix
	create.CommitDropRate = 0.1
	e := newTestEmulator(t, emulator.Options{Seed: 7, Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{
		"*": mix, emulator.RouteCreatePSP: create,
	}}})
	e.parallelTest(t, []resource.TestStep{{
		Config: manyPSPsAdopting(e, 50, "faulty", 10, true),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			expectStateMatchesEmulator{e: e, want: 50},
			expectEmulator(func() error {
				if c := e.Counts(); c[emulator.RouteCreatePSP] < 50 {
					return fmt.Errorf("only %d creates reached the emulator", c[emulator.RouteCreatePSP])
				}
				return nil
			}),
		},
	}})
}

// TestAccPSP_lostCreateAnswers: every create is committed but its answer lost; the
// provider finds each PSP by name and target instead of creating it twice.
func TestAccPSP_lostCreateAnswers(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{
		emulator.RouteCreatePSP: {CommitDropRate: 1},
	}}})
	e.parallelTest(t, []resource.TestStep{{
		Config: manyPSPsAdopting(e, 3, "lost", 3, true),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			expectStateMatchesEmulator{e: e, want: 3},
			expectEmulator(func() error {
				if n := e.Counts()[emulator.RouteCreatePSP]; n != 3 {
					return fmt.Errorf("%d creates were sent for 3 PSPs; a lost answer must not cause a second create", n)
				}
				return nil
			}),
		},
	}})
}

// TestAccPSP_lostCreateAnswersAreNamedNotTaken: by default (adopt_lost_creates unset),
// creates whose answers are lost fail, each naming the PSP that now exists with the import
// command, and nothing is put in state that Connxt cannot prove is this apply's.
func TestAccPSP_lostCreateAnswersAreNamedNotTaken(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{
		emulator.RouteCreatePSP: {CommitDropRate: 1},
	}}})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		Steps: []resource.TestStep{{
			Config: manyPSPs(e, 2, "unproven", 3),
			ExpectError: regexp.MustCompile(`(?s)PSP may have been created by this apply.*lost\s+after\s+the\s+request\s+was\s+sent.*` +
				`terraform\s+import\s+<address>\s+psp_[0-9A-Za-z]{26}.*adopt_lost_creates`),
		}, {
			// Nothing is in state; the PSPs found have exactly the settings sent, so the next
			// plan warns (with the import command) and plans the creates, which then meet 409.
			Config:             manyPSPs(e, 2, "unproven", 3),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			PreConfig: func() {
				if n := len(e.PSPs()); n != 2 {
					t.Errorf("want the 2 PSPs the lost creates made, the emulator holds %d", n)
				}
			},
		}},
	})
}

// TestAccPSP_rateLimited: a per-token request-rate limit slows the apply down but fails
// nothing.
func TestAccPSP_rateLimited(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: emulator.FaultSettings{RateLimit: emulator.RateLimit{RPS: 20, Burst: 2}}})
	e.parallelTest(t, []resource.TestStep{{
		Config: manyPSPs(e, 20, "limited", 10),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{expectStateMatchesEmulator{e: e, want: 20}},
	}})
}

// TestAccPSP_lostCreateDoesNotTakeOverExisting: another team's PSP already holds the name,
// and this configuration's creates never reach Connxt (every connection drops). The
// look-up finds the other PSP, but it predates the apply: the create fails with the
// usual "already exists, import it" error, and the other PSP is left exactly as it was.
func TestAccPSP_lostCreateDoesNotTakeOverExisting(t *testing.T) {
	requireEmulator(t, "injects faults")
	e := newTestEmulator(t, emulator.Options{})
	const theirKey = `{"apiKey":"their-key-0001"}`
	theirs, _, err := e.client(t).CreatePSP(t.Context(), connxt.CreatePSPRequest{
		Name: "shared-0", FlowTargetID: paymaxisID, Credential: theirKey,
		Operations: []connxt.PSPOperation{{FlowActionID: depositID, FlowDefinitionID: paymaxisDepositID, Status: connxt.StatusDisabled}},
	})
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		CheckDestroy: func(*terraform.State) error {
			all := e.PSPs()
			if len(all) != 1 || all[0].ID != theirs.ID || all[0].Operations[0].Status != connxt.StatusDisabled {
				return fmt.Errorf("the other team's PSP was changed, removed or joined by another: %+v", all)
			}
			if cred, _ := e.StoredCredential(theirs.ID); cred != theirKey {
				return fmt.Errorf("the other team's credential was overwritten")
			}
			return nil
		},
		Steps: []resource.TestStep{{
			PreConfig: func() {
				if err := e.SetFaults(emulator.FaultSettings{Rules: map[string]emulator.FaultRule{emulator.RouteCreatePSP: {DropRate: 1}}}); err != nil {
					t.Fatal(err)
				}
			},
			Config:      manyPSPs(e, 1, "shared", 2),
			ExpectError: regexp.MustCompile(`(?s)already exists.*terraform import\s+<address>\s+` + theirs.ID),
		}},
	})
}
