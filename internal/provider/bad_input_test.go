package provider

import (
	"context"
	"fmt"
	"math/big"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// This file is the specification of what bad input gets: a table of invalid
// configurations, each with the phase that must refuse it (validate, plan, configure or
// import), the exact diagnostic summary, the attribute path it points at, and words its
// detail must contain. It talks to the provider over the plugin protocol, as Terraform
// does, because only there are attribute paths exact (Terraform's own output shows a
// source line, and cannot for an element of a set block).

type phase string

const (
	phaseValidate  phase = "validate"
	phasePlan      phase = "plan"
	phaseConfigure phase = "configure"
	phaseImport    phase = "import"
)

// unknown marks a value that is not known at plan time.
type unknownValue struct{}

var unknown = unknownValue{}

// tfValue builds a value of type t from Go values: maps for objects, slices for sets and
// lists, strings, ints, nil for null and unknown for unknown.
func tfValue(t tftypes.Type, v any) tftypes.Value {
	if v == nil {
		return tftypes.NewValue(t, nil)
	}
	if _, ok := v.(unknownValue); ok {
		return tftypes.NewValue(t, tftypes.UnknownValue)
	}
	switch typ := t.(type) {
	case tftypes.Object:
		m := v.(map[string]any)
		attrs := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			attrs[name] = tfValue(at, m[name])
		}
		for name := range m {
			if _, ok := typ.AttributeTypes[name]; !ok {
				panic("no attribute " + name)
			}
		}
		return tftypes.NewValue(typ, attrs)
	case tftypes.Set:
		var elems []tftypes.Value
		for _, e := range v.([]map[string]any) {
			elems = append(elems, tfValue(typ.ElementType, e))
		}
		return tftypes.NewValue(typ, elems)
	}
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, v.(string))
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, big.NewFloat(float64(v.(int))))
	}
	panic(fmt.Sprintf("unsupported type %s", t))
}

// badInput is one row of the table.
type badInput struct {
	name     string
	provider map[string]any // provider configuration; nil = the emulator's
	psp      map[string]any // connxt_psp configuration
	importID string
	catalog  string // emulator catalog file under internal/emulator/testdata; "" = default

	phase   phase
	summary string
	// path is the attribute path: names, with an *int for "the n-th operation block".
	path   []any
	detail string
}

// at is a path step: the n-th operation block of the configuration.
func nth(n int) *int { return &n }

var wo = `{"apiKey":"table-key"}`

func psp(overrides map[string]any) map[string]any {
	m := map[string]any{
		"name":           "table",
		"flow_target_id": paymaxisID,
		"credential_wo":  wo,
		"operation":      []map[string]any{{"flow_action_id": depositID, "flow_definition_id": paymaxisDepositID}},
	}
	for k, v := range overrides {
		if v == "<absent>" {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return m
}

func ops(pairs ...string) []map[string]any {
	var out []map[string]any
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, map[string]any{"flow_action_id": pairs[i], "flow_definition_id": pairs[i+1]})
	}
	return out
}

