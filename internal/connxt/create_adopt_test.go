package connxt_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/catalogids"
	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// commitThenDrop lets the first create reach the handler (the PSP is stored) and then
// closes the connection without an answer, as a proxy timing out would.
func commitThenDrop() (emulator.Middleware, *atomic.Int32) {
	var creates atomic.Int32
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == "/connxt/v2/psps/external" && creates.Add(1) == 1 {
				next.ServeHTTP(httptest.NewRecorder(), r)
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					_ = conn.Close()
				}
				return
			}
			next.ServeHTTP(w, r)
		})
	}, &creates
}

// TestLostAnswerNamesThePSPWithoutTakingItOver: by default, a PSP found after a lost
// answer is reported with its id, not adopted: Connxt cannot prove which request made it.
func TestLostAnswerNamesThePSPWithoutTakingItOver(t *testing.T) {
	mw, creates := commitThenDrop()
	c, srv := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{mw}})
	psp, adopted, err := c.CreatePSP(t.Context(), paymaxisRequest("lost-answer"))
	var unverified *connxt.UnverifiedCreateError
	if !errors.As(err, &unverified) || psp != nil || adopted {
		t.Fatalf("want an UnverifiedCreateError and no PSP, got %v (adopted %v)", err, adopted)
	}
	all := srv.PSPs()
	if len(all) != 1 || all[0].ID != unverified.ID {
		t.Fatalf("the error must name the one PSP the lost create made; it names %q, the emulator holds %d", unverified.ID, len(all))
	}
	if creates.Load() != 1 {
		t.Errorf("the create was sent %d times; the look-up should have made a second POST unnecessary", creates.Load())
	}
}

// TestCreateAdoptsAfterLostAnswer: told to adopt, a client whose committed create lost its
// answer finds the PSP by name and target instead of creating a second one.
func TestCreateAdoptsAfterLostAnswer(t *testing.T) {
	mw, creates := commitThenDrop()
	c, srv := newAdoptingClient(t, emulator.Options{Middleware: []emulator.Middleware{mw}})
	psp, adopted, err := c.CreatePSP(t.Context(), paymaxisRequest("lost-answer"))
	if err != nil {
		t.Fatal(err)
	}
	if !adopted {
		t.Error("a PSP found after a lost answer must be reported as adopted")
	}
	all := srv.PSPs()
	if len(all) != 1 || all[0].ID != psp.ID {
		t.Fatalf("want exactly the adopted PSP in the emulator, got %d PSPs", len(all))
	}
	if creates.Load() != 1 {
		t.Errorf("the create was sent %d times; the look-up should have made a second POST unnecessary", creates.Load())
	}
}

// TestCreateFinishesAfterCancel: the caller's context ends (Terraform's Ctrl-C) while a
// slow server has not yet committed the create. The attempt under way is finished rather
// than abandoned, so the PSP the server then commits is returned, not orphaned.
func TestCreateFinishesAfterCancel(t *testing.T) {
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				time.Sleep(300 * time.Millisecond)
			}
			next.ServeHTTP(w, r)
		})
	}
	c, srv := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{slow}})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	psp, adopted, err := c.CreatePSP(ctx, paymaxisRequest("cancelled"))
	if err != nil {
		t.Fatalf("want the committed PSP, got %v", err)
	}
	if adopted || srv.Counts()[emulator.RouteListPSPs] != 1 {
		t.Errorf("the attempt under way must be answered and decoded, without a look-up after the first listing (adopted %v, %d list calls)",
			adopted, srv.Counts()[emulator.RouteListPSPs])
	}
	if all := srv.PSPs(); len(all) != 1 || all[0].ID != psp.ID {
		t.Fatalf("want exactly the returned PSP in the emulator, got %d PSPs", len(all))
	}
}

