package connxt

import (
	"context"
	"sync"
	"time"
)

// createLedger decides which PSP a create whose answer was lost may adopt. A look-up by
// name and target cannot tell the PSP that the lost request made from one that another
// team, another state or an earlier apply already had: adopting that one would hand one
// PSP to two owners. So the client
//   - notes, once per process and before its first create, the PSPs that exist;
//   - notes every PSP that a create of this process obtained;
//   - runs one create at a time per name and target, so that two creates of this process
//     never race for the same PSP (the second then meets a 409 or finds the first's PSP
//     noted).
//
// Neither kind of noted PSP may be adopted.
type createLedger struct {
	mu sync.Mutex
	// listing is the listing under way or done; nil before the first create and after a
	// failed listing, so that the next create tries again, unless the server has no list
	// endpoint at all.
	listing *ledgerListing
	// noted holds the ids of the PSPs that were listed and of those this process's
	// creates obtained.
	noted map[string]bool
	// names holds one token per name and target; a create holds it while it runs.
	names map[string]chan struct{}
	// listed maps the name and target of each listed PSP to it.
	listed map[string]PSP
}

type ledgerListing struct {
	ready chan struct{} // closed when the listing is done
	err   error
}

// listingTimeout bounds the listing before the first create, its retries included.
const listingTimeout = 5 * time.Minute

// listExisting returns once the PSPs that predate this process's creates are noted. The
// first caller starts the listing on a context of its own, so that one caller's
// cancellation does not fail the others; every caller waits on its own context.
func (l *createLedger) listExisting(ctx context.Context, list func(context.Context) ([]PSP, error)) error {
	l.mu.Lock()
	current := l.listing
	if current == nil {
		current = &ledgerListing{ready: make(chan struct{})}
		l.listing = current
		go l.runListing(context.WithoutCancel(ctx), current, list)
	}
	l.mu.Unlock()
	select {
	case <-current.ready:
		return current.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *createLedger) runListing(ctx context.Context, current *ledgerListing, list func(context.Context) ([]PSP, error)) {
	ctx, cancel := context.WithTimeout(ctx, listingTimeout)
	defer cancel()
	all, err := list(ctx)
	l.mu.Lock()
	if err != nil {
		current.err = err
		if !IsListingUnavailable(err) {
			l.listing = nil // a passing failure: the next caller tries again
		}
	} else {
		l.listed = make(map[string]PSP, len(all))
		for _, p := range all {
			l.claimLocked(p.ID)
			l.listed[nameKey(p.FlowTargetID, p.Name)] = p
		}
	}
	l.mu.Unlock()
	close(current.ready)
}

// hold waits until no other create of this process runs for this name and target, and
// returns the function that lets the next one run.
func (l *createLedger) hold(ctx context.Context, name, flowTargetID string) (release func(), err error) {
	key := nameKey(flowTargetID, name)
	l.mu.Lock()
	if l.names == nil {
		l.names = make(map[string]chan struct{})
	}
	token, ok := l.names[key]
	if !ok {
		token = make(chan struct{}, 1)
		l.names[key] = token
	}
	l.mu.Unlock()
	select {
	case token <- struct{}{}:
		return func() { <-token }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// claimed reports whether a PSP is noted: it predates this client's first create, or a
// create of this client obtained it.
func (l *createLedger) claimed(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.noted[id]
}

// claim notes a PSP that a create of this process obtained, by answer or adoption. It
// reports false when the PSP was already noted (it predates the create, or another
// create of this process has it) and so must not be adopted.
func (l *createLedger) claim(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.claimLocked(id)
}

func (l *createLedger) claimLocked(id string) bool {
	if l.noted == nil {
		l.noted = make(map[string]bool)
	}
	if l.noted[id] {
		return false
	}
	l.noted[id] = true
	return true
}

func nameKey(flowTargetID, name string) string { return flowTargetID + "\x00" + name }

// listedPSP returns the listed PSP of this name and target, if there was one.
func (l *createLedger) listedPSP(flowTargetID, name string) (PSP, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.listed[nameKey(flowTargetID, name)]
	return p, ok
}
