package emulator_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

var (
	pspPath      = connxt.APIPrefix + connxt.PathPSPs
	createPath   = connxt.APIPrefix + connxt.PathPSPsExternal
	pspIDPattern = regexp.MustCompile(`^psp_[0-9A-Za-z]{26}$`)
)

func TestCreatePSP(t *testing.T) {
	e := start(t, emulator.Options{})
	body := validSticpay("Main Sticpay").with("brandId", "brn_forgedforgedforgedforged00").with("environmentId", "env_forged").with("unknownField", 42)
	res := e.do(http.MethodPost, createPath, emulator.DefaultToken, body)
	var p connxt.PSP
	res.expectOK(t, http.StatusCreated, &p)
	if res.env.Message != "Operation completed successfully" || res.env.Timestamp != "2025-12-12T14:56:36Z" {
		t.Errorf("envelope: %q %q", res.env.Message, res.env.Timestamp)
	}
	// Raw members that typed decoding would hide.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(res.env.Data, &raw); err != nil {
		t.Fatal(err)
	}
	if string(raw["description"]) != "null" {
		t.Errorf("description = %s, want null", raw["description"])
	}
	var ft map[string]json.RawMessage
	_ = json.Unmarshal(raw["flowTarget"], &ft)
	if len(ft["credentialSchema"]) == 0 || ft["credentialSchema"][0] != '"' {
		t.Errorf("flowTarget.credentialSchema must be a JSON string, got %s", ft["credentialSchema"])
	}

	tok := emulator.TokenFor(emulator.DefaultToken)
	switch {
	case !pspIDPattern.MatchString(p.ID):
		t.Errorf("id %q", p.ID)
	case p.Name != "Main Sticpay" || p.Logo == nil || *p.Logo != "https://example.com/logo.png":
		t.Errorf("name/logo: %q %v", p.Name, p.Logo)
	case p.Credential != connxt.CredentialMask:
		t.Errorf("credential %q", p.Credential)
	case p.BrandID != tok.BrandID || p.EnvironmentID != tok.EnvironmentID:
		t.Errorf("brand/env %q %q, want %q %q", p.BrandID, p.EnvironmentID, tok.BrandID, tok.EnvironmentID)
	case p.CreatedBy != tok.EnvironmentID || p.UpdatedBy != tok.EnvironmentID:
		t.Errorf("createdBy/updatedBy %q %q", p.CreatedBy, p.UpdatedBy)
	case p.Status != connxt.StatusEnabled || p.FlowTargetID != tgtSticpay:
		t.Errorf("status/target %q %q", p.Status, p.FlowTargetID)
	case p.CreatedAt != "2025-12-12T16:56:36" || p.UpdatedAt != p.CreatedAt:
		t.Errorf("times %q %q (want local time without zone)", p.CreatedAt, p.UpdatedAt)
	}
	wantOps := []connxt.PSPOperation{
		{FlowActionID: actDeposit, FlowDefinitionID: defStcDep, Status: "ENABLED"},
		{FlowActionID: actWithdraw, FlowDefinitionID: defStcWd, Status: "DISABLED"},
	}
	if !equalOps(p.Operations, wantOps) {
		t.Errorf("operations %+v", p.Operations)
	}
	f := p.FlowTarget
	if f == nil || f.ID != tgtSticpay || f.FlowTypeID != flowTypePSP ||
		strings.Join(f.Currencies, ",") != "USD" || f.Countries == nil || len(f.Countries) != 0 || strings.Join(f.PaymentMethods, ",") != "Bank" {
		t.Fatalf("flowTarget %+v", f)
	}
	var schema map[string]any
	if err := json.Unmarshal([]byte(f.CredentialSchema), &schema); err != nil || schema["additionalProperties"] != false {
		t.Errorf("credentialSchema string %q", f.CredentialSchema)
	}
	want := []connxt.SupportedAction{
		{FlowActionID: actDeposit, FlowDefinitionID: defStcDep, FlowActionName: "DEPOSIT"},
		{FlowActionID: actWithdraw, FlowDefinitionID: defStcWd, FlowActionName: "WITHDRAW"},
	}
	if len(f.SupportedActions) != 2 || f.SupportedActions[0] != want[0] || f.SupportedActions[1] != want[1] {
		t.Errorf("supportedActions %+v (REFUND has no definition and must not be listed)", f.SupportedActions)
	}

	// Defaults: no logo is null, an omitted operation status is ENABLED.
	q := e.createPSP(emulator.DefaultToken, validPaymaxis("pmx").with("operations", []any{
		map[string]any{"flowActionId": actWithdraw, "flowDefinitionId": defPmxWd},
	}))
	if q.Logo != nil || len(q.Operations) != 1 || q.Operations[0].Status != connxt.StatusEnabled {
		t.Errorf("defaults: logo %v operations %+v", q.Logo, q.Operations)
	}
	if q.ID == p.ID {
		t.Error("two PSPs share an id")
	}
}

