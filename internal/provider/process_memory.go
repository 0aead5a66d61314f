package provider

import (
	"sync"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
)

// processMemory is what one provider process (one provider configuration of one
// Terraform run) remembers about PSPs across resources, so that creates can tell the
// PSPs of their own state from those of others:
//   - held: the PSPs this state holds, as seen in its reads, plans, updates and deletes;
//   - retired: the PSPs this process disabled because the server cannot delete, by name
//     and target, so that the create of a replacement takes the PSP back instead of
//     leaving it disabled and untracked.
type processMemory struct {
	mu      sync.Mutex
	held    map[string]bool
	retired map[string]*connxt.PSP
}

func nameKey(flowTargetID, name string) string { return flowTargetID + "\x00" + name }

// hold notes that this state holds the PSP id.
func (m *processMemory) hold(id string) {
	if id == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.held == nil {
		m.held = map[string]bool{}
	}
	m.held[id] = true
}

// holds reports whether this state holds the PSP id, as far as this process has seen.
func (m *processMemory) holds(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.held[id]
}

// retire notes a PSP disabled instead of deleted.
func (m *processMemory) retire(psp *connxt.PSP) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.retired == nil {
		m.retired = map[string]*connxt.PSP{}
	}
	m.retired[nameKey(psp.FlowTargetID, psp.Name)] = psp
}

// takeRetired returns, and forgets, the PSP of this name and target that this process
// disabled instead of deleting, if any.
func (m *processMemory) takeRetired(flowTargetID, name string) *connxt.PSP {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := nameKey(flowTargetID, name)
	psp := m.retired[key]
	delete(m.retired, key)
	return psp
}

// giveBackRetired undoes takeRetired when taking the PSP back failed.
func (m *processMemory) giveBackRetired(psp *connxt.PSP) { m.retire(psp) }
