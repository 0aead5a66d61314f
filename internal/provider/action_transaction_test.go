package provider

import (
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
	"github.com/fynxt/terraform-provider-connxt/internal/protoserver"
)

// These tests drive the connxt_transaction action through the plugin protocol
// (tfprotov6), as Terraform 1.14 does, so that they run in CI with any terraform CLI.

const (
	transactionActionType = "connxt_transaction"
	// smokeEmail is customer data in the payload: it must never appear in a message.
	smokeEmail   = "smoke-payer@example.com"
	smokePayload = `{"body":{"order":{"id":"smoke-1","money":{"amount":10.5,"currency":"EUR"}},` +
		`"customer":{"id":"cust-1","email":"` + smokeEmail + `"}}}`
)

// actionProviderServer is a provider server with the action RPCs (tfprotov6 keeps them in
// a separate interface until they join ProviderServer).
type actionProviderServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
}

// actionHarness is the provider served over tfprotov6, with its schemas.
type actionHarness struct {
	t        *testing.T
	srv      actionProviderServer
	provider tftypes.Object
	action   tftypes.Object
	schema   *tfprotov6.Schema
}

func newActionHarness(t *testing.T) *actionHarness {
	t.Helper()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	// Through the releasing server, as the shipped binary serves it (its InvokeAction
	// stream is held under the release gate).
	wrapped, ok := protoserver.NewReleasingServer(srv, 1).(actionProviderServer)
	if !ok {
		t.Fatal("the releasing server does not serve actions")
	}
	resp, err := wrapped.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	expectNoDiagnostics(t, "GetProviderSchema", resp.Diagnostics)
	as, ok := resp.ActionSchemas[transactionActionType]
	if !ok || as.Schema == nil {
		t.Fatalf("GetProviderSchema has no %s action schema (actions: %v)", transactionActionType, resp.ActionSchemas)
	}
	return &actionHarness{t: t, srv: wrapped, schema: as.Schema,
		provider: resp.Provider.ValueType().(tftypes.Object), action: as.Schema.ValueType().(tftypes.Object)}
}

// value builds a DynamicValue of typ from vals; attributes left out are null.
func (h *actionHarness) value(typ tftypes.Object, vals map[string]tftypes.Value) *tfprotov6.DynamicValue {
	h.t.Helper()
	all := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := vals[name]; ok {
			all[name] = v
		} else {
			all[name] = tftypes.NewValue(at, nil)
		}
	}
	for name := range vals {
		if _, ok := typ.AttributeTypes[name]; !ok {
			h.t.Fatalf("no attribute %q in the schema", name)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, all))
	if err != nil {
		h.t.Fatal(err)
	}
	return &dv
}

// configure configures the provider for baseURL with the emulator's default token.
func (h *actionHarness) configure(baseURL string) {
	h.t.Helper()
	resp, err := h.srv.ConfigureProvider(h.t.Context(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0",
		Config: h.value(h.provider, map[string]tftypes.Value{
			"base_url":     tftypes.NewValue(tftypes.String, baseURL),
			"secret_token": tftypes.NewValue(tftypes.String, emulator.DefaultToken),
			"max_retries":  tftypes.NewValue(tftypes.Number, 0),
		}),
	})
	if err != nil {
		h.t.Fatal(err)
	}
	expectNoDiagnostics(h.t, "ConfigureProvider", resp.Diagnostics)
}

func (h *actionHarness) validate(cfg map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	h.t.Helper()
	resp, err := h.srv.ValidateActionConfig(h.t.Context(), &tfprotov6.ValidateActionConfigRequest{
		ActionType: transactionActionType, Config: h.value(h.action, cfg)})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.Diagnostics
}

func (h *actionHarness) plan(cfg map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	h.t.Helper()
	resp, err := h.srv.PlanAction(h.t.Context(), &tfprotov6.PlanActionRequest{
		ActionType: transactionActionType, Config: h.value(h.action, cfg)})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.Diagnostics
}

