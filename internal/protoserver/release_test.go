package protoserver

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// fakeServer records how many calls are under way and whether StopProvider ever ran
// while one was.
type fakeServer struct {
	tfprotov6.ProviderServer // nil: only the methods below are called

	inFlight    atomic.Int64
	stops       atomic.Int64
	overlapping atomic.Int64
	block       chan struct{} // ReadResource waits on it when non-nil
}

func (f *fakeServer) ReadResource(_ context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	if f.block != nil {
		<-f.block
	}
	return &tfprotov6.ReadResourceResponse{}, nil
}

func (f *fakeServer) PlanResourceChange(_ context.Context, _ *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	return &tfprotov6.PlanResourceChangeResponse{}, nil
}

func (f *fakeServer) StopProvider(_ context.Context, _ *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	f.stops.Add(1)
	if f.inFlight.Load() > 0 {
		f.overlapping.Add(1)
	}
	return &tfprotov6.StopProviderResponse{}, nil
}

// startBlockedCall starts a ReadResource that stays under way until fake.block is closed,
// and returns once it is.
func startBlockedCall(s tfprotov6.ProviderServer, fake *fakeServer) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = s.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{})
	}()
	for fake.inFlight.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	return &wg
}

func TestReleasesEveryNCalls(t *testing.T) {
	fake := &fakeServer{}
	s := NewReleasingServer(fake, 10)
	for range 35 {
		if _, err := s.PlanResourceChange(t.Context(), &tfprotov6.PlanResourceChangeRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	if got := fake.stops.Load(); got != 3 {
		t.Errorf("35 calls with a release every 10: want 3 releases, got %d", got)
	}
}

// TestNeverReleasesDuringACall: while a call is under way, no release happens, however
// many other calls finish; once it ends, the finished calls are released.
func TestNeverReleasesDuringACall(t *testing.T) {
	fake := &fakeServer{block: make(chan struct{})}
	s := NewReleasingServer(fake, 5)
	wg := startBlockedCall(s, fake)
	for range 12 { // more than every, less than forceAfter × every
		_, _ = s.PlanResourceChange(t.Context(), &tfprotov6.PlanResourceChangeRequest{})
	}
	if got := fake.stops.Load(); got != 0 {
		t.Fatalf("released %d times while a call was under way", got)
	}
	close(fake.block)
	wg.Wait()
	if fake.stops.Load() != 1 || fake.overlapping.Load() != 0 {
		t.Fatalf("want one release after the call ended and none overlapping; got %d, %d overlapping",
			fake.stops.Load(), fake.overlapping.Load())
	}
}

// TestForcedReleaseWaitsForCalls: under constant load the release eventually waits for the
// calls under way instead of skipping, and still never overlaps one.
func TestForcedReleaseWaitsForCalls(t *testing.T) {
	fake := &fakeServer{block: make(chan struct{})}
	s := NewReleasingServer(fake, 2)
	wg := startBlockedCall(s, fake)
	forced := make(chan struct{})
	go func() {
		defer close(forced)
		for range forceAfter * 2 {
			_, _ = s.PlanResourceChange(t.Context(), &tfprotov6.PlanResourceChangeRequest{})
		}
	}()
	select {
	case <-forced:
		t.Fatal("the forced release did not wait for the call under way")
	case <-time.After(50 * time.Millisecond):
	}
	close(fake.block)
	<-forced
	wg.Wait()
	if fake.stops.Load() == 0 || fake.overlapping.Load() != 0 {
		t.Fatalf("want releases and none overlapping; got %d, %d overlapping", fake.stops.Load(), fake.overlapping.Load())
	}
}

// TestTerraformStopIsForwarded: Terraform's own StopProvider (Ctrl-C) reaches the
// framework at once, to cancel the calls under way.
func TestTerraformStopIsForwarded(t *testing.T) {
	fake := &fakeServer{block: make(chan struct{})}
	s := NewReleasingServer(fake, 100)
	go func() { _, _ = s.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{}) }()
	for fake.inFlight.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	if _, err := s.StopProvider(t.Context(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	if fake.stops.Load() != 1 {
		t.Fatal("StopProvider was not forwarded while a call was under way")
	}
	close(fake.block)
}
