package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// TestAccPSP_apiCallFloor holds the provider to the fewest API calls its work needs, on
// the emulator's counters, so that the floor holds without the benchmark: an apply of new
// PSPs is one POST each, with no read after the write and no update; the plan and apply
// processes list the environment once each (for taken names and the create ledger) and
// read the catalog once each; a plan of unchanged PSPs reads each PSP once and lists
// nothing.
func TestAccPSP_apiCallFloor(t *testing.T) {
	requireEmulator(t, "counts the emulator's requests")
	const n = 5
	e := newTestEmulator(t, emulator.Options{})
	config := manyPSPs(e, n, "floor", 3)
	calls := func(want map[string]int) func() error {
		return func() error {
			got := e.Counts()
			for route, w := range want {
				if got[route] != w {
					return fmt.Errorf("%s: %d calls, want %d (all: %v)", route, got[route], w, got)
				}
			}
			return nil
		}
	}
	e.parallelTest(t, []resource.TestStep{
		{
			PreConfig: e.ResetCounts,
			Config:    config,
			ConfigStateChecks: []statecheck.StateCheck{expectEmulator(calls(map[string]int{
				emulator.RouteCreatePSP: n, emulator.RouteUpdatePSP: 0, emulator.RouteGetPSP: 0,
				emulator.RouteListPSPs: 2, emulator.RouteFlowTypeDefinitions: 2,
			}))},
		},
		{
			// PlanOnly fails the step if the plan is not empty.
			PreConfig: e.ResetCounts,
			Config:    config,
			PlanOnly:  true,
		},
		{
			// What the plan-only step above cost, read before anything else runs.
			PreConfig: func() {
				if err := calls(map[string]int{emulator.RouteGetPSP: n, emulator.RouteListPSPs: 0,
					emulator.RouteCreatePSP: 0, emulator.RouteUpdatePSP: 0})(); err != nil {
					t.Error("a no-change plan: " + err.Error())
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
	})
}
