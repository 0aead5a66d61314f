package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

const pspAddr = "connxt_psp.test"

func op(action, definition string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"flow_action_id":     knownvalue.StringExact(action),
		"flow_definition_id": knownvalue.StringExact(definition),
		"status":             knownvalue.StringExact(connxt.StatusEnabled),
	})
}

func opStatus(action, definition, status string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"flow_action_id":     knownvalue.StringExact(action),
		"flow_definition_id": knownvalue.StringExact(definition),
		"status":             knownvalue.StringExact(status),
	})
}

// paymaxisKeyV1 is what Connxt receives for jsonencode({ apiKey = "pmx-live-key-version-one" }),
// the credential most configurations write; paymaxisKeyV2 is its rotation.
const (
	paymaxisKeyV1 = `{"apiKey":"pmx-live-key-version-one"}`
	paymaxisKeyV2 = `{"apiKey":"pmx-live-key-version-two"}`
)

// TestAccPSP_lifecycle walks one PSP through create, in-place updates, a reorder that
// plans nothing, a replacement and destroy, checking state and the emulator at each step.
func TestAccPSP_lifecycle(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	created := e.config(`
resource "connxt_psp" "test" {
  name                  = "paymaxis-eu"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "pmx-live-key-version-one" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
  operation {
    flow_action_id     = "fat_01jtj2hq14fexta3pcaeaswc62" # WITHDRAW
    flow_definition_id = "fld_01jwwmns3keh2bjgn21e7sq9nz" # Paymaxis WITHDRAW
  }
}
`)
	// The same operations, written in the other order.
	reordered := e.config(`
resource "connxt_psp" "test" {
  name                  = "paymaxis-eu"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "pmx-live-key-version-one" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jtj2hq14fexta3pcaeaswc62" # WITHDRAW
    flow_definition_id = "fld_01jwwmns3keh2bjgn21e7sq9nz" # Paymaxis WITHDRAW
  }
  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`)
	updated := e.config(`
resource "connxt_psp" "test" {
  name                  = "paymaxis-eu-2"
  description           = "Paymaxis for the EU brand"
  logo                  = "https://example.com/paymaxis.png"
  status                = "DISABLED"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "pmx-live-key-version-one" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
    status             = "DISABLED"
  }
}
`)
	sticpay := e.config(`
resource "connxt_psp" "test" {
  name                  = "paymaxis-eu"
  flow_target_id        = "ftg_01jt2ctt8veh48mkpcx2bdeatz" # Sticpay
  credential_wo         = jsonencode({ merchantEmail = "ops@example.com", apiKey = "stic-key-123456" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jt2cyyskeh48mkpkf3y9z6j3" # Sticpay DEPOSIT
  }
}
`)

	var firstID string
	e.parallelTest(t, []resource.TestStep{
		{
			Config: created,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(pspAddr, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(pspIDPattern)),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("name"), knownvalue.StringExact(e.name("paymaxis-eu"))),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("status"), knownvalue.StringExact(connxt.StatusEnabled)),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("description"), knownvalue.Null()),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("logo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("credential"), knownvalue.Null()),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("credential_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("credential_wo_version"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("brand_id"), e.scopeIs(emulator.TokenFor(emulator.DefaultToken).BrandID)),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("environment_id"), e.scopeIs(emulator.TokenFor(emulator.DefaultToken).EnvironmentID)),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`))),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("operation"), knownvalue.SetExact([]knownvalue.Check{
					op(depositID, paymaxisDepositID), op(withdrawID, paymaxisWithdrawD),
				})),
				expectNoSecretInState{secrets: []string{"pmx-live-key-version-one"}},
				expectEmulator(func() error {
					p, err := e.onlyPSP()
					if err != nil {
						return err
					}
					firstID = p.ID
					if cred, ok := e.storedCredential(p.ID); ok && cred != paymaxisKeyV1 {
						return fmt.Errorf("the emulator stored another credential than the one configured")
					}
					if len(p.Operations) != 2 {
						return fmt.Errorf("the emulator holds %d operations, want 2", len(p.Operations))
					}
					return nil
				}),
			},
		},
		{
			// Name, description, logo, status and operations change in place; stable
			// computed values stay known, only updated_at is recomputed.
			Config: updated,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pspAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(pspAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(pspIDPattern)),
					plancheck.ExpectKnownValue(pspAddr, tfjsonpath.New("brand_id"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue(pspAddr, tfjsonpath.New("environment_id"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue(pspAddr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
					plancheck.ExpectUnknownValue(pspAddr, tfjsonpath.New("updated_at")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("name"), knownvalue.StringExact(e.name("paymaxis-eu-2"))),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("description"), knownvalue.StringExact("Paymaxis for the EU brand")),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("status"), knownvalue.StringExact(connxt.StatusDisabled)),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("operation"), knownvalue.SetExact([]knownvalue.Check{
					opStatus(depositID, paymaxisDepositID, connxt.StatusDisabled),
				})),
				expectEmulator(func() error {
					p, err := e.onlyPSP()
					if err != nil {
						return err
					}
					if p.ID != firstID {
						return fmt.Errorf("the PSP was replaced (%s -> %s); want an in-place update", firstID, p.ID)
					}
					if p.Status != connxt.StatusDisabled || len(p.Operations) != 1 || p.Logo == nil {
						return fmt.Errorf("the emulator holds status %s, %d operations, logo %v", p.Status, len(p.Operations), p.Logo)
					}
					return nil
				}),
			},
		},
		{
			Config: created,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(pspAddr, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("description"), knownvalue.Null()),
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("logo"), knownvalue.Null()),
			},
		},
		{
			// The same operations in another order plan nothing.
			Config:   reordered,
			PlanOnly: true,
		},
		{
			// A new target replaces the PSP.
			Config: sticpay,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(pspAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(pspAddr, tfjsonpath.New("flow_target_id"), knownvalue.StringExact(sticpayID)),
				expectEmulator(func() error {
					p, err := e.onlyPSP()
					if err != nil {
						return err
					}
					if p.ID == firstID || p.FlowTargetID != sticpayID {
						return fmt.Errorf("want a new Sticpay PSP, the emulator holds %s on %s", p.ID, p.FlowTargetID)
					}
					return nil
				}),
			},
		},
	})
}
