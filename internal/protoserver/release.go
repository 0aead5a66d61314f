// Package protoserver serves a framework provider over plugin protocol 6, releasing the
// per-call contexts that terraform-plugin-framework would otherwise keep for the life of
// the process.
//
// terraform-plugin-framework v1.19 (internal/proto6server, registerContext) keeps the
// cancel function of every call's context until StopProvider, and with it the whole
// logging context of the call. A provider process that serves thousands of calls (an
// apply or plan of 1000 PSPs) grows to about 180 MB this way, most of it dead. Calling the
// framework's StopProvider at a moment when no call is under way cancels nothing alive and
// lets all of it go. Remove this package once the framework forgets finished calls.
package protoserver

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// DefaultReleaseEvery is how many finished calls may accumulate before they are released.
const DefaultReleaseEvery = 256

// forceAfter: under constant load there may be no idle moment; after this many times
// DefaultReleaseEvery the release waits for the calls under way to finish.
const forceAfter = 4

// releasingServer forwards every call to the framework's server. Calls hold gate for
// reading; a release holds it for writing, so it never overlaps a call. Terraform's own
// StopProvider (Ctrl-C) is forwarded as it is: it must cancel the calls under way.
type releasingServer struct {
	tfprotov6.ProviderServer
	gate     sync.RWMutex
	finished atomic.Int64
	every    int64
	// streams counts the calls whose answer stream Terraform is still reading (see
	// streams.go). A forced release never waits for them: a stream can stay open as long
	// as Terraform takes to read it, and a release waiting for the gate would hold up every
	// other call (and any call made while the stream is read) until then.
	streams atomic.Int64
	// streamStart makes "no stream is open" and the forced release's wait for the gate one
	// step: a stream that opened between the two would otherwise hold up the release, and
	// with it every call made while the stream is read.
	streamStart sync.Mutex
}

// NewReleasingServer wraps inner so that finished calls' contexts are released every
// `every` calls (DefaultReleaseEvery when every <= 0).
func NewReleasingServer(inner tfprotov6.ProviderServer, every int) tfprotov6.ProviderServer {
	if every <= 0 {
		every = DefaultReleaseEvery
	}
	return &releasingServer{ProviderServer: inner, every: int64(every)}
}

// call runs one call of the inner server between the gate's read lock, then releases the
// finished calls when enough have accumulated.
func call[Req, Resp any](s *releasingServer, ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	s.gate.RLock()
	resp, err := f(ctx, req)
	s.finish(ctx)
	return resp, err
}

// finish ends a call begun with the gate's read lock.
func (s *releasingServer) finish(ctx context.Context) {
	s.gate.RUnlock()
	if n := s.finished.Add(1); n >= s.every {
		s.release(ctx, n >= forceAfter*s.every)
	}
}

// release cancels the contexts of finished calls while no call is under way. Without
// force it gives up when a call is under way (the next finished call tries again).
func (s *releasingServer) release(ctx context.Context, force bool) {
	switch {
	case force:
		s.streamStart.Lock()
		if s.streams.Load() > 0 {
			s.streamStart.Unlock()
			return // a stream is being read: a later call tries again
		}
		s.gate.Lock()
		s.streamStart.Unlock()
	case !s.gate.TryLock():
		return
	}
	defer s.gate.Unlock()
	if s.finished.Load() < s.every {
		return // another call released them meanwhile
	}
	s.finished.Store(0)
	// StopProvider is not overridden here: this is the framework's, which cancels (and
	// forgets) the contexts it registered, all of them finished calls' by now.
	_, _ = s.StopProvider(ctx, &tfprotov6.StopProviderRequest{})
}
