package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// rawDo sends one request on a fresh connection and returns the transport's error
// as is. Fresh connections matter: Go's transport silently retries an idempotent
// request whose reused connection was closed, which would hide a dropped answer.
func (e *env) rawDo(method, path, token string, body any) (*http.Response, []byte, error) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if token != "" {
		req.Header.Set(connxt.TokenHeader, token)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp, raw, err
}

const listKey = emulator.RouteListPSPs

// faults reads the fault settings in force over the admin API.
func (e *env) faults() emulator.FaultSettings {
	e.t.Helper()
	var fs emulator.FaultSettings
	adminJSON(e.t, e.do(http.MethodGet, "/_emulator/faults", "", nil), http.StatusOK, &fs)
	return fs
}

func TestFaultErrorAnswers(t *testing.T) {
	e := start(t, emulator.Options{})
	for _, status := range []int{500, 502, 503, 504} {
		if err := e.emu.SetFaults(emulator.FaultSettings{Rules: map[string]emulator.FaultRule{listKey: {ErrorRate: 1, Statuses: []int{status}}}}); err != nil {
			t.Fatal(err)
		}
		r := e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil)
		if r.status != status {
			t.Fatalf("status %d, want %d", r.status, status)
		}
		if status == 500 {
			r.expectError(t, 500, connxt.CodeServerError)
		} else if ct := r.header.Get("Content-Type"); ct != "text/html" || !strings.Contains(string(r.body), http.StatusText(status)) {
			t.Fatalf("%d: gateway page expected, got %q %s", status, ct, r.body)
		}
	}
	// Other routes are unaffected by a route's rule.
	e.do(http.MethodGet, connxt.APIPrefix+connxt.PathFlowTypeDefinitions+"?type=PSP", emulator.DefaultToken, nil).expectOK(t, 200, nil)

	// Errors come before the handler: nothing is created.
	if err := e.emu.SetFaults(emulator.FaultSettings{Rules: map[string]emulator.FaultRule{emulator.RouteCreatePSP: {ErrorRate: 1}}}); err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for i := 0; i < 30; i++ {
		r := e.do(http.MethodPost, createPath, emulator.DefaultToken, validSticpay("never"))
		seen[r.status] = true
	}
	if len(e.emu.PSPs()) != 0 {
		t.Fatal("a faulted create was committed")
	}
	if len(seen) != 3 || !seen[500] || !seen[502] || !seen[503] {
		t.Fatalf("default statuses should be 500, 502 and 503; saw %v", seen)
	}
	// Faults come before authentication too: they model trouble in front of the app.
	if r := e.do(http.MethodPost, createPath, "", validSticpay("x")); r.status < 500 {
		t.Fatalf("unauthenticated request was not faulted: %d", r.status)
	}
	if got := e.emu.Counts()[emulator.RouteCreatePSP]; got != 31 {
		t.Fatalf("faulted requests counted %d times, want 31", got)
	}
}

func TestFaultThrottle(t *testing.T) {
	e := start(t, emulator.Options{})
	for _, after := range []int{0, 7} {
		if err := e.emu.SetFaults(emulator.FaultSettings{Rules: map[string]emulator.FaultRule{listKey: {ThrottleRate: 1, RetryAfter: after}}}); err != nil {
			t.Fatal(err)
		}
		r := e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil)
		r.expectError(t, http.StatusTooManyRequests, "429")
		if got := r.header.Get("Retry-After"); got != map[int]string{0: "0", 7: "7"}[after] {
			t.Fatalf("Retry-After %q, want %d", got, after)
		}
	}
}

func TestFaultLatency(t *testing.T) {
	e := start(t, emulator.Options{Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{listKey: {LatencyMS: 150}}}})
	begin := time.Now()
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	if d := time.Since(begin); d < 150*time.Millisecond {
		t.Fatalf("answered after %v, want at least 150ms", d)
	}
	begin = time.Now()
	e.do(http.MethodGet, connxt.APIPrefix+connxt.PathFlowTypeDefinitions+"?type=PSP", emulator.DefaultToken, nil).expectOK(t, 200, nil)
	if d := time.Since(begin); d > 100*time.Millisecond {
		t.Fatalf("unrelated route delayed by %v", d)
	}
}

func TestFaultDropBeforeAnswer(t *testing.T) {
	e := start(t, emulator.Options{Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{emulator.RouteCreatePSP: {DropRate: 1}, listKey: {DropRate: 1}}}})
	if _, _, err := e.rawDo(http.MethodPost, createPath, emulator.DefaultToken, validSticpay("lost")); err == nil {
		t.Fatal("the client got an answer from a dropped connection")
	}
	if _, _, err := e.rawDo(http.MethodGet, pspPath, emulator.DefaultToken, nil); err == nil {
		t.Fatal("GET: the client got an answer from a dropped connection")
	}
	if len(e.emu.PSPs()) != 0 {
		t.Fatal("a create dropped before the handler was committed")
	}
	if c := e.emu.Counts(); c[emulator.RouteCreatePSP] != 1 || c[listKey] != 1 {
		t.Fatalf("dropped requests not counted: %v", c)
	}
}

