package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/catalogids"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// concurrentPSPs is how many PSPs each of the two states declares.
const concurrentPSPs = 12

// concurrentConfig declares the same PSPs in both workspaces: same names, target,
// operations and credential, so that a PSP one apply made looks exactly like the one the
// other apply meant to make.
var concurrentConfig = fmt.Sprintf(`
terraform {
  required_providers {
    connxt = { source = "fynxt/connxt" }
  }
}

resource "connxt_psp" "shared_name" {
  count                 = %d
  name                  = "race-${count.index}"
  flow_target_id        = %q
  credential_wo         = jsonencode({ apiKey = "race-key" })
  credential_wo_version = 1
  operation {
    flow_action_id     = %q
    flow_definition_id = %q
  }
}
`, concurrentPSPs, catalogids.Paymaxis, catalogids.Deposit, catalogids.PaymaxisDeposit)

// TestConcurrentStatesNeverShareAPSP applies two states that declare PSPs of the same
// names, in one environment and at the same time, while creates fail with server errors.
// Names are unique per target, so for each name one apply may create the PSP and the other
// must fail with an "already exists" error naming it for import. Neither may take the
// other's PSP after a failed create: a PSP in two states is deleted by either one's
// destroy while the other still manages it. Each case logs one line of figures: PSPs in
// each state, shared, orphaned, and what the creates met.
func TestConcurrentStatesNeverShareAPSP(t *testing.T) {
	cases := []struct {
		name   string
		status int
		seed   uint64
	}{
		// The application's own error: a Connxt JSON envelope.
		{name: "500 envelope", status: http.StatusInternalServerError, seed: 500},
		// A gateway in front of the application: an HTML page.
		{name: "502 gateway page", status: http.StatusBadGateway, seed: 502},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			skipUnlessTerraform(t)
			// handled counts the creates that got past the faults, by status, to show
			// that the faults and the races this test is about did happen.
			var mu sync.Mutex
			handled := map[int]int{}
			countCreates := func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if emulator.RouteKey(r) != emulator.RouteCreatePSP {
						next.ServeHTTP(w, r)
						return
					}
					rec := &createStatus{ResponseWriter: w}
					next.ServeHTTP(rec, r)
					mu.Lock()
					handled[rec.status]++
					mu.Unlock()
				})
			}
			emu := startEmulator(t, emulator.Options{
				Seed: tc.seed,
				// Only creates fail. The latency keeps the creates of both applies in
				// flight together, so that one's failure meets the other's success.
				Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{
					emulator.RouteCreatePSP: {ErrorRate: 0.4, Statuses: []int{tc.status}, LatencyMS: 150},
				}},
				Middleware: []emulator.Middleware{countCreates},
			})
			token := "CONNXT_SECRET_TOKEN=" + emulator.DefaultToken
			ws := []*workspace{newWorkspaceOn(t, emu, token), newWorkspaceOn(t, emu, token)}
			// No terraform init: under dev_overrides it is not needed, and it would ask the
			// registry for the provider, which fails offline.
			for _, w := range ws {
				w.config(concurrentConfig)
			}

			// Both applies at once; either may fail, since 409s are expected.
			outs := make([]string, len(ws))
			errs := make([]error, len(ws))
			var wg sync.WaitGroup
			for i, w := range ws {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
					defer cancel()
					out, err := w.command(ctx, "apply", "-auto-approve", "-input=false", "-parallelism=10", "-no-color").CombinedOutput()
					outs[i], errs[i] = string(out), err
				}()
			}
			wg.Wait()
			for i, w := range ws {
				w.transcript.WriteString(outs[i])
				if errs[i] != nil && !strings.Contains(outs[i], "Error:") {
					t.Fatalf("apply %c failed without a Terraform error (%v):\n%s", 'A'+i, errs[i], outs[i])
				}
			}

			states := make([]map[string]string, len(ws))
			for i, w := range ws {
				states[i] = stateAddresses(t, w)
			}
			inEmulator := map[string]string{} // id: name
			for _, p := range emu.PSPs() {
				inEmulator[p.ID] = p.Name
			}
			// A PSP that no state holds is accounted for only if a failed apply told
			// the user to import it.
			var failedOutput strings.Builder
			for i := range ws {
				if errs[i] != nil {
					failedOutput.WriteString(flattenDiagnostics(outs[i]))
				}
			}

			var shared, orphans, unknown []string
			importable := 0
			for id, name := range inEmulator {
				a, inA := states[0][id]
				b, inB := states[1][id]
				switch {
				case inA && inB:
					shared = append(shared, fmt.Sprintf("%s (%s) in A as %s and in B as %s", id, name, a, b))
				case !inA && !inB:
					if strings.Contains(failedOutput.String(), "terraform import <address> "+id) {
						importable++
					} else {
						orphans = append(orphans, fmt.Sprintf("%s (%s)", id, name))
					}
				}
			}
			for i, st := range states {
				for id, addr := range st {
					if _, ok := inEmulator[id]; !ok {
						unknown = append(unknown, fmt.Sprintf("%s in %c as %s", id, 'A'+i, addr))
					}
				}
			}
			sort.Strings(shared)
			sort.Strings(orphans)
			sort.Strings(unknown)

			mu.Lock()
			sent, created, conflicts := emu.Counts()[emulator.RouteCreatePSP], handled[http.StatusCreated], handled[http.StatusConflict]
			faulted := sent
			for _, n := range handled {
				faulted -= n
			}
			mu.Unlock()
			t.Logf("%s: state A %d PSPs (apply %s), state B %d (apply %s), shared %d, orphaned %d, import-named %d; "+
				"emulator %d PSPs; creates sent %d, faulted %d, created %d, 409 %d",
				tc.name, len(states[0]), outcome(errs[0]), len(states[1]), outcome(errs[1]), len(shared), len(orphans), importable,
				len(inEmulator), sent, faulted, created, conflicts)

			// Without these the assertions below would prove nothing: the faults must
			// have fired and the two applies must have met on the same names.
			if faulted == 0 {
				t.Fatalf("no create was faulted")
			}
			if len(inEmulator) == 0 {
				t.Fatalf("neither apply created anything:\nA:\n%s\nB:\n%s", outs[0], outs[1])
			}
			// Meeting shows as a PSP in both states or as an "already exists" error.
			if len(shared) == 0 && !strings.Contains(failedOutput.String(), "already exists") {
				t.Fatalf("the applies never met on a name:\nA:\n%s\nB:\n%s", outs[0], outs[1])
			}

			if len(shared) > 0 {
				t.Errorf("%d PSPs are held by both states, so either state's destroy would delete a PSP the other still manages:\n  %s",
					len(shared), strings.Join(shared, "\n  "))
			}
			if len(orphans) > 0 {
				t.Errorf("%d PSPs exist in Connxt, in neither state, and no failed apply named them for import:\n  %s",
					len(orphans), strings.Join(orphans, "\n  "))
			}
			if len(unknown) > 0 {
				t.Errorf("states hold PSPs that Connxt does not have:\n  %s", strings.Join(unknown, "\n  "))
			}
			if t.Failed() {
				// A shared PSP would be destroyed from under the other state; the
				// emulator is in-process and goes away with the test anyway.
				return
			}
			// Every PSP is in exactly one state: destroying both must leave nothing. The
			// configuration still names PSPs that the other state holds, and the plan that
			// Terraform runs before a destroy would report them as taken: -refresh=false
			// skips that plan.
			for _, w := range ws {
				w.run(true, "destroy", "-auto-approve", "-input=false", "-parallelism=10", "-refresh=false")
			}
			var left []string
			for _, p := range emu.PSPs() {
				if states[0][p.ID] != "" || states[1][p.ID] != "" {
					left = append(left, p.ID)
				}
			}
			if len(left) > 0 {
				t.Errorf("destroy left PSPs that a state held: %v", left)
			}
		})
	}
}

