package connxt_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// These tests answer the client as a broken or hostile server would, and check that it
// never takes such an answer for a good one.

// answering replaces every answer to route with status and body.
func answering(route string, status int, contentType, body string) emulator.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) != route {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		})
	}
}

// TestDeleteNeedsASuccessEnvelope: a 200 carrying an error envelope or an HTML page is not
// a deletion.
func TestDeleteNeedsASuccessEnvelope(t *testing.T) {
	for name, answer := range map[string]struct{ contentType, body string }{
		"error envelope": {"application/json", `{"timestamp":"t","code":"4003","message":"Forbidden"}`},
		"HTML page":      {"text/html", `<html><body>Deleted!</body></html>`},
		"empty body":     {"application/json", ``},
	} {
		t.Run(name, func(t *testing.T) {
			c, srv := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{
				answering(emulator.RouteDeletePSP, http.StatusOK, answer.contentType, answer.body)}})
			psp, _, err := c.CreatePSP(t.Context(), paymaxisRequest("kept"))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.DeletePSP(t.Context(), psp.ID); err == nil {
				t.Fatal("a 200 without a success envelope was taken for a deletion")
			}
			if len(srv.PSPs()) != 1 {
				t.Fatal("the PSP should still exist")
			}
		})
	}
}

// TestAnswerAboutAnotherPSPIsRefused: GET and PUT of one PSP answered with another PSP's
// details (a hostile or misrouting proxy) is an error, so that state never swaps ids.
func TestAnswerAboutAnotherPSPIsRefused(t *testing.T) {
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{})
	a, _, err := c.CreatePSP(t.Context(), paymaxisRequest("a"))
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := c.CreatePSP(t.Context(), paymaxisRequest("b"))
	if err != nil {
		t.Fatal(err)
	}
	swap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.URL.Path = strings.Replace(r.URL.Path, a.ID, b.ID, 1)
			next.ServeHTTP(w, r)
		})
	}
	// A proxy in front of the emulator rewrites a's path to b's.
	front := httptest.NewServer(swap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxyTo(t, c.BaseURL(), w, r)
	})))
	t.Cleanup(front.Close)
	viaFront := clientFor(t, front.URL, emulator.DefaultToken)
	_, err = viaFront.GetPSP(t.Context(), a.ID)
	var answer *connxt.AnswerError
	if !errors.As(err, &answer) || answer.Field != "id" || answer.Got != b.ID || answer.Want != a.ID {
		t.Fatalf("GET: want an AnswerError about the id, got %v", err)
	}
	_, err = viaFront.UpdatePSP(t.Context(), a.ID, connxt.UpdatePSPRequest{Name: "renamed", FlowTargetID: a.FlowTargetID,
		Status: connxt.StatusEnabled, Operations: a.Operations})
	if !errors.As(err, &answer) || answer.Field != "id" {
		t.Fatalf("PUT: want an AnswerError about the id, got %v", err)
	}
}

// proxyTo forwards r to base and copies the answer.
func proxyTo(t *testing.T, base string, w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.Path, r.Body)
	if err != nil {
		t.Error(err)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
	buf := new(strings.Builder)
	_, _ = io.Copy(buf, resp.Body)
	_, _ = w.Write([]byte(buf.String()))
}

// TestPSPOfAnotherEnvironmentIsRefused: a token belongs to one environment; an answer
// with a PSP of another one is an error.
func TestPSPOfAnotherEnvironmentIsRefused(t *testing.T) {
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{})
	if _, _, err := c.CreatePSP(t.Context(), paymaxisRequest("mine")); err != nil {
		t.Fatal(err)
	}
	env, err := c.TokenEnvironment(t.Context())
	if err != nil || env == "" {
		t.Fatalf("the environment should be known after a create: %q, %v", env, err)
	}
	foreign := answering(emulator.RouteListPSPs, http.StatusOK, "application/json",
		`{"timestamp":"t","code":"200","message":"ok","data":[{"id":"psp_x","environmentId":"env_Other","name":"x"}]}`)
	other, srv := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{foreign}})
	// The listing says env_Other; the create's answer then carries the emulator's own.
	psp, _, err := other.CreatePSP(t.Context(), paymaxisRequest("first"))
	var answer *connxt.AnswerError
	if !errors.As(err, &answer) || answer.Field != "environmentId" || answer.Want != "env_Other" {
		t.Fatalf("want an AnswerError about environmentId, got %v", err)
	}
	if psp == nil || len(srv.PSPs()) != 1 || srv.PSPs()[0].ID != psp.ID {
		t.Fatal("the PSP that was created must still be returned, so that it is not lost")
	}
}