func badInputs() []badInput {
	return []badInput{
		// Refused by validate: no API call is needed to know.
		{name: "target id of the wrong kind", psp: psp(map[string]any{"flow_target_id": "psp_01jwra8pvkfey9h1f71gsw1qsw"}),
			phase: phaseValidate, summary: "Invalid flow target id", path: []any{"flow_target_id"}, detail: `a flow target id is "ftg_" followed by`},
		{name: "target id with a character no id has", psp: psp(map[string]any{"flow_target_id": "ftg_01jwra8pvkfey9h1f71gsw1qs/"}),
			phase: phaseValidate, summary: "Invalid flow target id", path: []any{"flow_target_id"}, detail: `letters, digits, "_" or "-"`},
		{name: "target id too long", psp: psp(map[string]any{"flow_target_id": "ftg_" + strings.Repeat("a", 65)}),
			phase: phaseValidate, summary: "Invalid flow target id", path: []any{"flow_target_id"}, detail: "1 to 64 letters"},
		{name: "action id of the wrong kind", psp: psp(map[string]any{"operation": ops("DEPOSIT", paymaxisDepositID)}),
			phase: phaseValidate, summary: "Invalid flow action id", path: []any{"operation", nth(0), "flow_action_id"},
			detail: `In the operation block with flow_action_id = "DEPOSIT", attribute flow_action_id: "DEPOSIT" is not a valid flow action id: a flow action id is "fat_"`},
		{name: "definition id that is only the prefix", psp: psp(map[string]any{"operation": ops(depositID, "fld_")}),
			phase: phaseValidate, summary: "Invalid flow definition id", path: []any{"operation", nth(0), "flow_definition_id"},
			detail: `In the operation block with flow_action_id = "` + depositID + `", attribute flow_definition_id: `},
		{name: "unknown PSP status", psp: psp(map[string]any{"status": "ACTIVE"}),
			phase: phaseValidate, summary: "Invalid value", path: []any{"status"}, detail: `must be ENABLED or DISABLED (upper case), not "ACTIVE"`},
		{name: "unknown operation status", psp: psp(map[string]any{"operation": []map[string]any{
			{"flow_action_id": depositID, "flow_definition_id": paymaxisDepositID, "status": "on"}}}),
			phase: phaseValidate, summary: "Invalid value", path: []any{"operation", nth(0), "status"},
			detail: `In the operation block with flow_action_id = "` + depositID + `", attribute status: The value must be ENABLED or DISABLED (upper case), not "on"`},
		{name: "empty name", psp: psp(map[string]any{"name": ""}),
			phase: phaseValidate, summary: "Blank value", path: []any{"name"}, detail: "must not be empty or only spaces; give the PSP a name"},
		{name: "name of spaces only", psp: psp(map[string]any{"name": "   "}),
			phase: phaseValidate, summary: "Blank value", path: []any{"name"}, detail: "must not be empty or only spaces; give the PSP a name"},
		{name: "name with a line break", psp: psp(map[string]any{"name": "pay\nmaxis"}),
			phase: phaseValidate, summary: "Invalid characters", path: []any{"name"}, detail: "control character U+000A at character 4"},
		{name: "name with a right-to-left override", psp: psp(map[string]any{"name": "usd\u202Edsu"}),
			phase: phaseValidate, summary: "Invalid characters", path: []any{"name"}, detail: "bidirectional control character U+202E at character 4"},
		{name: "name with a bidi isolate", psp: psp(map[string]any{"name": "\u2067usd"}),
			phase: phaseValidate, summary: "Invalid characters", path: []any{"name"}, detail: "U+2067 at character 1"},
		{name: "name of zero-width characters only", psp: psp(map[string]any{"name": "\u200B\u200D\u2060"}),
			phase: phaseValidate, summary: "Invisible value", path: []any{"name"}, detail: "made only of invisible characters (the first is U+200B)"},
		{name: "name of a byte-order mark and spaces", psp: psp(map[string]any{"name": " \uFEFF "}),
			phase: phaseValidate, summary: "Invisible value", path: []any{"name"}, detail: "made only of invisible characters (the first is U+0020)"},
		{name: "name too long", psp: psp(map[string]any{"name": strings.Repeat("é", 256)}),
			phase: phaseValidate, summary: "Value too long", path: []any{"name"}, detail: "name is 256 characters long; name accepts at most 255 characters"},
		{name: "empty description", psp: psp(map[string]any{"description": ""}),
			phase: phaseValidate, summary: "Blank value", path: []any{"description"}, detail: "omit the attribute or set it to null"},
		{name: "empty logo", psp: psp(map[string]any{"logo": ""}),
			phase: phaseValidate, summary: "Blank value", path: []any{"logo"}, detail: "omit the attribute or set it to null"},
		{name: "credential that is not JSON", psp: psp(map[string]any{"credential_wo": nil, "credential": "apiKey=table-secret"}),
			phase: phaseValidate, summary: "Invalid credential", path: []any{"credential"}, detail: "is not valid JSON (syntax error at byte 1 of 19)"},
		{name: "credential that is a JSON list", psp: psp(map[string]any{"credential_wo": nil, "credential": `["table-secret"]`}),
			phase: phaseValidate, summary: "Invalid credential", path: []any{"credential"}, detail: "a list, not an object"},
		{name: "write-only credential that is a JSON string", psp: psp(map[string]any{"credential_wo": `"table-secret"`}),
			phase: phaseValidate, summary: "Invalid credential", path: []any{"credential_wo"}, detail: "a string, not an object"},
		{name: "credential too large", psp: psp(map[string]any{"credential_wo": nil, "credential": credentialOfSize(64<<10 + 1)}),
			phase: phaseValidate, summary: "Credential too large", path: []any{"credential"}, detail: "credential is 65537 bytes; credential accepts at most 65536 bytes"},
		{name: "write-only credential too large", psp: psp(map[string]any{"credential_wo": credentialOfSize(1 << 20)}),
			phase: phaseValidate, summary: "Credential too large", path: []any{"credential_wo"}, detail: "credential_wo accepts at most 65536 bytes"},
		{name: "credential with a key twice", psp: psp(map[string]any{"credential_wo": nil, "credential": `{"apiKey":"table-secret","apiKey":"table-key"}`}),
			phase: phaseValidate, summary: "Invalid credential", path: []any{"credential"}, detail: `has the key "apiKey" twice in the same object (the second time at byte 26)`},
		{name: "write-only credential with a nested key twice", psp: psp(map[string]any{"credential_wo": `{"auth": {"user": "table-secret", "user": "table-key"}, "user": "table-key"}`}),
			phase: phaseValidate, summary: "Invalid credential", path: []any{"credential_wo"}, detail: `has the key "user" twice in the same object (the second time at byte 35)`},
		{name: "both credential forms", psp: psp(map[string]any{"credential": wo}),
			phase: phaseValidate, summary: "Invalid Attribute Combination", path: []any{"credential"}, detail: "[credential,credential_wo]"},
		{name: "no credential", psp: psp(map[string]any{"credential_wo": nil}),
			phase: phaseValidate, summary: "Missing Attribute Configuration", path: []any{}, detail: "[credential,credential_wo]"},
		{name: "version without a write-only credential", psp: psp(map[string]any{"credential_wo": nil, "credential": wo, "credential_wo_version": 2}),
			phase: phaseValidate, summary: "Invalid Attribute Combination", path: []any{"credential_wo_version"}, detail: `"credential_wo" must be specified`},
		{name: "two blocks for one action", psp: psp(map[string]any{"operation": ops(depositID, paymaxisDepositID, depositID, paymaxisWithdrawD)}),
			phase: phaseValidate, summary: "Duplicate operation", path: []any{"operation", nth(1), "flow_action_id"},
			detail: `In the operation block with flow_action_id = "` + depositID + `", attribute flow_action_id: two operation blocks`},
		{name: "no operation block", psp: psp(map[string]any{"operation": nil}),
			phase: phaseValidate, summary: "Invalid Block", path: []any{"operation"}, detail: "must have a configuration value"},
		{name: "plain http to a remote host", provider: map[string]any{"base_url": "http://api.connect.fynxt.io"},
			phase: phaseValidate, summary: "Invalid Connxt base URL", path: []any{"base_url"}, detail: "plain http"},
		{name: "base URL with a path", provider: map[string]any{"base_url": "https://api.connect.fynxt.io/api"},
			phase: phaseValidate, summary: "Invalid Connxt base URL", path: []any{"base_url"}, detail: "give only the scheme and host"},
		{name: "base URL without a scheme", provider: map[string]any{"base_url": "api.connect.fynxt.io"},
			phase: phaseValidate, summary: "Invalid Connxt base URL", path: []any{"base_url"}, detail: "must start with https://"},
		{name: "base URL with credentials in it", provider: map[string]any{"base_url": "https://ops:table-secret@api.connect.fynxt.io"},
			phase: phaseValidate, summary: "Invalid Connxt base URL", path: []any{"base_url"}, detail: "must not carry credentials"},
		{name: "too many retries", provider: map[string]any{"max_retries": 50},
			phase: phaseValidate, summary: "Invalid Attribute Value", path: []any{"max_retries"}, detail: "between 0 and 20"},

		// Refused by configure: needs the environment.
		{name: "no token anywhere", provider: map[string]any{"base_url": "https://api.connect.fynxt.io", "secret_token": nil},
			phase: phaseConfigure, summary: "Missing Connxt secret token", path: []any{"secret_token"}, detail: "CONNXT_SECRET_TOKEN"},
		{name: "token with a trailing newline", provider: map[string]any{"base_url": "https://api.connect.fynxt.io", "secret_token": "sec_table-secret-token\n"},
			phase: phaseConfigure, summary: "Invalid Connxt secret token", path: []any{"secret_token"}, detail: "often it is a trailing newline"},
		{name: "token not known until apply", provider: map[string]any{"base_url": "https://api.connect.fynxt.io", "secret_token": unknown},
			phase: phaseConfigure, summary: "Unknown Connxt secret token", path: []any{"secret_token"}, detail: "CONNXT_SECRET_TOKEN"},

		// Refused by plan: needs the catalog.
		{name: "target that is not in the catalog", psp: psp(map[string]any{"flow_target_id": "ftg_01jwra8pvkfey9h1f71gsw1qs0"}),
			phase: phasePlan, summary: "Unknown flow target", path: []any{"flow_target_id"}, detail: "Known targets: Paymaxis (" + paymaxisID + "), Sticpay (" + sticpayID + ")"},
		{name: "disabled target", catalog: "catalog_alt.json", psp: psp(map[string]any{
			"flow_target_id": "ftg_01kx45hy43kwjrp1xpa7z3dj8f", "credential_wo": `{}`,
			"operation": ops("fat_01kbgj09tqm83xssss6ys3c4dw", "fld_01kndy0yp57rcybvn5sxs5aa81")}),
			phase: phasePlan, summary: "Disabled flow target", path: []any{"flow_target_id"}, detail: "GammaBank"},
		{name: "target id of another format is left to the catalog", psp: psp(map[string]any{"flow_target_id": "ftg_01JWRA8PVKFEY9H1F71GSW1QSW"}),
			phase: phasePlan, summary: "Unknown flow target", path: []any{"flow_target_id"}, detail: "Known targets: Paymaxis ("},
		{name: "action the target does not offer", psp: psp(map[string]any{"operation": ops("fat_01kbgj09tqm83xssss6ys3c4dw", paymaxisDepositID)}),
			phase: phasePlan, summary: "Action not offered by the flow target", path: []any{"operation", nth(0), "flow_action_id"},
			detail: `In the operation block with flow_action_id = "fat_01kbgj09tqm83xssss6ys3c4dw", attribute flow_action_id: Paymaxis does not offer the action fat_01kbgj09tqm83xssss6ys3c4dw. It offers: DEPOSIT (` + depositID},
		{name: "action id of another format is left to the catalog", psp: psp(map[string]any{"operation": ops("fat_new-format_42", paymaxisDepositID)}),
			phase: phasePlan, summary: "Action not offered by the flow target", path: []any{"operation", nth(0), "flow_action_id"},
			detail: `In the operation block with flow_action_id = "fat_new-format_42", attribute flow_action_id: `},
		{name: "action without a definition on the target", psp: psp(map[string]any{"operation": ops(refundID, paymaxisDepositID)}),
			phase: phasePlan, summary: "Action cannot be enabled on this flow target", path: []any{"operation", nth(0), "flow_action_id"},
			detail: `In the operation block with flow_action_id = "` + refundID + `", attribute flow_action_id: the catalog has no definition of REFUND`},
		{name: "definition of another target", psp: psp(map[string]any{"operation": ops(depositID, paymaxisDepositID, withdrawID, sticpayDepositID)}),
			phase: phasePlan, summary: "Wrong flow definition for the action", path: []any{"operation", nth(1), "flow_definition_id"},
			detail: `In the operation block with flow_action_id = "` + withdrawID + `", attribute flow_definition_id: the definition of WITHDRAW on Paymaxis is ` + paymaxisWithdrawD + ", not " + sticpayDepositID},
		{name: "definition id of another format is left to the catalog", psp: psp(map[string]any{"operation": ops(depositID, "fld_01jwraa3")}),
			phase: phasePlan, summary: "Wrong flow definition for the action", path: []any{"operation", nth(0), "flow_definition_id"},
			detail: `In the operation block with flow_action_id = "` + depositID + `", attribute flow_definition_id: the definition of DEPOSIT on Paymaxis is ` + paymaxisDepositID + ", not fld_01jwraa3"},
		{name: "credential missing a required key", psp: psp(map[string]any{"credential_wo": nil, "credential": `{"apiKey":"table-secret"}`, "flow_target_id": sticpayID,
			"operation": ops(depositID, sticpayDepositID)}),
			phase: phasePlan, summary: "Credential does not match the flow target's schema", path: []any{"credential"}, detail: `missing required key "merchantEmail"`},
		{name: "write-only credential with an extra key", psp: psp(map[string]any{"flow_target_id": sticpayID, "operation": ops(depositID, sticpayDepositID),
			"credential_wo": `{"merchantEmail":"a@example.com","apiKey":"table-secret","pin":"table-secret"}`}),
			phase: phasePlan, summary: "Credential does not match the flow target's schema", path: []any{"credential_wo"}, detail: `unexpected key "pin"`},
		{name: "credential key of the wrong type", psp: psp(map[string]any{"credential_wo": `{"apiKey":123456789}`}),
			phase: phasePlan, summary: "Credential does not match the flow target's schema", path: []any{"credential_wo"}, detail: `key "apiKey" must be of type string`},

		// Refused by import.
		{name: "import id that is not a PSP id", importID: paymaxisID,
			phase: phaseImport, summary: "Invalid import id", path: nil, detail: "is not a PSP id"},
		{name: "import id with a space", importID: "psp_01jwra8pvkfey9h1f71gsw1qsw ",
			phase: phaseImport, summary: "Invalid import id", path: nil, detail: `letters, digits, "_" or "-"`},
	}
}