func equalOps(a, b []connxt.PSPOperation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCreatePSPValidation(t *testing.T) {
	op := func(action, def, status string) map[string]any {
		m := map[string]any{"flowActionId": action, "flowDefinitionId": def}
		if status != "" {
			m["status"] = status
		}
		return m
	}
	stc := validSticpay("v")
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		fields []string
	}{
		{"name missing", stc.with("name", remove), 400, "4001", []string{"name"}},
		{"name empty", stc.with("name", ""), 400, "4001", []string{"name"}},
		{"name blank", stc.with("name", "   "), 400, "4001", []string{"name"}},
		{"credential missing", stc.with("credential", remove), 400, "4001", []string{"credential"}},
		{"credential null", stc.with("credential", nil), 400, "4001", []string{"credential"}},
		{"credential empty", stc.with("credential", ""), 400, "4001", []string{"credential"}},
		{"credential not JSON", stc.with("credential", "apiKey=1"), 400, "4001", []string{"credential"}},
		{"credential JSON array", stc.with("credential", `["a"]`), 400, "4001", []string{"credential"}},
		{"credential not a string", stc.with("credential", map[string]any{"apiKey": "k", "merchantEmail": "e"}), 400, "4001", []string{"credential"}},
		{"credential misses a key", stc.with("credential", `{"apiKey":"k"}`), 400, "4001", []string{"credential"}},
		{"credential has an unexpected key", stc.with("credential", `{"apiKey":"k","merchantEmail":"e","extra":"x"}`), 400, "4001", []string{"credential"}},
		{"credential key of wrong type", stc.with("credential", `{"apiKey":7,"merchantEmail":"e"}`), 400, "4001", []string{"credential"}},
		{"flowTargetId missing", stc.with("flowTargetId", remove), 400, "4001", []string{"flowTargetId"}},
		{"flowTargetId unknown", stc.with("flowTargetId", "ftg_01jt2ctt8veh48mkpcx2bdeaaa"), 404, "4004", []string{"flowTargetId"}},
		{"operations missing", stc.with("operations", remove), 400, "4001", []string{"operations"}},
		{"operations null", stc.with("operations", nil), 400, "4001", []string{"operations"}},
		{"operations empty", stc.with("operations", []any{}), 400, "4001", []string{"operations"}},
		{"operations not an array", stc.with("operations", map[string]any{}), 400, "4001", []string{"operations"}},
		{"action unknown", stc.with("operations", []any{op("fat_01jt2cetrheh48mkp2m8z680aa", defStcDep, "")}), 400, "4001", []string{"operations[0].flowActionId"}},
		{"action missing", stc.with("operations", []any{op(actDeposit, defStcDep, ""), op("", defStcWd, "")}), 400, "4001", []string{"operations[1].flowActionId"}},
		{"definition of another target", stc.with("operations", []any{op(actDeposit, defPmxDep, "")}), 400, "4001", []string{"operations[0].flowDefinitionId"}},
		{"definition of another action", stc.with("operations", []any{op(actDeposit, defStcWd, "")}), 400, "4001", []string{"operations[0].flowDefinitionId"}},
		{"definition missing", stc.with("operations", []any{op(actDeposit, "", "")}), 400, "4001", []string{"operations[0].flowDefinitionId"}},
		{"action without definition", stc.with("operations", []any{op(actRefund, defStcDep, "ENABLED")}), 400, "4001", []string{"operations[0].flowDefinitionId"}},
		{"action without definition, disabled", stc.with("operations", []any{op(actRefund, defStcDep, "DISABLED")}), 400, "4001", []string{"operations[0].flowDefinitionId"}},
		{"status invalid", stc.with("operations", []any{op(actDeposit, defStcDep, "ON")}), 400, "4001", []string{"operations[0].status"}},
		{"status wrong type", stc.with("operations", []any{op(actDeposit, defStcDep, ""), map[string]any{"flowActionId": actWithdraw, "flowDefinitionId": defStcWd, "status": true}}), 400, "4001", []string{"operations[1].status"}},
		{"duplicate action", stc.with("operations", []any{op(actDeposit, defStcDep, ""), op(actDeposit, defStcDep, "DISABLED")}), 400, "4001", []string{"operations[1].flowActionId"}},
		{"all errors at once", stc.with("name", "").with("credential", `{}`).with("operations", []any{op(actRefund, "x", "ON"), op("y", defStcDep, "")}), 400, "4001",
			[]string{"name", "credential", "credential", "operations[0].flowDefinitionId", "operations[0].status", "operations[1].flowActionId"}},
		{"structural errors win over unknown target", stc.with("name", "").with("flowTargetId", "ftg_01jt2ctt8veh48mkpcx2bdeaaa"), 400, "4001", []string{"name"}},
		{"name of wrong type", stc.with("name", 5), 400, "4001", []string{"name"}},
		{"malformed JSON", `{"name":`, 400, "4001", []string{"body"}},
		{"trailing garbage", `{"name":"x"} trailing`, 400, "4001", []string{"body"}},
		{"two objects", `{}{}`, 400, "4001", []string{"body"}},
		{"empty body", ``, 400, "4001", []string{"body"}},
		{"array body", `[]`, 400, "4001", []string{"body"}},
		{"oversized body", `{"name":"` + strings.Repeat("a", 1<<20) + `"}`, 400, "4001", []string{"body"}},
		{"name too long", stc.with("name", strings.Repeat("é", connxt.MaxPSPNameChars+1)), 400, "4001", []string{"name"}},
		{"credential too large", stc.with("credential", credentialOfSize(connxt.MaxCredentialBytes+1)), 400, "4001", []string{"credential"}},
	}
	e := start(t, emulator.Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.do(http.MethodPost, createPath, emulator.DefaultToken, tc.body).expectError(t, tc.status, tc.code, tc.fields...)
		})
	}
	if n := len(e.emu.PSPs()); n != 0 {
		t.Fatalf("%d PSPs stored by invalid requests", n)
	}
}