// invoke runs the action and returns its progress messages and final diagnostics.
func (h *actionHarness) invoke(cfg map[string]tftypes.Value) (progress []string, diags []*tfprotov6.Diagnostic) {
	h.t.Helper()
	resp, err := h.srv.InvokeAction(h.t.Context(), &tfprotov6.InvokeActionRequest{
		ActionType: transactionActionType, Config: h.value(h.action, cfg)})
	if err != nil {
		h.t.Fatal(err)
	}
	completed := 0
	for ev := range resp.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			completed++
			diags = append(diags, e.Diagnostics...)
		}
	}
	if completed != 1 {
		h.t.Errorf("InvokeAction sent %d completed events, want 1", completed)
	}
	return progress, diags
}

// smokeConfig is a valid configuration of the action for psp, overridden by extra.
func smokeConfig(pspID, actionID string, extra map[string]tftypes.Value) map[string]tftypes.Value {
	cfg := map[string]tftypes.Value{
		"psp_id":           tftypes.NewValue(tftypes.String, pspID),
		"flow_target_id":   tftypes.NewValue(tftypes.String, paymaxisID),
		"flow_action_id":   tftypes.NewValue(tftypes.String, actionID),
		"transaction_type": tftypes.NewValue(tftypes.String, "deposit"),
		"currency":         tftypes.NewValue(tftypes.String, "EUR"),
		"amount":           tftypes.NewValue(tftypes.Number, big.NewFloat(10.5)),
		"execute_payload":  tftypes.NewValue(tftypes.String, smokePayload),
	}
	for k, v := range extra {
		cfg[k] = v
	}
	return cfg
}

