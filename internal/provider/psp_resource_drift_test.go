package provider

import (
	"fmt"
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

// paymaxisDepositOnly is a Paymaxis PSP with a DEPOSIT operation alone.
const paymaxisDepositOnly = `
resource "connxt_psp" "test" {
  name                  = "paymaxis-drift"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "pmx-live-key-version-one" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`

// TestAccPSP_driftDeleted: a PSP deleted outside Terraform leaves state on refresh, and
// the next plan creates it again.
func TestAccPSP_driftDeleted(t *testing.T) {
	requireEmulator(t, "deletes a PSP through the emulator's Go methods")
	e := newTestEmulator(t, emulator.Options{})
	config := e.config(paymaxisDepositOnly)
	var firstID string
	e.parallelTest(t, []resource.TestStep{
		{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{expectEmulator(func() error {
				p, err := e.onlyPSP()
				firstID = p.ID
				return err
			})},
		},
		{
			PreConfig: func() {
				if !e.RemovePSP(firstID) {
					t.Fatalf("PSP %s was not in the emulator", firstID)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(pspAddr, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{expectEmulator(func() error {
				p, err := e.onlyPSP()
				if err == nil && p.ID == firstID {
					return fmt.Errorf("want a new PSP, got the old id %s", p.ID)
				}
				return err
			})},
		},
	})
}

// TestAccPSP_driftChanged: operations, status and name changed outside Terraform show in
// the plan as an in-place update that restores the configuration.
func TestAccPSP_driftChanged(t *testing.T) {
	requireEmulator(t, "changes a PSP through the emulator's Go methods")
	e := newTestEmulator(t, emulator.Options{})
	config := e.config(paymaxisDepositOnly)
	e.parallelTest(t, []resource.TestStep{
		{Config: config},
		{
			PreConfig: func() {
				p, err := e.onlyPSP()
				if err != nil {
					t.Fatal(err)
				}
				e.MutatePSP(p.ID, func(p *connxt.PSP) {
					p.Name = "renamed-in-the-console"
					p.Status = connxt.StatusDisabled
					p.Operations = []connxt.PSPOperation{
						{FlowActionID: depositID, FlowDefinitionID: paymaxisDepositID, Status: connxt.StatusDisabled},
						{FlowActionID: withdrawID, FlowDefinitionID: paymaxisWithdrawD, Status: connxt.StatusEnabled},
					}
				})
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pspAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(pspAddr, tfjsonpath.New("name"), knownvalue.StringExact("paymaxis-drift")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{expectEmulator(func() error {
				p, err := e.onlyPSP()
				if err != nil {
					return err
				}
				if p.Name != "paymaxis-drift" || p.Status != connxt.StatusEnabled || len(p.Operations) != 1 ||
					p.Operations[0].Status != connxt.StatusEnabled {
					return fmt.Errorf("the emulator was not restored: %s %s %+v", p.Name, p.Status, p.Operations)
				}
				return nil
			})},
		},
	})
}

// TestAccPSP_credentialRotation: bumping credential_wo_version sends the new credential;
// changing the write-only value alone does not (Terraform cannot see it), and the secret
// never reaches state.
func TestAccPSP_credentialRotation(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	// The credential and its version are what the steps vary.
	withKey := func(credential string, version int) string {
		return e.config(fmt.Sprintf(`
resource "connxt_psp" "test" {
  name                  = "paymaxis-rotate"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = %q
  credential_wo_version = %d

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`, credential, version))
	}
	storedIs := func(want string) statecheck.StateCheck {
		return expectEmulator(func() error {
			p, err := e.onlyPSP()
			if err != nil {
				return err
			}
			if got, ok := e.storedCredential(p.ID); ok && got != want {
				return fmt.Errorf("the emulator holds another credential than expected (%d vs %d bytes)", len(got), len(want))
			}
			return nil
		})
	}
	noSecrets := expectNoSecretInState{secrets: []string{"pmx-live-key-version-one", "pmx-live-key-version-two"}}
	e.parallelTest(t, []resource.TestStep{
		{
			Config:            withKey(paymaxisKeyV1, 1),
			ConfigStateChecks: []statecheck.StateCheck{storedIs(paymaxisKeyV1), noSecrets},
		},
		{
			// Same version: Terraform has nothing to compare, so nothing is sent.
			Config:   withKey(paymaxisKeyV2, 1),
			PlanOnly: true,
		},
		{
			Config: withKey(paymaxisKeyV2, 2),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(pspAddr, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				storedIs(paymaxisKeyV2), noSecrets,
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("credential_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("credential_wo_version"), knownvalue.Int64Exact(2)),
			},
		},
	})
}

// TestAccPSP_sensitiveCredential: `credential` is sensitive in the plan, an equal but
// re-formatted document plans nothing, a changed one is sent, and switching to the
// write-only form sends that credential.
func TestAccPSP_sensitiveCredential(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	// The credential line, in either form, is what the steps vary.
	withCredential := func(credentialLine string) string {
		return e.config(fmt.Sprintf(`
resource "connxt_psp" "test" {
  name           = "paymaxis-sensitive"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis

  %s

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`, credentialLine))
	}
	storedIs := func(want string) statecheck.StateCheck {
		return expectEmulator(func() error {
			p, err := e.onlyPSP()
			if err != nil {
				return err
			}
			if got, ok := e.storedCredential(p.ID); ok && !jsonEqualForTest(got, want) {
				return fmt.Errorf("the emulator holds another credential than expected")
			}
			return nil
		})
	}
	e.parallelTest(t, []resource.TestStep{
		{
			Config: withCredential(`credential = "{\"apiKey\":\"first-key-aaaa\"}"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectSensitiveValue(pspAddr, tfjsonpath.New("credential"))},
			},
			ConfigStateChecks: []statecheck.StateCheck{storedIs(`{"apiKey":"first-key-aaaa"}`)},
		},
		{
			// Re-formatted, same document.
			Config:   withCredential(`credential = "{ \"apiKey\" :   \"first-key-aaaa\" }"`),
			PlanOnly: true,
		},
		{
			Config: withCredential(`credential = jsonencode({ apiKey = "second-key-bbbb" })`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pspAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectSensitiveValue(pspAddr, tfjsonpath.New("credential")),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{storedIs(`{"apiKey":"second-key-bbbb"}`)},
		},
		{
			Config: withCredential(`credential_wo = jsonencode({ apiKey = "third-key-cccc" })`),
			ConfigStateChecks: []statecheck.StateCheck{
				storedIs(`{"apiKey":"third-key-cccc"}`),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("credential"), knownvalue.Null()),
				expectNoSecretInState{secrets: []string{"third-key-cccc", "second-key-bbbb"}},
			},
		},
	})
}

// TestAccPSP_deleteUnsupported: where the server answers DELETE with 405, destroy disables
// the PSP, warns that it still exists, and removes it from state.
func TestAccPSP_deleteUnsupported(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{DeleteUnsupported: true})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		CheckDestroy: func(*terraform.State) error {
			p, err := e.onlyPSP()
			if err != nil {
				return err
			}
			if p.Status != connxt.StatusDisabled {
				return fmt.Errorf("after destroy on a server without deletion, want the PSP DISABLED, got %s", p.Status)
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: e.config(paymaxisDepositOnly)}},
	})
}