// createStatus records the status a create was answered with.
type createStatus struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (c *createStatus) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (c *createStatus) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.ResponseWriter.Write(b)
}

// stateAddresses maps the id of each connxt_psp in the workspace's state to its address.
func stateAddresses(t *testing.T, w *workspace) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := w.command(ctx, "show", "-json").Output() // stdout only: warnings go to stderr
	if err != nil {
		t.Fatalf("terraform show -json failed: %v", err)
	}
	var doc struct {
		Values *struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Type    string         `json:"type"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("decoding terraform show -json: %v", err)
	}
	ids := map[string]string{}
	if doc.Values == nil { // nothing was saved
		return ids
	}
	for _, r := range doc.Values.RootModule.Resources {
		if r.Type != "connxt_psp" {
			continue
		}
		id, _ := r.Values["id"].(string)
		if id == "" {
			t.Fatalf("%s has no id in state", r.Address)
		}
		if prev, dup := ids[id]; dup {
			t.Errorf("one state holds %s twice, as %s and %s", id, prev, r.Address)
		}
		ids[id] = r.Address
	}
	return ids
}

// flattenDiagnostics undoes Terraform's framing and wrapping of diagnostics, so that a
// sentence broken over lines can be searched for.
func flattenDiagnostics(out string) string {
	out = strings.NewReplacer("│", " ", "╷", " ", "╵", " ").Replace(out)
	return strings.Join(strings.Fields(out), " ") + " "
}

// outcome names how an apply ended, for the summary.
func outcome(err error) string {
	if err != nil {
		return "failed"
	}
	return "succeeded"
}
