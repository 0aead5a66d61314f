package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fynxt/terraform-provider-connxt/internal/connxt"
	"github.com/fynxt/terraform-provider-connxt/internal/emulator"
)

// Catalog ids of internal/connxt/CONTRACT.md §7, spelled out here rather than read from
// the emulator so the tests check the emulator against the contract.
const (
	flowTypePSP = "ftp_01jt2ccyw4eh48mknzvb48erpk"
	actDeposit  = "fat_01jt2cetrheh48mkp2m8z680xz"
	actWithdraw = "fat_01jtj2hq14fexta3pcaeaswc62"
	actRefund   = "fat_01k5bqfxa3f6cawws5kyqpdkc9"
	tgtPaymaxis = "ftg_01jwra8pvkfey9h1f71gsw1qsw"
	tgtSticpay  = "ftg_01jt2ctt8veh48mkpcx2bdeatz"
	defPmxDep   = "fld_01jwraa3kffey9h1f83mjfj0sv"
	defPmxWd    = "fld_01jwwmns3keh2bjgn21e7sq9nz"
	defStcDep   = "fld_01jt2cyyskeh48mkpkf3y9z6j3"
	defStcWd    = "fld_01jtj66c27fexta3r0gczv1a8b"
)

// fakeClock is a settable clock so timestamps can be asserted exactly.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is a running emulator with its HTTP front.
type env struct {
	t     *testing.T
	emu   *emulator.Server
	srv   *httptest.Server
	clock *fakeClock
	log   *syncBuffer
}

// start runs an emulator behind httptest with a fake clock and a captured log.
func start(t *testing.T, opts emulator.Options) *env {
	t.Helper()
	e := &env{t: t, clock: &fakeClock{t: time.Date(2025, 12, 12, 16, 56, 36, 0, time.FixedZone("EET", 2*3600))}, log: &syncBuffer{}}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(e.log, nil))
	}
	e.emu = emulator.New(opts)
	e.emu.SetClock(e.clock.Now)
	e.srv = httptest.NewServer(e.emu)
	t.Cleanup(e.srv.Close)
	return e
}

// response is one answer, decoded as far as it goes.
type response struct {
	status int
	header http.Header
	body   []byte
	env    connxt.Envelope
}

// do sends a request. body may be nil, a string or []byte (sent verbatim), or any
// value (sent as JSON).
func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set(connxt.TokenHeader, token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: raw}
	// API answers are envelopes, except gateway pages (text/html) from fault injection.
	if len(raw) > 0 && resp.Header.Get("Content-Type") == "application/json" {
		if err := json.Unmarshal(raw, &r.env); err != nil && strings.HasPrefix(path, connxt.APIPrefix) {
			e.t.Fatalf("%s %s: answer is not an envelope: %v: %s", method, path, err, raw)
		}
	}
	return r
}

// expectOK checks a success envelope and decodes its data into out (if non-nil).
func (r response) expectOK(t *testing.T, status int, out any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if want := map[int]string{200: "200", 201: "201"}[status]; r.env.Code != want {
		t.Fatalf("code %q, want %q", r.env.Code, want)
	}
	if out != nil {
		if err := json.Unmarshal(r.env.Data, out); err != nil {
			t.Fatalf("data: %v: %s", err, r.env.Data)
		}
	}
}

// expectError checks an error envelope: status, code and, when fields is non-nil,
// exactly that set of field names in errors[] (order-insensitive).
func (r response) expectError(t *testing.T, status int, code string, fields ...string) {
	t.Helper()
	if r.status != status || r.env.Code != code {
		t.Fatalf("got %d/%q, want %d/%q: %s", r.status, r.env.Code, status, code, r.body)
	}
	if r.env.Data != nil {
		t.Fatalf("error envelope has data: %s", r.body)
	}
	if fields == nil {
		return
	}
	got := map[string]int{}
	for _, fe := range r.env.Errors {
		got[fe.Field]++
		if fe.Message == "" {
			t.Errorf("field %q has an empty message", fe.Field)
		}
	}
	want := map[string]int{}
	for _, f := range fields {
		want[f]++
	}
	for f := range want {
		if got[f] == 0 {
			t.Errorf("errors[] lacks field %q: %s", f, r.body)
		}
	}
	for f := range got {
		if want[f] == 0 {
			t.Errorf("errors[] has unexpected field %q: %s", f, r.body)
		}
	}
}

// pspBody is a request body as a map, so tests can drop or break any member.
type pspBody map[string]any

// validSticpay returns a valid create body for Sticpay with DEPOSIT and WITHDRAW.
func validSticpay(name string) pspBody {
	return pspBody{
		"name":         name,
		"logo":         "https://example.com/logo.png",
		"credential":   `{"merchantEmail":"m@example.com","apiKey":"k-123"}`,
		"flowTargetId": tgtSticpay,
		"operations": []any{
			map[string]any{"flowActionId": actDeposit, "flowDefinitionId": defStcDep, "status": "ENABLED"},
			map[string]any{"flowActionId": actWithdraw, "flowDefinitionId": defStcWd, "status": "DISABLED"},
		},
	}
}

// validPaymaxis returns a valid create body for Paymaxis with DEPOSIT only.
func validPaymaxis(name string) pspBody {
	return pspBody{
		"name":         name,
		"credential":   `{"apiKey":"pmx-key"}`,
		"flowTargetId": tgtPaymaxis,
		"operations": []any{
			map[string]any{"flowActionId": actDeposit, "flowDefinitionId": defPmxDep, "status": "ENABLED"},
		},
	}
}

// with returns a copy of b with k set (or removed when v is the remove marker).
func (b pspBody) with(k string, v any) pspBody {
	out := pspBody{}
	for kk, vv := range b {
		out[kk] = vv
	}
	if v == remove {
		delete(out, k)
	} else {
		out[k] = v
	}
	return out
}

type removeMarker struct{}

// remove, passed to with, deletes the member.
var remove = removeMarker{}

// createPSP creates a PSP and returns its details.
func (e *env) createPSP(token string, body pspBody) connxt.PSP {
	e.t.Helper()
	var p connxt.PSP
	e.do(http.MethodPost, connxt.APIPrefix+connxt.PathPSPsExternal, token, body).expectOK(e.t, http.StatusCreated, &p)
	return p
}

// updateBody turns PSP details into a full PUT body.
func updateBody(p connxt.PSP) map[string]any {
	return map[string]any{
		"name":         p.Name,
		"description":  p.Description,
		"logo":         p.Logo,
		"flowTargetId": p.FlowTargetID,
		"status":       p.Status,
		"operations":   p.Operations,
	}
}