// credentialOfSize is a JSON object credential of exactly n bytes.
func credentialOfSize(n int) string {
	head, tail := `{"apiKey":"table-secret`, `"}`
	return head + strings.Repeat("k", n-len(head)-len(tail)) + tail
}

func TestBadInputTable(t *testing.T) {
	rows := badInputs()
	if len(rows) < 25 {
		t.Fatalf("the table has %d rows; the specification asks for at least 25", len(rows))
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			// The row's provider configuration is all there is: a token in the environment
			// (as real-environment mode sets) must not fill in one the row leaves out.
			t.Setenv(EnvSecretToken, "")
			h := newProtocolHarness(t, row.catalog)
			diags, got := h.firstRefusal(row)
			if got != row.phase {
				t.Fatalf("refused at %q, want %q; diagnostics: %s", got, row.phase, describeDiags(diags))
			}
			d := findDiag(diags, row.summary)
			if d == nil {
				t.Fatalf("no %q diagnostic at %s; got %s", row.summary, row.phase, describeDiags(diags))
			}
			if !strings.Contains(d.Detail, row.detail) {
				t.Errorf("detail %q does not contain %q", d.Detail, row.detail)
			}
			if want := h.path(row); !pathsEqual(d.Attribute, want) {
				t.Errorf("attribute path %v, want %v", d.Attribute, want)
			}
			for _, secret := range []string{"table-secret", "table-key", h.token} {
				if strings.Contains(d.Summary+d.Detail, secret) {
					t.Errorf("the diagnostic shows a secret value")
				}
			}
		})
	}
}