func TestFaultCommitThenDrop(t *testing.T) {
	e := start(t, emulator.Options{Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{"*": {CommitDropRate: 1}}}})
	if _, _, err := e.rawDo(http.MethodPost, createPath, emulator.DefaultToken, validSticpay("ghost")); err == nil {
		t.Fatal("the client got the answer of a commit-then-drop")
	}
	psps := e.emu.PSPs()
	if len(psps) != 1 || psps[0].Name != "ghost" {
		t.Fatalf("the create was not committed: %+v", psps)
	}
	// A retry of the create now conflicts: the classic lost-response trap.
	if err := e.emu.SetFaults(emulator.FaultSettings{}); err != nil {
		t.Fatal(err)
	}
	e.do(http.MethodPost, createPath, emulator.DefaultToken, validSticpay("ghost")).expectError(t, 409, connxt.CodeConflict)
	// Only POST is affected.
	if err := e.emu.SetFaults(emulator.FaultSettings{Rules: map[string]emulator.FaultRule{"*": {CommitDropRate: 1}}}); err != nil {
		t.Fatal(err)
	}
	resp, _, err := e.rawDo(http.MethodGet, pspPath, emulator.DefaultToken, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET under a commit-drop rule: %v", err)
	}
	// Transactions: committed and stored although the answer is lost.
	_, _, err = e.rawDo(http.MethodPost, txnPath, emulator.DefaultToken, txnBody(psps[0], actDeposit))
	if err == nil || len(e.emu.Transactions()) != 1 {
		t.Fatalf("transaction commit-then-drop: err %v, %d stored", err, len(e.emu.Transactions()))
	}
}

func TestFaultRulePrecedence(t *testing.T) {
	e := start(t, emulator.Options{Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{
		"*":     {ErrorRate: 1, Statuses: []int{503}},
		listKey: {},
	}}})
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	if r := e.do(http.MethodGet, connxt.APIPrefix+connxt.PathFlowTypeDefinitions+"?type=PSP", emulator.DefaultToken, nil); r.status != 503 {
		t.Fatalf("\"*\" not applied: %d", r.status)
	}
	if r := e.do(http.MethodGet, connxt.APIPrefix+"/unknown", emulator.DefaultToken, nil); r.status != 503 {
		t.Fatalf("\"*\" not applied to an unmatched API path: %d", r.status)
	}
	// Faults never touch the admin API or paths outside /connxt/v2.
	if r := e.do(http.MethodGet, "/_emulator/requests", "", nil); r.status != 200 {
		t.Fatalf("admin API faulted: %d", r.status)
	}
	e.do(http.MethodGet, "/elsewhere", "", nil).expectError(t, 404, connxt.CodeNotFound)
}

func TestFaultSeedIsReproducible(t *testing.T) {
	rules := map[string]emulator.FaultRule{"*": {ErrorRate: 0.3, ThrottleRate: 0.2}}
	run := func(e *env) string {
		var b strings.Builder
		for i := 0; i < 40; i++ {
			r := e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil)
			b.WriteString(strconv.Itoa(r.status) + " ")
		}
		return b.String()
	}
	a := start(t, emulator.Options{Seed: 42, Faults: emulator.FaultSettings{Rules: rules}})
	b := start(t, emulator.Options{Seed: 42, Faults: emulator.FaultSettings{Rules: rules}})
	first, second := run(a), run(b)
	if first != second {
		t.Fatalf("same seed, different faults:\n%s\n%s", first, second)
	}
	if !strings.Contains(first, "200") || !strings.Contains(first, "429") || !strings.Contains(first, "50") {
		t.Fatalf("a 50%% fault rate should give a mix: %s", first)
	}
	seed := uint64(42)
	if err := a.emu.SetFaults(emulator.FaultSettings{Rules: rules, Seed: &seed}); err != nil {
		t.Fatal(err)
	}
	if again := run(a); again != first {
		t.Fatalf("setting the seed again did not restart the sequence")
	}
	if s := a.faults(); s.Seed == nil || *s.Seed != 42 {
		t.Fatalf("settings seed %v", s.Seed)
	}
}

func TestRateLimit(t *testing.T) {
	e := start(t, emulator.Options{Faults: emulator.FaultSettings{RateLimit: emulator.RateLimit{RPS: 1, Burst: 2}}})
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	r := e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil)
	r.expectError(t, http.StatusTooManyRequests, "429")
	if r.header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q, want 1", r.header.Get("Retry-After"))
	}
	// Buckets are per token.
	e.do(http.MethodGet, pspPath, emulator.SecondToken, nil).expectOK(t, 200, nil)

	// Refill.
	if err := e.emu.SetFaults(emulator.FaultSettings{RateLimit: emulator.RateLimit{RPS: 4, Burst: 1}}); err != nil {
		t.Fatal(err)
	}
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectError(t, 429, "429")
	time.Sleep(300 * time.Millisecond)
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)

	if err := e.emu.SetFaults(emulator.FaultSettings{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	}
	if got := e.faults().RateLimit; got.RPS != 0 {
		t.Fatalf("rate limit still set: %+v", got)
	}
	if err := e.emu.SetFaults(emulator.FaultSettings{RateLimit: emulator.RateLimit{RPS: 2.5}}); err != nil || e.faults().RateLimit.Burst != 3 {
		t.Fatalf("default burst: %v %+v", err, e.faults().RateLimit)
	}
}

