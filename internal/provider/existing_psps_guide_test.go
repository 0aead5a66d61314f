package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// The tests of this file apply the examples of the existing-PSPs guide as shipped, so that
// the guide cannot show a configuration that does not work.

// guideExample is examples/existing-psps/<name>/main.tf configured for this emulator. The
// provider is served in-process under its short name, so the example's terraform block
// (which names the registry address) is left out.
func (e *testEmulator) guideExample(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "existing-psps", name, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	return e.providerBlock() + terraformBlock.ReplaceAllString(string(src), "")
}

// TestAccExistingPSPs_reference: another workspace's PSP is found by name, and the
// example's postcondition stops the plan once that PSP is disabled.
func TestAccExistingPSPs_reference(t *testing.T) {
	requireEmulator(t, "seeds PSPs of fixed names out of band")
	e := newTestEmulator(t, emulator.Options{})
	theirs := seedPSP(t, e.client(t), "paymaxis-eu", paymaxisID, connxt.StatusEnabled)
	hcl := e.guideExample(t, "reference")
	dataSourceTest(t, []resource.TestStep{
		{
			Config:            hcl,
			ConfigPlanChecks:  emptyPlanAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("psp_id", knownvalue.StringExact(theirs.ID))},
		},
		{
			PreConfig:   func() { e.MutatePSP(theirs.ID, func(p *connxt.PSP) { p.Status = connxt.StatusDisabled }) },
			Config:      hcl,
			ExpectError: wrapped(fmt.Sprintf("PSP paymaxis-eu (%s) is disabled", theirs.ID)),
		},
	})
}

// TestAccExistingPSPs_unmanagedCheck: the example's check block fails (a warning: the
// apply succeeds) while a PSP is missing from the managed ids, and passes once it is listed.
func TestAccExistingPSPs_unmanagedCheck(t *testing.T) {
	requireEmulator(t, "seeds PSPs of fixed names out of band")
	e := newTestEmulator(t, emulator.Options{})
	stray := seedPSP(t, e.client(t), "stray", paymaxisID, "")
	hcl := e.guideExample(t, "unmanaged-check")
	managed := func(ids ...string) config.Variables {
		vs := make([]config.Variable, 0, len(ids))
		for _, id := range ids {
			vs = append(vs, config.StringVariable(id))
		}
		return config.Variables{"managed_psp_ids": config.SetVariable(vs...)}
	}
	dataSourceTest(t, []resource.TestStep{
		{
			Config:          hcl,
			ConfigVariables: managed(),
			// Terraform plans a read of a check block's data source on every plan, so
			// the plan after apply is never empty.
			ExpectNonEmptyPlan: true,
			ConfigStateChecks:  []statecheck.StateCheck{expectCheck("no_unmanaged_psps", "fail")},
		},
		{
			Config:             hcl,
			ConfigVariables:    managed(stray.ID),
			ExpectNonEmptyPlan: true,
			ConfigStateChecks:  []statecheck.StateCheck{expectCheck("no_unmanaged_psps", "pass")},
		},
	})
}

// TestAccExistingPSPs_adopt: the example's import blocks with for_each adopt exactly the
// PSPs of the prefix, with no create and no update, and the plan afterwards is empty.
func TestAccExistingPSPs_adopt(t *testing.T) {
	requireEmulator(t, "seeds PSPs of fixed names out of band")
	e := newTestEmulator(t, emulator.Options{})
	c := e.client(t)
	paymaxis := seedPSP(t, c, "legacy-paymaxis", paymaxisID, connxt.StatusDisabled)
	e.MutatePSP(paymaxis.ID, func(p *connxt.PSP) {
		d := "kept as it was"
		p.Description = &d
	})
	sticpay := seedPSP(t, c, "legacy-sticpay", sticpayID, connxt.StatusEnabled)
	current := seedPSP(t, c, "current", paymaxisID, connxt.StatusEnabled)
	seeded := e.Counts()[emulator.RouteCreatePSP]

	// Without CheckDestroy: its legacy state form cannot hold for_each keys. The check
	// after the test case does its job.
	dataSourceTest(t, []resource.TestStep{{
		Config: e.guideExample(t, "adopt"),
		ConfigVariables: config.Variables{"legacy_credentials": config.MapVariable(map[string]config.Variable{
			"legacy-paymaxis": config.StringVariable(`{"apiKey":"adopted-paymaxis-key"}`),
			"legacy-sticpay":  config.StringVariable(`{"merchantEmail":"ops@example.com","apiKey":"adopted-sticpay-key"}`),
		})},
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(`connxt_psp.legacy["legacy-paymaxis"]`, plancheck.ResourceActionNoop),
				plancheck.ExpectResourceAction(`connxt_psp.legacy["legacy-sticpay"]`, plancheck.ResourceActionNoop),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("adopted", knownvalue.MapExact(map[string]knownvalue.Check{
				"legacy-paymaxis": knownvalue.StringExact(paymaxis.ID),
				"legacy-sticpay":  knownvalue.StringExact(sticpay.ID),
			})),
			statecheck.ExpectKnownValue(`connxt_psp.legacy["legacy-paymaxis"]`, tfjsonpath.New("description"), knownvalue.StringExact("kept as it was")),
			statecheck.ExpectKnownValue(`connxt_psp.legacy["legacy-paymaxis"]`, tfjsonpath.New("status"), knownvalue.StringExact(connxt.StatusDisabled)),
			expectNoSecretInState{secrets: []string{"adopted-paymaxis-key", "adopted-sticpay-key"}},
			expectEmulator(func() error {
				counts := e.Counts()
				if counts[emulator.RouteCreatePSP] != seeded || counts[emulator.RouteUpdatePSP] != 0 {
					return fmt.Errorf("adopting made %d creates and %d updates, want none",
						counts[emulator.RouteCreatePSP]-seeded, counts[emulator.RouteUpdatePSP])
				}
				return nil
			}),
		},
	}, {
		Config: e.providerBlock(),
		ConfigStateChecks: []statecheck.StateCheck{expectEmulator(func() error {
			if all := e.PSPs(); len(all) != 1 || all[0].ID != current.ID {
				return fmt.Errorf("after destroy the emulator holds %d PSPs, want only the one that was not adopted", len(all))
			}
			return nil
		})},
	}})
}