func TestCredentialMessagesNameKeys(t *testing.T) {
	e := start(t, emulator.Options{})
	res := e.do(http.MethodPost, createPath, emulator.DefaultToken,
		validSticpay("x").with("credential", `{"apiKey":"k","surplus":"v"}`))
	res.expectError(t, 400, "4001", "credential", "credential")
	all := ""
	for _, fe := range res.env.Errors {
		all += fe.Message + "\n"
	}
	if !strings.Contains(all, `"merchantEmail"`) || !strings.Contains(all, `"surplus"`) {
		t.Fatalf("messages should name the missing and the unexpected key:\n%s", all)
	}
}

// TestCredentialValuesNeverLeak sends credentials whose values are distinctive and
// checks every answer and the whole log for them, including failures whose
// JSON Schema library messages would quote the value.
func TestCredentialValuesNeverLeak(t *testing.T) {
	cat, err := emulator.LoadCatalog("testdata/catalog_alt.json")
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"S3CRET-pattern", "S3CRET-enum", "S3CRET-typed", "S3CRET-extra", "S3CRET-ok", "S3CRET-new", "S3CRET-len"}
	beta := "ftg_01kfbf5kznwj47tan9zt24mnpz"
	body := func(cred string) pspBody {
		return pspBody{"name": "beta", "credential": cred, "flowTargetId": beta, "operations": []any{
			map[string]any{"flowActionId": "fat_01kssz5awsh8vhtpre95b9ee0z", "flowDefinitionId": "fld_01kcfseczp11hygcpwpq5e6eyc"},
		}}
	}
	e := start(t, emulator.Options{Catalog: cat})
	var answers []string
	send := func(method, path string, b any) response {
		r := e.do(method, path, emulator.DefaultToken, b)
		answers = append(answers, string(r.body))
		return r
	}
	send(http.MethodPost, createPath, body(`{"apiKey":"S3CRET-pattern","mode":"live"}`)).expectError(t, 400, "4001", "credential")
	send(http.MethodPost, createPath, body(`{"apiKey":"bw_abcdefgh1","mode":"S3CRET-enum"}`)).expectError(t, 400, "4001", "credential")
	send(http.MethodPost, createPath, body(`{"apiKey":["S3CRET-typed"],"mode":"live"}`)).expectError(t, 400, "4001", "credential")
	send(http.MethodPost, createPath, body(`{"apiKey":"bw_abcdefgh1","mode":"live","pin":"S3CRET-len"}`)).expectError(t, 400, "4001", "credential")
	send(http.MethodPost, createPath, body(`{"apiKey":"bw_abcdefgh1","mode":"live","zz":"S3CRET-extra"}`)).expectError(t, 400, "4001", "credential")
	send(http.MethodPost, createPath, body(`{"apiKey":"S3CRET-ok`)).expectError(t, 400, "4001", "credential")
	ok := send(http.MethodPost, createPath, body(`{"apiKey":"bw_s3cretok1","mode":"test","note":"S3CRET-ok"}`))
	ok.expectError(t, 400, "4001", "credential") // additionalProperties false
	var p connxt.PSP
	send(http.MethodPost, createPath, body(`{"apiKey":"bw_s3cretok1","mode":"test"}`)).expectOK(t, 201, &p)
	upd := updateBody(p)
	upd["credential"] = `{"apiKey":"bw_s3cretnew1","mode":"live","x":"S3CRET-new"}`
	send(http.MethodPut, pspPath+"/"+p.ID, upd).expectError(t, 400, "4001", "credential")
	upd["credential"] = `{"apiKey":"bw_s3cretnew1","mode":"live"}`
	send(http.MethodPut, pspPath+"/"+p.ID, upd).expectOK(t, 200, nil)
	send(http.MethodGet, pspPath+"/"+p.ID, nil).expectOK(t, 200, nil)
	send(http.MethodGet, pspPath, nil).expectOK(t, 200, nil)
	admin := e.do(http.MethodGet, "/_emulator/psps", "", nil)
	answers = append(answers, string(admin.body))
	for _, a := range answers {
		for _, s := range append(secrets, "bw_s3cretok1", "bw_s3cretnew1") {
			if strings.Contains(a, s) {
				t.Errorf("answer reveals %q: %s", s, a)
			}
		}
	}
	log := e.log.String()
	for _, s := range append(secrets, "bw_s3cretok1", "bw_s3cretnew1", emulator.DefaultToken) {
		if strings.Contains(log, s) {
			t.Errorf("log reveals %q", s)
		}
	}
	if !strings.Contains(log, "path=/connxt/v2/psps/external") || !strings.Contains(log, "status=201") {
		t.Errorf("log lacks the request lines:\n%s", log)
	}
}

