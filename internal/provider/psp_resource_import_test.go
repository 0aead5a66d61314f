package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// sticpayUSD is a Sticpay PSP with a description, a logo, both actions (one disabled) and
// the write-only credential.
const sticpayUSD = `
resource "connxt_psp" "test" {
  name           = "sticpay-usd"
  description    = "imported"
  logo           = "https://example.com/sticpay.png"
  flow_target_id = "ftg_01jt2ctt8veh48mkpcx2bdeatz" # Sticpay
  credential_wo  = jsonencode({ merchantEmail = "ops@example.com", apiKey = "stic-secret-0001" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jt2cyyskeh48mkpkf3y9z6j3" # Sticpay DEPOSIT
  }
  operation {
    flow_action_id     = "fat_01jtj2hq14fexta3pcaeaswc62" # WITHDRAW
    flow_definition_id = "fld_01jtj66c27fexta3r0gczv1a8b" # Sticpay WITHDRAW
    status             = "DISABLED"
  }
}
`

// TestAccPSP_importWriteOnly imports with the CLI and with an import block: every attribute
// Connxt returns is read back, and with credential_wo the plan after import is empty.
func TestAccPSP_importWriteOnly(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	config := e.config(sticpayUSD)
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
	// sticpayUSD with `credential` instead of `credential_wo`.
	config := e.config(`
resource "connxt_psp" "test" {
  name           = "sticpay-usd"
  description    = "imported"
  logo           = "https://example.com/sticpay.png"
  flow_target_id = "ftg_01jt2ctt8veh48mkpcx2bdeatz" # Sticpay
  credential     = jsonencode({ merchantEmail = "ops@example.com", apiKey = "stic-secret-0002" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jt2cyyskeh48mkpkf3y9z6j3" # Sticpay DEPOSIT
  }
  operation {
    flow_action_id     = "fat_01jtj2hq14fexta3pcaeaswc62" # WITHDRAW
    flow_definition_id = "fld_01jtj66c27fexta3r0gczv1a8b" # Sticpay WITHDRAW
    status             = "DISABLED"
  }
}
`)
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
				Config:        e.config(sticpayUSD),
				ResourceName:  pspAddr,
				ImportState:   true,
				ImportStateId: "ftg_01jt2ctt8veh48mkpcx2bdeatz",
				ExpectError:   regexp.MustCompile(`is not a PSP id`),
			},
		},
	})
}

// twoTargetsOneName is a Paymaxis and a Sticpay PSP of the same name, one with a "/" in it:
// only the target tells them apart, and only a split at the first "/" finds them.
const twoTargetsOneName = `
resource "connxt_psp" "paymaxis" {
  name           = "eu/cards"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-secret-0001" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}

resource "connxt_psp" "sticpay" {
  name           = "eu/cards"
  description    = "imported"
  logo           = "https://example.com/sticpay.png"
  flow_target_id = "ftg_01jt2ctt8veh48mkpcx2bdeatz" # Sticpay
  credential_wo  = jsonencode({ merchantEmail = "ops@example.com", apiKey = "stic-secret-0001" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jt2cyyskeh48mkpkf3y9z6j3" # Sticpay DEPOSIT
  }
  operation {
    flow_action_id     = "fat_01jtj2hq14fexta3pcaeaswc62" # WITHDRAW
    flow_definition_id = "fld_01jtj66c27fexta3r0gczv1a8b" # Sticpay WITHDRAW
    status             = "DISABLED"
  }
}
`

// TestAccPSP_importByName imports by <target name>/<PSP name> and <target id>/<PSP name>,
// with the CLI and with an import block, and gets the PSP of that target each time.
func TestAccPSP_importByName(t *testing.T) {
	requireEmulator(t, "creates PSPs of fixed names out of band")
	e := newTestEmulator(t, emulator.Options{})
	config := e.config(twoTargetsOneName)
	e.parallelTest(t, []resource.TestStep{
		{Config: config},
		{
			ResourceName:      "connxt_psp.paymaxis",
			ImportState:       true,
			ImportStateId:     "Paymaxis/eu/cards",
			ImportStateVerify: true,
			ImportStateCheck:  importedTarget(paymaxisID),
		},
		{
			ResourceName:      "connxt_psp.sticpay",
			ImportState:       true,
			ImportStateId:     sticpayID + "/eu/cards",
			ImportStateVerify: true,
			ImportStateCheck:  importedTarget(sticpayID),
		},
		{
			// The import block plans a no-op import of the PSP the name finds.
			Config:          config,
			ResourceName:    "connxt_psp.paymaxis",
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   "Paymaxis/eu/cards",
		},
	})
}

// importedTarget checks that the import found one PSP, of this target: ImportStateVerify
// alone matches the imported PSP with whichever resource has its id.
func importedTarget(flowTargetID string) resource.ImportStateCheckFunc {
	return func(states []*terraform.InstanceState) error {
		if len(states) != 1 {
			return fmt.Errorf("imported %d PSPs, want 1", len(states))
		}
		if got := states[0].Attributes["flow_target_id"]; got != flowTargetID {
			return fmt.Errorf("imported the PSP of target %s, want %s", got, flowTargetID)
		}
		return nil
	}
}

// TestAccPSP_importByNameErrors: an unknown target lists the targets, an unknown name lists
// the PSPs of that target (and only those), and a malformed id names both import forms.
func TestAccPSP_importByNameErrors(t *testing.T) {
	requireEmulator(t, "creates PSPs of fixed names out of band")
	e := newTestEmulator(t, emulator.Options{})
	config := e.config(twoTargetsOneName)
	importStep := func(id, want string) resource.TestStep {
		return resource.TestStep{
			Config:        config,
			ResourceName:  "connxt_psp.paymaxis",
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   wrappedPattern(want),
		}
	}
	e.parallelTest(t, []resource.TestStep{
		{Config: config},
		importStep("Nopay/eu/cards", `(?s)no target named "Nopay".*Paymaxis \(ftg_.*Sticpay \(ftg_`),
		importStep("Paymaxis/eu", `(?s)no PSP named "eu".*Its PSPs: "eu/cards"\.`),
		importStep("Paymaxis/", `(?s)empty flow target or PSP name`),
		importStep("paymaxis-eu", `(?s)is not a PSP id.*Paymaxis/paymaxis-eu`),
	})
}

// TestAccPSP_importByNameWithoutListing: a server without the (assumed) list endpoint
// cannot find a PSP by name; the error says to import by id.
func TestAccPSP_importByNameWithoutListing(t *testing.T) {
	requireEmulator(t, "creates PSPs of fixed names out of band")
	e := newTestEmulator(t, emulator.Options{Middleware: []emulator.Middleware{refuseListing}})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Providers,
		Steps: []resource.TestStep{
			{
				Config:        e.config(sticpayUSD),
				ResourceName:  pspAddr,
				ImportState:   true,
				ImportStateId: "Sticpay/sticpay-usd",
				ExpectError:   wrappedPattern(`(?s)does not list PSPs.*import connxt_psp.example psp_`),
			},
		},
	})
}

// refuseListing answers GET /psps with a bare 405, as a server without the list endpoint would.
func refuseListing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != connxt.APIPrefix+connxt.PathPSPs {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
	})
}

// wrappedPattern compiles an error pattern whose spaces match any run of white space, since
// Terraform wraps the lines of a diagnostic.
func wrappedPattern(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}
