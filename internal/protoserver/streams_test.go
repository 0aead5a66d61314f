package protoserver

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// streamingFake is a server whose ListResource answers with a stream that yields slowly,
// and that records whether StopProvider ran while the stream was being read.
type streamingFake struct {
	fakeServer
	streaming    chan struct{} // closed once the first result was read
	cancelledMid bool
}

func (f *streamingFake) ListResource(ctx context.Context, _ *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return &tfprotov6.ListResourceServerStream{Results: func(yield func(tfprotov6.ListResourceResult) bool) {
		f.inFlight.Add(1)
		defer f.inFlight.Add(-1)
		for i := range 3 {
			if !yield(tfprotov6.ListResourceResult{DisplayName: "psp"}) {
				return
			}
			if i == 0 {
				close(f.streaming)
			}
			time.Sleep(20 * time.Millisecond)
			if ctx.Err() != nil {
				f.cancelledMid = true
			}
		}
	}}, nil
}

func (f *streamingFake) ValidateListResourceConfig(context.Context, *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return &tfprotov6.ValidateListResourceConfigResponse{}, nil
}

// TestReleaseDuringAStreamWaits: calls that finish while a list stream is being read do
// not release (which would cancel the stream's context) until the stream has ended.
func TestReleaseDuringAStreamWaits(t *testing.T) {
	fake := &streamingFake{streaming: make(chan struct{})}
	s := NewReleasingServer(fake, 1).(*releasingServer)
	stream, err := s.ListResource(t.Context(), &tfprotov6.ListResourceRequest{})
	if err != nil {
		t.Fatal(err)
	}
	read := make(chan int)
	go func() {
		n := 0
		for range stream.Results {
			n++
		}
		read <- n
	}()
	<-fake.streaming
	for range 3 { // each would release at once (every = 1) if nothing held the gate
		_, _ = s.ValidateListResourceConfig(t.Context(), &tfprotov6.ValidateListResourceConfigRequest{})
	}
	if got := fake.stops.Load(); got != 0 {
		t.Fatalf("released %d times while the stream was being read", got)
	}
	if n := <-read; n != 3 || fake.cancelledMid || fake.overlapping.Load() != 0 {
		t.Fatalf("want 3 results, no cancellation and no overlapping release; got %d, %v, %d", n, fake.cancelledMid, fake.overlapping.Load())
	}
	// The next finished call releases again.
	_, _ = s.ValidateListResourceConfig(t.Context(), &tfprotov6.ValidateListResourceConfigRequest{})
	if fake.stops.Load() == 0 {
		t.Fatal("no release after the stream ended")
	}
}

// TestUnreadStreamEndsWithItsCall: a stream that Terraform never reads (its RPC ended
// first) stops holding the gate when the call's context ends, so releases go on.
func TestUnreadStreamEndsWithItsCall(t *testing.T) {
	fake := &streamingFake{streaming: make(chan struct{})}
	s := NewReleasingServer(fake, 1).(*releasingServer)
	ctx, cancel := context.WithCancel(t.Context())
	if _, err := s.ListResource(ctx, &tfprotov6.ListResourceRequest{}); err != nil {
		t.Fatal(err)
	}
	cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Taking the lock is the check: it waits forever while the stream holds it.
		s.gate.Lock()
		s.gate.Unlock() //nolint:staticcheck // an empty critical section is the point here

	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the unread stream still holds the gate after its context ended")
	}
}

// TestCallsDuringAStreamDoNotWait: while a stream is being read, other calls (even one
// made by the stream's reader between two results, and well past the forced-release
// threshold) complete: a forced release never waits for an open stream.
func TestCallsDuringAStreamDoNotWait(t *testing.T) {
	fake := &streamingFake{streaming: make(chan struct{})}
	s := NewReleasingServer(fake, 1).(*releasingServer)
	stream, err := s.ListResource(t.Context(), &tfprotov6.ListResourceRequest{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range stream.Results {
			for range forceAfter * 2 {
				_, _ = s.ValidateListResourceConfig(t.Context(), &tfprotov6.ValidateListResourceConfigRequest{})
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("calls made while a stream is read are stuck behind a release")
	}
	if fake.overlapping.Load() != 0 || fake.cancelledMid {
		t.Fatal("a release overlapped the stream")
	}
}
