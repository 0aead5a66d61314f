package connxt_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/catalogids"
	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// newClient starts an emulator (with optional middleware) and returns a client for it.
func newClient(t *testing.T, token string, opts emulator.Options) (*connxt.Client, *emulator.Server) {
	t.Helper()
	srv := emulator.New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return clientFor(t, ts.URL, token), srv
}

// newClientWithRetries is newClient with its own retry budget and backoff, for tests
// that count attempts or time them.
func newClientWithRetries(t *testing.T, opts emulator.Options, maxRetries int, waitMin, waitMax time.Duration) (*connxt.Client, *emulator.Server) {
	t.Helper()
	srv := emulator.New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := connxt.New(connxt.Config{BaseURL: ts.URL, Token: emulator.DefaultToken, MaxRetries: maxRetries,
		RetryWaitMin: waitMin, RetryWaitMax: waitMax})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func clientFor(t *testing.T, url, token string) *connxt.Client {
	t.Helper()
	return clientWith(t, connxt.Config{BaseURL: url, Token: token})
}

// newAdoptingClient is newClient for a client told to adopt the PSP a lost create made
// (Config.AdoptLostCreates).
func newAdoptingClient(t *testing.T, opts emulator.Options) (*connxt.Client, *emulator.Server) {
	t.Helper()
	srv := emulator.New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return clientWith(t, connxt.Config{BaseURL: ts.URL, Token: emulator.DefaultToken, AdoptLostCreates: true}), srv
}

// clientWith completes cfg with the tests' user agent and a fast retry policy.
func clientWith(t *testing.T, cfg connxt.Config) *connxt.Client {
	t.Helper()
	cfg.UserAgent = connxt.UserAgent("1.2.3", "1.11.4")
	cfg.MaxRetries, cfg.RetryWaitMin, cfg.RetryWaitMax = 3, time.Millisecond, 5*time.Millisecond
	c, err := connxt.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func paymaxisRequest(name string) connxt.CreatePSPRequest {
	return connxt.CreatePSPRequest{
		Name: name, FlowTargetID: catalogids.Paymaxis, Credential: `{"apiKey":"client-test-key"}`,
		Operations: []connxt.PSPOperation{
			{FlowActionID: catalogids.Deposit, FlowDefinitionID: catalogids.PaymaxisDeposit, Status: connxt.StatusEnabled},
		},
	}
}

func apiError(t *testing.T, err error) *connxt.APIError {
	t.Helper()
	var apiErr *connxt.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want an *APIError, got %T: %v", err, err)
	}
	return apiErr
}

func TestFlowTypeDefinitions(t *testing.T) {
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{})
	defs, err := c.GetFlowTypeDefinitions(t.Context(), connxt.FlowTypePSP)
	if err != nil {
		t.Fatal(err)
	}
	if defs.Name != "PSP" || len(defs.Targets) != 2 {
		t.Fatalf("got %q with %d targets", defs.Name, len(defs.Targets))
	}
	var schema struct{ Required []string }
	for _, target := range defs.Targets {
		if target.ID == catalogids.Paymaxis {
			if err := json.Unmarshal(target.CredentialSchema, &schema); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(schema.Required) != 1 || schema.Required[0] != "apiKey" {
		t.Errorf("Paymaxis credential schema requires %v, want [apiKey]", schema.Required)
	}

	_, err = c.GetFlowTypeDefinitions(t.Context(), "LOYALTY")
	if !connxt.IsNotFound(err) || apiError(t, err).Code != connxt.CodeNotFound {
		t.Errorf("unknown flow type: want 404 4004, got %v", err)
	}
}

func TestPSPLifecycle(t *testing.T) {
	ctx := t.Context()
	c, srv := newClient(t, emulator.DefaultToken, emulator.Options{})

	created, _, err := c.CreatePSP(ctx, paymaxisRequest("lifecycle"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.ID, "psp_") || created.Credential != connxt.CredentialMask ||
		created.Status != connxt.StatusEnabled || created.FlowTarget == nil || created.FlowTarget.ID != catalogids.Paymaxis {
		t.Fatalf("unexpected create answer: %+v", created)
	}

	got, err := c.GetPSP(ctx, created.ID)
	if err != nil || got.Name != "lifecycle" || len(got.Operations) != 1 {
		t.Fatalf("get: %+v, %v", got, err)
	}

	all, err := c.ListPSPs(ctx)
	if err != nil || len(all) != 1 || all[0].ID != created.ID {
		t.Fatalf("list: %+v, %v", all, err)
	}

	description := "updated"
	updated, err := c.UpdatePSP(ctx, created.ID, connxt.UpdatePSPRequest{
		Name: "lifecycle-2", Description: &description, FlowTargetID: catalogids.Paymaxis, Status: connxt.StatusDisabled,
		Operations: []connxt.PSPOperation{
			{FlowActionID: catalogids.Withdraw, FlowDefinitionID: catalogids.PaymaxisWithdraw, Status: connxt.StatusEnabled},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Name != "lifecycle-2" || updated.Description == nil || *updated.Description != "updated" ||
		updated.Status != connxt.StatusDisabled || len(updated.Operations) != 1 || updated.Operations[0].FlowActionID != catalogids.Withdraw {
		t.Fatalf("unexpected update answer: %+v", updated)
	}
	if cred, _ := srv.StoredCredential(created.ID); cred != `{"apiKey":"client-test-key"}` {
		t.Error("an update without a credential must keep the stored one")
	}

	if err := c.DeletePSP(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPSP(ctx, created.ID); !connxt.IsNotFound(err) {
		t.Fatalf("get after delete: want not found, got %v", err)
	}
	if err := c.DeletePSP(ctx, created.ID); !connxt.IsNotFound(err) {
		t.Fatalf("second delete: want not found, got %v", err)
	}
}

func TestDocumentedErrors(t *testing.T) {
	ctx := t.Context()
	c, srv := newClient(t, emulator.DefaultToken, emulator.Options{})

	t.Run("400 names each field", func(t *testing.T) {
		req := paymaxisRequest("bad")
		req.Operations[0].FlowDefinitionID = catalogids.SticpayDeposit
		req.Credential = `{"apiKey":42}`
		_, _, err := c.CreatePSP(ctx, req)
		apiErr := apiError(t, err)
		if !connxt.IsValidation(err) || apiErr.Code != connxt.CodeValidation {
			t.Fatalf("want 400 4001, got %v", err)
		}
		fields := map[string]bool{}
		for _, fe := range apiErr.FieldErrors {
			fields[fe.Field] = true
		}
		if !fields["credential"] || !fields["operations[0].flowDefinitionId"] {
			t.Errorf("want field errors for credential and operations[0].flowDefinitionId, got %+v", apiErr.FieldErrors)
		}
	})

	t.Run("401 for an unknown token", func(t *testing.T) {
		bad := clientFor(t, c.BaseURL(), "sec_UnknownUnknownUnknown00000")
		_, err := bad.ListPSPs(ctx)
		if !connxt.IsUnauthorized(err) || apiError(t, err).Code != connxt.CodeUnauthorized {
			t.Fatalf("want 401 4002, got %v", err)
		}
		if strings.Contains(err.Error(), "sec_UnknownUnknownUnknown00000") {
			t.Error("the error shows the token")
		}
	})

	t.Run("404 for another environment's PSP", func(t *testing.T) {
		other := clientFor(t, c.BaseURL(), emulator.SecondToken)
		theirs, _, err := other.CreatePSP(ctx, paymaxisRequest("theirs"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetPSP(ctx, theirs.ID); !connxt.IsNotFound(err) || apiError(t, err).Code != connxt.CodeNotFound {
			t.Fatalf("want 404 4004, got %v", err)
		}
	})

	t.Run("409 for a taken name", func(t *testing.T) {
		if _, _, err := c.CreatePSP(ctx, paymaxisRequest("taken")); err != nil {
			t.Fatal(err)
		}
		_, _, err := c.CreatePSP(ctx, paymaxisRequest("taken"))
		if !connxt.IsConflict(err) || apiError(t, err).Code != connxt.CodeConflict {
			t.Fatalf("want 409 4005, got %v", err)
		}
	})

	t.Run("405 where deletion is unsupported", func(t *testing.T) {
		p, _, err := c.CreatePSP(ctx, paymaxisRequest("undeletable"))
		if err != nil {
			t.Fatal(err)
		}
		srv.SetDeleteUnsupported(true)
		defer srv.SetDeleteUnsupported(false)
		if err := c.DeletePSP(ctx, p.ID); !connxt.IsMethodNotAllowed(err) {
			t.Fatalf("want 405, got %v", err)
		}
	})
}

// failing answers the first n requests of a route with status and body, then lets them through.
func failing(n int32, route, status string, body string, code int) (emulator.Middleware, *atomic.Int32) {
	var seen atomic.Int32
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method+" "+r.URL.Path == route || route == "*" {
				if seen.Add(1) <= n {
					w.Header().Set("Content-Type", status)
					w.WriteHeader(code)
					_, _ = w.Write([]byte(body))
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}, &seen
}

func TestServerErrorsAreRetried(t *testing.T) {
	mw, seen := failing(2, emulator.RouteListPSPs, "application/json",
		`{"timestamp":"2025-12-12T10:43:18Z","code":"1000","message":"Internal error"}`, 500)
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{mw}})
	if _, err := c.ListPSPs(t.Context()); err != nil {
		t.Fatalf("two 500s then success: want success, got %v", err)
	}
	if seen.Load() != 3 {
		t.Errorf("want 3 attempts, saw %d", seen.Load())
	}
}

func TestServerErrorAfterRetriesIsTyped(t *testing.T) {
	mw, seen := failing(100, emulator.RouteListPSPs, "application/json",
		`{"timestamp":"2025-12-12T10:43:18Z","code":"1000","message":"Internal error"}`, 500)
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{mw}})
	_, err := c.ListPSPs(t.Context())
	apiErr := apiError(t, err)
	if apiErr.StatusCode != 500 || apiErr.Code != connxt.CodeServerError || apiErr.Message != "Internal error" {
		t.Fatalf("want 500 1000 Internal error, got %+v", apiErr)
	}
	if seen.Load() != 4 {
		t.Errorf("MaxRetries 3: want 4 attempts, saw %d", seen.Load())
	}
}

func TestRefusalsAreNotRetried(t *testing.T) {
	mw, seen := failing(100, "*", "application/json",
		`{"timestamp":"2025-12-12T10:43:18Z","code":"4003","message":"Forbidden"}`, 403)
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{mw}})
	if _, err := c.ListPSPs(t.Context()); !connxt.IsForbidden(err) {
		t.Fatalf("want 403, got %v", err)
	}
	if seen.Load() != 1 {
		t.Errorf("a 403 must not be retried; saw %d attempts", seen.Load())
	}
}

func TestProxyErrorPage(t *testing.T) {
	mw, _ := failing(100, "*", "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", 502)
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{mw}})
	_, err := c.ListPSPs(t.Context())
	apiErr := apiError(t, err)
	if apiErr.StatusCode != 502 || apiErr.Code != "" || !strings.Contains(apiErr.Message, "502 Bad Gateway") ||
		!strings.Contains(apiErr.Message, "text/html") {
		t.Fatalf("want a typed 502 describing the HTML page, got %+v", apiErr)
	}
}

// TestEnvelopeEdgeCases drives the decoder with answers a real deployment may give.
func TestEnvelopeEdgeCases(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		wantErr string
	}{
		{"201 is a success", 201, `{"timestamp":"t","code":"201","message":"Created","data":[]}`, ""},
		{"code as a string", 200, `{"timestamp":"t","code":"200","message":"ok","data":[]}`, ""},
		{"missing data", 200, `{"timestamp":"t","code":"200","message":"ok"}`, "has no data"},
		{"null data", 200, `{"timestamp":"t","code":"200","message":"ok","data":null}`, "has no data"},
		{"data of the wrong shape", 200, `{"timestamp":"t","code":"200","message":"ok","data":{"x":1}}`, "unexpected shape"},
		{"not JSON", 200, `OK`, "not a Connxt envelope"},
		{"error without errors[]", 404, `{"timestamp":"t","code":"4004","message":"Not found"}`, "HTTP 404, code 4004: Not found"},
		{"empty error body", 503, ``, "empty body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer ts.Close()
			c, err := connxt.New(connxt.Config{BaseURL: ts.URL, Token: emulator.DefaultToken, MaxRetries: 0})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ListPSPs(t.Context())
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("want success, got %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("want an error containing %q, got %v", tc.wantErr, err)
			case tc.wantErr != "":
				_ = apiError(t, err) // fails the test unless err is an *APIError
			}
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{"timestamp":"t","code":"200","message":"ok","data":[]}`))
	}))
	defer ts.Close()
	c := clientFor(t, ts.URL+"/connxt/v2/", emulator.DefaultToken)
	if _, err := c.ListPSPs(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got.Get(connxt.TokenHeader) != emulator.DefaultToken {
		t.Error("the token header is missing")
	}
	if ua := got.Get("User-Agent"); ua != "terraform-provider-connxt/1.2.3 Terraform/1.11.4" {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestTransactions(t *testing.T) {
	ctx := t.Context()
	c, srv := newClient(t, emulator.DefaultToken, emulator.Options{})
	psp, _, err := c.CreatePSP(ctx, connxt.CreatePSPRequest{
		Name: "txn", FlowTargetID: catalogids.Paymaxis, Credential: `{"apiKey":"k"}`,
		Operations: []connxt.PSPOperation{
			{FlowActionID: catalogids.Deposit, FlowDefinitionID: catalogids.PaymaxisDeposit, Status: connxt.StatusEnabled},
			{FlowActionID: catalogids.Withdraw, FlowDefinitionID: catalogids.PaymaxisWithdraw, Status: connxt.StatusEnabled},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	payload := json.RawMessage(`{"body":{"order":{"id":"ORDER_1","money":{"amount":12,"currency":"USD"}},"customer":{"id":"c1","email":"c@example.com"}}}`)
	deposit, err := c.CreateTransaction(ctx, connxt.CreateTransactionRequest{
		FlowActionID: catalogids.Deposit, FlowTargetID: catalogids.Paymaxis, PSPID: psp.ID, TransactionType: "deposit",
		TxnCurrency: "USD", TxnAmount: "200", ExecutePayload: payload,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(deposit.TxnID, "ortx") || deposit.RedirectURL == "" {
		t.Errorf("deposit: want the redirect shape with an ortx id, got %+v", deposit)
	}
	withdraw, err := c.CreateTransaction(ctx, connxt.CreateTransactionRequest{
		FlowActionID: catalogids.Withdraw, FlowTargetID: catalogids.Paymaxis, PSPID: psp.ID, TransactionType: "withdraw",
		TxnCurrency: "USD", TxnAmount: "5", ExecutePayload: payload,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(withdraw.TxnID, "ortx") || withdraw.Status != "SUCCESS" || withdraw.RedirectURL != "" {
		t.Errorf("withdraw: want the direct shape, got %+v", withdraw)
	}
	if n := len(srv.Transactions()); n != 2 {
		t.Errorf("the emulator recorded %d transactions, want 2", n)
	}
}

// TestTransactionsAreNeverRetried: a repeated payment request could charge twice.
func TestTransactionsAreNeverRetried(t *testing.T) {
	mw, seen := failing(100, emulator.RouteCreateTransaction, "application/json",
		`{"timestamp":"t","code":"1000","message":"Internal error"}`, 503)
	c, _ := newClient(t, emulator.DefaultToken, emulator.Options{Middleware: []emulator.Middleware{mw}})
	_, err := c.CreateTransaction(t.Context(), connxt.CreateTransactionRequest{
		FlowActionID: catalogids.Deposit, FlowTargetID: catalogids.Paymaxis, PSPID: "psp_x", TxnCurrency: "USD", TxnAmount: "1",
		ExecutePayload: json.RawMessage(`{}`),
	})
	if statusOf(err) != 503 || seen.Load() != 1 {
		t.Fatalf("want one attempt answered 503, got %d attempts and %v", seen.Load(), err)
	}
}

func statusOf(err error) int {
	var apiErr *connxt.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

func TestParseBaseURL(t *testing.T) {
	good := map[string]string{
		"https://api.connect.fynxt.io":            "https://api.connect.fynxt.io",
		"https://api.connect.fynxt.io/":           "https://api.connect.fynxt.io",
		"https://api.connect.fynxt.io/connxt/v2":  "https://api.connect.fynxt.io",
		"https://api.connect.fynxt.io/connxt/v2/": "https://api.connect.fynxt.io",
		"http://127.0.0.1:8080":                   "http://127.0.0.1:8080",
		"http://localhost:9000/connxt/v2":         "http://localhost:9000",
		"http://[::1]:9000":                       "http://[::1]:9000",
		"https://api.connect-dev.fynxt.io:8443":   "https://api.connect-dev.fynxt.io:8443",
	}
	for in, want := range good {
		u, err := connxt.ParseBaseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	bad := []string{"", "api.connect.fynxt.io", "ftp://x", "http://api.connect.fynxt.io", "https://x/v3",
		"https://user:pw@x", "https://x?q=1", "https://"}
	for _, in := range bad {
		if _, err := connxt.ParseBaseURL(in); err == nil {
			t.Errorf("ParseBaseURL(%q): want an error", in)
		}
	}
}

// TestRedirectsAreNotFollowed: a redirect (from a misconfigured proxy, say) must not carry
// the token or a credential to the host it names; it is an error instead.
func TestRedirectsAreNotFollowed(t *testing.T) {
	var leaked atomic.Bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(connxt.TokenHeader) != "" {
			leaked.Store(true)
		}
	}))
	defer elsewhere.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == connxt.APIPrefix+connxt.PathPSPs {
			// The listing that precedes a first create; the create itself is redirected.
			_, _ = w.Write([]byte(`{"timestamp":"t","code":"200","message":"ok","data":[]}`))
			return
		}
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirecting.Close()
	c := clientFor(t, redirecting.URL, emulator.DefaultToken)
	_, _, err := c.CreatePSP(t.Context(), paymaxisRequest("redirected"))
	if statusOf(err) != http.StatusTemporaryRedirect {
		t.Fatalf("want the 307 as an error, got %v", err)
	}
	if leaked.Load() {
		t.Fatal("the token was sent to the host the redirect named")
	}
}
