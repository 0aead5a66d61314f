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
		if err := e.emu.SetFaultSettings(emulator.FaultSettings{
			Rules:     map[string]emulator.FaultRule{"*": {LatencyMS: 1}},
			RateLimit: emulator.RateLimit{RPS: 100},
			Seed:      &seed,
		}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Hour) // a wrongly bumped updatedAt would show
		return e, p.ID, func() snapshot {
			return snapshot{e.emu.PSPs(), e.emu.DeleteUnsupported(), e.emu.FaultSettings()}
		}
	}

	tests := []struct {
		name, path, body string
	}{
		{"PSP: a valid member, then one of the wrong type", "/_emulator/psps/{id}", `{"name":"changed","status":5}`},
		{"PSP: valid members and an unknown target", "/_emulator/psps/{id}", `{"name":"changed","status":"DISABLED","flowTargetId":"ftg_bogus"}`},
		{"PSP: an unknown member", "/_emulator/psps/{id}", `{"name":"changed","nmae":"typo"}`},
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
