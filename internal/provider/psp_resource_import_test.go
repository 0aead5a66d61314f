package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// sticpayBody is a Sticpay PSP with both actions, the given credential lines and name.
func sticpayBody(name, credentialLines string) string {
	return fmt.Sprintf(`
  name           = %q
  description    = "imported"
  logo           = "https://example.com/sticpay.png"
  flow_target_id = %q
%s
  operation {
    flow_action_id     = %q
    flow_definition_id = %q
  }
  operation {
    flow_action_id     = %q
    flow_definition_id = %q
    status             = "DISABLED"
  }`, name, sticpayID, credentialLines, depositID, sticpayDepositID, withdrawID, sticpayWithdrawD)
}

const sticpayWO = `  credential_wo = jsonencode({ merchantEmail = "ops@example.com", apiKey = "stic-secret-0001" })`

// TestAccPSP_importWriteOnly imports with the CLI and with an import block: every attribute
// Connxt returns is read back, and with credential_wo the plan after import is empty.
func TestAccPSP_importWriteOnly(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	config := pspConfig(e, sticpayBody("sticpay-usd", sticpayWO))
	e.parallelTest(t, []resource.TestStep{
		{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
		{
			ResourceName:      pspAddr,
			ImportState:       true,
			ImportStateVerify: true,
		},
		{
			// An import block plans a no-op import: nothing to change afterwards.
			Config:          config,
			ResourceName:    pspAddr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
		},
	})
}

// TestAccPSP_importSensitiveCredential: Connxt never returns a credential, so after an
// import with `credential` the plan sets it (and only it), as the docs say.
func TestAccPSP_importSensitiveCredential(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	config := pspConfig(e, sticpayBody("sticpay-usd",
		`  credential = jsonencode({ merchantEmail = "ops@example.com", apiKey = "stic-secret-0002" })`))
	e.parallelTest(t, []resource.TestStep{
		{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectSensitiveValue(pspAddr, tfjsonpath.New("credential"))},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
		{
			ResourceName:            pspAddr,
			ImportState:             true,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"credential"},
		},
		{
			Config:             config,
			ResourceName:       pspAddr,
			ImportState:        true,
			ImportStateKind:    resource.ImportBlockWithID,
			ExpectNonEmptyPlan: true,
			ImportPlanChecks: resource.ImportPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pspAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectSensitiveValue(pspAddr, tfjsonpath.New("credential")),
				},
			},
		},
	})
}

// TestAccPSP_importInvalidID refuses an id that is not a PSP id before calling Connxt.
func TestAccPSP_importInvalidID(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		Steps: []resource.TestStep{
			{
				Config:        pspConfig(e, sticpayBody("sticpay-usd", sticpayWO)),
				ResourceName:  pspAddr,
				ImportState:   true,
				ImportStateId: "ftg_01jt2ctt8veh48mkpcx2bdeatz",
				ExpectError:   regexp.MustCompile(`is not a PSP id`),
			},
		},
	})
}
