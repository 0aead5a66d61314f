package connxt_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// TestSameNameCreatesTakeTurns: two creates of one client race for the same name and
// target, and the first request to arrive is committed but its answer lost. Whichever
// create ran first adopts its own PSP; the other meets a 409. Neither adopts the other's
// PSP, and the stored credential is the adopter's.
func TestSameNameCreatesTakeTurns(t *testing.T) {
	mw, _ := commitThenDrop()
	c, srv := newAdoptingClient(t, emulator.Options{Middleware: []emulator.Middleware{mw}})
	type result struct {
		req     connxt.CreatePSPRequest
		psp     *connxt.PSP
		adopted bool
		err     error
	}
	results := make([]result, 2)
	var wg sync.WaitGroup
	for i := range results {
		results[i].req = paymaxisRequest("twins")
		results[i].req.Credential = `{"apiKey":"twin-key-` + string(rune('a'+i)) + `"}`
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[i]
			r.psp, r.adopted, r.err = c.CreatePSP(t.Context(), r.req)
		}()
	}
	wg.Wait()
	var winner, loser *result
	for i := range results {
		if results[i].err == nil {
			winner = &results[i]
		} else {
			loser = &results[i]
		}
	}
	if winner == nil || loser == nil || !winner.adopted || !connxt.IsConflict(loser.err) {
		t.Fatalf("want one create adopting its own PSP and one conflict; got %+v / %+v", results[0], results[1])
	}
	all := srv.PSPs()
	if len(all) != 1 || all[0].ID != winner.psp.ID {
		t.Fatalf("want exactly the winner's PSP in the emulator, got %d PSPs", len(all))
	}
	if cred, _ := srv.StoredCredential(winner.psp.ID); cred != winner.req.Credential {
		t.Error("the stored credential is not the one the adopting create sent")
	}
}

// TestForeignPSPMadeAfterListingIsNotAdopted: another client creates a PSP of the same
// name after this client's listing, with other settings; this client's request never
// arrives. Its look-up finds the other PSP, sees that it is not what the request creates,
// and reports the name as taken.
func TestForeignPSPMadeAfterListingIsNotAdopted(t *testing.T) {
	var dropNext atomic.Bool
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && dropNext.CompareAndSwap(true, false) {
				if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
					_ = conn.Close()
				}
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	c, srv := newAdoptingClient(t, emulator.Options{Middleware: []emulator.Middleware{mw}})
	if _, _, err := c.CreatePSP(t.Context(), paymaxisRequest("first")); err != nil { // the listing happens here
		t.Fatal(err)
	}
	foreign := paymaxisRequest("shared")
	foreign.Credential = `{"apiKey":"other-team-key"}`
	foreign.Operations[0].Status = connxt.StatusDisabled
	theirs, _, err := clientFor(t, c.BaseURL(), emulator.DefaultToken).CreatePSP(t.Context(), foreign)
	if err != nil {
		t.Fatal(err)
	}

	dropNext.Store(true)
	psp, adopted, err := c.CreatePSP(t.Context(), paymaxisRequest("shared"))
	var taken *connxt.NameTakenError
	if psp != nil || adopted || !errors.As(err, &taken) || taken.ID != theirs.ID {
		t.Fatalf("want a NameTakenError naming %s, got %v, adopted %v, %v", theirs.ID, psp, adopted, err)
	}
	if cred, _ := srv.StoredCredential(theirs.ID); cred != foreign.Credential || len(srv.PSPs()) != 2 {
		t.Error("the other client's PSP was changed, or another PSP was created")
	}
}

// TestListingIsSharedAndCreatesOutliveItsFailure: concurrent first creates share one
// listing; when it fails, the creates still go ahead (the list endpoint is assumed, not
// documented), but a refused token is reported as such before anything is sent.
func TestListingIsSharedAndCreatesOutliveItsFailure(t *testing.T) {
	mw, seen := failing(1000, emulator.RouteListPSPs, "application/json",
		`{"timestamp":"t","code":"1000","message":"Internal error"}`, http.StatusInternalServerError)
	c, srv := newClientWithRetries(t, emulator.Options{Middleware: []emulator.Middleware{mw}}, 2,
		20*time.Millisecond, 20*time.Millisecond)
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = c.CreatePSP(t.Context(), paymaxisRequest(fmt.Sprintf("listing-%d", i)))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("a failed listing must not stop creates: %v", err)
		}
	}
	// One shared listing makes 3 attempts (max_retries 2); ten listings one after another
	// would make 30. A create that starts late on a busy machine may begin a second one.
	if n := seen.Load(); n > 15 {
		t.Errorf("10 concurrent creates made %d list attempts; they should share one listing", n)
	}
	if len(srv.PSPs()) != 10 {
		t.Errorf("want the 10 PSPs created, the emulator holds %d", len(srv.PSPs()))
	}

	refused, _ := newClient(t, "sec_NotKnownToTheEmulator00001", emulator.Options{})
	if _, _, err := refused.CreatePSP(t.Context(), paymaxisRequest("refused")); !connxt.IsUnauthorized(err) {
		t.Errorf("a refused token during the listing must be reported as such, got %v", err)
	}
}