func TestDuplicateNames(t *testing.T) {
	e := start(t, emulator.Options{})
	first := e.createPSP(emulator.DefaultToken, validSticpay("Same"))
	res := e.do(http.MethodPost, createPath, emulator.DefaultToken, validSticpay("Same"))
	res.expectError(t, http.StatusConflict, connxt.CodeConflict)
	if res.env.Message != "PSP with same name already exists" {
		t.Errorf("message %q", res.env.Message)
	}
	// Another target, or another environment, may reuse the name.
	other := e.createPSP(emulator.DefaultToken, validPaymaxis("Same"))
	e.createPSP(emulator.SecondToken, validSticpay("Same"))

	// Update: renaming onto a taken name conflicts, keeping one's own name does not,
	// and moving to a target where the name is taken conflicts.
	upd := updateBody(other)
	upd["name"] = "Renamed"
	e.do(http.MethodPut, pspPath+"/"+other.ID, emulator.DefaultToken, upd).expectOK(t, 200, nil)
	second := e.createPSP(emulator.DefaultToken, validSticpay("Second"))
	upd = updateBody(second)
	upd["name"] = "Same"
	e.do(http.MethodPut, pspPath+"/"+second.ID, emulator.DefaultToken, upd).expectError(t, 409, connxt.CodeConflict)
	e.do(http.MethodPut, pspPath+"/"+first.ID, emulator.DefaultToken, updateBody(first)).expectOK(t, 200, nil)
	// Deleting frees the name.
	e.do(http.MethodDelete, pspPath+"/"+first.ID, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	e.createPSP(emulator.DefaultToken, validSticpay("Same"))
}

func TestEnvironmentScoping(t *testing.T) {
	e := start(t, emulator.Options{})
	mine := e.createPSP(emulator.DefaultToken, validSticpay("mine"))
	theirs := e.createPSP(emulator.SecondToken, validPaymaxis("theirs"))
	if mine.EnvironmentID == theirs.EnvironmentID || mine.BrandID == theirs.BrandID {
		t.Fatalf("the two tokens share an environment or brand")
	}
	path := pspPath + "/" + mine.ID
	e.do(http.MethodGet, path, emulator.SecondToken, nil).expectError(t, 404, connxt.CodeNotFound)
	e.do(http.MethodPut, path, emulator.SecondToken, updateBody(mine)).expectError(t, 404, connxt.CodeNotFound)
	e.do(http.MethodDelete, path, emulator.SecondToken, nil).expectError(t, 404, connxt.CodeNotFound)
	e.do(http.MethodPost, connxt.APIPrefix+connxt.PathTransactions, emulator.SecondToken, txnBody(mine, actDeposit)).
		expectError(t, 404, connxt.CodeNotFound, "pspId")
	var list []connxt.PSP
	e.do(http.MethodGet, pspPath, emulator.SecondToken, nil).expectOK(t, 200, &list)
	if len(list) != 1 || list[0].ID != theirs.ID {
		t.Fatalf("second environment lists %+v", list)
	}
	// The owner still has it, unchanged.
	var got connxt.PSP
	e.do(http.MethodGet, path, emulator.DefaultToken, nil).expectOK(t, 200, &got)
	if got.Name != "mine" || got.UpdatedAt != mine.UpdatedAt {
		t.Fatalf("owner sees %+v", got)
	}
}

func TestGetAndList(t *testing.T) {
	e := start(t, emulator.Options{})
	var list []connxt.PSP
	res := e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil)
	res.expectOK(t, 200, &list)
	if string(res.env.Data) != "[]" {
		t.Errorf("empty list is %s, want []", res.env.Data)
	}
	var ids []string
	for _, n := range []string{"c", "a", "b", "d"} {
		ids = append(ids, e.createPSP(emulator.DefaultToken, validSticpay(n)).ID)
	}
	for i := 0; i < 3; i++ { // stable across calls
		e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, &list)
		for j, p := range list {
			if p.ID != ids[j] || p.Credential != connxt.CredentialMask {
				t.Fatalf("list order %d: %s, want %s", j, p.ID, ids[j])
			}
		}
	}
	var p connxt.PSP
	e.do(http.MethodGet, pspPath+"/"+ids[2], emulator.DefaultToken, nil).expectOK(t, 200, &p)
	if p.Name != "b" || p.FlowTarget == nil {
		t.Fatalf("get: %+v", p)
	}
	e.do(http.MethodGet, pspPath+"/psp_doesnotexist0000000000000", emulator.DefaultToken, nil).expectError(t, 404, connxt.CodeNotFound)
}