// TestCreateStopsRetryingAfterCancel: once the caller's context is done, no new attempt
// starts; the last look-up still runs.
func TestCreateStopsRetryingAfterCancel(t *testing.T) {
	mw, seen := failing(100, emulator.RouteCreatePSP, "application/json",
		`{"timestamp":"t","code":"1000","message":"Internal error"}`, http.StatusInternalServerError)
	c, _ := newClientWithRetries(t, emulator.Options{Middleware: []emulator.Middleware{mw}}, 20,
		50*time.Millisecond, 50*time.Millisecond)
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Millisecond)
	defer cancel()
	if _, _, err := c.CreatePSP(ctx, paymaxisRequest("stopped")); err == nil {
		t.Fatal("want an error")
	}
	if n := seen.Load(); n > 4 {
		t.Errorf("%d attempts in 120 ms with 50 ms waits: retries went on after the cancellation", n)
	}
}

// TestCreateRefusalIsNotLookedUp: a 4xx proves nothing was created.
func TestCreateRefusalIsNotLookedUp(t *testing.T) {
	c, srv := newClient(t, emulator.DefaultToken, emulator.Options{})
	req := paymaxisRequest("refused")
	req.FlowTargetID = catalogids.Sticpay // Paymaxis operations on Sticpay: 400
	if _, _, err := c.CreatePSP(t.Context(), req); !connxt.IsValidation(err) {
		t.Fatalf("want 400, got %v", err)
	}
	if n := srv.Counts()[emulator.RouteListPSPs]; n != 1 {
		t.Errorf("a refused create must not look PSPs up after the first listing; saw %d list calls", n)
	}
}

// TestThrottledCreateWaitsWithoutLookup: 429s are waited out beyond max_retries (they
// have their own budget), and since a throttled request was never processed, the create
// is retried without listing PSPs first.
func TestThrottledCreateWaitsWithoutLookup(t *testing.T) {
	mw, seen := failing(4, emulator.RouteCreatePSP, "application/json",
		`{"timestamp":"t","code":"429","message":"Too many requests"}`, http.StatusTooManyRequests)
	c, srv := newClientWithRetries(t, emulator.Options{Middleware: []emulator.Middleware{mw}}, 1,
		time.Millisecond, 5*time.Millisecond)
	if _, _, err := c.CreatePSP(t.Context(), paymaxisRequest("throttled")); err != nil {
		t.Fatalf("four 429s with max_retries 1: want success, got %v", err)
	}
	if seen.Load() != 5 {
		t.Errorf("want 5 attempts, saw %d", seen.Load())
	}
	if n := srv.Counts()[emulator.RouteListPSPs]; n != 1 {
		t.Errorf("a throttled create needs no look-up after the first listing; saw %d list calls", n)
	}
}