// TestServerWithoutListEndpoint: GET /psps answers 404 (the route is assumed). Creates
// work and the listing is not tried again; a create whose answer is lost fails saying it
// could not be verified, instead of guessing.
func TestServerWithoutListEndpoint(t *testing.T) {
	noList, lists := failing(1000, emulator.RouteListPSPs, "application/json",
		`{"timestamp":"t","code":"4004","message":"No handler found"}`, http.StatusNotFound)
	lost, _ := commitThenDrop()
	c, srv := newAdoptingClient(t, emulator.Options{Middleware: []emulator.Middleware{noList, lost}})
	_, _, err := c.CreatePSP(t.Context(), paymaxisRequest("lost"))
	var unverified *connxt.UnverifiedCreateError
	if !errors.As(err, &unverified) || unverified.ID != "" || unverified.LookupErr == nil {
		t.Fatalf("want an UnverifiedCreateError without an id, got %v", err)
	}
	if _, _, err := c.CreatePSP(t.Context(), paymaxisRequest("second")); err != nil {
		t.Fatalf("creates must work without a list endpoint: %v", err)
	}
	if len(srv.PSPs()) != 2 {
		t.Errorf("want 2 PSPs, got %d", len(srv.PSPs()))
	}
	// One listing, then one look-up for the lost answer; the failed listing is remembered.
	if n := lists.Load(); n != 2 {
		t.Errorf("want 2 list attempts (the listing and the look-up), saw %d", n)
	}
}

// TestCancelWhileWaitingForListing: a create whose context ends while the listing runs
// returns at once with the cancellation.
func TestCancelWhileWaitingForListing(t *testing.T) {
	slowList := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) == emulator.RouteListPSPs {
				time.Sleep(2 * time.Second)
			}
			next.ServeHTTP(w, r)
		})
	}
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{slowList}})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := c.CreatePSP(ctx, paymaxisRequest("impatient"))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 1500*time.Millisecond {
		t.Errorf("want the deadline, at once; got %v after %v", err, time.Since(start))
	}
}

// TestSlowAnswerIsNotAdoptedByATwin: create A's request is committed but its answer is
// slow; create B, same name and target, would meet a gateway error and find A's PSP by
// look-up before A has its answer. Because creates of one name take turns, B starts only
// after A has its PSP: B then finds the name taken, and A keeps its own PSP.
func TestSlowAnswerIsNotAdoptedByATwin(t *testing.T) {
	var posts atomic.Int32
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) != emulator.RouteCreatePSP {
				next.ServeHTTP(w, r)
				return
			}
			if posts.Add(1) == 1 {
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r) // committed now, answered later
				time.Sleep(300 * time.Millisecond)
				for k, v := range rec.Header() {
					w.Header()[k] = v
				}
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return
			}
			w.WriteHeader(http.StatusBadGateway)
		})
	}
	c, srv := newAdoptingClient(t, emulator.Options{Middleware: []emulator.Middleware{mw}})
	reqA, reqB := paymaxisRequest("twin"), paymaxisRequest("twin")
	reqB.Credential = `{"apiKey":"twin-b-key"}`

	var a *connxt.PSP
	var aAdopted bool
	var aErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		a, aAdopted, aErr = c.CreatePSP(t.Context(), reqA)
	}()
	for posts.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	b, bAdopted, bErr := c.CreatePSP(t.Context(), reqB)
	<-done
	if aErr != nil || aAdopted || a == nil {
		t.Fatalf("create A: want its own answered PSP, got %v, adopted %v, %v", a, aAdopted, aErr)
	}
	var taken *connxt.NameTakenError
	if b != nil || bAdopted || !errors.As(bErr, &taken) || taken.ID != a.ID {
		t.Fatalf("create B: want the name reported taken by %s, got %v, adopted %v, %v", a.ID, b, bAdopted, bErr)
	}
	if cred, _ := srv.StoredCredential(a.ID); cred != reqA.Credential || len(srv.PSPs()) != 1 {
		t.Error("want exactly A's PSP, with A's credential")
	}
}