func TestUpdatePSP(t *testing.T) {
	e := start(t, emulator.Options{})
	p := e.createPSP(emulator.DefaultToken, validSticpay("orig"))
	e.clock.Advance(90 * time.Second)

	desc := "main wallet"
	upd := map[string]any{
		"name":         "renamed",
		"description":  desc,
		"flowTargetId": tgtSticpay,
		"status":       "DISABLED",
		"operations":   []any{map[string]any{"flowActionId": actWithdraw, "flowDefinitionId": defStcWd, "status": "ENABLED"}},
	}
	var got connxt.PSP
	e.do(http.MethodPut, pspPath+"/"+p.ID, emulator.DefaultToken, upd).expectOK(t, 200, &got)
	if got.Name != "renamed" || got.Description == nil || *got.Description != desc || got.Logo != nil || got.Status != "DISABLED" {
		t.Errorf("updated fields: %+v", got)
	}
	if !equalOps(got.Operations, []connxt.PSPOperation{{FlowActionID: actWithdraw, FlowDefinitionID: defStcWd, Status: "ENABLED"}}) {
		t.Errorf("operations not replaced: %+v", got.Operations)
	}
	if got.CreatedAt != p.CreatedAt || got.UpdatedAt != "2025-12-12T16:58:06" || got.Credential != connxt.CredentialMask {
		t.Errorf("times %q %q", got.CreatedAt, got.UpdatedAt)
	}

	// Omitted (or null) operations remove them all.
	delete(upd, "operations")
	e.do(http.MethodPut, pspPath+"/"+p.ID, emulator.DefaultToken, upd).expectOK(t, 200, &got)
	if got.Operations == nil || len(got.Operations) != 0 {
		t.Errorf("operations after omitting them: %+v", got.Operations)
	}

	// Moving to Paymaxis without a credential: the kept Sticpay credential satisfies
	// Paymaxis (it has apiKey), so that works and proves the credential was kept.
	upd["flowTargetId"] = tgtPaymaxis
	e.do(http.MethodPut, pspPath+"/"+p.ID, emulator.DefaultToken, upd).expectOK(t, 200, &got)
	if got.FlowTarget.ID != tgtPaymaxis {
		t.Errorf("target not moved: %+v", got.FlowTarget)
	}
	// Back to Sticpay with a Paymaxis-only credential: refused at credential.
	upd["flowTargetId"] = tgtSticpay
	upd["credential"] = `{"apiKey":"only"}`
	e.do(http.MethodPut, pspPath+"/"+p.ID, emulator.DefaultToken, upd).expectError(t, 400, "4001", "credential")

	tests := []struct {
		name   string
		change func(m map[string]any)
		status int
		fields []string
	}{
		{"name blank", func(m map[string]any) { m["name"] = " " }, 400, []string{"name"}},
		{"status missing", func(m map[string]any) { delete(m, "status") }, 400, []string{"status"}},
		{"status invalid", func(m map[string]any) { m["status"] = "PAUSED" }, 400, []string{"status"}},
		{"flowTargetId missing", func(m map[string]any) { delete(m, "flowTargetId") }, 400, []string{"flowTargetId"}},
		{"flowTargetId unknown", func(m map[string]any) { m["flowTargetId"] = "ftg_01jt2ctt8veh48mkpcx2bdeaaa" }, 404, []string{"flowTargetId"}},
		{"credential empty", func(m map[string]any) { m["credential"] = "" }, 400, []string{"credential"}},
		{"credential invalid", func(m map[string]any) { m["credential"] = `{"apiKey":1}` }, 400, []string{"credential"}},
		{"operation invalid", func(m map[string]any) {
			m["operations"] = []any{map[string]any{"flowActionId": actRefund, "flowDefinitionId": defPmxDep}}
		}, 400, []string{"operations[0].flowDefinitionId"}},
		{"description of wrong type", func(m map[string]any) { m["description"] = 3 }, 400, []string{"description"}},
		{"malformed", nil, 400, []string{"body"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b any = "{"
			if tc.change != nil {
				m := map[string]any{"name": "ok", "flowTargetId": tgtPaymaxis, "status": "ENABLED"}
				tc.change(m)
				b = m
			}
			code := map[int]string{400: "4001", 404: "4004"}[tc.status]
			e.do(http.MethodPut, pspPath+"/"+p.ID, emulator.DefaultToken, b).expectError(t, tc.status, code, tc.fields...)
		})
	}
	e.do(http.MethodPut, pspPath+"/psp_doesnotexist0000000000000", emulator.DefaultToken, upd).expectError(t, 404, connxt.CodeNotFound)
}

