package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// pspErrorCase is a configuration that must fail with a diagnostic matching want, before
// or during apply, and leave no PSP behind.
type pspErrorCase struct {
	name   string
	config string
	setup  func(t *testing.T, e *testEmulator)
	opts   emulator.Options
	want   *regexp.Regexp
	// secret must not appear in the failure output.
	secret string
}

// secretVariable declares var.secret, which the cases put before their PSP: secrets reach
// configurations through variables, so that Terraform's own source snippets in diagnostics
// show the reference, not the value.
const secretVariable = `
variable "secret" {
  type      = string
  sensitive = true
  default   = "unused"
}

# A value Terraform learns only during apply, to get past the plan-time checks.
resource "terraform_data" "later" {
  input = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
}
`

func TestAccPSP_errors(t *testing.T) {
	cases := []pspErrorCase{
		{
			name: "definition of another target, known at plan time",
			config: `
resource "connxt_psp" "test" {
  name           = "wrong-definition"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jt2cyyskeh48mkpkf3y9z6j3" # Sticpay DEPOSIT
  }
}
`,
			want: regexp.MustCompile(`(?s)Wrong flow definition for the action.*In\s+the\s+operation\s+block\s+with\s+flow_action_id\s+=\s+"` + depositID +
				`",\s+attribute\s+flow_definition_id:\s+the\s+definition\s+of\s+DEPOSIT\s+on\s+Paymaxis\s+is\s+` + paymaxisDepositID),
		},
		{
			name: "a field error from Connxt points at the operation block it names",
			config: `
resource "connxt_psp" "test" {
  name           = "retired-definition"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
  operation {
    flow_action_id     = "fat_01jtj2hq14fexta3pcaeaswc62" # WITHDRAW
    flow_definition_id = "fld_01jwwmns3keh2bjgn21e7sq9nz" # Paymaxis WITHDRAW
  }
}
`,
			opts: emulator.Options{Middleware: []emulator.Middleware{rejectCreate("operations[1].flowDefinitionId", "this definition is being retired")}},
			want: regexp.MustCompile(`(?s)Unable to create the PSP.*Connxt rejected\s+operations\[1\]\.flowDefinitionId\s+\(the\s+operation\s+block\s+with\s+flow_action_id\s+=\s+"fat_\w+",\s+attribute\s+flow_definition_id\):\s+this\s+definition\s+is\s+being\s+retired`),
		},
		{
			name: "action without a definition on the target",
			config: `
resource "connxt_psp" "test" {
  name           = "refund"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })

  operation {
    flow_action_id     = "fat_01k5bqfxa3f6cawws5kyqpdkc9" # REFUND
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			want: regexp.MustCompile(`(?s)Action cannot be enabled on this flow target.*no definition of REFUND`),
		},
		{
			name: "credential that does not satisfy the target's schema names the key, not the value",
			config: `
resource "connxt_psp" "test" {
  name           = "bad-credential"
  flow_target_id = "ftg_01jt2ctt8veh48mkpcx2bdeatz" # Sticpay
  credential_wo  = jsonencode({ apiKey = var.secret, extra = var.secret })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jt2cyyskeh48mkpkf3y9z6j3" # Sticpay DEPOSIT
  }
}
`,
			want:   regexp.MustCompile(`(?s)Credential does not match the flow target's schema.*missing required key\s+"merchantEmail";\s+unexpected\s+key\s+"extra"`),
			secret: "stic-only-key-zzzz",
		},
		{
			name: "a credential known only at apply is checked before it is sent",
			config: `
resource "connxt_psp" "test" {
  name           = "late-credential"
  flow_target_id = "ftg_01jt2ctt8veh48mkpcx2bdeatz" # Sticpay
  credential     = jsonencode({ apiKey = var.secret, later = terraform_data.later.output })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jt2cyyskeh48mkpkf3y9z6j3" # Sticpay DEPOSIT
  }
}
`,
			want:   regexp.MustCompile(`(?s)Error running apply.*Credential does not match the flow target's schema.*missing required key\s+"merchantEmail"`),
			secret: "stic-late-key-yyyy",
		},
		{
			name: "unknown flow target lists the known ones",
			config: `
resource "connxt_psp" "test" {
  name           = "unknown-target"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qs0" # no such target
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			want: regexp.MustCompile(`(?s)Unknown flow target.*ftg_01jwra8pvkfey9h1f71gsw1qs0 is not a flow target.*Paymaxis \(` + paymaxisID),
		},
		{
			name: "name taken for the target says how to import",
			config: `
resource "connxt_psp" "test" {
  name           = "taken"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			setup: func(t *testing.T, e *testEmulator) {
				_, _, err := e.client(t).CreatePSP(t.Context(), connxt.CreatePSPRequest{
					Name: e.name("taken"), FlowTargetID: paymaxisID, Credential: `{"apiKey":"other"}`,
					Operations: []connxt.PSPOperation{{FlowActionID: depositID, FlowDefinitionID: paymaxisDepositID, Status: "ENABLED"}},
				})
				if err != nil {
					t.Fatal(err)
				}
			},
			want: regexp.MustCompile(`(?s)already exists for flow target.*terraform import\s+<address>\s+psp_`),
		},
		{
			name: "two blocks for one action",
			config: `
resource "connxt_psp" "test" {
  name           = "dup"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwwmns3keh2bjgn21e7sq9nz" # Paymaxis WITHDRAW
  }
}
`,
			want: regexp.MustCompile(`(?s)Duplicate operation.*attribute\s+flow_action_id:\s+two\s+operation\s+blocks\s+name\s+the\s+action`),
		},
		{
			name: "no credential",
			config: `
resource "connxt_psp" "test" {
  name           = "none"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			want: regexp.MustCompile(`(?s)Missing Attribute Configuration.*Exactly one of these attributes must be configured:\s+\[credential,credential_wo\]`),
		},
		{
			name: "both credential forms",
			config: `
resource "connxt_psp" "test" {
  name           = "both"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })
  credential     = jsonencode({ apiKey = "x" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			want: regexp.MustCompile(`(?s)Invalid Attribute Combination.*Exactly one of these attributes must be configured:\s+\[credential,credential_wo\]`),
		},
		{
			name: "credential that is not a JSON object",
			config: `
resource "connxt_psp" "test" {
  name           = "notjson"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = "apiKey=${var.secret}"

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			want:   regexp.MustCompile(`(?s)Invalid credential.*is not valid JSON`),
			secret: "sekrit-value-123",
		},
		{
			name: "name with a right-to-left override",
			config: `
resource "connxt_psp" "test" {
  name           = "usd\u202Edsu"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			// The position counts the name prefix of real-environment mode.
			want: regexp.MustCompile(fmt.Sprintf(`(?s)Invalid characters.*bidirectional\s+control\s+character\s+U\+202E\s+at\s+character\s+%d`, 4+namePrefixLen())),
		},
		{
			name: "credential with a key twice",
			config: `
resource "connxt_psp" "test" {
  name           = "twice"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = "{\"apiKey\":\"${var.secret}\",\"apiKey\":\"${var.secret}\"}"

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			want:   regexp.MustCompile(`(?s)Invalid credential.*the\s+key\s+"apiKey"\s+twice`),
			secret: "sekrit-value-123",
		},
		{
			name: "no operation block",
			config: `
resource "connxt_psp" "test" {
  name           = "noops"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })
}
`,
			want: regexp.MustCompile(`(?s)Invalid Block.*operation`),
		},
		{
			name: "malformed ids",
			config: `
resource "connxt_psp" "test" {
  name           = "ids"
  flow_target_id = "psp_01jwra8pvkfey9h1f71gsw1qsw" # a PSP id
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })

  operation {
    flow_action_id     = "DEPOSIT"
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			want: regexp.MustCompile(`(?s)Invalid flow target id.*Invalid flow action id|Invalid flow action id.*Invalid flow target id`),
		},
		{
			name: "unknown status",
			config: `
resource "connxt_psp" "test" {
  name           = "status"
  status         = "ACTIVE"
  flow_target_id = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo  = jsonencode({ apiKey = "pmx-error-case-key" })

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }
}
`,
			want: regexp.MustCompile(`(?s)Invalid value.*must be ENABLED or DISABLED \(upper case\), not "ACTIVE"`),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEmulator(t, tc.opts)
			if tc.setup != nil {
				tc.setup(t, e)
			}
			before := len(e.PSPs())
			check, done := expectFailure(t, tc.want, tc.secret)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: protoV6Providers,
				ErrorCheck:               check,
				Steps: []resource.TestStep{{
					Config:          e.config(secretVariable + tc.config),
					ConfigVariables: config.Variables{"secret": config.StringVariable(tc.secret)},
				}},
			})
			done()
			if after := len(e.PSPs()); after != before {
				t.Errorf("the failed apply left %d PSPs in the emulator, want %d", after, before)
			}
		})
	}
}

// rejectCreate answers every PSP create with a 400 naming one field, as a server rule that
// the catalog does not express would.
func rejectCreate(field, message string) emulator.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.URL.Path != connxt.APIPrefix+connxt.PathPSPsExternal {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(connxt.Envelope{
				Timestamp: "2026-01-01T00:00:00Z", Code: connxt.CodeValidation, Message: "Validation failed",
				Errors: []connxt.FieldError{{Field: field, Message: message}},
			})
		})
	}
}