// smokePSP creates a Paymaxis PSP on e with a DEPOSIT and a WITHDRAW operation of the
// given statuses, and returns its id.
func smokePSP(t *testing.T, e *testEmulator, depositStatus, withdrawStatus string) string {
	t.Helper()
	p, _, err := e.client(t).CreatePSP(t.Context(), connxt.CreatePSPRequest{Name: "smoke", FlowTargetID: paymaxisID,
		Credential: `{"apiKey":"smoke-key"}`,
		Operations: []connxt.PSPOperation{
			{FlowActionID: depositID, FlowDefinitionID: paymaxisDepositID, Status: depositStatus},
			{FlowActionID: withdrawID, FlowDefinitionID: paymaxisWithdrawD, Status: withdrawStatus},
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.ResetCounts()
	return p.ID
}

func expectNoDiagnostics(t *testing.T, call string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		t.Errorf("%s: unexpected diagnostic %q: %s", call, d.Summary, d.Detail)
	}
}

// expectDiagnostic checks that diags hold exactly one error, with summary, on attribute
// (none when ""), whose detail contains every word.
func expectDiagnostic(t *testing.T, diags []*tfprotov6.Diagnostic, attribute, summary string, words ...string) {
	t.Helper()
	if len(diags) != 1 {
		for _, d := range diags {
			t.Logf("diagnostic %q: %s", d.Summary, d.Detail)
		}
		t.Fatalf("got %d diagnostics, want 1 (%q)", len(diags), summary)
	}
	d := diags[0]
	if d.Severity != tfprotov6.DiagnosticSeverityError || d.Summary != summary {
		t.Errorf("diagnostic %v %q, want an error %q (detail: %s)", d.Severity, d.Summary, summary, d.Detail)
	}
	var want *tftypes.AttributePath
	if attribute != "" {
		want = tftypes.NewAttributePath().WithAttributeName(attribute)
	}
	if (want == nil) != (d.Attribute == nil) || (want != nil && !want.Equal(d.Attribute)) {
		t.Errorf("diagnostic %q is on %v, want %v", d.Summary, d.Attribute, want)
	}
	for _, w := range words {
		if !strings.Contains(d.Detail, w) {
			t.Errorf("diagnostic %q lacks %q: %s", d.Summary, w, d.Detail)
		}
	}
	if strings.Contains(d.Summary+d.Detail, smokeEmail) || strings.Contains(d.Summary+d.Detail, emulator.DefaultToken) {
		t.Errorf("diagnostic %q shows customer data or the token: %s", d.Summary, d.Detail)
	}
}

func TestTransactionActionSchema(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	h := newActionHarness(t)
	required := map[string]bool{"psp_id": true, "flow_target_id": true, "flow_action_id": true, "currency": true,
		"amount": true, "execute_payload": true, "transaction_type": false, "allow_production": false}
	if h.schema.Block.DescriptionKind != tfprotov6.StringKindMarkdown || h.schema.Block.Description == "" {
		t.Error("the action has no Markdown description")
	}
	seen := map[string]bool{}
	for _, a := range h.schema.Block.Attributes {
		seen[a.Name] = true
		want, ok := required[a.Name]
		switch {
		case !ok:
			t.Errorf("unexpected attribute %q", a.Name)
		case a.Required != want || a.Optional == want:
			t.Errorf("%s: required %v optional %v, want required %v", a.Name, a.Required, a.Optional, want)
		}
		if a.Description == "" || a.DescriptionKind != tfprotov6.StringKindMarkdown {
			t.Errorf("%s has no Markdown description", a.Name)
		}
	}
	for name := range required {
		if !seen[name] {
			t.Errorf("the action schema lacks %q", name)
		}
	}
}

func TestTransactionActionValidateConfig(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	h := newActionHarness(t)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(s string) tftypes.Value {
		f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		return tftypes.NewValue(tftypes.Number, f)
	}
	const psp = "psp_gQzyS9RkkknYWFvgnJQj3zSNjP"
	expectNoDiagnostics(t, "a valid configuration", h.validate(smokeConfig(psp, depositID, nil)))
	expectNoDiagnostics(t, "JPY without decimals", h.validate(smokeConfig(psp, depositID,
		map[string]tftypes.Value{"currency": str("JPY"), "amount": num("500")})))
	expectNoDiagnostics(t, "three decimals in KWD", h.validate(smokeConfig(psp, depositID,
		map[string]tftypes.Value{"currency": str("KWD"), "amount": num("1.125")})))
	expectNoDiagnostics(t, "unknown values", h.validate(smokeConfig(psp, depositID, map[string]tftypes.Value{
		"psp_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue), "amount": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)})))

	for _, tc := range []struct {
		name, attribute, summary string
		set                      map[string]tftypes.Value
		words                    []string
	}{
		{"lowercase currency", "currency", "Invalid currency", map[string]tftypes.Value{"currency": str("eur")},
			[]string{`currency = "eur"`, "three uppercase letters"}},
		{"unknown currency", "currency", "Unknown currency", map[string]tftypes.Value{"currency": str("ABC")},
			[]string{`currency = "ABC"`, "not an active ISO 4217 code"}},
		{"test currency", "currency", "Unknown currency", map[string]tftypes.Value{"currency": str("XTS")},
			[]string{"XTS"}},
		{"zero amount", "amount", "Invalid amount", map[string]tftypes.Value{"amount": num("0")},
			[]string{"amount = 0", "greater than 0"}},
		{"negative amount", "amount", "Invalid amount", map[string]tftypes.Value{"amount": num("-5")},
			[]string{"amount = -5", "greater than 0"}},
		{"three decimals in EUR", "amount", "Too many decimals for the currency", map[string]tftypes.Value{"amount": num("10.505")},
			[]string{"amount = 10.505 has 3 decimals", "EUR has 2"}},
		{"decimals in JPY", "amount", "Too many decimals for the currency",
			map[string]tftypes.Value{"currency": str("JPY"), "amount": num("1.5")}, []string{"JPY has 0"}},
		{"payload a list", "execute_payload", "Invalid JSON object", map[string]tftypes.Value{"execute_payload": str(`["` + smokeEmail + `"]`)},
			[]string{"execute_payload", "a list, not an object"}},
		{"payload not JSON", "execute_payload", "Invalid JSON object", map[string]tftypes.Value{"execute_payload": str("email=" + smokeEmail)},
			[]string{"not valid JSON (syntax error at byte 1"}},
		{"payload with a key twice", "execute_payload", "Invalid JSON object",
			map[string]tftypes.Value{"execute_payload": str(`{"email":"` + smokeEmail + `","email":"other@example.com"}`)},
			[]string{`the key "email" twice`}},
		{"not a PSP id", "psp_id", "Invalid PSP id", map[string]tftypes.Value{"psp_id": str("ftg_abc")},
			[]string{"psp_"}},
		{"empty transaction type", "transaction_type", "Invalid Attribute Value Length", map[string]tftypes.Value{"transaction_type": str("")},
			[]string{"between 1 and 100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectDiagnostic(t, h.validate(smokeConfig(psp, depositID, tc.set)), tc.attribute, tc.summary, tc.words...)
		})
	}
}

func TestTransactionActionPlanChecksThePSP(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	e := newTestEmulator(t, emulator.Options{})
	pspID := smokePSP(t, e, connxt.StatusEnabled, connxt.StatusDisabled)
	h := newActionHarness(t)
	h.configure(e.URL)

	expectNoDiagnostics(t, "PlanAction of an enabled operation", h.plan(smokeConfig(pspID, depositID, nil)))
	expectDiagnostic(t, h.plan(smokeConfig(pspID, withdrawID, nil)), "flow_action_id", "PSP operation not enabled",
		pspID, withdrawID, "is DISABLED")
	expectDiagnostic(t, h.plan(smokeConfig(pspID, refundID, nil)), "flow_action_id", "PSP has no operation for the flow action",
		refundID, depositID+", "+withdrawID)
	expectDiagnostic(t, h.plan(smokeConfig(pspID, depositID, map[string]tftypes.Value{
		"flow_target_id": tftypes.NewValue(tftypes.String, sticpayID)})), "flow_target_id", "Flow target is not the PSP's", paymaxisID)
	expectDiagnostic(t, h.plan(smokeConfig("psp_missing00000000000000000", depositID, nil)), "psp_id", "PSP not found",
		"psp_missing00000000000000000")

	// A PSP id that a create will produce is unknown at plan: nothing to read yet.
	e.ResetCounts()
	expectNoDiagnostics(t, "PlanAction with an unknown PSP id", h.plan(smokeConfig(pspID, depositID, map[string]tftypes.Value{
		"psp_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})))
	if n := e.Counts()[emulator.RouteGetPSP]; n != 0 {
		t.Errorf("PlanAction with an unknown PSP id read a PSP %d times", n)
	}
	if n := e.Counts()[emulator.RouteCreateTransaction]; n != 0 || len(e.Transactions()) != 0 {
		t.Errorf("planning sent %d transactions", n)
	}
}

func TestTransactionActionInvokeRedirect(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	e := newTestEmulator(t, emulator.Options{})
	pspID := smokePSP(t, e, connxt.StatusEnabled, connxt.StatusEnabled)
	h := newActionHarness(t)
	h.configure(e.URL)

	progress, diags := h.invoke(smokeConfig(pspID, depositID, nil))
	t.Logf("progress: %q", progress)
	expectNoDiagnostics(t, "InvokeAction", diags)
	txns := e.Transactions()
	if len(txns) != 1 || e.Counts()[emulator.RouteCreateTransaction] != 1 {
		t.Fatalf("%d transactions, %d POSTs; want 1 of each", len(txns), e.Counts()[emulator.RouteCreateTransaction])
	}
	txn := txns[0]
	if txn.RedirectURL == "" || txn.Amount != "10.5" || txn.Currency != "EUR" || txn.TransactionType != "deposit" {
		t.Errorf("the emulator recorded %+v", txn)
	}
	expectProgress(t, progress,
		[]string{"Sending one transaction", "POST /connxt/v2/transactions", "never retried", pspID, paymaxisID, depositID, "10.5 EUR", `type "deposit"`},
		[]string{"created transaction " + txn.ID + " with status INITIATED", "payment page: " + txn.RedirectURL})
}

func TestTransactionActionInvokeDirect(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	e := newTestEmulator(t, emulator.Options{})
	pspID := smokePSP(t, e, connxt.StatusEnabled, connxt.StatusEnabled)
	h := newActionHarness(t)
	h.configure(e.URL)

	progress, diags := h.invoke(smokeConfig(pspID, withdrawID, map[string]tftypes.Value{
		"transaction_type": tftypes.NewValue(tftypes.String, nil)}))
	expectNoDiagnostics(t, "InvokeAction", diags)
	txns := e.Transactions()
	if len(txns) != 1 || e.Counts()[emulator.RouteCreateTransaction] != 1 {
		t.Fatalf("%d transactions, %d POSTs; want 1 of each", len(txns), e.Counts()[emulator.RouteCreateTransaction])
	}
	expectProgress(t, progress,
		[]string{"Sending one transaction", withdrawID, "10.5 EUR"},
		[]string{"created transaction " + txns[0].ID + " with status SUCCESS."})
	if strings.Contains(progress[1], "payment page") || strings.Contains(progress[0], "type ") {
		t.Errorf("a direct answer without a type: %q", progress)
	}
}

func TestTransactionActionLostAnswerIsNotResent(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	e := newTestEmulator(t, emulator.Options{})
	pspID := smokePSP(t, e, connxt.StatusEnabled, connxt.StatusEnabled)
	if err := e.SetFaults(emulator.FaultSettings{Rules: map[string]emulator.FaultRule{emulator.RouteCreateTransaction: {CommitDropRate: 1}}}); err != nil {
		t.Fatal(err)
	}
	h := newActionHarness(t)
	h.configure(e.URL)

	progress, diags := h.invoke(smokeConfig(pspID, depositID, nil))
	for _, d := range diags {
		t.Logf("%s: %s", d.Summary, d.Detail)
	}
	if n := e.Counts()[emulator.RouteCreateTransaction]; n != 1 {
		t.Errorf("%d POSTs reached the emulator, want exactly 1", n)
	}
	if n := len(e.Transactions()); n != 1 {
		t.Errorf("the emulator holds %d transactions, want the 1 whose answer was lost", n)
	}
	expectDiagnostic(t, diags, "", "The test transaction may have been created",
		"outcome is unknown", "may have created the transaction", "does not send it again", "no idempotency key",
		"Before invoking the action again", "PSP "+pspID+" for 10.5 EUR", "GET /_emulator/transactions")
	if len(progress) != 1 || !strings.Contains(progress[0], "Sending one transaction") {
		t.Errorf("progress %q, want only the sending message", progress)
	}
}

func TestTransactionActionInvokeRechecksThePSP(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	e := newTestEmulator(t, emulator.Options{})
	pspID := smokePSP(t, e, connxt.StatusEnabled, connxt.StatusDisabled)
	h := newActionHarness(t)
	h.configure(e.URL)

	progress, diags := h.invoke(smokeConfig(pspID, withdrawID, nil))
	expectDiagnostic(t, diags, "flow_action_id", "PSP operation not enabled", "is DISABLED")
	if n := e.Counts()[emulator.RouteCreateTransaction]; n != 0 || len(progress) != 0 {
		t.Errorf("%d POSTs and progress %q for a disabled operation, want none", n, progress)
	}
}

func TestTransactionActionRefusesProduction(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	h := newActionHarness(t)
	h.configure(connxt.ProductionBaseURL)
	cfg := smokeConfig("psp_gQzyS9RkkknYWFvgnJQj3zSNjP", depositID, nil)
	expectDiagnostic(t, h.plan(cfg), "allow_production", "Test transaction refused on Connxt production",
		connxt.ProductionBaseURL, "allow_production = true")
	progress, diags := h.invoke(cfg)
	expectDiagnostic(t, diags, "allow_production", "Test transaction refused on Connxt production", "real money")
	if len(progress) != 0 {
		t.Errorf("progress %q for a refused invocation", progress)
	}
	cfg["allow_production"] = tftypes.NewValue(tftypes.Bool, false)
	expectDiagnostic(t, h.plan(cfg), "allow_production", "Test transaction refused on Connxt production")
}

func TestTransactionMayExist(t *testing.T) {
	// A port nobody listens on: the dial fails before a byte is sent.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	_ = l.Close()
	c, err := connxt.New(connxt.Config{BaseURL: url, Token: emulator.DefaultToken, MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateTransaction(t.Context(), connxt.CreateTransactionRequest{PSPID: "psp_x"})
	if err == nil || connxt.TransactionMayExist(err) {
		t.Errorf("a refused connection (%v) may have created a transaction, want not", err)
	}
	for status, want := range map[int]bool{400: false, 401: false, 429: false, 503: false, 502: true, 504: true, 201: true} {
		if got := connxt.TransactionMayExist(&connxt.APIError{StatusCode: status}); got != want {
			t.Errorf("HTTP %d: may exist %v, want %v", status, got, want)
		}
	}
	if !connxt.TransactionMayExist(&connxt.APIError{StatusCode: 500}) || connxt.TransactionMayExist(&connxt.APIError{StatusCode: 500, Code: "1000"}) {
		t.Error("a 500 may hide a payment only when it is not a Connxt envelope")
	}
}

// expectProgress checks that there are as many messages as wants and that each holds
// its words, but neither customer data nor the token.
func expectProgress(t *testing.T, progress []string, wants ...[]string) {
	t.Helper()
	if len(progress) != len(wants) {
		t.Fatalf("progress %q: %d messages, want %d", progress, len(progress), len(wants))
	}
	for i, words := range wants {
		for _, w := range words {
			if !strings.Contains(progress[i], w) {
				t.Errorf("progress message %d lacks %q: %s", i, w, progress[i])
			}
		}
		if strings.Contains(progress[i], smokeEmail) || strings.Contains(progress[i], emulator.DefaultToken) ||
			strings.Contains(progress[i], "smoke-1") {
			t.Errorf("progress message %d shows the payload or the token: %s", i, progress[i])
		}
	}
}

// TestAccTransactionActionAfterCreate runs the action as Terraform 1.14 does, from the
// action_trigger of a connxt_psp: creating the PSP sends exactly one transaction. Older
// CLIs do not know action blocks, so the test is skipped there (the protocol-level tests
// above cover the action with any CLI).
func TestAccTransactionActionAfterCreate(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	e := newTestEmulator(t, emulator.Options{})
	// The payload is the Go constant the protocol-level tests send too.
	config := e.config(fmt.Sprintf(`
resource "connxt_psp" "smoke" {
  name                  = "smoke"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw" # Paymaxis
  credential_wo         = jsonencode({ apiKey = "smoke-key" })
  credential_wo_version = 1

  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv" # Paymaxis DEPOSIT
  }

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.connxt_transaction.smoke]
    }
  }
}

action "connxt_transaction" "smoke" {
  config {
    psp_id           = connxt_psp.smoke.id
    flow_target_id   = connxt_psp.smoke.flow_target_id
    flow_action_id   = "fat_01jt2cetrheh48mkp2m8z680xz" # DEPOSIT
    transaction_type = "deposit"
    currency         = "EUR"
    amount           = 10.5
    execute_payload  = %q
  }
}
`, smokePayload))
	tc := e.testCase(t, []resource.TestStep{{
		Config: config,
		ConfigStateChecks: []statecheck.StateCheck{expectEmulator(func() error {
			txns := e.Transactions()
			if len(txns) != 1 || e.Counts()[emulator.RouteCreateTransaction] != 1 {
				return fmt.Errorf("%d transactions and %d POSTs after the create, want 1 of each",
					len(txns), e.Counts()[emulator.RouteCreateTransaction])
			}
			if txns[0].Amount != "10.5" || txns[0].Currency != "EUR" || txns[0].ActionName != "DEPOSIT" {
				return fmt.Errorf("the emulator recorded %+v", txns[0])
			}
			return nil
		})},
	}})
	tc.TerraformVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}
	resource.ParallelTest(t, tc)
}

// TestTransactionActionFailsOnARejectedPayment: a transaction that Connxt creates but the
// PSP rejects fails the smoke test, after its result was reported.
func TestTransactionActionFailsOnARejectedPayment(t *testing.T) {
	requireEmulator(t, "reads the emulator's transactions and request counters")
	srv := emulator.New(emulator.Options{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != connxt.APIPrefix+connxt.PathTransactions {
			srv.ServeHTTP(w, r)
			return
		}
		// The emulator's direct answers all succeed; make this one a rejection.
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		body := regexp.MustCompile(`"status":\s*"SUCCESS"`).ReplaceAllString(rec.Body.String(), `"status":"REJECTED"`)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	e := &testEmulator{Server: srv, URL: ts.URL, token: emulator.DefaultToken, t: t}
	pspID := smokePSP(t, e, connxt.StatusEnabled, connxt.StatusEnabled)
	h := newActionHarness(t)
	h.configure(e.URL)

	progress, diags := h.invoke(smokeConfig(pspID, withdrawID, nil))
	txns := e.Transactions()
	if len(txns) != 1 {
		t.Fatalf("%d transactions, want 1", len(txns))
	}
	expectProgress(t, progress, []string{"Sending one transaction"},
		[]string{"created transaction " + txns[0].ID + " with status REJECTED."})
	expectDiagnostic(t, diags, "psp_id", "The PSP did not take the test payment", txns[0].ID, "status is REJECTED", withdrawID)
}
