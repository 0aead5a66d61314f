package emulator_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// adminJSON decodes an admin answer.
func adminJSON(t *testing.T, r response, status int, out any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("admin status %d, want %d: %s", r.status, status, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("admin body: %v: %s", err, r.body)
		}
	}
}

func TestAdminCounters(t *testing.T) {
	e := start(t, emulator.Options{})
	p := e.createPSP(emulator.DefaultToken, validSticpay("a"))
	e.do(http.MethodGet, pspPath+"/"+p.ID, emulator.DefaultToken, nil)
	e.do(http.MethodGet, pspPath+"/"+p.ID, "", nil) // a 401 is traffic too
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil)
	e.do(http.MethodGet, connxt.APIPrefix+"/nope", emulator.DefaultToken, nil)
	e.do(http.MethodGet, "/_emulator/psps", "", nil) // admin: not counted

	var rc emulator.RequestCounts
	adminJSON(t, e.do(http.MethodGet, "/_emulator/requests", "", nil), 200, &rc)
	want := map[string]int{
		emulator.RouteCreatePSP: 1,
		emulator.RouteGetPSP:    2,
		emulator.RouteListPSPs:  1,
		"GET (unmatched)":       1,
	}
	if rc.Total != 5 || len(rc.Counts) != len(want) {
		t.Fatalf("counts %+v", rc)
	}
	for k, v := range want {
		if rc.Counts[k] != v {
			t.Errorf("%s = %d, want %d", k, rc.Counts[k], v)
		}
	}
	if got := e.emu.Counts(); got[emulator.RouteGetPSP] != 2 {
		t.Errorf("Counts() %v", got)
	}

	// Counters only.
	if r := e.do(http.MethodPost, "/_emulator/reset?what=counters", "", nil); r.status != http.StatusNoContent {
		t.Fatalf("reset counters: %d", r.status)
	}
	rc = emulator.RequestCounts{}
	adminJSON(t, e.do(http.MethodGet, "/_emulator/requests", "", nil), 200, &rc)
	if rc.Total != 0 || len(rc.Counts) != 0 || len(e.emu.PSPs()) != 1 {
		t.Fatalf("after counter reset: %+v, %d PSPs", rc, len(e.emu.PSPs()))
	}
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil)
	e.emu.ResetCounts()
	if len(e.emu.Counts()) != 0 {
		t.Fatal("ResetCounts left counts")
	}

	// Everything.
	b := txnBody(p, actDeposit)
	e.do(http.MethodPost, txnPath, emulator.DefaultToken, b).expectOK(t, 201, nil)
	if r := e.do(http.MethodPost, "/_emulator/reset", "", nil); r.status != http.StatusNoContent {
		t.Fatalf("reset: %d", r.status)
	}
	if len(e.emu.PSPs()) != 0 || len(e.emu.Transactions()) != 0 || len(e.emu.Counts()) != 0 {
		t.Fatal("reset left state")
	}
	if r := e.do(http.MethodPost, "/_emulator/reset?what=psps", "", nil); r.status != 400 {
		t.Fatalf("reset with a bad what: %d", r.status)
	}
}

func TestAdminPSPs(t *testing.T) {
	e := start(t, emulator.Options{})
	a := e.createPSP(emulator.DefaultToken, validSticpay("a"))
	b := e.createPSP(emulator.SecondToken, validPaymaxis("b"))
	e.emu.ResetCounts()

	var all []connxt.PSP
	adminJSON(t, e.do(http.MethodGet, "/_emulator/psps", "", nil), 200, &all)
	if len(all) != 2 || all[0].ID != a.ID || all[1].ID != b.ID || all[0].Credential != connxt.CredentialMask || all[1].Credential != connxt.CredentialMask {
		t.Fatalf("admin list: %+v", all)
	}

	// Out-of-band change: only the members sent change.
	var changed connxt.PSP
	adminJSON(t, e.do(http.MethodPut, "/_emulator/psps/"+a.ID, "", map[string]any{
		"status":     "DISABLED",
		"operations": []connxt.PSPOperation{{FlowActionID: actWithdraw, FlowDefinitionID: defStcWd, Status: "ENABLED"}},
		"credential": "ignored",
	}), 200, &changed)
	var got connxt.PSP
	e.do(http.MethodGet, pspPath+"/"+a.ID, emulator.DefaultToken, nil).expectOK(t, 200, &got)
	if got.Status != "DISABLED" || got.Name != "a" || len(got.Operations) != 1 || got.Operations[0].FlowActionID != actWithdraw ||
		got.Credential != connxt.CredentialMask || got.CreatedAt != a.CreatedAt {
		t.Fatalf("after admin PUT: %+v", got)
	}
	if changed.Status != "DISABLED" {
		t.Errorf("admin PUT answer %+v", changed)
	}
	if r := e.do(http.MethodPut, "/_emulator/psps/"+a.ID, "", map[string]any{"flowTargetId": "ftg_bogus"}); r.status != 400 {
		t.Errorf("admin PUT with unknown target: %d", r.status)
	}
	if r := e.do(http.MethodPut, "/_emulator/psps/psp_missing", "", map[string]any{"name": "x"}); r.status != 404 {
		t.Errorf("admin PUT of a missing PSP: %d", r.status)
	}

	// Go hook: rename and drop operations.
	if !e.emu.MutatePSP(b.ID, func(p *connxt.PSP) {
		if p.Credential != connxt.CredentialMask {
			t.Errorf("MutatePSP shows the credential")
		}
		p.Name = "drifted"
		p.Operations = nil
		d := "set in the back office"
		p.Description = &d
	}) {
		t.Fatal("MutatePSP did not find the PSP")
	}
	e.do(http.MethodGet, pspPath+"/"+b.ID, emulator.SecondToken, nil).expectOK(t, 200, &got)
	if got.Name != "drifted" || len(got.Operations) != 0 || got.Description == nil {
		t.Fatalf("after MutatePSP: %+v", got)
	}
	if e.emu.MutatePSP("psp_missing", func(*connxt.PSP) {}) {
		t.Error("MutatePSP found a missing PSP")
	}

	// Out-of-band delete.
	if r := e.do(http.MethodDelete, "/_emulator/psps/"+a.ID, "", nil); r.status != http.StatusNoContent {
		t.Fatalf("admin delete: %d", r.status)
	}
	if r := e.do(http.MethodDelete, "/_emulator/psps/"+a.ID, "", nil); r.status != http.StatusNotFound {
		t.Fatalf("admin delete twice: %d", r.status)
	}
	e.do(http.MethodGet, pspPath+"/"+a.ID, emulator.DefaultToken, nil).expectError(t, 404, connxt.CodeNotFound)
	if !e.emu.RemovePSP(b.ID) || e.emu.RemovePSP(b.ID) {
		t.Error("RemovePSP")
	}
	counts := e.emu.Counts()
	if counts[emulator.RouteDeletePSP] != 0 || counts[emulator.RouteGetPSP] != 3 {
		t.Errorf("admin traffic was counted: %v", counts)
	}
}

