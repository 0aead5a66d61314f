package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// lifecyclePSP is one Paymaxis PSP named "lifecycle".
const lifecyclePSP = `
resource "connxt_psp" "test" {
  name                  = "lifecycle"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "pmx-live-key-version-one" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`

// TestAccPSP_replaceOnServerWithoutDelete: the server answers DELETE with 405, and the
// PSP is replaced with its name and target unchanged (here by -replace, as with a tainted
// resource). Destroying disables the PSP; the create of the replacement then takes that
// PSP back, updated and re-enabled, instead of failing with 409 and leaving a disabled,
// untracked gateway.
func TestAccPSP_replaceOnServerWithoutDelete(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{DeleteUnsupported: true})
	config := e.config(lifecyclePSP)
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		CheckDestroy: func(*terraform.State) error {
			p, err := e.onlyPSP()
			if err != nil || p.Status != connxt.StatusDisabled {
				return fmt.Errorf("destroy on a server without DELETE must leave the one PSP disabled: %+v, %w", p, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					firstID = s.RootModule().Resources["connxt_psp.test"].Primary.ID
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("connxt_psp.test", plancheck.ResourceActionDestroyBeforeCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Taint: []string{"connxt_psp.test"},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("connxt_psp.test", tfjsonpath.New("status"), knownvalue.StringExact(connxt.StatusEnabled)),
					expectEmulator(func() error {
						p, err := e.onlyPSP()
						switch {
						case err != nil:
							return err
						case p.ID != firstID || p.Status != connxt.StatusEnabled:
							return fmt.Errorf("want %s taken back and ENABLED, got %s %s", firstID, p.ID, p.Status)
						}
						return nil
					}),
				},
			},
		},
	})
}

// TestAccPSP_createBeforeDestroyWithTheSameName: with create_before_destroy, a
// replacement whose name is unchanged always meets 409 (names are unique per target).
// The error says exactly that and what to do, and does not suggest an import.
func TestAccPSP_createBeforeDestroyWithTheSameName(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	config := e.config(`
resource "connxt_psp" "test" {
  name                  = "lifecycle"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "pmx-live-key-version-one" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }

  lifecycle {
    create_before_destroy = true
  }
}
`)
	e.parallelTest(t, []resource.TestStep{
		{Config: config},
		{
			Config:      config,
			Taint:       []string{"connxt_psp.test"},
			ExpectError: regexp.MustCompile(`(?s)replacing\s+psp_\w+\s+with\s+create_before_destroy.*change\s+the\s+name.*remove\s+create_before_destroy`),
		},
	})
}

// otherPSP is applied first and stays, so that a plan of it alone is one without creates.
const otherPSP = `
resource "connxt_psp" "other" {
  name                  = "other"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "pmx-live-key-version-one" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`

// TestAccPSP_nameTakenIsReportedAtPlan: a PSP that this state does not hold already has
// the name of a planned create; the plan says so with the import command, instead of the
// apply failing half way. A plan without creates lists nothing.
func TestAccPSP_nameTakenIsReportedAtPlan(t *testing.T) {
	requireEmulator(t, "counts the requests and removes a PSP through the emulator's Go methods")
	e := newTestEmulator(t, emulator.Options{})
	var theirs string
	withoutLifecycle, withLifecycle := e.config(otherPSP), e.config(otherPSP+lifecyclePSP)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		CheckDestroy:             e.checkNoPSPs,
		Steps: []resource.TestStep{
			{Config: withoutLifecycle},
			{
				PreConfig: func() {
					// Someone else's PSP of that name, with other settings (a description).
					description := "made by hand"
					p, _, err := e.client(t).CreatePSP(t.Context(), connxt.CreatePSPRequest{Name: "lifecycle", FlowTargetID: paymaxisID,
						Description: &description, Credential: `{"apiKey":"someone-elses"}`, Operations: []connxt.PSPOperation{
							{FlowActionID: depositID, FlowDefinitionID: paymaxisDepositID, Status: connxt.StatusEnabled}}})
					if err != nil {
						t.Fatal(err)
					}
					theirs = p.ID
				},
				Config:      withLifecycle,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)PSP name already taken.*terraform\s+import\s+<address>\s+psp_`),
			},
			{
				// No create planned, so no listing.
				PreConfig: func() { e.ResetCounts() },
				Config:    withoutLifecycle,
				ConfigStateChecks: []statecheck.StateCheck{expectEmulator(func() error {
					if n := e.Counts()[emulator.RouteListPSPs]; n != 0 {
						return fmt.Errorf("plans without creates listed PSPs %d times", n)
					}
					return nil
				})},
			},
			{
				// Once the name is free, the same create plans and applies.
				PreConfig: func() {
					if !e.RemovePSP(theirs) {
						t.Fatal("could not remove the other PSP")
					}
				},
				Config: withLifecycle,
			},
		},
	})
}