func TestDeletePSP(t *testing.T) {
	e := start(t, emulator.Options{})
	p := e.createPSP(emulator.DefaultToken, validSticpay("gone"))
	res := e.do(http.MethodDelete, pspPath+"/"+p.ID, emulator.DefaultToken, nil)
	res.expectOK(t, 200, nil)
	if res.env.Data != nil || strings.Contains(string(res.body), `"data"`) {
		t.Errorf("delete answer has data: %s", res.body)
	}
	e.do(http.MethodGet, pspPath+"/"+p.ID, emulator.DefaultToken, nil).expectError(t, 404, connxt.CodeNotFound)
	e.do(http.MethodDelete, pspPath+"/"+p.ID, emulator.DefaultToken, nil).expectError(t, 404, connxt.CodeNotFound)

	q := e.createPSP(emulator.DefaultToken, validSticpay("kept"))
	e.emu.SetDeleteUnsupported(true)
	res = e.do(http.MethodDelete, pspPath+"/"+q.ID, emulator.DefaultToken, nil)
	res.expectError(t, 405, "405")
	if res.header.Get("Allow") != "GET, PUT" || res.env.Message != "Method not allowed" {
		t.Errorf("405: Allow %q message %q", res.header.Get("Allow"), res.env.Message)
	}
	if len(e.emu.PSPs()) != 1 {
		t.Error("a refused delete removed the PSP")
	}
	// The documented fallback: disable with PUT.
	upd := updateBody(q)
	upd["status"] = "DISABLED"
	e.do(http.MethodPut, pspPath+"/"+q.ID, emulator.DefaultToken, upd).expectOK(t, 200, nil)
	e.emu.SetDeleteUnsupported(false)
	e.do(http.MethodDelete, pspPath+"/"+q.ID, emulator.DefaultToken, nil).expectOK(t, 200, nil)

	e2 := start(t, emulator.Options{DeleteUnsupported: true})
	r := e2.createPSP(emulator.DefaultToken, validSticpay("x"))
	e2.do(http.MethodDelete, pspPath+"/"+r.ID, emulator.DefaultToken, nil).expectError(t, 405, "405")
}

