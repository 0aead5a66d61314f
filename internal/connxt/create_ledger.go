package connxt

import (
	"context"
	"sync"
)

// createLedger decides which PSP a create whose answer was lost may adopt. A look-up by
// name and target cannot tell the PSP that the lost request made from one that another
// team, another state or an earlier apply already had: adopting that one would hand one
// PSP to two owners and overwrite its credential. So the client notes, once per process
// and before its first create, the PSPs that exist, and every PSP that a create of this
// process obtained; neither may be adopted.
type createLedger struct {
	mu sync.Mutex
	// listed is set once the PSPs that predate this process's creates are known.
	listed bool
	// claimed holds those PSPs' ids and the ids this process's creates obtained.
	claimed map[string]bool
}

// listExisting records the environment's PSPs, once: later calls return at once. Every
// create calls it before sending anything, so each PSP it records predates that create.
// A failed listing is not remembered; the next create tries again.
func (l *createLedger) listExisting(ctx context.Context, list func(context.Context) ([]PSP, error)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.listed {
		return nil
	}
	all, err := list(ctx)
	if err != nil {
		return err
	}
	if l.claimed == nil {
		l.claimed = make(map[string]bool, len(all))
	}
	for _, p := range all {
		l.claimed[p.ID] = true
	}
	l.listed = true
	return nil
}

// claim records a PSP that a create of this process obtained, by answer or adoption. It
// reports false when the PSP is already claimed (it predates the create, or another
// create of this process has it) and so must not be adopted.
func (l *createLedger) claim(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.claimed == nil {
		l.claimed = make(map[string]bool)
	}
	if l.claimed[id] {
		return false
	}
	l.claimed[id] = true
	return true
}
