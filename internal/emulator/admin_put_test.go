package emulator_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// TestAdminPutRejectedCommitsNothing: every admin PUT answered 400 leaves the state
// exactly as it was, however much of the document was valid.
func TestAdminPutRejectedCommitsNothing(t *testing.T) {
	// Each case gets its own emulator, so that one case's leak cannot hide another's.
	type snapshot struct {
		PSPs   []connxt.PSP
		Delete bool
		Faults emulator.FaultSettings
	}
	setup := func(t *testing.T) (*env, string, func() snapshot) {
		e := start(t, emulator.Options{})
		p := e.createPSP(emulator.DefaultToken, validSticpay("before"))
		seed := uint64(7)
		if err := e.emu.SetFaults(emulator.FaultSettings{
			Rules:     map[string]emulator.FaultRule{"*": {LatencyMS: 1}},
			RateLimit: emulator.RateLimit{RPS: 100},
			Seed:      &seed,
		}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Hour) // a wrongly bumped updatedAt would show
		return e, p.ID, func() snapshot {
			var cfg struct {
				DeleteUnsupported bool `json:"delete_unsupported"`
			}
			adminJSON(t, e.do(http.MethodGet, "/_emulator/config", "", nil), http.StatusOK, &cfg)
			return snapshot{e.emu.PSPs(), cfg.DeleteUnsupported, e.faults()}
		}
	}

	tests := []struct {
		name, path, body string
	}{
		{"PSP: a valid member, then one of the wrong type", "/_emulator/psps/{id}", `{"name":"changed","status":5}`},
		{"PSP: valid members and an unknown target", "/_emulator/psps/{id}", `{"name":"changed","status":"DISABLED","flowTargetId":"ftg_bogus"}`},
		{"PSP: an unknown member", "/_emulator/psps/{id}", `{"name":"changed","nickname":"typo"}`},
		{"PSP: a second document after the first", "/_emulator/psps/{id}", `{"name":"changed"} {"name":"again"}`},
		{"PSP: not an object", "/_emulator/psps/{id}", `["changed"]`},
		{"PSP: operations of the wrong shape", "/_emulator/psps/{id}", `{"name":"changed","operations":[{"flowActionId":1}]}`},
		{"config: an unknown member", "/_emulator/config", `{"delete_unsupported":true,"nope":1}`},
		{"config: a second document after the first", "/_emulator/config", `{"delete_unsupported":true} {}`},
		{"faults: valid rules, invalid rate limit", "/_emulator/faults", `{"rules":{"*":{"error_rate":1}},"rate_limit":{"rps":-1},"seed":9}`},
		{"faults: a valid rule and an unknown route", "/_emulator/faults", `{"rules":{"*":{"error_rate":1},"GET /nope":{}},"seed":9}`},
		{"faults: a second document after the first", "/_emulator/faults", `{"rules":{},"seed":9} {}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, id, snap := setup(t)
			before := snap()
			r := e.do(http.MethodPut, strings.Replace(tc.path, "{id}", id, 1), "", tc.body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.status, r.body)
			}
			if after := snap(); !reflect.DeepEqual(after, before) {
				t.Fatalf("a rejected PUT changed the state:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

// TestAdminPutBumpsUpdatedAt: an out-of-band change moves updatedAt, as an edit in
// the back office would, and never createdAt; a PUT that changes nothing, or one
// that sets updatedAt itself, leaves the clock out of it.
func TestAdminPutBumpsUpdatedAt(t *testing.T) {
	e := start(t, emulator.Options{})
	p := e.createPSP(emulator.DefaultToken, validSticpay("stamp"))
	get := func() connxt.PSP {
		var got connxt.PSP
		e.do(http.MethodGet, pspPath+"/"+p.ID, emulator.DefaultToken, nil).expectOK(t, 200, &got)
		return got
	}

	e.clock.Advance(90 * time.Second)
	var answer connxt.PSP
	adminJSON(t, e.do(http.MethodPut, "/_emulator/psps/"+p.ID, "", map[string]any{"status": "DISABLED"}), 200, &answer)
	got := get()
	if got.UpdatedAt != "2025-12-12T16:58:06" || got.CreatedAt != p.CreatedAt || answer.UpdatedAt != got.UpdatedAt {
		t.Fatalf("after an admin PUT: createdAt %q updatedAt %q (answer %q)", got.CreatedAt, got.UpdatedAt, answer.UpdatedAt)
	}

	e.clock.Advance(time.Minute)
	adminJSON(t, e.do(http.MethodPut, "/_emulator/psps/"+p.ID, "", map[string]any{"status": "DISABLED", "name": "stamp"}), 200, nil)
	if again := get(); again.UpdatedAt != got.UpdatedAt {
		t.Fatalf("a PUT that changed nothing moved updatedAt to %q", again.UpdatedAt)
	}

	adminJSON(t, e.do(http.MethodPut, "/_emulator/psps/"+p.ID, "", map[string]any{"name": "renamed", "updatedAt": "2020-01-02T03:04:05"}), 200, nil)
	if set := get(); set.UpdatedAt != "2020-01-02T03:04:05" || set.Name != "renamed" {
		t.Fatalf("an explicit updatedAt was not kept: %q %q", set.Name, set.UpdatedAt)
	}

	// The Go counterpart behaves the same.
	e.clock.Advance(time.Minute)
	e.emu.MutatePSP(p.ID, func(p *connxt.PSP) { p.Name = "renamed in Go" })
	if mutated := get(); mutated.UpdatedAt != "2025-12-12T17:00:06" || mutated.CreatedAt != p.CreatedAt {
		t.Fatalf("after MutatePSP: createdAt %q updatedAt %q", mutated.CreatedAt, mutated.UpdatedAt)
	}
}