// TestUnknownValuesAreNotRefused: values known only at apply are skipped by every check.
func TestUnknownValuesAreNotRefused(t *testing.T) {
	h := newProtocolHarness(t, "")
	row := badInput{psp: psp(map[string]any{
		"flow_target_id": unknown, "credential_wo": unknown,
		"operation": []map[string]any{{"flow_action_id": unknown, "flow_definition_id": unknown}},
	})}
	if diags, at := h.firstRefusal(row); at != "" {
		t.Fatalf("refused at %s: %s", at, describeDiags(diags))
	}
}

// protocolHarness is the provider server, configured for an emulator.
type protocolHarness struct {
	t      *testing.T
	ctx    context.Context
	server tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
	url    string
	token  string
}

func newProtocolHarness(t *testing.T, catalogFile string) *protocolHarness {
	t.Helper()
	opts := emulator.Options{}
	if catalogFile != "" {
		cat, err := emulator.LoadCatalog(filepath.Join("..", "emulator", "testdata", catalogFile))
		if err != nil {
			t.Fatal(err)
		}
		opts.Catalog = cat
	}
	e := newTestEmulator(t, opts)
	ctx := t.Context()
	server := providerserver.NewProtocol6(New("test")())()
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return &protocolHarness{t: t, ctx: ctx, server: server, schema: schema, url: e.URL, token: e.token}
}