// TestConflictAfterUncertainAttemptAdopts: the first attempt is committed but answered
// 502 (a gateway timing out), and the look-up before the retry does not see the PSP yet;
// the retry then gets 409 for our own PSP. The client looks again and adopts it instead of
// failing, which would leave a PSP that Terraform does not know.
func TestConflictAfterUncertainAttemptAdopts(t *testing.T) {
	var posts, lists atomic.Int32
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.Method == http.MethodPost && posts.Add(1) == 1:
				next.ServeHTTP(httptest.NewRecorder(), r) // committed
				w.WriteHeader(http.StatusBadGateway)
				return
			case r.Method == http.MethodGet && r.URL.Path == "/connxt/v2/psps" && lists.Add(1) == 2:
				// The look-up (after the listing that precedes every first create) lags
				// behind the commit.
				_, _ = w.Write([]byte(`{"timestamp":"t","code":"200","message":"ok","data":[]}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	c, srv := newAdoptingClient(t, emulator.Options{Middleware: []emulator.Middleware{mw}})
	psp, adopted, err := c.CreatePSP(t.Context(), paymaxisRequest("lagging"))
	if err != nil {
		t.Fatalf("want the PSP adopted, got %v", err)
	}
	if all := srv.PSPs(); !adopted || len(all) != 1 || all[0].ID != psp.ID {
		t.Fatalf("want exactly the adopted PSP; adopted %v, %d PSPs", adopted, len(srv.PSPs()))
	}
}

// TestExistingPSPIsNotAdopted: a PSP of that name and target existed before (another
// team's, with its own credential) and the create's answer is lost. The look-up finds
// that PSP, but it predates the create: the client reports the name as taken and leaves
// the PSP alone instead of taking it over.
func TestExistingPSPIsNotAdopted(t *testing.T) {
	for _, tc := range []struct {
		name        string
		sameProcess bool // the existing PSP was created by this client, not found by its listing
		failWith    int  // status of the failed attempt; 0 drops the connection
		wantLookups int
	}{
		{name: "predates the client, gateway error", failWith: http.StatusBadGateway},
		{name: "predates the client, dropped connection"},
		{name: "created by this client for another resource", sameProcess: true, failWith: http.StatusBadGateway},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var failNext atomic.Bool
			mw := func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost && failNext.CompareAndSwap(true, false) {
						if tc.failWith == 0 {
							if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
								_ = conn.Close()
							}
							return
						}
						w.WriteHeader(tc.failWith)
						return
					}
					next.ServeHTTP(w, r)
				})
			}
			c, srv := newAdoptingClient(t, emulator.Options{Middleware: []emulator.Middleware{mw}})
			old := paymaxisRequest("existing")
			old.Credential = `{"apiKey":"other-teams-key"}`
			old.Operations[0].Status = connxt.StatusDisabled
			creator := c
			if !tc.sameProcess {
				creator = clientFor(t, c.BaseURL(), emulator.DefaultToken)
			}
			existing, _, err := creator.CreatePSP(t.Context(), old)
			if err != nil {
				t.Fatal(err)
			}

			failNext.Store(true)
			psp, adopted, err := c.CreatePSP(t.Context(), paymaxisRequest("existing"))
			var taken *connxt.NameTakenError
			if psp != nil || adopted || !errors.As(err, &taken) || taken.ID != existing.ID || !connxt.IsConflict(err) {
				t.Fatalf("want a NameTakenError naming %s, got psp %v, adopted %v, %v", existing.ID, psp, adopted, err)
			}
			all := srv.PSPs()
			if len(all) != 1 || all[0].Operations[0].Status != connxt.StatusDisabled {
				t.Fatalf("the existing PSP must be left as it was: %+v", all)
			}
			if cred, _ := srv.StoredCredential(existing.ID); cred != old.Credential {
				t.Error("the existing PSP's credential was overwritten")
			}
		})
	}
}

// TestCancelEndsACreatesBackoff: Ctrl-C during a create's wait before its next attempt
// ends the wait at once; only an attempt under way is finished.
func TestCancelEndsACreatesBackoff(t *testing.T) {
	var posts atomic.Int32
	busy := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) != emulator.RouteCreatePSP {
				next.ServeHTTP(w, r)
				return
			}
			posts.Add(1)
			w.Header().Set("Retry-After", "20")
			w.WriteHeader(http.StatusServiceUnavailable)
		})
	}
	c, _ := newClientWithRetries(t, emulator.Options{Middleware: []emulator.Middleware{busy}}, 5, time.Millisecond, 30*time.Second)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, _, err := c.CreatePSP(ctx, paymaxisRequest("impatient"))
	if took := time.Since(start); err == nil || took > 3*time.Second || posts.Load() != 1 {
		t.Fatalf("want one attempt and a stop soon after the cancel, got %v after %s, %d attempts", err, took, posts.Load())
	}
}

// TestCancelDuringTheLookUpSendsNothingMore: Ctrl-C while a create looks for the PSP its
// lost attempt may have made ends the create there; no new POST follows.
func TestCancelDuringTheLookUpSendsNothingMore(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var posts, lists atomic.Int32
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch emulator.RouteKey(r) {
			case emulator.RouteCreatePSP:
				posts.Add(1)
				w.WriteHeader(http.StatusBadGateway) // outcome unknown: a look-up follows
				return
			case emulator.RouteListPSPs:
				if lists.Add(1) == 2 { // the look-up (the first listing precedes every first create)
					cancel()
				}
			}
			next.ServeHTTP(w, r)
		})
	}
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{mw}})
	if _, _, err := c.CreatePSP(ctx, paymaxisRequest("cancelled-in-lookup")); err == nil {
		t.Fatal("want an error")
	}
	if n := posts.Load(); n != 1 {
		t.Fatalf("%d POSTs, want 1: no attempt may start after the cancel", n)
	}
}