func TestAdminConfig(t *testing.T) {
	e := start(t, emulator.Options{})
	var cfg map[string]bool
	adminJSON(t, e.do(http.MethodGet, "/_emulator/config", "", nil), 200, &cfg)
	if v, ok := cfg["delete_unsupported"]; !ok || v {
		t.Fatalf("config %v", cfg)
	}
	adminJSON(t, e.do(http.MethodPut, "/_emulator/config", "", map[string]any{"delete_unsupported": true}), 200, &cfg)
	if !cfg["delete_unsupported"] {
		t.Fatalf("config after PUT %v", cfg)
	}
	p := e.createPSP(emulator.DefaultToken, validSticpay("x"))
	e.do(http.MethodDelete, pspPath+"/"+p.ID, emulator.DefaultToken, nil).expectError(t, 405, "405")
	adminJSON(t, e.do(http.MethodPut, "/_emulator/config", "", map[string]any{"delete_unsupported": false}), 200, &cfg)
	e.do(http.MethodDelete, pspPath+"/"+p.ID, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	if r := e.do(http.MethodPut, "/_emulator/config", "", map[string]any{"nope": 1}); r.status != 400 {
		t.Fatalf("unknown config key: %d", r.status)
	}
}

// TestConcurrentUse hammers one server from many goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	e := start(t, emulator.Options{})
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tok := emulator.DefaultToken
			if i%2 == 1 {
				tok = emulator.SecondToken
			}
			body, _ := json.Marshal(validSticpay("same-name"))
			r := e.do(http.MethodPost, createPath, tok, body)
			if r.status != 201 && r.status != 409 {
				t.Errorf("create: %d", r.status)
			}
			e.do(http.MethodGet, pspPath, tok, nil)
			_ = e.emu.PSPs()
			_ = e.emu.Counts()
		}(i)
	}
	wg.Wait()
	if n := len(e.emu.PSPs()); n != 2 {
		t.Fatalf("%d PSPs, want exactly one per environment", n)
	}
	if c := e.emu.Counts()[emulator.RouteCreatePSP]; c != 16 {
		t.Fatalf("counted %d creates", c)
	}
}

func TestTokens(t *testing.T) {
	for _, tok := range []string{emulator.DefaultToken, emulator.SecondToken} {
		if !emulator.ValidTokenFormat(tok) {
			t.Errorf("%s does not have the documented token format", tok)
		}
	}
	a, b := emulator.TokenFor(emulator.DefaultToken), emulator.TokenFor(emulator.DefaultToken)
	if a != b || !strings.HasPrefix(a.BrandID, "brn_") || len(a.BrandID) != 30 || !strings.HasPrefix(a.EnvironmentID, "env_") || len(a.EnvironmentID) != 30 {
		t.Fatalf("TokenFor: %+v", a)
	}
	// Explicit tokens replace the defaults.
	custom := emulator.Token{Token: "sec_CustomCustomCustomCustom00", BrandID: "brn_x", EnvironmentID: "env_x"}
	e := start(t, emulator.Options{Tokens: []emulator.Token{custom}})
	p := e.createPSP(custom.Token, validSticpay("c"))
	if p.BrandID != "brn_x" || p.EnvironmentID != "env_x" {
		t.Fatalf("custom token ids: %+v", p)
	}
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectError(t, 401, connxt.CodeUnauthorized)
}