func (h *protocolHarness) dynamic(t tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	dv, err := tfprotov6.NewDynamicValue(t, v)
	if err != nil {
		h.t.Fatal(err)
	}
	return &dv
}

func (h *protocolHarness) pspType() tftypes.Type {
	return h.schema.ResourceSchemas["connxt_psp"].ValueType()
}

func (h *protocolHarness) pspValue(row badInput) tftypes.Value {
	return tfValue(h.pspType(), row.psp)
}

// firstRefusal walks the phases Terraform goes through and returns the diagnostics of
// the first that reports an error, and its name ("" when none does).
func (h *protocolHarness) firstRefusal(row badInput) ([]*tfprotov6.Diagnostic, phase) {
	providerConfig := map[string]any{"base_url": h.url, "secret_token": h.token}
	for k, v := range row.provider {
		providerConfig[k] = v
	}
	providerType := h.schema.Provider.ValueType()
	pc := h.dynamic(providerType, tfValue(providerType, providerConfig))

	vp, _ := h.server.ValidateProviderConfig(h.ctx, &tfprotov6.ValidateProviderConfigRequest{Config: pc})
	if hasError(vp.Diagnostics) {
		return vp.Diagnostics, phaseValidate
	}
	if row.psp != nil {
		vr, _ := h.server.ValidateResourceConfig(h.ctx, &tfprotov6.ValidateResourceConfigRequest{
			TypeName: "connxt_psp", Config: h.dynamic(h.pspType(), h.pspValue(row)),
			ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
		})
		if hasError(vr.Diagnostics) {
			return vr.Diagnostics, phaseValidate
		}
	}
	cp, _ := h.server.ConfigureProvider(h.ctx, &tfprotov6.ConfigureProviderRequest{Config: pc, TerraformVersion: "1.11.4"})
	if hasError(cp.Diagnostics) {
		return cp.Diagnostics, phaseConfigure
	}
	if row.importID != "" {
		ir, _ := h.server.ImportResourceState(h.ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "connxt_psp", ID: row.importID})
		if hasError(ir.Diagnostics) {
			return ir.Diagnostics, phaseImport
		}
	}
	if row.psp != nil {
		config := h.pspValue(row)
		// Terraform never puts a write-only value in a plan, only in the configuration.
		proposed := row
		proposed.psp = psp(row.psp)
		proposed.psp["credential_wo"] = nil
		pr, _ := h.server.PlanResourceChange(h.ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName:         "connxt_psp",
			PriorState:       h.dynamic(h.pspType(), tftypes.NewValue(h.pspType(), nil)),
			ProposedNewState: h.dynamic(h.pspType(), h.pspValue(proposed)),
			Config:           h.dynamic(h.pspType(), config),
		})
		if hasError(pr.Diagnostics) {
			return pr.Diagnostics, phasePlan
		}
	}
	return nil, ""
}

