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
	name  string
	body  string
	setup func(t *testing.T, e *testEmulator)
	opts  emulator.Options
	want  *regexp.Regexp
	// secret must not appear in the failure output.
	secret string
}

// secretVariable declares var.secret: secrets reach configurations through variables,
// so that Terraform's own source snippets in diagnostics show the reference, not the value.
// (A function, because the catalog ids are known only once TestMain has run.)
func secretVariable() string {
	return `variable "secret" {
  type      = string
  sensitive = true
  default   = "unused"
}

# A value Terraform learns only during apply, to get past the plan-time checks.
resource "terraform_data" "later" {
  input = "` + paymaxisDepositID + `"
}
`
}

func TestAccPSP_errors(t *testing.T) {
	const wo = `  credential_wo = jsonencode({ apiKey = "pmx-error-case-key" })` + "\n"
	cases := []pspErrorCase{
		{
			name: "definition of another target, known at plan time",
			body: `  name = "wrong-definition"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" + wo +
				opBlock(depositID, sticpayDepositID),
			want: regexp.MustCompile(`(?s)Wrong flow definition for the action.*In\s+the\s+operation\s+block\s+with\s+flow_action_id\s+=\s+"` + depositID +
				`",\s+attribute\s+flow_definition_id:\s+the\s+definition\s+of\s+DEPOSIT\s+on\s+Paymaxis\s+is\s+` + paymaxisDepositID),
		},
		{
			name: "a field error from Connxt points at the operation block it names",
			body: `  name = "retired-definition"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" + wo +
				opBlock(depositID, paymaxisDepositID) + opBlock(withdrawID, paymaxisWithdrawD),
			opts: emulator.Options{Middleware: []emulator.Middleware{rejectCreate("operations[1].flowDefinitionId", "this definition is being retired")}},
			want: regexp.MustCompile(`(?s)Unable to create the PSP.*Connxt rejected\s+operations\[1\]\.flowDefinitionId\s+\(the\s+operation\s+block\s+with\s+flow_action_id\s+=\s+"fat_\w+",\s+attribute\s+flow_definition_id\):\s+this\s+definition\s+is\s+being\s+retired`),
		},
		{
			name: "action without a definition on the target",
			body: `  name = "refund"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" + wo +
				opBlock(refundID, paymaxisDepositID),
			want: regexp.MustCompile(`(?s)Action cannot be enabled on this flow target.*no definition of REFUND`),
		},
		{
			name: "credential that does not satisfy the target's schema names the key, not the value",
			body: `  name = "bad-credential"` + "\n  flow_target_id = \"" + sticpayID + "\"\n" +
				`  credential_wo = jsonencode({ apiKey = var.secret, extra = var.secret })` + "\n" + opBlock(depositID, sticpayDepositID),
			want:   regexp.MustCompile(`(?s)Credential does not match the flow target's schema.*missing required key\s+"merchantEmail";\s+unexpected\s+key\s+"extra"`),
			secret: "stic-only-key-zzzz",
		},
		{
			name: "a credential known only at apply is checked before it is sent",
			body: `  name = "late-credential"` + "\n  flow_target_id = \"" + sticpayID + "\"\n" +
				`  credential = jsonencode({ apiKey = var.secret, later = terraform_data.later.output })` + "\n" + opBlock(depositID, sticpayDepositID),
			want:   regexp.MustCompile(`(?s)Error running apply.*Credential does not match the flow target's schema.*missing required key\s+"merchantEmail"`),
			secret: "stic-late-key-yyyy",
		},
		{
			name: "unknown flow target lists the known ones",
			body: `  name = "unknown-target"` + "\n  flow_target_id = \"ftg_01jwra8pvkfey9h1f71gsw1qs0\"\n" + wo +
				opBlock(depositID, paymaxisDepositID),
			want: regexp.MustCompile(`(?s)Unknown flow target.*ftg_01jwra8pvkfey9h1f71gsw1qs0 is not a flow target.*Paymaxis \(` + paymaxisID),
		},
		{
			name: "name taken for the target says how to import",
			body: `  name = "taken"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" + wo + opBlock(depositID, paymaxisDepositID),
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
			body: `  name = "dup"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" + wo +
				opBlock(depositID, paymaxisDepositID) + opBlock(depositID, paymaxisWithdrawD),
			want: regexp.MustCompile(`(?s)Duplicate operation.*attribute\s+flow_action_id:\s+two\s+operation\s+blocks\s+name\s+the\s+action`),
		},
		{
			name: "no credential",
			body: `  name = "none"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" + opBlock(depositID, paymaxisDepositID),
			want: regexp.MustCompile(`(?s)Missing Attribute Configuration.*Exactly one of these attributes must be configured:\s+\[credential,credential_wo\]`),
		},
		{
			name: "both credential forms",
			body: `  name = "both"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" + wo +
				`  credential = jsonencode({ apiKey = "x" })` + "\n" + opBlock(depositID, paymaxisDepositID),
			want: regexp.MustCompile(`(?s)Invalid Attribute Combination.*Exactly one of these attributes must be configured:\s+\[credential,credential_wo\]`),
		},
		{
			name: "credential that is not a JSON object",
			body: `  name = "notjson"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" +
				`  credential_wo = "apiKey=${var.secret}"` + "\n" + opBlock(depositID, paymaxisDepositID),
			want:   regexp.MustCompile(`(?s)Invalid credential.*is not valid JSON`),
			secret: "sekrit-value-123",
		},
		{
			name: "name with a right-to-left override",
			body: `  name = "usd\u202Edsu"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" + wo + opBlock(depositID, paymaxisDepositID),
			// The position counts the name prefix of real-environment mode.
			want: regexp.MustCompile(fmt.Sprintf(`(?s)Invalid characters.*bidirectional\s+control\s+character\s+U\+202E\s+at\s+character\s+%d`, 4+namePrefixLen())),
		},
		{
			name: "credential with a key twice",
			body: `  name = "twice"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" +
				`  credential_wo = "{\"apiKey\":\"${var.secret}\",\"apiKey\":\"${var.secret}\"}"` + "\n" + opBlock(depositID, paymaxisDepositID),
			want:   regexp.MustCompile(`(?s)Invalid credential.*the\s+key\s+"apiKey"\s+twice`),
			secret: "sekrit-value-123",
		},
		{
			name: "no operation block",
			body: `  name = "noops"` + "\n  flow_target_id = \"" + paymaxisID + "\"\n" + wo,
			want: regexp.MustCompile(`(?s)Invalid Block.*operation`),
		},
		{
			name: "malformed ids",
			body: `  name = "ids"` + "\n  flow_target_id = \"psp_01jwra8pvkfey9h1f71gsw1qsw\"\n" + wo + opBlock("DEPOSIT", paymaxisDepositID),
			want: regexp.MustCompile(`(?s)Invalid flow target id.*Invalid flow action id|Invalid flow action id.*Invalid flow target id`),
		},
		{
			name: "unknown status",
			body: `  name = "status"` + "\n  status = \"ACTIVE\"\n  flow_target_id = \"" + paymaxisID + "\"\n" + wo + opBlock(depositID, paymaxisDepositID),
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
					Config:          secretVariable() + pspConfig(e, tc.body),
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
