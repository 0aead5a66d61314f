package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// guardedPSP is the PSP of these tests; its one verb is the provider configuration it
// uses ("connxt" for the default one).
const guardedPSP = `
resource "connxt_psp" "gateway" {
  provider              = %s
  name                  = "env-guarded"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "env-guard-key" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`

// envPSP is the PSP with a provider block that uses token, and pins expectedEnv unless
// it is "".
func envPSP(e *testEmulator, token, expectedEnv string) string {
	environmentID := "null" // not pinned
	if expectedEnv != "" {
		environmentID = strconv.Quote(expectedEnv)
	}
	return fmt.Sprintf(`
provider "connxt" {
  base_url       = %q
  secret_token   = %q
  environment_id = %s
}
`, e.URL, token, environmentID) + fmt.Sprintf(guardedPSP, "connxt")
}

// twoAliases declares the provider configurations "a" (DefaultToken) and "b" (SecondToken)
// and the PSP through the one named use.
func twoAliases(e *testEmulator, use string) string {
	return fmt.Sprintf(`
provider "connxt" {
  alias        = "a"
  base_url     = %[1]q
  secret_token = %[2]q
}

provider "connxt" {
  alias        = "b"
  base_url     = %[1]q
  secret_token = %[3]q
}
`, e.URL, emulator.DefaultToken, emulator.SecondToken) + fmt.Sprintf(guardedPSP, "connxt."+use)
}

// otherEnvironmentPSP creates a PSP with SecondToken, so that its environment is learnable.
func otherEnvironmentPSP(t *testing.T, e *testEmulator) string {
	t.Helper()
	c, err := connxt.New(connxt.Config{BaseURL: e.URL, Token: emulator.SecondToken})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := c.CreatePSP(t.Context(), connxt.CreatePSPRequest{Name: "other-team", FlowTargetID: paymaxisID,
		Credential: `{"apiKey":"other-env-key"}`,
		Operations: []connxt.PSPOperation{{FlowActionID: depositID, FlowDefinitionID: paymaxisDepositID, Status: connxt.StatusEnabled}}})
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// onlyInEnvironment checks that the emulator holds exactly one PSP of the state's
// environment, with the state's id.
func (e *testEmulator) onlyInEnvironment(env, id string) error {
	var mine []string
	for _, p := range e.PSPs() {
		if p.EnvironmentID == env {
			mine = append(mine, p.ID)
		}
	}
	if len(mine) != 1 || mine[0] != id {
		return fmt.Errorf("environment %s holds %v, want only %s", env, mine, id)
	}
	return nil
}

// TestAccPSP_tokenOfAnotherEnvironment: PSPs applied with token A, then planned, applied
// and destroyed with token B of another environment (a changed CONNXT_SECRET_TOKEN) or
// through another provider alias. B's environment is known (it has a PSP), so each is an
// error before any write, naming both environments; the PSP stays in state and in A, and
// going back to token A plans nothing.
func TestAccPSP_tokenOfAnotherEnvironment(t *testing.T) {
	requireEmulator(t, "needs a second token, of another environment")
	e := newTestEmulator(t, emulator.Options{})
	envA := emulator.TokenFor(emulator.DefaultToken).EnvironmentID
	envB := emulator.TokenFor(emulator.SecondToken).EnvironmentID
	otherID := otherEnvironmentPSP(t, e)
	var id string
	both := regexp.MustCompile(`(?s)another Connxt environment.*` + envA + `.*` + envB)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		CheckDestroy: func(*terraform.State) error {
			if all := e.PSPs(); len(all) != 1 || all[0].ID != otherID {
				return fmt.Errorf("after destroy want only the other environment's PSP, got %d PSPs", len(all))
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: envPSP(e, emulator.DefaultToken, ""),
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources["connxt_psp.gateway"].Primary.ID
					return nil
				},
			},
			{Config: envPSP(e, emulator.SecondToken, ""), PlanOnly: true, ExpectError: both},
			{Config: envPSP(e, emulator.SecondToken, ""), ExpectError: both},
			{Config: envPSP(e, emulator.SecondToken, ""), Destroy: true, ExpectError: both},
			{Config: twoAliases(e, "a"), ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{Config: twoAliases(e, "b"), ExpectError: both},
			{
				Config: envPSP(e, emulator.DefaultToken, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error { return e.onlyInEnvironment(envA, id) },
			},
		},
	})
}

// TestAccPSP_tokenOfAnUnknownEnvironment: token B's environment has no PSPs, so it cannot
// be learnt. The vanished PSP is still planned for creation (the guard must not block
// real drift); the warning that comes with it, naming the state's environment, is
// asserted on the CLI's output by e2e TestWrongTokenNeverForgetsAPSP, since
// terraform-plugin-testing cannot see warnings.
func TestAccPSP_tokenOfAnUnknownEnvironment(t *testing.T) {
	requireEmulator(t, "needs a second token, of another environment")
	e := newTestEmulator(t, emulator.Options{})
	e.parallelTest(t, []resource.TestStep{
		{Config: envPSP(e, emulator.DefaultToken, "")},
		{
			Config: envPSP(e, emulator.SecondToken, ""), PlanOnly: true, ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("connxt_psp.gateway", plancheck.ResourceActionCreate),
				},
			},
		},
		{Config: envPSP(e, emulator.DefaultToken, "")},
	})
}

// TestAccPSP_expectedEnvironment: environment_id pins the environment. A state of another
// environment is refused at plan time; and a create with a token whose (empty)
// environment is not the expected one is undone at once and reported.
func TestAccPSP_expectedEnvironment(t *testing.T) {
	requireEmulator(t, "needs a second token, of another environment")
	e := newTestEmulator(t, emulator.Options{})
	envA := emulator.TokenFor(emulator.DefaultToken).EnvironmentID
	envB := emulator.TokenFor(emulator.SecondToken).EnvironmentID
	e.parallelTest(t, []resource.TestStep{
		{
			// Token B, expecting A: B's environment is empty, so only the create's answer
			// tells, and the PSP it made there is deleted again.
			Config:      envPSP(e, emulator.SecondToken, envA),
			ExpectError: regexp.MustCompile(`(?s)Secret token of another Connxt environment.*` + envB + `.*` + envA + `.*deleted\s+again`),
		},
		{
			PreConfig: func() {
				if n := len(e.PSPs()); n != 0 {
					t.Errorf("the PSP created in the wrong environment is still there (%d PSPs)", n)
				}
			},
			Config: envPSP(e, emulator.DefaultToken, envA),
		},
		{
			Config:      envPSP(e, emulator.DefaultToken, envB),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)PSP of another Connxt environment.*` + envA + `.*` + envB),
		},
		{
			// Destroy without a refresh or plan-time check still meets the pin.
			Config:      envPSP(e, emulator.DefaultToken, envB),
			Destroy:     true,
			ExpectError: regexp.MustCompile(`(?s)PSP of another Connxt environment`),
			PreConfig: func() {
				if len(e.PSPs()) != 1 {
					t.Error("want the PSP in place before the refused destroy")
				}
			},
		},
		{Config: envPSP(e, emulator.DefaultToken, envA)}, // the destroy at the end uses this one
	})
}