// TestCallDeadline: one call, its retries and waits included, ends at call_timeout; a
// Retry-After beyond it is not waited for at all.
func TestCallDeadline(t *testing.T) {
	t.Run("hanging server", func(t *testing.T) {
		hang := func(http.Handler) http.Handler {
			return http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		}
		srv := httptest.NewServer(emulator.New(emulator.Options{Middleware: []emulator.Middleware{hang}}))
		t.Cleanup(srv.Close)
		c, err := connxt.New(connxt.Config{BaseURL: srv.URL, Token: emulator.DefaultToken, MaxRetries: 20,
			RequestTimeout: 100 * time.Millisecond, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond,
			CallTimeout: 500 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = c.ListPSPs(t.Context())
		if took := time.Since(start); err == nil || took > 3*time.Second || !strings.Contains(err.Error(), "call_timeout") {
			t.Fatalf("want a call_timeout error within about 0.5 s, got %v after %s", err, took)
		}
	})
	t.Run("Retry-After beyond the deadline", func(t *testing.T) {
		var seen atomic.Int32
		throttle := func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				seen.Add(1)
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(`{"timestamp":"t","code":"429","message":"Slow down"}`))
			})
		}
		srv := httptest.NewServer(emulator.New(emulator.Options{Middleware: []emulator.Middleware{throttle}}))
		t.Cleanup(srv.Close)
		c, err := connxt.New(connxt.Config{BaseURL: srv.URL, Token: emulator.DefaultToken, MaxRetries: 5, CallTimeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = c.ListPSPs(t.Context())
		if took := time.Since(start); err == nil || took > 5*time.Second || !strings.Contains(err.Error(), "Retry-After") && !strings.Contains(err.Error(), "retry after") {
			t.Fatalf("want an immediate error naming the asked wait, got %v after %s", err, took)
		}
		if seen.Load() != 1 {
			t.Errorf("want one attempt, saw %d", seen.Load())
		}
	})
}

// TestEchoedSecretsAreMaskedBeforeTheyAreCut: a proxy that echoes the request (token and
// credential) in an error page longer than the quoted snippet leaks no part of either.
func TestEchoedSecretsAreMaskedBeforeTheyAreCut(t *testing.T) {
	const key = "live-key-0123456789abcdefghij"
	echo := func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := new(strings.Builder)
			_, _ = io.Copy(body, r.Body)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			// Padding puts the secrets across the 120-character cut.
			_, _ = w.Write([]byte("<html>  Bad   request " + strings.Repeat("x", 80) + " token " +
				r.Header.Get(connxt.TokenHeader) + " body " + body.String() + "</html>"))
		})
	}
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{echo}})
	req := paymaxisRequest("echo")
	req.Credential = `{"apiKey":"` + key + `"}`
	_, _, err := c.CreatePSP(t.Context(), req)
	if err == nil {
		t.Fatal("want the 400")
	}
	for _, secret := range []string{emulator.DefaultToken, key} {
		for n := 6; n <= len(secret); n++ {
			if strings.Contains(err.Error(), secret[:n]) {
				t.Fatalf("the error shows %d characters of a secret: %s", n, err)
			}
		}
	}
}

// TestUnusableSuccessAnswerToACreateIsLookedUp: a create answered 201 with a body that is
// not an envelope, or by a proxy's 524 after the server did the work, may have made the
// PSP: the client looks it up and names it, instead of reporting that nothing was created.
func TestUnusableSuccessAnswerToACreateIsLookedUp(t *testing.T) {
	for name, answer := range map[string]struct {
		status int
		body   string
	}{
		"201 that is not an envelope": {http.StatusCreated, `<html>Created</html>`},
		"201 without data":            {http.StatusCreated, `{"timestamp":"t","code":"201","message":"Created"}`},
		"proxy timeout 524":           {524, `<html>A timeout occurred</html>`},
	} {
		t.Run(name, func(t *testing.T) {
			commitThenAnswer := func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if emulator.RouteKey(r) != emulator.RouteCreatePSP {
						next.ServeHTTP(w, r)
						return
					}
					next.ServeHTTP(httptest.NewRecorder(), r) // committed
					w.WriteHeader(answer.status)
					_, _ = w.Write([]byte(answer.body))
				})
			}
			c, srv := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{commitThenAnswer}})
			_, _, err := c.CreatePSP(t.Context(), paymaxisRequest("answered-oddly"))
			var unverified *connxt.UnverifiedCreateError
			if !errors.As(err, &unverified) || len(srv.PSPs()) != 1 || unverified.ID != srv.PSPs()[0].ID {
				t.Fatalf("want an UnverifiedCreateError naming the PSP made, got %v (%d PSPs)", err, len(srv.PSPs()))
			}
		})
	}
}

