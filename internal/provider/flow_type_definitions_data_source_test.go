package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

const catalogAddr = "data.connxt_flow_type_definitions.psp"

var terraformBlock = regexp.MustCompile(`(?ms)^terraform \{.*?^\}\n`)

// TestAccFlowTypeDefinitions_defaultCatalog reads the documented catalog and reaches ids in
// one expression, including a null definition and a decoded credential schema.
func TestAccFlowTypeDefinitions_defaultCatalog(t *testing.T) {
	requireEmulator(t, "checks the whole of the emulator's default catalog")
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		Steps: []resource.TestStep{{
			Config: e.config(`
data "connxt_flow_type_definitions" "psp" {}

output "sticpay_withdraw_definition" {
  value = data.connxt_flow_type_definitions.psp.targets["Sticpay"].actions["WITHDRAW"].definition.id
}
output "paymaxis_required_keys" {
  value = jsondecode(data.connxt_flow_type_definitions.psp.targets["Paymaxis"].credential_schema).required
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(catalogAddr, tfjsonpath.New("type"), knownvalue.StringExact("PSP")),
				statecheck.ExpectKnownValue(catalogAddr, tfjsonpath.New("name"), knownvalue.StringExact("PSP")),
				statecheck.ExpectKnownValue(catalogAddr, tfjsonpath.New("targets"), knownvalue.MapSizeExact(2)),
				statecheck.ExpectKnownValue(catalogAddr, tfjsonpath.New("targets").AtMapKey("Paymaxis").AtMapKey("id"), knownvalue.StringExact(paymaxisID)),
				statecheck.ExpectKnownValue(catalogAddr, tfjsonpath.New("targets").AtMapKey("Paymaxis").AtMapKey("status"), knownvalue.StringExact("ENABLED")),
				statecheck.ExpectKnownValue(catalogAddr,
					tfjsonpath.New("targets").AtMapKey("Paymaxis").AtMapKey("actions").AtMapKey("DEPOSIT"),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"id":   knownvalue.StringExact(depositID),
						"name": knownvalue.StringExact("DEPOSIT"),
						"definition": knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"id": knownvalue.StringExact(paymaxisDepositID),
						}),
					})),
				statecheck.ExpectKnownValue(catalogAddr,
					tfjsonpath.New("targets").AtMapKey("Sticpay").AtMapKey("actions").AtMapKey("REFUND").AtMapKey("definition"),
					knownvalue.Null()),
				statecheck.ExpectKnownValue(catalogAddr,
					tfjsonpath.New("targets").AtMapKey("Sticpay").AtMapKey("actions").AtMapKey("REFUND").AtMapKey("id"),
					knownvalue.StringExact(refundID)),
				statecheck.ExpectKnownOutputValue("sticpay_withdraw_definition", knownvalue.StringExact(sticpayWithdrawD)),
				statecheck.ExpectKnownOutputValue("paymaxis_required_keys", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("apiKey")})),
			},
		}},
	})
}

// TestAccFlowTypeDefinitions_otherCatalog serves a catalog loaded from a file, with a
// disabled target and a second flow type, and refuses an unknown flow type.
func TestAccFlowTypeDefinitions_otherCatalog(t *testing.T) {
	catalog, err := emulator.LoadCatalog(filepath.Join("..", "emulator", "testdata", "catalog_alt.json"))
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEmulator(t, emulator.Options{Catalog: catalog})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		Steps: []resource.TestStep{
			{
				Config: e.config(`
data "connxt_flow_type_definitions" "psp" {}
data "connxt_flow_type_definitions" "kyc" {
  type = "KYC"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(catalogAddr, tfjsonpath.New("targets"), knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownValue(catalogAddr, tfjsonpath.New("targets").AtMapKey("GammaBank").AtMapKey("status"), knownvalue.StringExact("DISABLED")),
					statecheck.ExpectKnownValue(catalogAddr,
						tfjsonpath.New("targets").AtMapKey("BetaWallet").AtMapKey("actions").AtMapKey("PAYOUT").AtMapKey("definition"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.connxt_flow_type_definitions.kyc", tfjsonpath.New("name"), knownvalue.StringExact("KYC")),
					statecheck.ExpectKnownValue("data.connxt_flow_type_definitions.kyc",
						tfjsonpath.New("targets").AtMapKey("IdCheck").AtMapKey("id"), knownvalue.StringExact("ftg_01k26w14wmchwyfgcw8t7swm4f")),
				},
			},
			{
				Config: e.config(`
data "connxt_flow_type_definitions" "nope" {
  type = "LOYALTY"
}
`),
				ExpectError: regexp.MustCompile(`(?s)Unknown flow type.*no flow type named "LOYALTY"`),
			},
		},
	})
}

// TestAccQuickStart applies examples/quickstart as shipped: the data source feeds a
// dynamic operation block, only actions with a definition are enabled, and the second
// plan is empty.
func TestAccQuickStart(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	t.Setenv(EnvBaseURL, e.URL)
	t.Setenv(EnvSecretToken, e.token)
	main, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	// The test serves the provider in-process under its short name, so the example's
	// required_providers block (which names the registry address) is left out.
	hcl := e.prefixNames(terraformBlock.ReplaceAllString(string(main), ""))
	e.serialTest(t, []resource.TestStep{{
		Config:          hcl,
		ConfigVariables: config.Variables{"paymaxis_api_key": config.StringVariable("quickstart-key-0001")},
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("flow_target_id", knownvalue.StringExact(paymaxisID)),
			statecheck.ExpectKnownOutputValue("operations", knownvalue.MapExact(map[string]knownvalue.Check{
				depositID:  knownvalue.StringExact(paymaxisDepositID),
				withdrawID: knownvalue.StringExact(paymaxisWithdrawD),
			})),
			statecheck.ExpectKnownOutputValue("psp_id", knownvalue.StringRegexp(pspIDPattern)),
			expectNoSecretInState{secrets: []string{"quickstart-key-0001"}},
			expectEmulator(func() error {
				p, err := e.onlyPSP()
				if err != nil {
					return err
				}
				if cred, ok := e.storedCredential(p.ID); ok && cred != `{"apiKey":"quickstart-key-0001"}` {
					return fmt.Errorf("the emulator did not receive the configured credential")
				}
				return nil
			}),
		},
	}})
}