func TestRoutingErrors(t *testing.T) {
	e := start(t, emulator.Options{})
	tok := emulator.DefaultToken
	e.do(http.MethodGet, connxt.APIPrefix+"/nothing", tok, nil).expectError(t, 404, connxt.CodeNotFound)
	e.do(http.MethodGet, pspPath+"/", tok, nil).expectError(t, 404, connxt.CodeNotFound)
	// Not redirected to the clean path, as a bare http.ServeMux would.
	e.do(http.MethodGet, connxt.APIPrefix+"/"+pspPath[len(connxt.APIPrefix):], tok, nil).expectError(t, 404, connxt.CodeNotFound)
	e.do(http.MethodGet, "/elsewhere", "", nil).expectError(t, 404, connxt.CodeNotFound)
	res := e.do(http.MethodGet, "/", "", nil)
	res.expectError(t, 404, connxt.CodeNotFound)
	if res.env.Timestamp == "" || res.env.Message == "" {
		t.Errorf("404 envelope incomplete: %s", res.body)
	}
	// Without a token, the API answers 401 before it looks at the route.
	e.do(http.MethodGet, connxt.APIPrefix+"/nothing", "", nil).expectError(t, 401, connxt.CodeUnauthorized)

	tests := []struct {
		method, path, allow string
	}{
		{http.MethodPost, pspPath, "GET"},
		{http.MethodPatch, pspPath + "/psp_x", "DELETE, GET, PUT"},
		{http.MethodPost, pspPath + "/psp_x", "DELETE, GET, PUT"},
		{http.MethodDelete, connxt.APIPrefix + connxt.PathTransactions, "POST"},
		{http.MethodGet, connxt.APIPrefix + connxt.PathTransactions, "POST"},
		{http.MethodPost, connxt.APIPrefix + connxt.PathFlowTypeDefinitions, "GET"},
	}
	for _, tc := range tests {
		res := e.do(tc.method, tc.path, tok, nil)
		res.expectError(t, 405, "405")
		if res.header.Get("Allow") != tc.allow || res.env.Message != "Method not allowed" {
			t.Errorf("%s %s: Allow %q, message %q", tc.method, tc.path, res.header.Get("Allow"), res.env.Message)
		}
	}
	// A bare ServeMux would serve HEAD with the GET route. (A HEAD answer has no body.)
	if res := e.do(http.MethodHead, pspPath, tok, nil); res.status != 405 || res.header.Get("Allow") != "GET" {
		t.Errorf("HEAD: %d, Allow %q", res.status, res.header.Get("Allow"))
	}
	// "external" is only special for POST: GET treats it as a PSP id.
	e.do(http.MethodGet, pspPath+"/external", tok, nil).expectError(t, 404, connxt.CodeNotFound)
}