// TestCreateCutByTheCallDeadlineIsLookedUp: the server commits a create but answers after
// the call's deadline; the attempt's outcome is unknown, so the client looks and names the
// PSP instead of reporting that nothing was created.
func TestCreateCutByTheCallDeadlineIsLookedUp(t *testing.T) {
	slowCommit := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) == emulator.RouteCreatePSP {
				next.ServeHTTP(httptest.NewRecorder(), r) // committed
				time.Sleep(700 * time.Millisecond)
			}
			next.ServeHTTP(w, r)
		})
	}
	srv := emulator.New(emulator.Options{Middleware: []emulator.Middleware{slowCommit}})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c := clientWith(t, connxt.Config{BaseURL: ts.URL, Token: emulator.DefaultToken, CallTimeout: 300 * time.Millisecond})
	_, _, err := c.CreatePSP(t.Context(), paymaxisRequest("cut-short"))
	var unverified *connxt.UnverifiedCreateError
	if !errors.As(err, &unverified) || len(srv.PSPs()) != 1 || unverified.ID != srv.PSPs()[0].ID {
		t.Fatalf("want an UnverifiedCreateError naming the committed PSP, got %v (%d PSPs)", err, len(srv.PSPs()))
	}
}

// TestLostCreateOnServerIgnoringStatus: a server that ignores the status of a create
// makes the PSP ENABLED although DISABLED was asked, and the answer is lost. That PSP is
// still this request's as far as can be told (the provider's update sets the status), not
// "someone else's".
func TestLostCreateOnServerIgnoringStatus(t *testing.T) {
	ignoreStatus := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if emulator.RouteKey(r) == emulator.RouteCreatePSP {
				body, _ := io.ReadAll(r.Body)
				body = []byte(strings.Replace(string(body), `"status":"DISABLED",`, "", 1))
				r.Body = io.NopCloser(strings.NewReader(string(body)))
				r.ContentLength = int64(len(body))
			}
			next.ServeHTTP(w, r)
		})
	}
	lost, _ := commitThenDrop()
	req := paymaxisRequest("ignored-status")
	req.Status = connxt.StatusDisabled
	t.Run("not told to adopt", func(t *testing.T) {
		c, _ := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{lost, ignoreStatus}})
		_, _, err := c.CreatePSP(t.Context(), req)
		var unverified *connxt.UnverifiedCreateError
		if !errors.As(err, &unverified) || unverified.ID == "" {
			t.Fatalf("want an UnverifiedCreateError naming the PSP, got %v", err)
		}
	})
	t.Run("told to adopt", func(t *testing.T) {
		lost, _ := commitThenDrop()
		c, _ := newAdoptingClient(t, emulator.Options{Middleware: []emulator.Middleware{lost, ignoreStatus}})
		psp, adopted, err := c.CreatePSP(t.Context(), req)
		if err != nil || !adopted || psp.Status != connxt.StatusEnabled {
			t.Fatalf("want the ENABLED PSP adopted (the caller then sets its status), got %v, %v, %v", psp, adopted, err)
		}
	})
}

// TestHugeRetryAfterIsNoRetryNow: a Retry-After too large for a time.Duration is taken
// for the long wait it is (beyond the deadline), not for "now" after an overflow.
func TestHugeRetryAfterIsNoRetryNow(t *testing.T) {
	var seen atomic.Int32
	throttle := func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			seen.Add(1)
			w.Header().Set("Retry-After", "10000000000")
			w.WriteHeader(http.StatusTooManyRequests)
		})
	}
	srv := httptest.NewServer(emulator.New(emulator.Options{Middleware: []emulator.Middleware{throttle}}))
	t.Cleanup(srv.Close)
	c := clientWith(t, connxt.Config{BaseURL: srv.URL, Token: emulator.DefaultToken})
	if _, err := c.ListPSPs(t.Context()); err == nil || !strings.Contains(err.Error(), "call_timeout") {
		t.Fatalf("want the call to give up at once, got %v", err)
	}
	if n := seen.Load(); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}
