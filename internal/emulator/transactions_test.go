package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

var (
	txnPath      = connxt.APIPrefix + connxt.PathTransactions
	orderPattern = regexp.MustCompile(`^ortx[0-9A-Za-z]{12}$`)
)

// txnBody is the Quick Start transaction for a PSP and action.
func txnBody(p connxt.PSP, action string) map[string]any {
	return map[string]any{
		"flowActionId":    action,
		"flowTargetId":    p.FlowTargetID,
		"pspId":           p.ID,
		"transactionType": "deposit",
		"txnCurrency":     "USD",
		"txnAmount":       200,
		"executePayload": map[string]any{"body": map[string]any{
			"order":    map[string]any{"id": "ORDER_123", "money": map[string]any{"amount": 12, "currency": "USD"}},
			"customer": map[string]any{"id": "cust_001", "email": "customer@example.com"},
		}},
	}
}

func TestTransactionShapes(t *testing.T) {
	e := start(t, emulator.Options{})
	p := e.createPSP(emulator.DefaultToken, validSticpay("tx").with("operations", []any{
		map[string]any{"flowActionId": actDeposit, "flowDefinitionId": defStcDep},
		map[string]any{"flowActionId": actWithdraw, "flowDefinitionId": defStcWd},
	}))

	res := e.do(http.MethodPost, txnPath, emulator.DefaultToken, txnBody(p, actDeposit))
	var redirect connxt.TransactionRedirect
	res.expectOK(t, http.StatusCreated, &redirect)
	if res.env.Message != "Transaction created successfully" {
		t.Errorf("message %q", res.env.Message)
	}
	body := redirect.Data.Data
	if !redirect.Success || redirect.Data.Type != "success" || string(redirect.Error) != "null" ||
		body.Navigation.Type != "redirect" || body.Navigation.ContentType != "url" ||
		!orderPattern.MatchString(body.OrderID) || body.UserID != "cust_001" || body.Status == "" {
		t.Fatalf("redirect shape: %s", res.env.Data)
	}
	u, err := url.Parse(body.Navigation.Value)
	srv, _ := url.Parse(e.srv.URL)
	if err != nil || u.Host != srv.Host || !strings.Contains(u.Path, body.OrderID) {
		t.Fatalf("navigation %q is not on the emulator's host %q", body.Navigation.Value, srv.Host)
	}
	// The payment page exists.
	if r := e.do(http.MethodGet, u.Path, "", nil); r.status != 200 || !strings.Contains(string(r.body), body.OrderID) {
		t.Errorf("payment page: %d %s", r.status, r.body)
	}

	res = e.do(http.MethodPost, txnPath, emulator.DefaultToken, txnBody(p, actWithdraw))
	var direct connxt.TransactionDirect
	res.expectOK(t, http.StatusCreated, &direct)
	if !orderPattern.MatchString(direct.TxnID) || direct.Status != "SUCCESS" || direct.PSPTxnID == "" || res.env.Message != "Transaction created successfully" {
		t.Fatalf("direct shape: %s", res.env.Data)
	}
	var raw map[string]json.RawMessage
	_ = json.Unmarshal(res.env.Data, &raw)
	if _, redirectLike := raw["success"]; redirectLike {
		t.Errorf("direct answer has the redirect shape: %s", res.env.Data)
	}

	txns := e.emu.Transactions()
	if len(txns) != 2 || txns[0].ID != body.OrderID || txns[0].ActionName != "DEPOSIT" || txns[1].ID != direct.TxnID ||
		txns[1].Amount != "200" || txns[1].Currency != "USD" || txns[1].PSPID != p.ID {
		t.Fatalf("stored transactions: %+v", txns)
	}
}

func TestTransactionValidation(t *testing.T) {
	e := start(t, emulator.Options{})
	p := e.createPSP(emulator.DefaultToken, validSticpay("tx")) // DEPOSIT enabled, WITHDRAW disabled
	pmx := e.createPSP(emulator.DefaultToken, validPaymaxis("pmx"))
	off := e.createPSP(emulator.DefaultToken, validPaymaxis("off"))
	upd := updateBody(off)
	upd["status"] = "DISABLED"
	e.do(http.MethodPut, pspPath+"/"+off.ID, emulator.DefaultToken, upd).expectOK(t, 200, nil)

	with := func(k string, v any) map[string]any {
		b := txnBody(p, actDeposit)
		if v == remove {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	tests := []struct {
		name   string
		body   any
		status int
		fields []string
	}{
		{"flowActionId missing", with("flowActionId", remove), 400, []string{"flowActionId"}},
		{"flowTargetId missing", with("flowTargetId", remove), 400, []string{"flowTargetId"}},
		{"pspId missing", with("pspId", remove), 400, []string{"pspId"}},
		{"txnCurrency missing", with("txnCurrency", remove), 400, []string{"txnCurrency"}},
		{"txnCurrency lowercase", with("txnCurrency", "usd"), 400, []string{"txnCurrency"}},
		{"txnCurrency too long", with("txnCurrency", "USDT"), 400, []string{"txnCurrency"}},
		{"txnAmount missing", with("txnAmount", remove), 400, []string{"txnAmount"}},
		{"txnAmount zero", with("txnAmount", 0), 400, []string{"txnAmount"}},
		{"txnAmount negative", with("txnAmount", -5.5), 400, []string{"txnAmount"}},
		{"txnAmount a string", with("txnAmount", "200"), 400, []string{"txnAmount"}},
		{"executePayload missing", with("executePayload", remove), 400, []string{"executePayload"}},
		{"executePayload an array", with("executePayload", []any{1}), 400, []string{"executePayload"}},
		{"currency too short", with("txnCurrency", "EU"), 400, []string{"txnCurrency"}},
		{"pspId of wrong type", with("pspId", 12), 400, []string{"pspId"}},
		{"malformed", `{"pspId":`, 400, []string{"body"}},
		{"unknown PSP", with("pspId", "psp_doesnotexist0000000000000"), 404, []string{"pspId"}},
		{"target mismatch", with("flowTargetId", tgtPaymaxis), 400, []string{"flowTargetId"}},
		{"operation disabled", txnBody(p, actWithdraw), 400, []string{"flowActionId"}},
		{"operation absent", txnBody(pmx, actWithdraw), 400, []string{"flowActionId"}},
		{"action without definition", txnBody(p, actRefund), 400, []string{"flowActionId"}},
		{"PSP disabled", txnBody(off, actDeposit), 400, []string{"pspId"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code := map[int]string{400: "4001", 404: "4004"}[tc.status]
			e.do(http.MethodPost, txnPath, emulator.DefaultToken, tc.body).expectError(t, tc.status, code, tc.fields...)
		})
	}
	multi := txnBody(p, actDeposit)
	delete(multi, "pspId")
	multi["txnAmount"] = 0
	multi["executePayload"] = "x"
	e.do(http.MethodPost, txnPath, emulator.DefaultToken, multi).expectError(t, 400, "4001", "pspId", "txnAmount", "executePayload")
	if n := len(e.emu.Transactions()); n != 0 {
		t.Fatalf("%d transactions stored by refused requests", n)
	}
	// A decimal amount is fine.
	b := txnBody(pmx, actDeposit)
	b["txnAmount"] = 0.01
	e.do(http.MethodPost, txnPath, emulator.DefaultToken, b).expectOK(t, 201, nil)
}