func TestMiddlewareCanShortCircuit(t *testing.T) {
	var seen []string
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, emulator.RouteKey(r))
			if r.Method == http.MethodDelete {
				w.WriteHeader(http.StatusTeapot)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	e := start(t, emulator.Options{Middleware: []emulator.Middleware{mw}})
	p := e.createPSP(emulator.DefaultToken, validSticpay("m"))
	if r := e.do(http.MethodDelete, pspPath+"/"+p.ID, emulator.DefaultToken, nil); r.status != http.StatusTeapot {
		t.Fatalf("middleware did not short-circuit: %d", r.status)
	}
	if len(e.emu.PSPs()) != 1 {
		t.Fatal("handler ran despite the short-circuit")
	}
	want := []string{emulator.RouteCreatePSP, emulator.RouteDeletePSP}
	if strings.Join(seen, "|") != strings.Join(want, "|") {
		t.Fatalf("route keys %q", seen)
	}
}

// credentialOfSize is a credential that satisfies Sticpay's schema and is n bytes long.
func credentialOfSize(n int) string {
	head, tail := `{"merchantEmail":"m@example.com","apiKey":"`, `"}`
	return head + strings.Repeat("k", n-len(head)-len(tail)) + tail
}

// TestPSPSizeLimitsAreInclusive: a name of exactly the limit in characters (of two bytes
// each, so counting bytes would refuse it) and a credential of exactly the limit in bytes
// are accepted.
func TestPSPSizeLimitsAreInclusive(t *testing.T) {
	e := start(t, emulator.Options{})
	body := validSticpay(strings.Repeat("é", connxt.MaxPSPNameChars)).with("credential", credentialOfSize(connxt.MaxCredentialBytes))
	e.do(http.MethodPost, createPath, emulator.DefaultToken, body).expectOK(t, http.StatusCreated, nil)
}
