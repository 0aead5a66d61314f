package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// TestInterruptLeavesNoOrphans sends SIGINT to terraform in the middle of an apply whose
// creates are slow, then checks that every PSP the emulator holds is in the state, so
// that nothing exists in Connxt that Terraform does not know about.
func TestInterruptLeavesNoOrphans(t *testing.T) {
	w := newWorkspace(t, emulator.Options{Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{
		emulator.RouteCreatePSP: {LatencyMS: 400},
	}}}, "CONNXT_SECRET_TOKEN="+emulator.DefaultToken)
	w.config(`
terraform {
  required_providers {
    connxt = { source = "fynxt/connxt" }
  }
}

resource "connxt_psp" "many" {
  count                 = 30
  name                  = "interrupted-${count.index}"
  flow_target_id        = "ftg_01jwra8pvkfey9h1f71gsw1qsw"
  credential_wo         = jsonencode({ apiKey = "interrupt-key" })
  credential_wo_version = 1
  operation {
    flow_action_id     = "fat_01jt2cetrheh48mkp2m8z680xz"
    flow_definition_id = "fld_01jwraa3kffey9h1f83mjfj0sv"
  }
}
`)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	apply := w.command(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	apply.Stdout, apply.Stderr = &w.transcript, &w.transcript
	if err := apply.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the first creates are under way.
	deadline := time.Now().Add(time.Minute)
	for w.emu.Counts()[emulator.RouteCreatePSP] < 5 {
		if time.Now().After(deadline) {
			t.Fatalf("no create reached the emulator:\n%s", w.transcript.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := apply.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := apply.Wait()
	t.Logf("interrupted apply ended with %v", err)

	inEmulator := map[string]bool{}
	for _, p := range w.emu.PSPs() {
		inEmulator[p.ID] = true
	}
	inState := stateIDs(t, filepath.Join(w.dir, "terraform.tfstate"))
	if len(inEmulator) == 0 || len(inEmulator) == 30 {
		t.Fatalf("the interrupt should stop the apply part-way; the emulator holds %d of 30 PSPs", len(inEmulator))
	}
	var orphans []string
	for id := range inEmulator {
		if !inState[id] {
			orphans = append(orphans, id)
		}
	}
	sort.Strings(orphans)
	if len(orphans) > 0 || len(inState) != len(inEmulator) {
		t.Fatalf("after the interrupt the emulator holds %d PSPs and state %d; not in state: %v",
			len(inEmulator), len(inState), orphans)
	}
	t.Logf("interrupted after %d of 30 PSPs; all of them are in state", len(inEmulator))

	w.run(true, "destroy", "-auto-approve", "-input=false")
	if n := len(w.emu.PSPs()); n != 0 {
		t.Errorf("destroy left %d PSPs", n)
	}
}

// stateIDs reads the ids of the connxt_psp instances of a state file.
func stateIDs(t *testing.T, path string) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the state: %v", err)
	}
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					ID string `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatalf("decoding the state: %v", err)
	}
	ids := map[string]bool{}
	for _, r := range state.Resources {
		if r.Type != "connxt_psp" {
			continue
		}
		for _, inst := range r.Instances {
			if ids[inst.Attributes.ID] {
				panic(fmt.Sprintf("state lists %s twice", inst.Attributes.ID))
			}
			ids[inst.Attributes.ID] = true
		}
	}
	return ids
}