func TestFaultValidation(t *testing.T) {
	e := start(t, emulator.Options{})
	bad := []map[string]emulator.FaultRule{
		{"GET /connxt/v2/nope": {ErrorRate: 1}},
		{"get /connxt/v2/psps": {ErrorRate: 1}},
		{"*": {ErrorRate: 1.5}},
		{"*": {DropRate: -0.1}},
		{"*": {ErrorRate: 0.6, DropRate: 0.6}},
		{"*": {ErrorRate: 1, Statuses: []int{404}}},
		{"*": {LatencyMS: -1}},
		{"*": {RetryAfter: -1}},
	}
	if err := e.emu.SetFaults(emulator.FaultSettings{Rules: map[string]emulator.FaultRule{listKey: {LatencyMS: 1}}}); err != nil {
		t.Fatal(err)
	}
	for i, rules := range bad {
		if err := e.emu.SetFaults(emulator.FaultSettings{Rules: rules}); err == nil {
			t.Errorf("rule set %d accepted: %+v", i, rules)
		}
	}
	if got := e.faults().Rules; len(got) != 1 || got[listKey].LatencyMS != 1 {
		t.Fatalf("a refused rule set changed the rules: %+v", got)
	}
	if err := e.emu.SetFaults(emulator.FaultSettings{RateLimit: emulator.RateLimit{RPS: -1}}); err == nil {
		t.Error("negative rps accepted")
	}
	defer func() {
		if recover() == nil {
			t.Error("New accepted invalid Options.Faults")
		}
	}()
	emulator.New(emulator.Options{Faults: emulator.FaultSettings{Rules: map[string]emulator.FaultRule{"nope": {}}}})
}

func TestAdminFaults(t *testing.T) {
	e := start(t, emulator.Options{})
	doc := `{"rules":{"GET /connxt/v2/psps":{"error_rate":1,"statuses":[502]},"*":{"latency_ms":5}},"rate_limit":{"rps":100},"seed":7}`
	var got emulator.FaultSettings
	adminJSON(t, e.do(http.MethodPut, "/_emulator/faults", "", doc), 200, &got)
	if got.Rules[listKey].ErrorRate != 1 || got.Rules["*"].LatencyMS != 5 || got.RateLimit.Burst != 100 || got.Seed == nil || *got.Seed != 7 {
		t.Fatalf("settings after PUT: %+v", got)
	}
	if r := e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil); r.status != 502 {
		t.Fatalf("admin-configured fault not applied: %d", r.status)
	}
	got = emulator.FaultSettings{}
	adminJSON(t, e.do(http.MethodGet, "/_emulator/faults", "", nil), 200, &got)
	if len(got.Rules) != 2 || got.Rules[listKey].Statuses[0] != 502 {
		t.Fatalf("GET: %+v", got)
	}
	for _, badDoc := range []string{
		`{"rules":{"GET /connxt/v2/psps":{"error-rate":1}}}`,
		`{"rules":{"POST /nope":{"error_rate":1}}}`,
		`{"rules":{"*":{"error_rate":2}}}`,
		`{"rate_limit":{"rps":-1}}`,
	} {
		if r := e.do(http.MethodPut, "/_emulator/faults", "", badDoc); r.status != 400 {
			t.Errorf("%s accepted: %d", badDoc, r.status)
		}
	}
	adminJSON(t, e.do(http.MethodPut, "/_emulator/faults", "", `{"rules":{}}`), 200, &got)
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	if got.Seed == nil || *got.Seed != 7 {
		t.Fatalf("a PUT without seed changed the seed: %v", got.Seed)
	}
}

// TestRateLimitSharedByUnknownTokens: tokens the emulator does not accept (all of which
// end in 401) share one bucket, so inventing tokens does not buy more requests, and
// they never use up an accepted token's budget.
func TestRateLimitSharedByUnknownTokens(t *testing.T) {
	e := start(t, emulator.Options{Faults: emulator.FaultSettings{RateLimit: emulator.RateLimit{RPS: 0.01, Burst: 2}}})
	e.do(http.MethodGet, pspPath, "sec_MadeUpTokenNumberOne00000", nil).expectError(t, 401, connxt.CodeUnauthorized)
	e.do(http.MethodGet, pspPath, "", nil).expectError(t, 401, connxt.CodeUnauthorized)
	e.do(http.MethodGet, pspPath, "sec_MadeUpTokenNumberTwo00000", nil).expectError(t, 429, "429")
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectOK(t, 200, nil)
	e.do(http.MethodGet, pspPath, emulator.DefaultToken, nil).expectError(t, 429, "429")
	e.do(http.MethodGet, pspPath, emulator.SecondToken, nil).expectOK(t, 200, nil)
}