// path turns the row's path into the protocol's form; operation block n is the n-th
// element of the configured set.
func (h *protocolHarness) path(row badInput) *tftypes.AttributePath {
	if row.path == nil {
		return nil
	}
	p := tftypes.NewAttributePath()
	var opsValue []tftypes.Value
	if row.psp != nil {
		if row.phase == phasePlan {
			// Plan-time paths name the planned element, whose status has its default.
			row.psp = psp(row.psp)
			var withDefaults []map[string]any
			for _, op := range row.psp["operation"].([]map[string]any) {
				if op["status"] == nil {
					op = map[string]any{"flow_action_id": op["flow_action_id"], "flow_definition_id": op["flow_definition_id"], "status": "ENABLED"}
				}
				withDefaults = append(withDefaults, op)
			}
			row.psp["operation"] = withDefaults
		}
		var attrs map[string]tftypes.Value
		if err := h.pspValue(row).As(&attrs); err == nil {
			_ = attrs["operation"].As(&opsValue)
		}
	}
	for _, step := range row.path {
		switch s := step.(type) {
		case string:
			p = p.WithAttributeName(s)
		case *int:
			p = p.WithElementKeyValue(opsValue[*s])
		}
	}
	return p
}

func pathsEqual(got, want *tftypes.AttributePath) bool {
	if got == nil || len(got.Steps()) == 0 {
		return want == nil || len(want.Steps()) == 0
	}
	return want != nil && got.Equal(want)
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func findDiag(diags []*tfprotov6.Diagnostic, summary string) *tfprotov6.Diagnostic {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError && d.Summary == summary {
			return d
		}
	}
	return nil
}

func describeDiags(diags []*tfprotov6.Diagnostic) string {
	var parts []string
	for _, d := range diags {
		parts = append(parts, fmt.Sprintf("[%s %q at %v: %s]", d.Severity, d.Summary, d.Attribute, d.Detail))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}
